"""Reported-speech forms, each with a sentence written for the test (never taken from a news page)."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor import config
from monitor.records import Statement
from monitor.statements.actors import ActorIndex
from monitor.statements.extract import extract_statements

CONFIG = Path(__file__).resolve().parent.parent / "config"


@pytest.fixture(scope="module")
def index() -> ActorIndex:
    return ActorIndex.from_actors(config.load(CONFIG).actors)


def run(index: ActorIndex, text: str) -> list[Statement]:
    out = extract_statements("t", text, index)
    for s in out:
        assert text[s.start : s.end] == s.text
    return out


def who(index: ActorIndex, text: str) -> list[tuple[str | None, str | None, str]]:
    return [(s.speaker, s.actor, s.type) for s in run(index, text)]


@pytest.mark.parametrize("verb", [
    "said", "stressed", "noted", "emphasised", "emphasized", "warned", "insisted", "recalled", "underlined",
    "informed reporters", "continued by saying", "told journalists", "reiterated", "pointed out",
])
def test_reporting_verbs(index: ActorIndex, verb: str) -> None:
    text = f"Mirzoyan {verb} that the border commissions would meet again before the summer."
    assert who(index, text) == [("Ararat Mirzoyan", "AM", "indirect")]


@pytest.mark.parametrize("text", [
    "Lavrov urged the sides to return to the trilateral format.",
    "Lavrov called on the sides to return to the trilateral format.",
    "According to Lavrov, the sides should return to the trilateral format.",
    "In the words of Lavrov, the sides should return to the trilateral format.",
    "Lavrov was quoted as saying that the sides should return to the trilateral format.",
])
def test_reporting_frames(index: ActorIndex, text: str) -> None:
    assert [(sp, a) for sp, a, _ in who(index, text)] == [("Sergey Lavrov", "RU")]


def test_quoted_him_as_saying_with_the_name_later(index: ActorIndex) -> None:
    text = ("“The new road will carry trade from the Caspian to the Mediterranean,” local media quoted him as "
            "saying.\n“We expect all neighbours to support it,” Erdogan added.")
    assert [s.speaker for s in run(index, text)] == ["Recep Tayyip Erdoğan"] * 2


def test_statement_reads(index: ActorIndex) -> None:
    text = ("The Turkish Foreign Ministry issued a statement on Friday.\n"
            "“Dialogue is the only way forward,” the statement reads.")
    out = run(index, text)
    assert [(s.text, s.actor) for s in out if s.type == "direct"] == [("Dialogue is the only way forward", "TR")]


def test_office_kept_as_printed_with_the_actor_of_the_sentence(index: ActorIndex) -> None:
    text = ("France backed the new border talks, the Foreign Ministry said in a statement.\n"
            "“We will take part in any format that helps,” the Ministry said.")
    assert who(index, text) == [("Foreign Ministry", "FR", "indirect"), ("Ministry", "FR", "direct")]


def test_her_ministry_takes_the_actor_of_the_person(index: ActorIndex) -> None:
    text = "Colonna will travel to Baku next week to press for talks, her ministry said."
    assert who(index, text)[-1][:2] == ("her ministry", "FR")


def test_pronoun_before_the_name_is_the_next_named_speaker(index: ActorIndex) -> None:
    text = ("He says the draft treaty now covers most of the open questions.\n"
            "“We are close, but not there yet,” Bayramov said.")
    assert who(index, text) == [("Jeyhun Bayramov", "AZ", "indirect"), ("Jeyhun Bayramov", "AZ", "direct")]


def test_first_person_is_not_a_speaker(index: ActorIndex) -> None:
    assert run(index, "We urge our neighbours to return to the negotiating table.") == []


def test_role_abbreviation_resolves_to_the_named_minister(index: ActorIndex) -> None:
    text = ("Colonna visited the border town on Tuesday.\n"
            "“Seeing it with our own eyes matters,” the French FM said.")
    assert who(index, text)[-1] == ("Catherine Colonna", "FR", "direct")


@pytest.mark.parametrize("frame", ["stated this", "said this in an interview", "announced the aforesaid",
                                   "told this to reporters"])
def test_statement_before_its_attribution(index: ActorIndex, frame: str) -> None:
    text = ("The border talks will move to a new venue next month. The agenda stays the same.\n"
            f"Deputy Foreign Minister of Armenia Vahan Kostanyan {frame}.")
    (s,) = run(index, text)
    assert (s.speaker, s.actor, s.type, s.rule) == ("Vahan Kostanyan", "AM", "indirect", "anaphora")
    assert s.text == "The border talks will move to a new venue next month. The agenda stays the same."


def test_this_week_is_no_anaphor(index: ActorIndex) -> None:
    text = "The ferry line reopened. Lavrov said this week that trade would grow."
    assert [s.rule for s in run(index, text)] == ["said-that"]


def test_headline_with_a_colon_and_the_name_later(index: ActorIndex) -> None:
    text = ("Azerbaijan's deputy FM: the next step must come from Yerevan -\n"
            "“We have sent our comments,” Deputy Foreign Minister Elnur Mammadov told a news agency.")
    out = run(index, text)
    assert [(s.text, s.speaker, s.type) for s in out] == [
        ("the next step must come from Yerevan", "Elnur Mammadov", "direct"),
        ("We have sent our comments", "Elnur Mammadov", "direct")]


def test_dateline_with_a_colon_keeps_its_actor(index: ActorIndex) -> None:
    text = ("MOSCOW: Russia said on Monday that the peacekeepers would stay until the end of their mandate.\n\n"
            "“We will keep our word,” Deputy Foreign Minister Andrei Rudenko said.")
    out = run(index, text)
    assert [(s.speaker, s.actor) for s in out] == [("MOSCOW", "RU"), ("Andrei Rudenko", "RU")]


def test_interview_turn_and_its_continuation(index: ActorIndex) -> None:
    text = ("Ani Badalyan: I want to stress that our position has not changed since spring.\n"
            "We also expect our partners to keep their word on the monitoring mission.\n"
            "Question: What comes next?")
    out = run(index, text)
    assert [(s.speaker, s.actor, s.type) for s in out] == [("Ani Badalyan", "AM", "direct")] * 2


def test_quote_whose_opening_mark_is_missing(index: ActorIndex) -> None:
    text = "Our country wants the treaty signed this year. The offer stands,\" said Bayramov."
    (s,) = run(index, text)
    assert (s.text, s.speaker, s.type) == ("Our country wants the treaty signed this year. The offer stands",
                                            "Jeyhun Bayramov", "direct")


def test_straight_quote_closed_by_a_curly_one(index: ActorIndex) -> None:
    text = "\"The mission has done its job and should stay,” Kallas said."
    (s,) = run(index, text)
    assert (s.text, s.speaker) == ("The mission has done its job and should stay", "Kaja Kallas")


def test_known_as_is_no_attribution(index: ActorIndex) -> None:
    text = "The corridor, known as the Trump Route for Peace and Prosperity, would cross southern Armenia."
    assert run(index, text) == []


def test_said_a_adding_that_b_gives_two_statements(index: ActorIndex) -> None:
    text = "Fidan said that the border could open soon, adding that trains would follow within a year."
    assert [s.text for s in run(index, text)] == [
        "Fidan said that the border could open soon", "trains would follow within a year."]


def test_object_then_participle_stays_one_statement(index: ActorIndex) -> None:
    text = "The French Foreign Ministry rejected the claim, saying the radars were purely defensive."
    assert len(run(index, text)) == 1


def test_according_to_in_the_middle_gives_the_two_halves(index: ActorIndex) -> None:
    text = "The new checkpoint, according to Hajizada, is a matter of customs and nothing else."
    assert [(s.text, s.speaker) for s in run(index, text)] == [
        ("The new checkpoint", "Aykhan Hajizada"),
        ("is a matter of customs and nothing else.", "Aykhan Hajizada")]


def test_headline_with_the_speaker_after_a_dash(index: ActorIndex) -> None:
    text = ("Europe gains from a signed peace treaty – France’s Jean-Noël Barrot\n"
            "The minister spoke in Paris on Monday.")
    (s,) = run(index, text)
    assert (s.text, s.speaker, s.type) == ("Europe gains from a signed peace treaty", "Jean-Noël Barrot", "indirect")


def test_after_x_said_is_a_statement_of_a_named_speaker(index: ActorIndex) -> None:
    text = "The talks resumed after Fidan said that the border could open within weeks."
    assert [s.speaker for s in run(index, text)] == ["Hakan Fidan"]


def test_after_a_meeting_said_is_not(index: ActorIndex) -> None:
    assert run(index, "A communiqué published after the meeting said little about the border.") == []


def test_leading_participle_and_a_long_title_before_the_name(index: ActorIndex) -> None:
    text = ("Noting that the vote was one-sided, the Commissioner for Human Rights (Ombudsman) of Azerbaijan "
            "Leyla Karimova criticized the French senators.\n"
            "She continued by saying that the resolution had no legal force.")
    assert who(index, text) == [("Leyla Karimova", "AZ", "indirect")] * 2


@pytest.mark.parametrize("verb", ["maintains that", "claims that", "conveyed that"])
def test_present_tense_frames(index: ActorIndex, verb: str) -> None:
    text = f"Pashinian’s government {verb} the new road must stay under Armenian control."
    assert who(index, text) == [("Pashinian’s government", "AM", "indirect")]


def test_role_before_the_name_is_the_next_named_person(index: ActorIndex) -> None:
    text = ("The press secretary recalled that the talks had been postponed twice.\n"
            "“We still expect a date this month,” says Lusine Avetisyan.")
    assert who(index, text) == [("Lusine Avetisyan", "AM", "indirect"), ("Lusine Avetisyan", "AM", "direct")]


def test_two_apostrophes_as_quote_marks(index: ActorIndex) -> None:
    text = ("The Turkish Foreign Ministry issued a statement.\n"
            "''We call on both sides to show restraint,'' the statement said.")
    assert [(s.text, s.actor) for s in run(index, text) if s.type == "direct"] == [
        ("We call on both sides to show restraint", "TR")]


def test_attribution_line_after_a_quote_paragraph(index: ActorIndex) -> None:
    text = ("“We have agreed the rules of procedure and will publish them,”\n"
            "– Mirzoyan said.")
    out = run(index, text)
    assert [(s.text, s.speaker) for s in out] == [
        ("We have agreed the rules of procedure and will publish them", "Ararat Mirzoyan")]


def test_an_officials_office_is_kept_as_printed(index: ActorIndex) -> None:
    text = "Foreign Minister Ararat Mirzoyan’s office announced that the border talks would resume in May."
    assert who(index, text) == [("Foreign Minister Ararat Mirzoyan’s office", "AM", "indirect")]


def test_head_of_a_ministry_is_a_person(index: ActorIndex) -> None:
    text = "The head of the Russian Foreign Ministry said the mission had no mandate."
    assert who(index, text) == [("head of the Russian Foreign Ministry", "RU", "indirect")]  # a person, as printed
    text += " Sergei Lavrov also said that Moscow would raise the matter in Baku."
    assert who(index, text) == [("Sergey Lavrov", "RU", "indirect")] * 2  # named in the item: the role is him


def test_quote_then_adding_that(index: ActorIndex) -> None:
    text = "“The border must stay calm,” Fidan said on Monday, adding that Ankara would back Baku “with all it has”."
    assert [(s.type, s.speaker) for s in run(index, text)] == [("direct", "Hakan Fidan"), ("mixed", "Hakan Fidan")]


def test_relative_clause_who_told(index: ActorIndex) -> None:
    text = ("The remarks came from the Armenian Prime Minister, who told a French channel that peace was "
            "still out of reach.")
    assert [(s.speaker, s.actor) for s in run(index, text)] == [("Armenian Prime Minister", "AM")]


def test_adverb_between_appositive_and_verb(index: ActorIndex) -> None:
    text = "The Iranian ambassador in Yerevan, Reza Karimi, afterwards told reporters to “forget about the corridor.”"
    assert who(index, text) == [("Reza Karimi", "IR", "mixed")]


def test_bracketed_word_in_a_speaker_phrase(index: ActorIndex) -> None:
    text = "“There is no agreed agenda for a meeting yet,” notes the [Armenian] MFA response."
    assert who(index, text) == [("[Armenian] MFA response", "AM", "direct")]


def test_media_speak_for_no_actor(index: ActorIndex) -> None:
    text = "Azerbaijani media said that the shelling had started before dawn."
    assert who(index, text) == [("Azerbaijani media", None, "indirect")]


def test_it_refers_to_the_actor_opening_the_sentence_before(index: ActorIndex) -> None:
    text = "Baku keeps turning down the offer of an interim deal. It has insisted that the constitution must change first."
    assert who(index, text) == [("Baku", "AZ", "indirect")]


def test_two_speakers_in_coordinated_clauses(index: ActorIndex) -> None:
    text = "Washington said the talks were useful, while Moscow said they amounted to interference."
    assert [(s.text, s.speaker) for s in run(index, text)] == [
        ("Washington said the talks were useful", "Washington"),
        ("while Moscow said they amounted to interference.", "Moscow")]


@pytest.mark.parametrize("text", [
    "Lavrov said the talks would resume in May, and Bayramov said Baku was ready to host them.",
    "Lavrov said the talks would resume in May; Bayramov said Baku was ready to host them.",
    "The talks would resume in May, Lavrov said, and Baku was ready to host them, Bayramov added.",
    "Lavrov said the talks would resume in May, Bayramov said Baku was ready to host them.",
    "Lavrov said the talks would resume in May and Bayramov said Baku was ready to host them.",
    "Lavrov said the talks would resume in May after Bayramov said that Baku was ready to host them.",
    "Lavrov said the talks would resume in May, a day after Bayramov said that Baku was ready to host them.",
])
def test_two_speakers_joined_by_and_or_a_semicolon(index: ActorIndex, text: str) -> None:
    out = run(index, text)
    assert [s.speaker for s in out] == ["Sergey Lavrov", "Jeyhun Bayramov"]
    assert "May" in out[0].text and "May" not in out[1].text


@pytest.mark.parametrize("text", [
    "Lavrov said the talks would resume in May, and Bayramov agreed.",
    "Lavrov said that Moscow and Baku had agreed, and that Bayramov said the road was open.",
    "Lavrov said the talks would resume in May; the sides had agreed on the agenda.",
    "In Moscow, Lavrov said the talks would resume in May.",
    "Lavrov said Moscow and Baku said nothing.",
])
def test_one_speaker_and_a_coordinated_clause_stay_one(index: ActorIndex, text: str) -> None:
    assert [s.speaker for s in run(index, text)] == ["Sergey Lavrov"]


def test_colon_introduction_stands_for_the_next_quote(index: ActorIndex) -> None:
    text = "Regarding the new road, the French minister commented only briefly:\n“We will watch it closely.”"
    out = run(index, text)
    assert [(s.text, s.type) for s in out] == [("We will watch it closely.", "direct")]


def test_colon_after_reported_content_keeps_both(index: ActorIndex) -> None:
    text = "Lavrov said that the monitors were useless and added:\n“Nobody asked them to come.”"
    assert [s.type for s in run(index, text)] == ["indirect", "direct"]


def test_quote_after_the_statements_of_someone(index: ActorIndex) -> None:
    text = ("Baku's foreign ministry answered the statements of Ararat Mirzoyan that allegedly "
            "“Yerevan has waited a month for an answer”.")
    out = run(index, text)
    assert [(s.text, s.speaker) for s in out if s.type == "direct"] == [
        ("Yerevan has waited a month for an answer", "Ararat Mirzoyan")]


def test_byline_role_takes_the_person_named_below(index: ActorIndex) -> None:
    text = ("The shelling shows disregard for the mediators – MFA spokesperson\n"
            "Tigran Sargsyan, Armenian foreign ministry spokesperson, spoke to reporters on Friday.")
    out = run(index, text)
    assert [(s.speaker, s.actor, s.rule) for s in out][:1] == [("Tigran Sargsyan", "AM", "byline")]


def test_after_x_said_with_a_longer_subject(index: ActorIndex) -> None:
    text = "The remarks came after Fidan said the two special envoys could meet within weeks."
    assert [s.speaker for s in run(index, text)] == ["Hakan Fidan"]


def test_reports_that_needs_an_actor(index: ActorIndex) -> None:
    assert [s.speaker for s in run(index, "Azerbaijan's Defence Ministry reports that the army returned fire.")] == [
        "Azerbaijan’s Defence Ministry".replace("’", "'")]
    assert run(index, "Interfax reports that a delegation visited Baku on Monday.") == []


def test_in_his_words(index: ActorIndex) -> None:
    text = "Lavrov spoke in Moscow on Friday. In his words, outside players have no place in the region."
    assert [(s.speaker, s.rule) for s in run(index, text)] == [("Sergey Lavrov", "according-to")]


def test_called_with_quoted_words_only(index: ActorIndex) -> None:
    assert who(index, "Aliyev called the Senate vote “a farce”.") == [("Ilham Aliyev", "AZ", "mixed")]
    assert run(index, "Aliyev called Pashinyan on Tuesday about the border.") == []


def test_indefinite_role_is_someone_new(index: ActorIndex) -> None:
    text = "“We back the talks without reservation,” said a Dutch government spokesperson on Monday."
    assert who(index, text) == [("Dutch government spokesperson", None, "direct")]


def test_dash_turn_and_the_reports_inside_it(index: ActorIndex) -> None:
    text = ("Badalyan – The Government has said more than once that it has no wish to escalate. "
            "We expect the same from our neighbours.")
    out = run(index, text)
    found = {(s.speaker, s.type, s.rule) for s in out}
    assert ("Ani Badalyan", "direct", "turn") in found
    assert any(sp == "Government" and t == "indirect" for sp, t, _ in found)


def test_dateline_dash_is_no_turn(index: ActorIndex) -> None:
    text = "YEREVAN – The border commissions met again on Friday, officials said."
    assert all(s.rule != "turn" for s in run(index, text))


def test_speech_noun_before_the_main_speaker(index: ActorIndex) -> None:
    text = ("Despite assurances by Fidan that the border would open soon, Mirzoyan said no date had been set.")
    assert [(s.text, s.speaker) for s in run(index, text)] == [
        ("the border would open soon", "Hakan Fidan"), ("Mirzoyan said no date had been set.", "Ararat Mirzoyan")]


@pytest.mark.parametrize(("text", "n"), [
    ("As Lavrov put it, the region needs no outside players.", 1),
    ("The region, as Lavrov said, needs no outside players.", 1),
    ("Pashinyan appointed Kostanyan as Deputy Foreign Minister.", 0),
])
def test_as_x_put_it_but_not_appointed_as(index: ActorIndex, text: str, n: int) -> None:
    assert len(run(index, text)) == n


def test_possessive_is_no_subject(index: ActorIndex) -> None:
    assert run(index, "The plan ignores Baku’s repeated demands for a land route.") == []


def test_pronoun_after_a_new_subject_means_that_subject(index: ActorIndex) -> None:
    text = ("“We will keep our promises,” Barrot said.\n"
            "Last week, Russian Foreign Minister Sergei Lavrov travelled to Yerevan.\n"
            "“Such partners raise questions,” he said.")
    assert [s.speaker for s in run(index, text)] == ["Jean-Noël Barrot", "Sergey Lavrov"]


def test_agent_after_by_is_no_subject(index: ActorIndex) -> None:
    text = ("The reply reported by Mirzoyan came after President Ilham Aliyev cancelled the meeting in Brussels.\n"
            "He complained that the format had been changed without him.")
    assert [s.speaker for s in run(index, text)] == ["Ilham Aliyev"]


def test_us_is_not_we(index: ActorIndex) -> None:
    text = "US Secretary of State Marco Rubio, who hosted the talks, said the deal was historic."
    assert who(index, text) == [("Marco Rubio", "US", "indirect")]


@pytest.mark.parametrize(("text", "speaker", "actor"), [
    ("Iran's ambassador to Armenia, Reza Mousavi, said Tehran opposed any change of borders.", "Reza Mousavi", "IR"),
    ("The Russian ambassador to Azerbaijan said the peacekeepers had done their job.",
     "Russian ambassador to Azerbaijan", "RU"),
    ("An Iranian Foreign Ministry spokesman said the corridor was a red line.",
     "Iranian Foreign Ministry spokesman", "IR"),
])
def test_envoys_and_unnamed_officials(index: ActorIndex, text: str, speaker: str, actor: str) -> None:
    assert who(index, text) == [(speaker, actor, "indirect")]


def test_name_particles_stay_in_the_speaker_phrase(index: ActorIndex) -> None:
    assert who(index, "The analyst Anna van Dijk said the deal was fragile.") == [("Anna van Dijk", None, "indirect")]


def test_according_to_an_unnamed_source(index: ActorIndex) -> None:
    assert who(index, "The mission will stay, according to a diplomatic source.") == [
        ("diplomatic source", None, "indirect")]


def test_quote_left_open_runs_into_the_next_paragraph(index: ActorIndex) -> None:
    text = "“There will be no corridor through our land.\n“Armenia will control its roads,” Pashinyan said."
    assert [(s.text, s.speaker) for s in run(index, text)] == [
        ("There will be no corridor through our land.", "Nikol Pashinyan"),
        ("Armenia will control its roads", "Nikol Pashinyan")]


def test_it_refers_to_the_office_opening_the_sentence_before(index: ActorIndex) -> None:
    text = "The Armenian Foreign Ministry issued a statement on Friday. It said the shelling was a provocation."
    assert who(index, text) == [("Armenian Foreign Ministry", "AM", "indirect")]


def test_both_is_no_name(index: ActorIndex) -> None:
    assert [s.speaker for s in run(index, "Both Baku and Yerevan said progress had been made.")] == [
        "Both Baku and Yerevan"]


def test_interview_answer_is_the_interviewee(index: ActorIndex) -> None:
    text = ("Aykhan Hajizada answered questions from local media.\n"
            "Question: What do you make of the latest remarks from Yerevan?\n"
            "Answer: Let me say first that the proposals were sent two weeks ago, not yesterday.")
    out = run(index, text)
    assert [(s.speaker, s.type, s.rule) for s in out] == [("Aykhan Hajizada", "direct", "turn")]
    assert out[0].text.startswith("Let me say first")


def test_she_skips_a_male_speaker_in_between(index: ActorIndex) -> None:
    text = ("Kallas said the monitors would stay through the winter. Lavrov said that was a provocation. "
            "She replied that the mission carried no weapons.")
    assert [s.speaker for s in run(index, text)] == ["Kaja Kallas", "Sergey Lavrov", "Kaja Kallas"]


def test_the_spokeswoman_is_the_last_woman_named(index: ActorIndex) -> None:
    text = ("After Lavrov returned from Baku, Zakharova briefed reporters. "
            "The spokeswoman said the talks on the railway would resume soon.")
    assert who(index, text) == [("Maria Zakharova", "RU", "indirect")]


def test_a_role_before_any_name_skips_capitalised_words_of_no_actor(index: ActorIndex) -> None:
    text = ("The press secretary recalled that the talks would resume in spring.\n"
            "Nothing has been heard from the OSCE Minsk Group since then.\n"
            "“We are still waiting for a date,” says Lilit Hovhannisyan.")
    assert who(index, text) == [("Lilit Hovhannisyan", "AM", "indirect"), ("Lilit Hovhannisyan", "AM", "direct")]


@pytest.mark.parametrize(("text", "quote"), [
    ("Bayramov spoke in Baku on Monday. He linked the delay to Yerevan’s position, which he described as "
     "“a step back from Prague.”",
     "a step back from Prague."),
    ("“The road will open this year,” Bayramov said in a speech in which he described the blockade as “absurd”.",
     "absurd"),
])
def test_which_he_described_as_quotes_the_speaker(index: ActorIndex, text: str, quote: str) -> None:
    assert (quote, "Jeyhun Bayramov", "direct") in [(s.text, s.speaker, s.type) for s in run(index, text)]


# ---------------------------------------------------------------- speech embedded in a relative clause


@pytest.mark.parametrize(("text", "outer", "inner"), [
    ("Moscow insists that any settlement must rest on the November statement, which it says remains the only "
     "binding text.",
     "Moscow insists that any settlement must rest on the November statement", "remains the only binding text"),
    ("Mirzoyan said Yerevan would not sign the new customs protocol, the legality of which he said was doubtful "
     "at best.",
     "Mirzoyan said Yerevan would not sign the new customs protocol", "was doubtful at best"),
    ("Bayramov said the talks were held up by a clause that he claims had long been dropped by both sides.",
     "Bayramov said the talks were held up by a clause", "had long been dropped by both sides"),
])
def test_speech_in_a_relative_clause_is_a_second_statement(index: ActorIndex, text: str, outer: str, inner: str) -> None:
    out = run(index, text)
    assert [s.text for s in out] == [outer, inner]
    assert len({(s.speaker, s.actor) for s in out}) == 1 and out[1].type == "indirect"


def test_a_named_speaker_in_a_relative_clause(index: ActorIndex) -> None:
    text = "Bayramov said the talks stalled over the railway, which Mirzoyan says runs through Armenian land."
    assert [(s.text, s.speaker) for s in run(index, text)] == [
        ("Bayramov said the talks stalled over the railway", "Jeyhun Bayramov"),
        ("runs through Armenian land", "Ararat Mirzoyan")]
    # the named speaker in passing is no antecedent: "he" in the next sentence is still Bayramov
    assert run(index, text + " He added that the talks would resume.")[-1].speaker == "Jeyhun Bayramov"


def test_a_relative_clause_between_commas_ends_before_the_main_verb(index: ActorIndex) -> None:
    text = "The road, which Bayramov says will open in May, crosses three districts."
    assert [(s.text, s.speaker) for s in run(index, text)] == [("will open in May", "Jeyhun Bayramov")]


@pytest.mark.parametrize("text", [
    "Aliyev spoke about the plan which he said nothing about last year.",
    "It was the first time that Lavrov said anything about the route.",
    "Lavrov said the agreement that they said this was about had never been drafted.",
    "Lavrov said that what they said was a lie.",
    "Lavrov denounced what he said were provocations on the border.",
    "The Russian Foreign Ministry published the draft, which it said would be signed in May.",
    "Under the deal, which Lavrov said would be signed soon, the border will open, Bayramov said.",
])
def test_no_embedded_statement_without_the_form(index: ActorIndex, text: str) -> None:
    assert all(s.rule != "relative-speech" for s in run(index, text))
    assert len(run(index, text)) <= 1


# ---------------------------------------------------------------- one verb, two quotes


def test_one_verb_two_quotes_joined_by_and(index: ActorIndex) -> None:
    text = ("In a joint statement, the Russian Foreign Ministry said “the parties reviewed the draft of the border "
            "protocol” and “agreed to keep the working group in session until the spring” at its current level.")
    out = run(index, text)
    assert [(s.text, s.type) for s in out] == [
        ("the parties reviewed the draft of the border protocol", "direct"),
        ("“agreed to keep the working group in session until the spring” at its current level", "mixed")]
    assert {s.speaker for s in out} == {"Russian Foreign Ministry"}


def test_one_verb_two_quotes_that_and_that(index: ActorIndex) -> None:
    text = "Lavrov said that “the parties reviewed the draft protocol” and that “nothing else is on the table.”"
    assert [(s.text, s.type) for s in run(index, text)] == [
        ("the parties reviewed the draft protocol", "direct"), ("nothing else is on the table.", "direct")]


@pytest.mark.parametrize("text", [
    "Lavrov criticised “unilateral steps taken by Baku” and “provocations of the Armenian side” in his speech.",
    "Lavrov said “yes” and “no” to the plans.",
    "Lavrov said “the parties reviewed the draft protocol” and the talks would go on.",
])
def test_two_quotes_that_stay_one_statement(index: ActorIndex, text: str) -> None:
    assert [s.type for s in run(index, text)] == ["mixed"]


# ---------------------------------------------------------------- a speaker named inside another speaker's quote


def test_as_my_colleague_said_inside_a_quote(index: ActorIndex) -> None:
    text = ("“We welcome the progress in the talks. As my colleague Sergey Lavrov said, the border commissions "
            "should meet again before the summer. That is what we expect,” Bayramov said.\n"
            "“The next round is for Yerevan to host,” he added.")
    out = run(index, text)
    assert [(s.speaker, s.type) for s in out] == [("Jeyhun Bayramov", "direct"), ("Sergey Lavrov", "indirect"),
                                                 ("Jeyhun Bayramov", "direct")]
    assert out[1].text == "the border commissions should meet again before the summer"


@pytest.mark.parametrize("text", [
    "“As I said, the format is alive and working well,” Bayramov said.",
    "“As the minister said, the format is alive and well,” Bayramov said.",
    "“As you know, the format is alive and well,” Bayramov said.",
    "“Everything happened as Lavrov said, and we are ready,” Bayramov said.",
    "“As Bayramov said, the format is alive and well,” Bayramov said.",
])
def test_no_report_inside_a_quote_without_a_named_other_speaker(index: ActorIndex, text: str) -> None:
    assert [s.speaker for s in run(index, text)] == ["Jeyhun Bayramov"]


# ---------------------------------------------------------------- a quote split by "he said": two statements

FIRST, SECOND = "We will not accept any new preconditions", "The text of the treaty is ready for signing."


@pytest.mark.parametrize("text", [
    f"“{FIRST},” Mirzoyan said. “{SECOND}”",
    f"“{FIRST},” Mirzoyan said, “{SECOND}”",
    f"“{FIRST},” Mirzoyan said, adding: “{SECOND}”",
    f"“{FIRST},” Mirzoyan said, and added: “{SECOND}”",
    f"“{FIRST},” Mirzoyan said.\n“{SECOND}”",
    f"“{FIRST},” said Armenian Foreign Minister Ararat Mirzoyan. “{SECOND}”",
    f"Mirzoyan spoke in Yerevan on Monday. “{FIRST},” he said. “{SECOND}”",
    f"“{FIRST},” Mirzoyan said. “{SECOND[:-1]},” he added.",
])
def test_a_split_quote_gives_two_direct_statements(index: ActorIndex, text: str) -> None:
    out = run(index, text)
    assert [(s.speaker, s.type) for s in out][-2:] == [("Ararat Mirzoyan", "direct")] * 2
    assert out[-2].text == FIRST and out[-1].text.startswith(SECOND[:-1])


@pytest.mark.parametrize(("text", "second", "type_"), [
    (f"“{FIRST},” Mirzoyan said, noting that “the text of the treaty is ready for signing.”",
     "the text of the treaty is ready for signing.", "direct"),
    (f"“{FIRST},” Mirzoyan said, and added that the text of the treaty was ready.",
     "the text of the treaty was ready.", "indirect"),
    (f"“{FIRST},” Mirzoyan said, before adding that the text of the treaty was ready.",
     "the text of the treaty was ready.", "indirect"),
])
def test_a_quote_and_what_the_speaker_went_on_to_say(index: ActorIndex, text: str, second: str, type_: str) -> None:
    out = run(index, text)
    assert [(s.text, s.speaker, s.type) for s in out] == [
        (FIRST, "Ararat Mirzoyan", "direct"), (second, "Ararat Mirzoyan", type_)]


@pytest.mark.parametrize(("text", "quotes"), [
    ("The Russian Foreign Ministry commented on the remarks of Bayramov that allegedly \"Moscow has blocked the "
     "talks on the railway for months,\" as well as about \"the withdrawal of the peacekeepers\", TASS reports.",
     ["Moscow has blocked the talks on the railway for months", "the withdrawal of the peacekeepers"]),
    ("Bayramov told reporters: “Moscow has blocked the talks on the railway for months” and “nobody in Baku "
     "will accept that.”",
     ["Moscow has blocked the talks on the railway for months", "nobody in Baku will accept that."]),
])
def test_a_quote_joined_to_a_direct_quote_is_direct_too(index: ActorIndex, text: str, quotes: list[str]) -> None:
    assert [(s.text, s.speaker, s.type) for s in run(index, text)] == [(q, "Jeyhun Bayramov", "direct") for q in quotes]


# ---------------------------------------------------------------- a reported clause, then a quote


@pytest.mark.parametrize("text", [
    "Lavrov said the talks would resume in May, adding: “We are ready to host the next round in Moscow.”",
    "Lavrov said the talks would resume in May: “We are ready to host the next round in Moscow.”",
    "Lavrov told reporters that the talks would resume in May and said: “We are ready to host the next round in Moscow.”",
])
def test_a_reported_clause_before_the_quote_is_a_statement_too(index: ActorIndex, text: str) -> None:
    assert [(s.text, s.speaker, s.type) for s in run(index, text)] == [
        ("the talks would resume in May", "Sergey Lavrov", "indirect"),
        ("We are ready to host the next round in Moscow.", "Sergey Lavrov", "direct")]


@pytest.mark.parametrize("text", [
    "Lavrov told reporters in Moscow on Monday: “We are ready to host the next round.”",
    "Lavrov said in a statement posted on the ministry's website on Monday: “We are ready to host the next round.”",
    "Lavrov, speaking after the talks, said: “We are ready to host the next round.”",
])
def test_an_introduction_before_the_quote_is_no_statement(index: ActorIndex, text: str) -> None:
    assert [s.type for s in run(index, text)] == ["direct"]


def test_relative_speech_after_a_quote(index: ActorIndex) -> None:
    text = "“We are ready to host the next round,” Lavrov said of the talks, which he said would resume in May."
    assert [(s.text, s.speaker, s.type) for s in run(index, text)] == [
        ("We are ready to host the next round", "Sergey Lavrov", "direct"),
        ("would resume in May", "Sergey Lavrov", "indirect")]
    assert len(run(index, "“We are ready to host the next round,” said Lavrov, who he said was tired.")) == 1


@pytest.mark.parametrize("text", [
    "“We are ready,” Lavrov said, while Bayramov said Baku would host the talks.",
    "“We are ready,” Lavrov said, and Bayramov said Baku would host the talks.",
    "“We are ready,” Lavrov said; Bayramov said Baku would host the talks.",
])
def test_a_quote_then_another_speakers_clause(index: ActorIndex, text: str) -> None:
    out = run(index, text)
    assert [(s.speaker, s.type) for s in out] == [("Sergey Lavrov", "direct"), ("Jeyhun Bayramov", "indirect")]
    assert out[1].text.endswith("Baku would host the talks.")


def test_a_quote_and_he_added_that(index: ActorIndex) -> None:
    text = "“We are ready,” Lavrov said, and he added that Baku would host the talks."
    assert [(s.text, s.speaker) for s in run(index, text)] == [
        ("We are ready", "Sergey Lavrov"), ("Baku would host the talks.", "Sergey Lavrov")]


def test_a_document_cue_after_a_comma_is_no_second_speaker(index: ActorIndex) -> None:
    text = "France welcomed the new round of talks on the border, the Foreign Ministry said in a statement."
    assert len(run(index, text)) == 1


@pytest.mark.parametrize("text", [
    "Mirzoyan dismissed the claim.",
    "The Azerbaijani Foreign Ministry denied that, however.",
    "Lavrov rejected the accusations in a statement on Tuesday.",
    "Bayramov repeated this precondition in his speech at the summit earlier in the day.",
    "The Kremlin denied it outright.",
])
def test_a_speech_act_whose_only_object_points_back_is_no_statement(index: ActorIndex, text: str) -> None:
    assert run(index, text) == []


@pytest.mark.parametrize(("text", "said"), [
    ("Lavrov denied the claim that Moscow had armed Baku.", "Lavrov denied the claim that Moscow had armed Baku."),
    ("The Russian Foreign Ministry rejected the accusations in a statement, saying they were false.",
     "The Russian Foreign Ministry rejected the accusations in a statement, saying they were false."),
    ("Russia disagrees, Lavrov said.", "Russia disagrees, Lavrov said."),
    ("The border is calm, and Yerevan wants it to stay so, Mirzoyan said this week.",
     "The border is calm, and Yerevan wants it to stay so, Mirzoyan said this week."),
])
def test_an_object_with_words_of_its_own_stays_a_statement(index: ActorIndex, text: str, said: str) -> None:
    assert [s.text for s in run(index, text)] == [said]


@pytest.mark.parametrize(("text", "speaker"), [
    ("Secretary Blinken spoke with President Aliyev today to underscore that a durable peace requires dialogue.",
     "Antony Blinken"),
    ("Kallas met Foreign Minister Mirzoyan in Brussels to urge both sides to sign the treaty this year.", "Kaja Kallas"),
    ("Lavrov called his Azerbaijani counterpart to stress that Moscow remained ready to help.", "Sergey Lavrov"),
    ("Blinken encouraged both leaders to conclude the peace agreement without delay.", "Antony Blinken"),
])
def test_a_readouts_purpose_infinitive_of_speech(index: ActorIndex, text: str, speaker: str) -> None:
    assert [(s.speaker, s.type, s.text) for s in run(index, text)] == [(speaker, "indirect", text)]


@pytest.mark.parametrize("text", [
    "Secretary Blinken spoke with Prime Minister Pashinyan to reaffirm U.S. support for Armenia's sovereignty.",
    "Lavrov travelled to Baku to discuss the border talks with his counterpart.",
    "The commission encourages the parties to build on the momentum.",
])
def test_a_purpose_infinitive_with_an_object_alone_is_no_statement(index: ActorIndex, text: str) -> None:
    assert run(index, text) == []


@pytest.mark.parametrize("verb", [
    "reminded that", "specified that", "clarified that", "hinted that", "observed that", "mentioned that",
    "signalled that", "made it clear that", "did not rule out that", "is of the opinion that", "thinks that",
    "considers that", "was quoted by TASS as saying that", "was cited by the Interfax news agency as saying",
    "continues to insist that",
])
def test_more_verbs_of_saying(index: ActorIndex, verb: str) -> None:
    text = f"Zakharova {verb} the talks on the border would resume in Moscow."
    assert [(s.speaker, s.actor, s.type) for s in run(index, text)] == [("Maria Zakharova", "RU", "indirect")]


@pytest.mark.parametrize("text", [
    "Lavrov mentioned that issue during the talks in Baku.",
    "Zakharova thinks about the talks in Baku.",
])
def test_a_verb_of_saying_without_a_that_clause_is_no_statement(index: ActorIndex, text: str) -> None:
    assert run(index, text) == []


@pytest.mark.parametrize("text", [
    "A statement by the Iranian Foreign Ministry said Tehran opposed any change of borders.",
    "A statement issued by the Iranian Foreign Ministry said Tehran opposed any change of borders.",
])
def test_a_document_by_an_institution_is_the_institutions(index: ActorIndex, text: str) -> None:
    assert [(s.speaker, s.actor) for s in run(index, text)] == [("Iranian Foreign Ministry", "IR")]


@pytest.mark.parametrize(("text", "speaker"), [
    ("Lavrov's remarks that the West was undermining the talks drew a sharp response from Yerevan.", "Sergey Lavrov"),
    ("Araghchi's statement that Iran would not tolerate border changes was welcomed in Yerevan.", "Abbas Araghchi"),
])
def test_a_possessors_words_that(index: ActorIndex, text: str, speaker: str) -> None:
    assert [(s.speaker, s.rule) for s in run(index, text)] == [(speaker, "speech-noun")]
    assert run(index, "Lavrov's remarks drew a sharp response from Yerevan.") == []


def test_naming_verbs_that_are_never_a_phone_call(index: ActorIndex) -> None:
    for verb in ("termed", "dubbed"):
        text = f"Araghchi {verb} the agreement a threat to regional stability."
        assert [(s.speaker, s.type) for s in run(index, text)] == [("Abbas Araghchi", "indirect")]


@pytest.mark.parametrize("after", [
    "These were the words of Lavrov at the briefing.", "That is how Lavrov described the situation.",
    "This is how Sergei Lavrov commented on the EU decision.",
])
def test_a_quote_claimed_by_the_sentence_after_it(index: ActorIndex, after: str) -> None:
    text = f"“The West wants to drive us out of the Caucasus.” {after}"
    assert [(s.speaker, s.type, s.text) for s in run(index, text)] == [
        ("Sergey Lavrov", "direct", "The West wants to drive us out of the Caucasus.")]


@pytest.mark.parametrize("text", [
    "The US co-chair of the OSCE Minsk Group, Andrew Schofer, said the co-chairs were ready to help.",
    "The US co-chair, Andrew Schofer, said the co-chairs were ready to help.",
])
def test_a_co_chair_is_a_person_role(index: ActorIndex, text: str) -> None:
    assert [(s.speaker, s.actor) for s in run(index, text)] == [("Andrew Schofer", "US")]


@pytest.mark.parametrize(("text", "speaker"), [
    ("Zakharova was blunt: “The EU mission has no mandate.”", "Maria Zakharova"),
    ("Zakharova did not mince words: “The EU mission has no mandate.”", "Maria Zakharova"),
    ("Zakharova (quoted by TASS): “The EU mission has no mandate.”", "Maria Zakharova"),
    ("The Russian Foreign Ministry issued a statement: “The EU mission has no mandate.”", "Russian Foreign Ministry"),
])
def test_a_quote_after_a_colon_is_the_subjects(index: ActorIndex, text: str, speaker: str) -> None:
    assert [(s.speaker, s.type, s.text) for s in run(index, text)] == [
        (speaker, "direct", "The EU mission has no mandate.")]


def test_a_colon_after_a_subject_of_no_actor_gives_nothing(index: ActorIndex) -> None:
    assert run(index, "The weather was cold and the roads were closed: “Nobody could travel.”") == []


@pytest.mark.parametrize("join", [
    " and warned that", ", but stressed that", "; he also stressed that", ", noting that", ", while stressing that"])
def test_a_second_verb_of_speech_with_its_own_clause(index: ActorIndex, join: str) -> None:
    text = f"Lavrov said the talks had stalled{join} the West was to blame for the delay."
    out = run(index, text)
    assert [(s.speaker, s.text) for s in out] == [
        ("Sergey Lavrov", "Lavrov said the talks had stalled"), ("Sergey Lavrov", "the West was to blame for the delay.")]


def test_two_clauses_of_one_verb_stay_one_statement(index: ActorIndex) -> None:
    for text in ("Lavrov said the talks had stalled and that the West was to blame.",
                 "Araghchi said Iran supported the talks but opposed the presence of foreign forces."):
        assert len(run(index, text)) == 1


@pytest.mark.parametrize("verb", [
    "was adamant that", "is hopeful that", "is concerned that", "was optimistic that", "is worried that",
    "retorted that", "countered that", "doubted that", "raised concerns that", "shared his view that"])
def test_a_stance_stated_with_an_adjective_or_a_noun(index: ActorIndex, verb: str) -> None:
    text = f"Lavrov {verb} the talks on the border would resume in Moscow."
    assert [(s.speaker, s.type) for s in run(index, text)] == [("Sergey Lavrov", "indirect")]


def test_assessed_is_speech_only_with_as(index: ActorIndex) -> None:
    assert [s.speaker for s in run(index, "Lavrov assessed the talks as constructive.")] == ["Sergey Lavrov"]
    assert run(index, "Lavrov assessed the damage after the shelling.") == []


@pytest.mark.parametrize("verb", [
    "was reported as saying that", "is reported to have said that", "went as far as to say that",
    "made it clear to his counterpart that"])
def test_the_report_of_a_report(index: ActorIndex, verb: str) -> None:
    text = f"Lavrov {verb} the talks on the border would resume in Moscow."
    assert [(s.speaker, s.type) for s in run(index, text)] == [("Sergey Lavrov", "indirect")]


@pytest.mark.parametrize("cue", ["he went on", "the minister continued", "he concluded"])
def test_a_quote_then_went_on_or_continued(index: ActorIndex, cue: str) -> None:
    text = f"Lavrov said the talks had stalled. “We have done everything we could to help,” {cue}."
    assert [(s.type, s.speaker, s.text) for s in run(index, text)][-1] == (
        "direct", "Sergey Lavrov", "We have done everything we could to help")


def test_continued_without_a_quote_is_no_speech(index: ActorIndex) -> None:
    assert run(index, "Lavrov continued his visit to Baku on Tuesday.") == []


@pytest.mark.parametrize("title", [
    "The chairman of the State Duma's international affairs committee",
    "The commander of Iran's ground forces",
    "The head of the Duma committee on CIS affairs",
])
def test_a_long_title_then_the_officials_name(index: ActorIndex, title: str) -> None:
    names = {"Iran": ("Kiumars Heydari", "IR"), "CIS": ("Leonid Kalashnikov", "RU")}
    name, actor = next((v for k, v in names.items() if k in title), ("Leonid Slutsky", "RU"))
    text = f"{title}, {name}, told reporters that Yerevan was making a mistake."
    assert [(sp, a) for sp, a, _ in who(index, text)] == [(name, actor)]


@pytest.mark.parametrize("verb", ["said", "told RIA Novosti"])
def test_the_subject_of_the_reported_clause_is_no_speaker(index: ActorIndex, verb: str) -> None:
    text = f"The deputy chairman of the parliament's foreign affairs panel, speaking on Monday, {verb} Armenia was wrong."
    assert all(a != "AM" for _, a, _ in who(index, text))


@pytest.mark.parametrize("clause", [
    "who met his Azerbaijani counterpart Jeyhun Bayramov on Monday",
    "speaking after talks with Jeyhun Bayramov",
])
def test_people_in_a_clause_about_the_speaker_are_not_the_speaker(index: ActorIndex, clause: str) -> None:
    text = f"The Iranian foreign minister, {clause}, said the region needed no outsiders."
    assert [(sp, a) for sp, a, _ in who(index, text)] == [("Iranian foreign minister", "IR")]


def test_a_name_in_the_appositive_still_names_the_speaker(index: ActorIndex) -> None:
    text = "The Iranian foreign minister, Abbas Araghchi, said the region needed no outsiders."
    assert [(sp, a) for sp, a, _ in who(index, text)] == [("Abbas Araghchi", "IR")]


@pytest.mark.parametrize("opening", ["during his talks with Mirzoyan", "after the meeting in Moscow"])
def test_a_second_speaker_inside_the_reported_clause(index: ActorIndex, opening: str) -> None:
    text = f"Lavrov said that {opening}, the Armenian minister had assured him that Yerevan valued the alliance."
    assert [(sp, a) for sp, a, _ in who(index, text)] == [("Sergey Lavrov", "RU")]
    text = "Lavrov said Moscow valued the alliance, the Armenian minister said Yerevan did too."
    assert [sp for sp, _, _ in who(index, text)] == ["Sergey Lavrov", "Armenian minister"]


@pytest.mark.parametrize("subject", ["Khamenei's official website", "Khamenei's office"])
def test_quoted_him_as_saying_is_the_subjects_owner(index: ActorIndex, subject: str) -> None:
    text = f'{subject} quoted him as saying: "The road will not be built while we oppose it."'
    assert [(sp, a, t) for sp, a, t in who(index, text)] == [("Ali Khamenei", "IR", "direct")]


@pytest.mark.parametrize("gap", ["\n", "\n\n"])
def test_a_label_paragraph_gives_the_next_its_speaker(index: ActorIndex, gap: str) -> None:
    text = (f"Russian Foreign Ministry spokeswoman Maria Zakharova:{gap}"
            "“Brussels has brought nothing to the region but new dividing lines.”\n"
            "The ministry did not say when the talks would resume.")
    assert who(index, text) == [("Maria Zakharova", "RU", "direct")]
    assert run(index, text)[0].text.startswith("Brussels has brought")


def test_a_label_of_nobody_gives_nothing(index: ActorIndex) -> None:
    text = "Background:\n“Brussels has brought nothing to the region but new dividing lines.”"
    assert who(index, text) == []


@pytest.mark.parametrize("later", [
    "“We have always stood with Yerevan,” Ambassador Alexei Petrov told reporters.",
    "Alexei Petrov, the Russian ambassador, later told reporters that Moscow had always stood with Yerevan.",
])
def test_a_role_with_nobody_before_is_the_person_named_later_with_it(index: ActorIndex, later: str) -> None:
    text = f"The Russian ambassador said Moscow was ready to help. {later}"
    assert [(sp, a) for sp, a, _ in who(index, text)] == [("Alexei Petrov", "RU")] * 2


def test_a_role_named_later_for_another_actor_stays_as_printed(index: ActorIndex) -> None:
    text = ("The Russian ambassador said Moscow was ready to help. "
            "“We are grateful,” Armenian Ambassador Gurgen Arsenyan told reporters.")
    assert [(sp, a) for sp, a, _ in who(index, text)] == [("Russian ambassador", "RU"), ("Gurgen Arsenyan", "AM")]


@pytest.mark.parametrize("printed", ["O’Brien", "O'Brien", "James O’Brien"])
def test_a_typographic_apostrophe_in_a_name(index: ActorIndex, printed: str) -> None:
    text = f"“We have made clear that the border must stay open,” {printed} said."
    assert who(index, text) == [("James O'Brien", "US", "direct")]


@pytest.mark.parametrize(("printed", "name", "actor"), [
    ("Hajizadeh", "Aykhan Hajizada", "AZ"), ("Alexey Overchuk", "Alexei Overchuk", "RU"),
    ("Massoud Pezeshkian", "Masoud Pezeshkian", "IR"), ("Anthony Blinken", "Antony Blinken", "US"),
])
def test_wire_spellings_of_officials(index: ActorIndex, printed: str, name: str, actor: str) -> None:
    text = f"“Our position on the talks has not changed at all,” {printed} said."
    assert who(index, text) == [(name, actor, "direct")]


@pytest.mark.parametrize("told", ["told him", "told the visiting minister", "told reporters"])
def test_met_and_told_someone_that(index: ActorIndex, told: str) -> None:
    text = f"Araghchi met the Armenian defence minister on Monday and {told} that regional disputes need regional answers."
    assert who(index, text) == [("Abbas Araghchi", "IR", "indirect")]


def test_a_quote_as_the_object_of_the_verb(index: ActorIndex) -> None:
    text = "Iranian Foreign Ministry urged “all outside powers to stay away from the talks between the neighbours.”"
    out = run(index, text)
    assert [(s.speaker, s.actor, s.type) for s in out] == [("Iranian Foreign Ministry", "IR", "direct")]
    assert out[0].text.startswith("all outside powers")


def test_a_long_title_with_a_preposition_before_the_officials_name(index: ActorIndex) -> None:
    text = ("The border can open this year, Türkiye's Special Envoy for Normalisation with Armenia Serdar Kılıç "
            "told reporters.")
    assert who(index, text) == [("Serdar Kılıç", "TR", "indirect")]
    text = "Both sides want peace, analysts in Georgia said in an interview."
    assert all(a != "GE" for _, a, _ in who(index, text))


@pytest.mark.parametrize(("document", "speaker", "actor"), [
    ("a statement from the U.S. Department of State", "U.S. Department of State", "US"),
    ("a statement by the Russian Foreign Ministry", "Russian Foreign Ministry", "RU"),
])
def test_a_statement_from_an_office_is_the_offices(index: ActorIndex, document: str, speaker: str, actor: str) -> None:
    text = f"“The talks were frank and useful,” according to {document}."
    assert who(index, text) == [(speaker, actor, "direct")]


def test_a_long_title_with_a_nationality_then_a_new_name(index: ActorIndex) -> None:
    text = "“The route will open soon,” the Turkish minister for transport, Abdulkadir Uraloglu, said at the ceremony."
    assert who(index, text) == [("Abdulkadir Uraloglu", "TR", "direct")]
    text = "“The route will open soon,” the minister for transport, Abdulkadir Uraloglu, said at the ceremony."
    assert who(index, text) == []  # no actor in the title, nobody configured: left to the rules that know more


def test_a_quote_closed_by_two_apostrophes(index: ActorIndex) -> None:
    text = "“We chose this document because both sides signed it long ago,’’ Mirzoyan explained."
    out = run(index, text)
    assert [(s.speaker, s.type, s.text) for s in out] == [
        ("Ararat Mirzoyan", "direct", "We chose this document because both sides signed it long ago")]


@pytest.mark.parametrize("verb", ["quotes", "quoted", "cites"])
def test_the_press_service_quotes_him_as_saying(index: ActorIndex, verb: str) -> None:
    text = f"“Cooperation in the region must grow,” Erdogan's press service {verb} him as saying."
    assert who(index, text) == [("Recep Tayyip Erdoğan", "TR", "direct")]


def test_asked_with_a_quote_is_a_question_of_the_subject_not_of_the_one_asked(index: ActorIndex) -> None:
    text = "Aliyev asked, “Who, if not the people of the region, should decide its future?”"
    assert who(index, text) == [("Ilham Aliyev", "AZ", "direct")]
    assert who(index, "Peskov was asked, “Will the president attend the summit?”") == []


@pytest.mark.parametrize("adverbial", ["in an interview with IRNA", "in a conversation with Sputnik Armenia",
                                       "at a meeting with the Azerbaijani Ambassador"])
def test_an_interview_with_a_named_outlet_between_subject_and_verb(index: ActorIndex, adverbial: str) -> None:
    text = f"Iran's Ambassador to Baku Mojtaba Demirchilou {adverbial} said that relations were improving."
    assert who(index, text) == [("Mojtaba Demirchilou", "IR", "indirect")]


@pytest.mark.parametrize(("text", "type_"), [
    ("Quoting Lavrov, TASS reported: “There is no alternative to the trilateral format.”", "direct"),
    ("Quoting Lavrov, TASS reported that there was no alternative to the trilateral format.", "indirect"),
    ("“There is no alternative to the trilateral format,” TASS reported, quoting Lavrov.", "direct"),
])
def test_the_outlet_quoting_someone_is_no_speaker(index: ActorIndex, text: str, type_: str) -> None:
    assert who(index, text) == [("Sergey Lavrov", "RU", type_)]


def test_citing_an_office(index: ActorIndex) -> None:
    text = "Citing the Iranian Foreign Ministry, IRNA said Tehran opposed the plan."
    assert who(index, text) == [("Iranian Foreign Ministry", "IR", "indirect")]


def test_a_report_in_the_past_perfect_is_no_antecedent(index: ActorIndex) -> None:
    text = ("Zakharova said Moscow would answer Kallas. The EU's top diplomat had said that Moscow was unreliable. "
            "“Brussels has no moral right to lecture anyone,” she said.")
    assert [sp for sp, _, t in who(index, text) if t == "direct"] == ["Maria Zakharova"]


def test_someones_words_as_the_object_are_no_antecedent(index: ActorIndex) -> None:
    text = ("Peskov was asked about Pashinyan's statement that Armenia would leave the bloc. "
            "“This is Armenia's sovereign choice,” he said.")
    assert [sp for sp, _, t in who(index, text) if t == "direct"] == ["Dmitry Peskov"]


def test_a_past_perfect_report_with_nobody_before_is_remembered(index: ActorIndex) -> None:
    text = "Lavrov had said that the talks would resume. He added that Moscow was ready to host them."
    assert [sp for sp, _, _ in who(index, text)] == ["Sergey Lavrov"] * 2


def test_a_straight_quote_inside_a_straight_quote(index: ActorIndex) -> None:
    text = '"They call it a "route for peace", but it leads to war," Velayati said.'
    out = run(index, text)
    assert [(s.speaker, s.type, s.text) for s in out] == [
        ("Ali Akbar Velayati", "direct", 'They call it a "route for peace", but it leads to war')]


@pytest.mark.parametrize("gap", ["\n", "\n\n"])
def test_a_quote_left_open_over_a_blank_line(index: ActorIndex, gap: str) -> None:
    text = (f"“We have warned our partners about the risks of this course many times.{gap}"
            "“The West wants to push Russia out of the region,” Zakharova said.")
    assert [(sp, t) for sp, _, t in who(index, text)] == [("Maria Zakharova", "direct")] * 2


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_a_quote_over_two_paragraphs_with_either_line_end(index: ActorIndex, newline: str) -> None:
    text = (f"“Work on the new road is going on day and night.{newline}{newline}"
            f"It will open next year, whatever our neighbours say,” Aliyev said in his address.")
    out = run(index, text)
    assert [(s.speaker, s.type) for s in out] == [("Ilham Aliyev", "direct")]


def test_the_country_an_envoy_is_sent_to_is_not_the_envoys(index: ActorIndex) -> None:
    text = ("EU ambassador to Armenia Paul Weber said the observers had seen fewer incidents. "
            "Asked about the mission's future, Weber said that was for the member states to decide.")
    assert [(sp, a) for sp, a, _ in who(index, text)] == [("Paul Weber", "EU")] * 2


def test_a_pronoun_after_a_sentence_opened_by_a_new_person(index: ActorIndex) -> None:
    text = ("Senator Tom Harris said he would oppose any repeal of the waiver.\n\n"
            "Representative Dana Whitfield struck a similar note. “Peace deals are welcome, but they do not erase "
            "the past,” she said in a statement.")
    assert [sp for sp, _, _ in who(index, text)] == ["Tom Harris", "Dana Whitfield"]


@pytest.mark.parametrize("inner", ["Putin informed Aliyev that", "Putin told Aliyev that", "Putin said"])
def test_according_to_x_y_said_is_xs_report(index: ActorIndex, inner: str) -> None:
    text = f"According to Ushakov, {inner} the investigation was nearly complete."
    assert [sp for sp, _, _ in who(index, text)] == ["Yuri Ushakov"]


def test_expressing_hope_that_after_the_subjects_clause(index: ActorIndex) -> None:
    text = "Sobhani referred to Mirzoyan's coming visit to Tehran, expressing hope that it would bring the two closer."
    assert who(index, text) == [("Mehdi Sobhani", "IR", "indirect")]


def test_believes_reports_only_before_its_speaker(index: ActorIndex) -> None:
    assert who(index, "A treaty is unlikely to be signed this year, believes Galuzin.") == [
        ("Mikhail Galuzin", "RU", "indirect")]
    assert who(index, "Galuzin believes Moscow and Baku can settle it.") == []


def test_a_role_means_the_person_of_its_actor_named_before(index: ActorIndex) -> None:
    text = ("Galuzin held consultations in Moscow with Iranian Deputy Foreign Minister Hamid Rezaei, the ministry said. "
            "Tehran wants no outsiders in the region, the Iranian diplomat told journalists after the meeting.")
    assert [(sp, a) for sp, a, _ in who(index, text)][-1] == ("Hamid Rezaei", "IR")


def test_a_role_not_in_the_earlier_persons_title_stays_as_printed(index: ActorIndex) -> None:
    text = ("Galuzin held consultations in Moscow with Iranian Deputy Foreign Minister Hamid Rezaei, the ministry said. "
            "Tehran wants no outsiders in the region, the Iranian ambassador told journalists after the meeting.")
    assert [(sp, a) for sp, a, _ in who(index, text)][-1] == ("Iranian ambassador", "IR")


@pytest.mark.parametrize(("speaker", "name", "actor"), [
    ("A senior commander of the Islamic Revolution Guards Corps", "senior commander of the Islamic Revolution Guards Corps", "IR"),
    ("Deputy Assistant Secretary of State Laura Mendez", "Laura Mendez", "US"),
    ("A senior administration official", "senior administration official", "US"),
    ("A State Duma deputy", "State Duma deputy", "RU"),
])
def test_institutions_that_name_their_actor(index: ActorIndex, speaker: str, name: str, actor: str) -> None:
    assert who(index, f"{speaker} said the route would be ready within two years.") == [(name, actor, "indirect")]


def test_a_headline_in_title_case_with_a_byline_is_no_statement(index: ActorIndex) -> None:
    text = "Department Press Briefing – Spokesperson Tammy Bruce\n\nThe briefing began at noon."
    assert who(index, text) == []


def test_a_role_owned_by_an_organisation_is_none_of_ours(index: ActorIndex) -> None:
    text = ("The bloc's doors remain open for Armenia, the organization's Secretary General said in Minsk.\n\n"
            "Kremlin spokesman Dmitry Peskov later told reporters that Moscow hoped Yerevan would return.")
    assert [(sp, a) for sp, a, _ in who(index, text)] == [("Secretary General", None), ("Dmitry Peskov", "RU")]


@pytest.mark.parametrize(("text", "speaker", "actor"), [
    ("A spokesman for President Putin said the Kremlin had no plans for a visit.", "spokesman for President Putin", "RU"),
    ("Kremlin spokesman Dmitry Peskov, aide to President Putin, said the Kremlin had no plans.", "Dmitry Peskov", "RU"),
    ("The treaty will wait, a senior aide to President Ilham Aliyev said on Monday. “The constitution comes first,” "
     "the aide, Hikmet Hajiyev, told reporters.", "Hikmet Hajiyev", "AZ"),
])
def test_the_official_a_role_serves_is_not_the_speaker(index: ActorIndex, text: str, speaker: str, actor: str) -> None:
    assert {(sp, a) for sp, a, _ in who(index, text)} == {(speaker, actor)}


@pytest.mark.parametrize("before", [
    "Peskov also touched upon the Washington summit.",
    "Lavrov was asked about the transit route.",
    "As for the monitors, Zakharova was blunt.",
    "Zakharova turned to the EU mission.\n\n",
])
def test_a_bare_quote_after_a_sentence_with_an_official_subject(index: ActorIndex, before: str) -> None:
    name = {"Pes": "Dmitry Peskov", "Lav": "Sergey Lavrov"}.get(before[:3], "Maria Zakharova")
    text = f"{before} “It is a project that has nothing to do with peace in the region.”"
    assert who(index, text) == [(name, "RU", "direct")]


def test_an_interview_question_after_the_introduction_is_nobodys(index: ActorIndex) -> None:
    text = ("Russian Deputy Foreign Minister Mikhail Galuzin answered our questions.\n\n"
            "— How would you describe the state of the talks on the treaty?\n\n"
            "— The text is largely agreed, and the rest can be settled with goodwill.")
    assert all(not t.endswith("?") for t in [s.text for s in run(index, text)])


@pytest.mark.parametrize(("header", "speaker", "actor"), [
    ("Independence Day\nPRESS STATEMENT\nMarco Rubio, Secretary of State\nSeptember 20, 2025", "Marco Rubio", "US"),
    ("Armenia: Statement by the High Representative on behalf of the EU on the border mission\nBrussels, 23.01.2025",
     "High Representative on behalf of the EU", "EU"),
    ("Armenia/Azerbaijan: Statement by the Spokesperson on the peace agreement\nBrussels, 09.08.2025",
     "European Union", "EU"),
    ("Remarks by President António Costa after his meeting with the Prime Minister of Armenia\nBrussels, 15 September 2025",
     "António Costa", "EU"),
])
def test_an_official_document_with_its_header_is_the_issuers(index: ActorIndex, header: str, speaker: str,
                                                             actor: str) -> None:
    text = (f"{header}\n\nThe border mission will continue its patrols for two more years. "
            "Both sides are encouraged to settle incidents through dialogue.\n\n"
            "We remain ready to support the normalisation process in every way we can.")
    out = run(index, text)
    assert {(s.speaker, s.actor) for s in out} == {(speaker, actor)}
    assert len(out) == 3  # third-person sentences one by one, a first-person paragraph whole
    assert not any("Statement by" in s.text or "PRESS" in s.text for s in out)


def test_a_header_naming_several_speakers_is_a_transcript_not_a_document(index: ActorIndex) -> None:
    text = ("Remarks by President Donald Trump, President Ilham Aliyev, and Prime Minister Nikol Pashinyan\n\n"
            "The ceremony began at noon in the East Room.")
    assert who(index, text) == []


def test_for_his_part_before_the_subject_and_a_second_verb(index: ActorIndex) -> None:
    text = ("Araghchi said Iran would not accept any change of borders. For his part, the Azerbaijani foreign "
            "minister pointed to growing transit and said that Baku valued the route through Iran.")
    assert [(sp, a) for sp, a, _ in who(index, text)] == [("Abbas Araghchi", "IR"), ("Azerbaijani foreign minister", "AZ")]


def test_transcript_turns_with_a_note_and_answers_over_several_paragraphs(index: ActorIndex) -> None:
    text = ("Question: Washington says it will guarantee the route. Your comment?\n\n"
            "Maria Zakharova: I have read these statements. The result of such guarantees is well known.\n\n"
            "Just last week a State Department spokesperson told journalists that the route was a commercial project.\n\n"
            "We call on our partners to be guided by their own interests.\n\n"
            "A.Araghchi (retranslated from Persian): Any change to the region's borders is a red line for us.")
    out = [(s.speaker, s.actor, s.type) for s in run(index, text) if not s.text.startswith("Question")]
    assert out == [("Maria Zakharova", "RU", "direct")] * 3 + [("Abbas Araghchi", "IR", "direct")]


@pytest.mark.parametrize("role", ["The EU's top diplomat", "The EU foreign policy chief"])
def test_the_eus_top_diplomat_is_its_high_representative(index: ActorIndex, role: str) -> None:
    text = f"{role} said the mission would stay. Kallas also met Mirzoyan in Brussels."
    assert who(index, text) == [("Kaja Kallas", "EU", "indirect")]
