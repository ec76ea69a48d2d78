"""The relevance gate's keyword rules, without the encoder (similarity 0): what anchors a statement
in the topic and what does not. Every sentence here was written by the team from the rule's form."""

from __future__ import annotations

import pytest

from monitor.records import Statement
from monitor.stance.relevance import RelevanceScorer


def _gate(text: str, mentions: tuple[str, ...] = ()) -> tuple[bool, str]:
    st = Statement("item", text, 0, len(text), None, None, "direct", "test", mentions)
    (rel,) = RelevanceScorer().score([st])
    return rel.relevant, rel.reason


@pytest.mark.parametrize("text", [
    # a Western actor or format named in connection with talks, peace or war: never dropped
    "In six months the American president did what others could not do in thirty years of this process.",
    "Many leaders tried to end the war; only Washington managed it.",
    "The co-chairs have broad support and could help later on the open status questions.",
    "We thank the European partners for their role in the negotiations.",
    "French diplomacy has no place at the summit, the minister said.",
])
def test_a_referent_named_with_talks_terms_is_kept(text: str) -> None:
    relevant, reason = _gate(text)
    assert relevant, reason


def test_a_conflict_term_or_a_party_anchors_a_statement() -> None:
    assert _gate("The border commissions will meet again next month.")[0]
    assert _gate("He spoke with his counterpart about grain exports.", mentions=("AZ",))[0]


@pytest.mark.parametrize("text", [
    "Washington announced new tariffs on steel imports.",        # a referent, no talks
    "The French minister warned about rising food prices.",      # "warned" is not "war"
    "The process of issuing visas will be simplified next year.",  # talks term, no referent
])
def test_off_topic_statements_are_not_relevant_without_similarity(text: str) -> None:
    relevant, reason = _gate(text)
    assert not relevant, reason


def test_the_reason_says_why() -> None:
    _, reason = _gate("Many leaders tried to end the war; only Washington managed it.")
    assert "names 'Washington' with talks terms" in reason
