"""The stance classifier: actor-blind, sensible on clear cases, versioned, retrainable by analysts."""

from __future__ import annotations

import gzip
import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from monitor import pipeline, store
from monitor.config import SENTENCES_MIN_WORDS, ModelSettings
from monitor.desk import cli
from monitor.errors import ModelError
from monitor.records import FetchResult, Item, Relevance, Statement
from monitor.stance.classifier import BUNDLED_HEAD, UNCLASSIFIED, Head, StanceClassifier, mask_text, sentences
from monitor.stance.evaluation import stance_metrics
from monitor.statements.actors import ActorIndex
from tests.conftest import CONFIG

# Same words from different actors: states by metonym or name, and officials by name.
STATES = ["Baku", "Moscow", "Tehran", "Ankara", "Yerevan", "the Kremlin", "Azerbaijan", "Russia", "Türkiye", "Turkey"]
OFFICIALS = ["Ilham Aliyev", "Sergey Lavrov", "Nikol Pashinyan", "Recep Tayyip Erdogan", "Maria Zakharova"]
TEMPLATES = [
    "{who} welcomed the EU monitoring mission and thanked Brussels for its patient mediation.",
    "{who} said the French proposal is biased and that outsiders only bring new dividing lines to the region.",
    "{who} said border delimitation talks will continue next week at the level of deputy prime ministers.",
]


def test_same_words_score_the_same_whoever_says_them(settings, classifier) -> None:  # type: ignore[no-untyped-def]
    index = ActorIndex.from_actors(settings.actors)
    moved = False
    for template in TEMPLATES:
        for speakers in (STATES, OFFICIALS):
            texts = [template.format(who=w) for w in speakers]
            masked = [mask_text(t, index.find) for t in texts]
            assert len(set(masked)) == 1, set(masked)  # the speaker is invisible to the model
            preds = classifier.predict(masked)
            assert len({(p.label, p.target, round(p.score, 5)) for p in preds}) == 1
            moved |= len({round(p.score, 3) for p in classifier.predict(texts)}) > 1
    assert moved, "unmasked, the names do move the score: masking is what makes the classifier blind"


def test_pipeline_scores_identical_statements_identically_across_actors(tmp_path: Path, settings, classifier) -> None:  # type: ignore[no-untyped-def]
    """Through the store and `pipeline.classify`: two actors, same words, same stance row."""
    con = store.connect(tmp_path / "m.duckdb")
    store.sync_config(con, settings)
    now = datetime.now(UTC)
    text = "Aliyev said the so-called mediation of Paris is a biased ploy that serves outside interests."
    rows = []
    for feed, actor, speaker in (("az-gov", "AZ", "Ilham Aliyev"), ("ru-gov", "RU", "Sergey Lavrov")):
        item = Item(feed, f"g-{feed}", f"http://127.0.0.1/{feed}", "t", now, text)
        store.record_fetch(con, FetchResult(feed, "http://127.0.0.1/x", now, now, "ok"), [item])
        st = Statement(item.key(), text, 0, len(text), speaker, actor, "indirect", "test")
        rows.append((item.key(), (st, Relevance(st.key(), True, 1.0, "test"))))
    for item_id, pair in rows:
        store.write_statements(con, [item_id], [pair])
    n, model_id = pipeline.classify(settings, con, classifier)
    got = con.execute("SELECT label, target, p_favor, p_against, p_none FROM stances ORDER BY statement_id").fetchall()
    con.close()
    assert n == 2 and got[0] == got[1]
    assert got[0][0] == "against" and got[0][1] == "France"


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("We are grateful to Washington for brokering the talks and we count on its continued engagement.", "favor"),
        ("The European observers are a tool of outside powers and must leave the region.", "against"),
        ("The two delegations discussed the opening of transport links and agreed to meet again.", "none"),
    ],
)
def test_clear_cases(classifier, settings, text: str, label: str) -> None:  # type: ignore[no-untyped-def]
    index = ActorIndex.from_actors(settings.actors)
    (pred,) = classifier.predict([mask_text(text, index.find)])
    assert pred.label == label
    assert -1 <= pred.score <= 1 and abs(pred.p_favor + pred.p_against + pred.p_none - 1) < 1e-5


