"""The learned second opinion beside the extraction rules; every sentence is written for the test."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from monitor import config
from monitor.errors import ConfigError
from monitor.statements.actors import ActorIndex
from monitor.statements.extract import extract_statements, unit_table
from monitor.statements.second_opinion import ARTEFACT, FEATURES, SecondOpinion, bundled, fit

CONFIG = Path(__file__).resolve().parent.parent / "config"
YES = SecondOpinion((0.0,) * len(FEATURES), 10.0, 0.5)  # calls every unattributed unit a statement
NO = SecondOpinion((0.0,) * len(FEATURES), 10.0, 1.01)  # never reaches its threshold


@pytest.fixture(scope="module")
def index() -> ActorIndex:
    return ActorIndex.from_actors(config.load(CONFIG).actors)


def test_bundled_artefact_is_json_with_a_card() -> None:
    data = json.loads(ARTEFACT.read_text(encoding="utf-8"))
    assert data["features"] == list(FEATURES) and len(data["weights"]) == len(FEATURES)
    card = json.loads(ARTEFACT.with_suffix(".card.json").read_text(encoding="utf-8"))
    assert len(card["real_sha256"]) == 64 and card["cv"]["grouped_by"] == "source"
    assert 0.5 <= bundled().threshold < 1.0


def test_features_of_another_code_version_are_refused() -> None:
    with pytest.raises(ConfigError, match="features"):
        SecondOpinion.from_json({"features": ["reporting_verb"], "weights": [1.0], "bias": 0.0, "threshold": 0.5})


def test_a_quote_the_rules_leave_alone_goes_to_the_last_speaker(index: ActorIndex) -> None:
    text = ("Sergey Lavrov said on Monday that Moscow was ready to help. “Our offer to host the talks stands, and we "
            "hope both sides take it up,” according to the minister's remarks as printed.")
    rules = extract_statements("t", text, index, second_opinion=False)
    both = extract_statements("t", text, index)
    assert [s.rule for s in rules] == ["said-that"]
    assert [(s.speaker, s.actor, s.type, s.rule) for s in both[1:]] == [("Sergey Lavrov", "RU", "mixed", "learned")]
    assert text[both[1].start : both[1].end] == both[1].text


def test_the_official_opening_the_unit_outranks_the_last_speaker(index: ActorIndex) -> None:
    text = "Nikol Pashinyan said the border talks would resume. Sergey Lavrov hopes for a deal before the summer."
    out = extract_statements("t", text, index, second_opinion=YES)
    assert [(s.speaker, s.rule) for s in out] == [("Nikol Pashinyan", "said-that"), ("Sergey Lavrov", "learned")]


def test_no_speaker_no_statement_and_a_threshold_out_of_reach(index: ActorIndex) -> None:
    assert extract_statements("t", "The talks resumed in a village near the border on Monday.", index,
                              second_opinion=YES) == []
    text = "Nikol Pashinyan said the border talks would resume. Both delegations arrived on Monday."
    assert [s.rule for s in extract_statements("t", text, index, second_opinion=NO)] == ["said-that"]
    assert [s.speaker for s in extract_statements("t", text, index, second_opinion=YES)] == ["Nikol Pashinyan"] * 2


def test_a_government_feed_is_left_to_the_rules(index: ActorIndex) -> None:
    text = "The ministry welcomes the resumption of the border talks. Both delegations arrived on Monday."
    assert (extract_statements("t", text, index, feed_actor="AM", second_opinion=YES)
            == extract_statements("t", text, index, feed_actor="AM", second_opinion=False))


def test_unit_table_and_fit(index: ActorIndex) -> None:
    text = "Nikol Pashinyan said the border talks would resume. Both delegations arrived on Monday."
    said, units, feats = unit_table("t", text, index)
    assert [u.attributed for u in units] == [True, False] and len(said) == 1
    assert all(len(f) == len(FEATURES) for f in feats)
    model = fit(feats * 3, [1, 0] * 3, 0.9)
    assert model.probability(feats[0]) > 0.5 > model.probability(feats[1])


def test_features_of_the_seventh_pass(index: ActorIndex) -> None:
    """A noun or phrase of speech or stance in the unit; the next unit attributed by the rules."""
    text = ("The envoy arrived in the capital on Tuesday. The government expressed deep concern over the shelling. "
            "Nikol Pashinyan said the talks would go on.")
    _, units, feats = unit_table("t", text, index)
    col = {name: [f[FEATURES.index(name)] for f in feats] for name in ("speech_noun", "next_attributed")}
    assert [u.attributed for u in units] == [False, False, True]
    assert col["speech_noun"] == [0.0, 1.0, 0.0] and col["next_attributed"] == [0.0, 1.0, 0.0]
