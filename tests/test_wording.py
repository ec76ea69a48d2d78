"""Negated stance verbs made plain, and quotes read on their own (monitor/stance/wording.py).

Every sentence here was written by the team from the rule's form."""

from __future__ import annotations

import pytest

from monitor.stance.classifier import readings
from monitor.stance.wording import plain_polarity, quotes


@pytest.mark.parametrize(("text", "plain"), [
    ("[ACTOR] does not oppose an EU mission on the border.", "[ACTOR] accept an EU mission on the border."),
    ("We don't object to the talks in Washington.", "We accept the talks in Washington."),
    ("The ministry cannot rule out a role for France.", "The ministry accept a role for France."),
    ("[ACTOR] is not against the US format.", "[ACTOR] accepts the US format."),
    ("We aren't opposed to European observers.", "We accepts European observers."),
    ("[ACTOR] has no objection to the mediation.", "[ACTOR] accepts the mediation."),
    ("There is no objection to the mission.", "There is acceptance of the mission."),
    ("We do not support the involvement of outside powers.", "We oppose the involvement of outside powers."),
    ("[ACTOR] won't welcome a Western monitoring presence.", "[ACTOR] oppose a Western monitoring presence."),
    ("They are not in favour of the Brussels track.", "They opposes the Brussels track."),
])
def test_negated_stance_verbs_become_plain(text: str, plain: str) -> None:
    assert plain_polarity(text) == plain


@pytest.mark.parametrize("text", [
    "[ACTOR] opposes an EU mission on the border.",  # no negation
    "We support the talks, not the sanctions.",  # "not" after the verb
    "Nobody said the mission would not end.",  # negated verb that carries no stance
    "It is not only about the US format.",
])
def test_other_wording_is_left_alone(text: str) -> None:
    assert plain_polarity(text) == text


def test_quotes_of_eight_words_or_more_clearly_shorter_than_the_text() -> None:
    text = ('The envoy, speaking at a forum in the capital on Tuesday, said that "our country does not oppose the '
            'European monitors on the border" and added "thank you" before leaving.')
    assert quotes(text) == ["our country does not oppose the European monitors on the border"]
    whole = '"Our country does not oppose the European monitors on the border at all."'
    assert quotes(whole) == []  # the quote is the whole text: nothing to add


def test_a_long_sentence_is_also_read_by_its_quote_when_it_names_a_referent() -> None:
    text = ("The ambassador of [ACTOR] to [ACTOR], [PERSON], told reporters on the sidelines of a forum on regional "
            "trade and transport held in the capital last week that \u201c[ACTOR] does not oppose the deployment of "
            "civilian EU observers along the border\u201d, according to the agency.")
    assert readings(text) == ["[ACTOR] does not oppose the deployment of civilian EU observers along the border"]
    no_referent = text.replace("civilian EU observers", "new customs posts")
    assert readings(no_referent) == []
    assert readings(text, None) == []  # whole-text reading only


def test_the_classifier_reads_the_plain_wording_and_shows_the_words_as_written(classifier) -> None:  # type: ignore[no-untyped-def]
    negated = "[ACTOR] has no objection to the EU monitoring mission on the border."
    [pred] = classifier.predict([negated])
    [plain] = classifier.predict([plain_polarity(negated)])
    assert (pred.p_favor, pred.p_against) == pytest.approx((plain.p_favor, plain.p_against), abs=1e-6)
    assert pred.p_favor > pred.p_against