def test_languages_outside_the_encoder_stay_unclassified(classifier) -> None:  # type: ignore[no-untyped-def]
    rows = classifier.classify(["a", "b"], ["The EU monitors are welcome.", "Миссия ЕС является провокацией."], ["en", "ru"])
    assert rows[0].label in ("favor", "against", "none")
    assert rows[1].label == UNCLASSIFIED and rows[1].uncertain and rows[1].p_favor == 0


def test_head_errors_are_clear(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="stance head not found"):
        Head.load(tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    bad.write_text('{"label_coef": 1}', encoding="utf-8")
    with pytest.raises(ModelError, match="not a stance head artefact"):
        Head.load(bad)


def test_train_with_analyst_labels_then_rescore_keeps_old_rows(tmp_path: Path, settings, capsys) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "m.duckdb"
    con = store.connect(db)
    store.sync_config(con, settings)
    now = datetime.now(UTC)
    text = "The minister said the Western envoys were welcome to help with the border commission."
    item = Item("az-gov", "g1", "http://127.0.0.1/1", "t", now, text)
    store.record_fetch(con, FetchResult("az-gov", "http://127.0.0.1/x", now, now, "ok"), [item])
    st = Statement(item.key(), text, 0, len(text), "Jeyhun Bayramov", "AZ", "indirect", "test")
    store.write_statements(con, [item.key()], [(st, Relevance(st.key(), True, 1.0, "test"))])
    n_old, old_model = pipeline.classify(settings, con)
    con.close()
    assert n_old == 1

    assert cli.main(["label", st.key(), "favor", "--target", "West", "--db", str(db), "--note", "test"]) == 0
    data = tmp_path / "small.jsonl"
    rows = [json.loads(line) for line in Path("monitor/data/stance_train_a.jsonl").read_text(encoding="utf-8").splitlines()[::3][:150]]
    data.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    head = tmp_path / "head.json"
    assert cli.main(["train", "--data", str(data), "--include-analyst-labels", "--db", str(db), "--out", str(head),
                     "--config", str(CONFIG), "--no-real"]) == 0
    assert "added 1 analyst labels" in capsys.readouterr().out
    card = json.loads(head.with_suffix(".card.json").read_text(encoding="utf-8"))
    assert card["n_train"] == 151 and len(card["data_sha256"]) == 64 and card["metrics"]["cv"]["n"] == 151
    assert {"trained_at", "encoder_sha256", "temperature"} <= set(card)

    new_settings = replace(settings, model=ModelSettings(head=str(head)))
    con = store.connect(db)
    n_new, new_model = pipeline.classify(new_settings, con)
    models = con.execute("SELECT model_id FROM stances ORDER BY model_id").fetchall()
    con.close()
    assert n_new == 1 and new_model != old_model
    assert sorted(m[0] for m in models) == sorted([old_model, new_model])


def test_eval_json_has_the_contract_keys(capsys) -> None:  # type: ignore[no-untyped-def]
    assert cli.main(["eval", "--data", "tests/data/stance_heldout.jsonl", "--json", "--config", str(CONFIG)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {"n", "macro_f1", "f_avg", "accuracy", "ece", "per_class", "confusion", "per_actor"} <= set(out)
    assert out["n"] >= 150
    assert out["macro_f1"] >= 0.80, "held-out acceptance (issue 5)"


def test_news_register_statements_are_classified_as_well(capsys) -> None:  # type: ignore[no-untyped-def]
    """The demo feeds' extracted statements (news and ministry register, labelled without seeing the
    model): the set the TF-IDF weight was chosen on, so a head that only learned our writers'
    cue words fails here first."""
    assert cli.main(["eval", "--data", "tests/data/stance_news_demo.jsonl", "--json", "--config", str(CONFIG)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["n"] == 148 and out["macro_f1"] >= 0.80 and out["f_avg"] >= 0.85


def test_stance_step_reuses_the_relevance_embeddings(classifier) -> None:  # type: ignore[no-untyped-def]
    """The relevance step caches masked-text embeddings; the stance step reuses them unchanged."""
    enc = classifier.encoder
    texts = [f"[ACTOR] said the EU monitors were welcome on the border, remark {i} of the cache test." for i in range(5)]
    enc.embed(texts, cache=True)
    assert all(t in enc._cache for t in texts)
    ids = [str(i) for i in range(5)]
    reused = classifier.classify(ids, texts, ["en"] * 5, cache=True)
    fresh = classifier.classify(ids, texts, ["en"] * 5)
    for a, b in zip(reused, fresh, strict=True):
        assert a.label == b.label and abs(a.p_favor - b.p_favor) < 1e-5 and abs(a.p_against - b.p_against) < 1e-5


def test_lexical_features_at_inference_are_the_training_features(classifier) -> None:  # type: ignore[no-untyped-def]
    """The bundled head rebuilds its TF-IDF from the artefact; it must equal a vectorizer fitted on the same data."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from monitor.stance.classifier import Lexical

    texts = ["the EU welcomes the talks", "[ACTOR] rejects the EU mission as interference", "talks on the border resumed"]
    fitted = Lexical.fit(texts, weight=2.0, min_df=1)
    reloaded = Lexical.from_artefact(json.loads(json.dumps(fitted.to_artefact())))
    reference = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True).fit(texts)
    probe = ["the EU mission resumed", "nothing in the vocabulary here"]
    assert reloaded.vocabulary == tuple(reference.get_feature_names_out())
    assert abs(reloaded.features(probe).toarray() - 2.0 * reference.transform(probe).toarray()).max() < 1e-5

    head = classifier.head
    assert head.lexical is not None and len(head.lexical) > 1000
    assert head.label_coef.shape[1] == 384 + len(head.lexical) + 1  # + the referent flag
    with pytest.raises(ModelError, match="text features"):
        head.probabilities(classifier.encoder.embed(["the EU welcomes the talks"]))


def test_embedding_only_head_still_trains_and_loads(tmp_path: Path, settings) -> None:  # type: ignore[no-untyped-def]
    """``--lexical-weight 0`` gives a head without TF-IDF (embedding + referent flag), and a format-1
    head (embedding only, as shipped before) still loads and predicts."""
    from monitor.stance.classifier import StanceClassifier

    data = tmp_path / "small.jsonl"
    lines = Path("monitor/data/stance_train_b.jsonl").read_text(encoding="utf-8").splitlines()[::4][:120]
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "head.json"
    assert cli.main(["train", "--data", str(data), "--out", str(out), "--lexical-weight", "0", "--no-real",
                     "--config", str(CONFIG)]) == 0
    head = Head.load(out)
    assert head.lexical is None and head.card["format"] == 3 and head.label_coef.shape[1] == 385 and head.referent == 1.0
    artefact = json.loads(out.read_text(encoding="utf-8"))
    artefact.update(format=1, referent_weight=0, label_coef=[row[:384] for row in artefact["label_coef"]],
                    target_coef=[row[:384] for row in artefact["target_coef"]])
    format1 = Head.from_artefact(artefact)
    assert format1.referent == 0 and format1.extra_features == 0
    from monitor.stance.encoder import load_encoder

    for h in (head, format1):
        clf = StanceClassifier(load_encoder("bundled"), h)
        [pred] = clf.predict(["[ACTOR] said the EU monitors were welcome and thanked Brussels."])
        assert pred.label in ("favor", "against", "none") and abs(pred.p_favor + pred.p_against + pred.p_none - 1) < 1e-5


def test_head_with_mismatched_lexical_weights_is_rejected(tmp_path: Path) -> None:
    artefact = json.loads(gzip.decompress(BUNDLED_HEAD.read_bytes()))
    lexical = artefact["lexical"]
    for key, trimmed in (("vocabulary", lexical["vocabulary"][:-1]), ("idf", lexical["idf"][:-1])):
        bad = tmp_path / f"bad-{key}.json"
        bad.write_text(json.dumps({**artefact, "lexical": {**lexical, key: trimmed}}), encoding="utf-8")
        with pytest.raises(ModelError, match="not a stance head artefact: lexical vocabulary has"):
            Head.load(bad)
    both = {**lexical, "vocabulary": lexical["vocabulary"][:-1], "idf": lexical["idf"][:-1]}
    (tmp_path / "bad.json").write_text(json.dumps({**artefact, "lexical": both}), encoding="utf-8")
    with pytest.raises(ModelError, match="weights do not match the features"):
        Head.load(tmp_path / "bad.json")


READOUT = (
    "The foreign minister received the visiting delegation at the ministry on Tuesday. "
    "The sides discussed trade, energy projects and cooperation in higher education. "
    "On the peace process, he said the so-called EU monitoring mission is a tool of interference that only "
    "brings new dividing lines to the region. "
    "He also congratulated his counterpart on the national holiday and wished the people prosperity."
)


def test_sentences_split_like_the_extractor_and_inside_quotes() -> None:
    text = 'Mr. Smith met the E.U. envoy. She said: "The mission helps. It should stay."\nA new line starts here.'
    assert sentences(text) == ["Mr. Smith met the E.U. envoy.", 'She said: "The mission helps.', 'It should stay."',
                               "A new line starts here."]


def test_long_readout_is_read_sentence_by_sentence(classifier) -> None:  # type: ignore[no-untyped-def]
    """One stance sentence among procedural ones: whole-text mean pooling dilutes it away."""
    [pred] = classifier.predict([READOUT])
    assert pred.label == "against" and pred.target == "EU" and not pred.uncertain
    assert pred.basis is not None and pred.basis.startswith("On the peace process")
    whole = StanceClassifier(classifier.encoder, classifier.head, sentences_min_words=None)
    [diluted] = whole.predict([READOUT])
    assert diluted.basis is None and diluted.p_against < 0.5 < pred.p_against  # read whole: diluted to a coin toss
    assert whole.model_id == classifier.model_id.rsplit("+sentences@", 1)[0]  # rows say which reading made them
    assert classifier.model_id.endswith(f"+sentences@{SENTENCES_MIN_WORDS}")
    short = "The EU mission is welcome. Talks go on."
    assert classifier.readings(short) == [] and classifier.predict([short])[0].basis is None


def test_held_out_statements_padded_with_procedural_sentences_keep_their_stance(classifier, settings) -> None:  # type: ignore[no-untyped-def]
    """The held-out set again, each statement inside two sentences of readout boilerplate (other
    sentences than READOUT's): macro-F1 stays at the held-out bar, where whole-text reading fell to ~0.65."""
    filler = ["Both delegations agreed to meet again at the level of deputy ministers before the end of the year.",
              "The talks in the capital lasted about two hours and touched on transport and customs questions.",
              "Journalists also asked about the budget, the harvest and the coming municipal elections."]
    rows = [json.loads(line) for line in Path("tests/data/stance_heldout.jsonl").read_text(encoding="utf-8").splitlines()]
    index = ActorIndex.from_actors(settings.actors)
    texts = [mask_text(" ".join([filler[i % 3], r["text"], filler[(i + 1) % 3]]), index.find) for i, r in enumerate(rows)]
    preds = classifier.predict(texts)
    f1 = stance_metrics([r["label"] for r in rows], [p.label for p in preds], None)["macro_f1"]
    assert f1 >= 0.80, f"macro-F1 {f1:.3f} on padded held-out statements"


def test_only_sentences_naming_a_possible_target_are_read_alone(classifier) -> None:  # type: ignore[no-untyped-def]
    """Approval of peace itself is not favour toward Western mediation: a sentence read on its own
    must name the West, a Western actor, a mediator, monitors, a format or outsiders."""
    text = ("The president received the ambassador on Monday. A peace treaty between [ACTOR] and [ACTOR] would open "
            "new opportunities for the whole region, he said. Let us talk about trade. The US envoy was thanked for "
            "the talks. Decisions must be taken by the countries of the region. The 3+3 platform met in [ACTOR].")
    assert classifier.readings(text) == ["The US envoy was thanked for the talks.",
                                         "Decisions must be taken by the countries of the region.",
                                         "The 3+3 platform met in [ACTOR]."]


def test_long_statements_are_classified_as_well(capsys) -> None:  # type: ignore[no-untyped-def]
    """120 readouts, briefing answers and speech excerpts of 70-110 words (written separately,
    without seeing the model or the other data), the stance in one or two sentences among
    procedural ones. Read whole they score macro-F1 0.64; the referent rule was designed after
    reading this set's errors. The head learnt from real speech (issue 14) reads them at 0.845
    (0.95 before): real statements taught it that procedural sentences naming the West often
    carry a stance, which costs this set's none recall; the real grouped CV rose from 0.61 to
    0.80, and real speech is the measure, so the bar is the held-out bar."""
    assert cli.main(["eval", "--data", "tests/data/stance_long.jsonl", "--json", "--config", str(CONFIG)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["n"] == 120 and out["macro_f1"] >= 0.80
    assert min(out["per_class"][k]["recall"] for k in ("favor", "against", "none")) >= 0.60


def test_a_reporting_frame_carries_no_stance(classifier, settings) -> None:  # type: ignore[no-untyped-def]
    """Masking hides who speaks, not that someone does; the head learnt every statement once more
    inside a reporting frame, so a frame (other ones than training's) does not move the label."""
    index = ActorIndex.from_actors(settings.actors)
    frames = ["Russia's deputy foreign minister Mikhail Galuzin stated that {}",
              "At the weekly briefing, the spokesperson noted that {}",
              "{}, Hikmet Hajiyev told a news conference.",
              "Iran's ambassador said in an interview that {}"]
    rows = [json.loads(line) for line in Path("tests/data/stance_heldout.jsonl").read_text(encoding="utf-8").splitlines()]
    rows = [r for r in rows if r["label"] != "none"][:120]
    plain = classifier.predict([mask_text(r["text"], index.find) for r in rows])
    framed = classifier.predict([
        mask_text(frames[i % 4].format(r["text"].rstrip(".") if i % 4 == 2 else r["text"][0].lower() + r["text"][1:]),
                  index.find)
        for i, r in enumerate(rows)
    ])
    kept = sum(a.label == b.label for a, b in zip(plain, framed, strict=True)) / len(rows)
    assert kept >= 0.9, f"a reporting frame changed {1 - kept:.0%} of the labels"
    for label in ("favor", "against"):  # the head without frames: +0.012 and +0.077
        shift = [b.score - a.score for a, b, r in zip(plain, framed, rows, strict=True) if r["label"] == label]
        assert abs(sum(shift) / len(shift)) < 0.05, f"frames move {label} statements' scores by {sum(shift) / len(shift):+.3f}"
    [pred] = classifier.predict([mask_text(
        "Russian Foreign Ministry spokeswoman Maria Zakharova said the EU observers were doing important work.", index.find)])
    assert pred.label == "favor"  # was against (0.75) before the head learnt frames


def test_stance_row_names_the_sentence_it_comes_from(tmp_path: Path, settings, classifier) -> None:  # type: ignore[no-untyped-def]
    """Through the store: a long statement's row keeps the sentence its stance was read from, and
    the analysts' view shows it; a short statement's row has NULL there."""
    con = store.connect(tmp_path / "m.duckdb")
    store.sync_config(con, settings)
    now = datetime.now(UTC)
    short = "Lavrov said the EU mission is a tool of interference."
    item = Item("ru-gov", "g-1", "http://127.0.0.1/ru", "t", now, READOUT + " " + short)
    store.record_fetch(con, FetchResult("ru-gov", "http://127.0.0.1/x", now, now, "ok"), [item])
    pairs = []
    for text in (READOUT, short):
        st = Statement(item.key(), text, 0, len(text), "Sergey Lavrov", "RU", "indirect", "test")
        pairs.append((st, Relevance(st.key(), True, 1.0, "test")))
    store.write_statements(con, [item.key()], pairs)
    assert pipeline.classify(settings, con, classifier)[0] == 2
    got = dict(con.execute("SELECT text, stance_basis FROM statement_stances").fetchall())
    con.close()
    assert got[short] is None
    assert got[READOUT].startswith("On the peace process, he said the so-called EU monitoring mission is a tool")


def test_a_gzipped_head_keeps_the_id_of_its_json(tmp_path: Path) -> None:
    """The bundled head ships gzipped (under 1 MB); its id, and so every stance row's model id, is the
    sha256 of the JSON inside, the same as the plain file written by ``monitor train --out x.json``."""
    from monitor.stance.training import write_head

    artefact = json.loads(gzip.decompress(BUNDLED_HEAD.read_bytes()))
    plain, packed = write_head(artefact, tmp_path / "h.json"), write_head(artefact, tmp_path / "h.json.gz")
    assert packed.stat().st_size < plain.stat().st_size / 2
    assert Head.load(packed).sha256 == Head.load(plain).sha256 == Head.load(BUNDLED_HEAD).sha256
    assert (tmp_path / "h.card.json").exists() and not (tmp_path / "h.json.card.json").exists()
