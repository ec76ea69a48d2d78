"""The annotated extraction set, its accuracy floors and the scoring rules."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from monitor import config
from monitor.desk import cli
from monitor.errors import MonitorError
from monitor.statements.actors import ActorIndex
from monitor.statements.extraction_eval import evaluate_extraction, format_report, load_rows, same_speaker

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "data" / "extraction_gold.jsonl"
KEYS = {"n_passages", "n_gold", "n_pred", "attribution", "span_exact", "span_overlap"}


@pytest.fixture(scope="module")
def index() -> ActorIndex:
    return ActorIndex.from_actors(config.load(ROOT / "config").actors)


def test_gold_set_is_well_formed(index: ActorIndex) -> None:
    rows = load_rows(GOLD)
    assert len(rows) >= 150
    assert len({r["id"] for r in rows}) == len(rows)
    types = set()
    for r in rows:
        for s in r["statements"]:
            assert r["text"][s["start"] : s["end"]] == s["text"], r["id"]
            assert s["actor"] == "other" or index.resolve(s["actor"]), r["id"]
            types.add(s["type"])
        assert r.get("feed_actor") is None or index.resolve(r["feed_actor"])
    assert types == {"direct", "indirect", "mixed", "official"}
    assert sum(not r["statements"] for r in rows) >= 20  # mention-only passages
    joined = "".join(r["text"] for r in rows)
    for mark in "“«„‘\"'—":
        assert mark in joined


def test_accuracy_floors_on_the_gold_set(index: ActorIndex) -> None:
    result = evaluate_extraction(load_rows(GOLD), index)
    assert result["attribution"]["f1"] >= 0.90
    assert result["span_overlap"]["f1"] >= 0.85
    assert result["span_exact"]["f1"] >= 0.80


def test_cli_json(capsys: pytest.CaptureFixture[str]) -> None:
    code = cli.main(["eval-extraction", "--config", str(ROOT / "config"), "--data", str(GOLD), "--json"])
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == KEYS
    assert set(out["attribution"]) == {"precision", "recall", "f1"}


def test_scoring_rules(index: ActorIndex) -> None:
    text = "“We are ready,” Lavrov said. Baku rejected the claims as lies. Analysts say the talks stalled."
    rows = [{"text": text, "statements": [
        {"text": "We are ready", "speaker": "Lavrov", "actor": "Russia", "type": "direct", "start": 1, "end": 13},
        {"text": "Baku rejected the claims as lies.", "speaker": "Azerbaijan", "actor": "AZ", "type": "indirect",
         "start": 29, "end": 62},
        {"text": "Analysts say", "speaker": "analysts", "actor": "other", "type": "indirect", "start": 63, "end": 75},
    ]}]
    result = evaluate_extraction(rows, index)
    assert set(result) == KEYS
    assert result["n_gold"] == 3 and result["n_pred"] == 3
    assert result["attribution"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert result["span_exact"]["f1"] < 1.0 and result["span_overlap"]["f1"] == 1.0
    assert "attribution" in format_report(result)


def test_wrong_actor_is_not_attributed(index: ActorIndex) -> None:
    text = "“We are ready,” Lavrov said."
    rows = [{"text": text, "statements": [
        {"text": "We are ready", "speaker": "Lavrov", "actor": "US", "type": "direct", "start": 1, "end": 13}]}]
    result = evaluate_extraction(rows, index)
    assert result["attribution"]["f1"] == 0.0 and result["span_exact"]["f1"] == 1.0


@pytest.mark.parametrize(("gold", "pred", "same"), [
    ("Aliyev", "Ilham Aliyev", True), ("Erdogan", "Recep Tayyip Erdoğan", True), ("Sergei Lavrov", "Sergey Lavrov", True),
    ("Aliyev", "Jeyhun Bayramov", False), ("the Kremlin", "Kremlin", True), ("Baku", "Azerbaijani Foreign Ministry", True),
    ("Thomas de Waal", "de Waal", True), ("Baku", "Yerevan", False), ("Baku", None, False),
    ("Pashinian", "Nikol Pashinyan", True), ("Armen Grigorian", "Armen Grigoryan", True),
    ("Mher Grigoryan", "Armen Grigoryan", False),
    # a bare surname matches the full name of someone else than the configured official who shares it
    ("Kilic", "Hulusi Kilic", True), ("Hulusi Kilic", "Kilic", True), ("Kilic", "Serdar Kılıç", True),
    ("Kilic", "Hulusi Aydin", False),
    # titles before a name, initials inside it, acronyms of institutions
    ("President Putin", "Vladimir Putin", True), ("Ayatollah Khamenei", "Ali Khamenei", True),
    ("Mr Lavrov", "Sergey Lavrov", True), ("Antony J. Blinken", "Antony Blinken", True),
    ("HR/VP Kallas", "Kaja Kallas", True), ("EU", "European Union", True),
    ("President Aliyev", "Nikol Pashinyan", False), ("Mr Lavrov", "Maria Zakharova", False), ("US", "EU", False),
    ("M.Yu. Galuzin", "Mikhail Galuzin", True), ("A.Mirzoyan", "Ararat Mirzoyan", True),
    ("S.V. Lavrov", "Maria Zakharova", False),
])
def test_same_speaker(index: ActorIndex, gold: str, pred: str | None, same: bool) -> None:
    assert same_speaker(gold, pred, index) is same


def test_bad_rows_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "x", "statements": []}\n{"text": 1}\n', encoding="utf-8")
    with pytest.raises(MonitorError, match=r"bad.jsonl:2: missing key 'statements'"):
        load_rows(path)


def test_error_analysis_by_class_and_half(index: ActorIndex) -> None:
    from monitor.statements.extraction_errors import analyse, format_errors

    text = "“We are ready,” Lavrov said. Baku rejected the claims as lies. The weather was mild, Macron said."
    rows = [
        {"id": "a1", "text": text, "statements": [
            {"text": "We are ready", "speaker": "Lavrov", "actor": "Russia", "type": "direct", "start": 1, "end": 13},
            {"text": "Baku rejected the claims as lies", "speaker": "Baku", "actor": "Iran", "type": "indirect",
             "start": 29, "end": 61}]},
        {"id": "b1", "text": "Nothing was said here. Analysts think otherwise.", "statements": [
            {"text": "Nothing was said here", "speaker": "Pashinyan", "actor": "Armenia", "type": "mixed",
             "start": 0, "end": 21}]},
    ]
    groups = analyse(rows, index)
    assert set(groups) == {"all", "a-half", "b-half"}
    a, b = groups["a-half"].summary(), groups["b-half"].summary()
    assert a["errors"] == {"wrong actor": 1, "spurious": 1}
    assert a["recall_by_type"] == {"direct": 1.0, "indirect": 0.0}
    assert b["errors"] == {"missed mixed": 1} and b["attribution"]["recall"] == 0.0
    assert groups["all"].summary()["actor_accuracy"] == 0.5
    table = format_errors(groups, examples=1)
    assert "wrong actor" in table and "b-half" in table and "[a1]" in table


def test_cli_errors(capsys: pytest.CaptureFixture[str]) -> None:
    code = cli.main(["eval-extraction", "--config", str(ROOT / "config"), "--data", str(GOLD), "--errors"])
    assert code == 0
    assert "attribution F1" in capsys.readouterr().out
