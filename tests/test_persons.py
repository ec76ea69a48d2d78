"""People beyond the configured officials: transliteration variants, namesakes, introductions, name form."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor import config
from monitor.statements.actors import ActorIndex
from monitor.statements.extract import extract_statements
from monitor.statements.given_names import given_name_actors
from monitor.statements.persons import gender_of

CONFIG = Path(__file__).resolve().parent.parent / "config"


@pytest.fixture(scope="module")
def index() -> ActorIndex:
    return ActorIndex.from_actors(config.load(CONFIG).actors)


def who(index: ActorIndex, text: str) -> list[tuple[str | None, str | None]]:
    return [(s.speaker, s.actor) for s in extract_statements("p", text, index)]


@pytest.mark.parametrize(("word", "official"), [
    ("Pashinian", "Nikol Pashinyan"), ("Pachinyan", "Nikol Pashinyan"), ("Aliev", "Ilham Aliyev"),
    ("Grigorian", "Armen Grigoryan"),
])
def test_transliteration_variants(index: ActorIndex, word: str, official: str) -> None:
    hit = index.fuzzy_official(word)
    assert hit is not None and hit[1] == official


@pytest.mark.parametrize("word", ["Aliyeva", "Macro", "Mirzayev", "Lavrova", "Baker", "Pashayan", "Erdogan"])
def test_unrelated_names_do_not_match(index: ActorIndex, word: str) -> None:
    assert index.fuzzy_official(word) is None


def test_variant_speaker_resolves_to_the_official(index: ActorIndex) -> None:
    assert who(index, "Pashinian said the border commission would meet again in spring.") == [
        ("Nikol Pashinyan", "AM")]


def test_another_first_name_is_a_namesake(index: ActorIndex) -> None:
    text = ("Deputy Prime Minister Mher Grigoryan said the working group had agreed its rules. "
            "Grigoryan added that the next round would take place in Moscow.")
    assert who(index, text) == [("Mher Grigoryan", "AM"), ("Mher Grigoryan", "AM")]


def test_an_acronym_title_is_no_other_given_name(index: ActorIndex) -> None:
    assert who(index, "HR/VP Borrell said the monitors would stay on the border.") == [("Josep Borrell", "EU")]


def test_first_name_spelled_another_way_is_the_same_person(index: ActorIndex) -> None:
    assert who(index, "Kaya Kallas said the monitors would stay on the border.") == [("Kaja Kallas", "EU")]


def test_introduced_person_keeps_the_actor_of_the_introduction(index: ActorIndex) -> None:
    text = ("Turkish Foreign Minister Selim Aksoy met his counterpart on Monday. "
            "Aksoy said the border could open within months.")
    assert who(index, text) == [("Selim Aksoy", "TR")]
    text = ("Karen Nazar, deputy foreign minister of Armenia, visited Paris. "
            "Nazar said the talks were bilateral.")
    assert who(index, text) == [("Karen Nazar", "AM")]


def test_outside_role_keeps_no_actor(index: ActorIndex) -> None:
    text = "Lilit Harutyunyan, an analyst at a Yerevan think tank, said the deal was fragile."
    assert who(index, text) == [("Lilit Harutyunyan", None)]


@pytest.mark.parametrize(("text", "actor"), [
    ("Lawmaker Gor Sahakyan said the vote would be postponed.", "AM"),
    ("MP Rauf Mammadaliyev said the resolution was biased.", "AZ"),
    ("Senator Ahmet Yılmazoğlu said Ankara would wait.", "TR"),
])
def test_surname_form_is_the_last_hint(index: ActorIndex, text: str, actor: str) -> None:
    assert [a for _, a in who(index, text)] == [actor]


def test_appositive_must_open_with_a_role(index: ActorIndex) -> None:
    text = ("According to MP Gunel Hasanzada, the vote shows that France wants to keep its influence. "
            "Hasanzada said the resolution would change nothing.")
    assert {a for _, a in who(index, text)} == {"AZ"}


def test_minister_title_joined_by_and_then_the_name(index: ActorIndex) -> None:
    text = "“We stand by Armenia,” said France’s Minister for Trade and Foreign Relations, Jean-Noël Barrot, in Yerevan."
    assert who(index, text) == [("Jean-Noël Barrot", "FR")]


@pytest.mark.parametrize(("name", "gender"), [
    ("Maria Zakharova", "f"), ("Zakharova", "f"), ("Tammy Bruce", "f"), ("Kaja Kallas", "f"),
    ("Sergey Lavrov", "m"), ("Nikita Petrov", "m"), ("Lavrov", None), ("Pashinyan", None),
])
def test_gender_shown_by_a_name(name: str, gender: str | None) -> None:
    assert gender_of(name) == gender


def test_former_role_in_titles_listed_before_the_name(index: ActorIndex) -> None:
    text = ("The vote was a mistake, former ambassador to Georgia, head of a research centre, "
            "chairman of the Turkish Caucasus Council Kemal Yildiz told reporters on Monday.\n"
            "According to Yildiz, the vote would change nothing.")
    assert who(index, text) == [("Kemal Yildiz", None), ("Kemal Yildiz", None)]


@pytest.mark.parametrize(("text", "actors"), [
    ("Hossein Karimian said on Monday that the transit route would stay open. Karimian added that talks would go on.",
     ["IR", "IR"]),
    ("Baku and Yerevan met again. Azerbaijan wants a treaty. "
     "Deputy Foreign Minister Andrei Sokolov said the talks in Baku had been useful.", ["RU"]),
    ("Russia and Russia again. Elnur Rustamov said that the border would be marked by spring.", ["AZ"]),
    ("Tehran hosted the meeting. Ali Hosseinian said that the region needed no outside players.", ["IR"]),
    ("Ali Hosseinian said that the region needed no outside players.", [None]),
])
def test_given_name_outranks_the_surname_form(index: ActorIndex, text: str, actors: list[str | None]) -> None:
    assert [a for _, a in who(index, text)] == actors


@pytest.mark.parametrize(("word", "actors"), [
    ("Hossein", {"IR"}), ("Andrey", {"RU"}), ("Mevlüt", {"TR"}), ("Jeyhun", {"AZ"}), ("Vahagn", {"AM"}),
    ("Ali", {"IR", "AZ", "TR"}), ("Karen", set()), ("John", set()),
])
def test_given_name_lists(word: str, actors: set[str]) -> None:
    assert given_name_actors(word) == actors


@pytest.mark.parametrize(("text", "speaker"), [
    ("Tayyip Erdogan said the border could open soon.", "Recep Tayyip Erdoğan"),  # a middle name
    ("Aleksey Overchuk said the railway would reopen.", "Alexei Overchuk"),  # ks/x, y/i
    ("Amir Abdollahian said the talks would resume.", "Hossein Amir-Abdollahian"),
])
def test_other_given_name_forms_of_an_official(index: ActorIndex, text: str, speaker: str) -> None:
    assert [s for s, _ in who(index, text)] == [speaker]


def test_evaluator_sees_a_middle_name_form_as_the_official(index: ActorIndex) -> None:
    assert index.person("Tayyip Erdogan", variants=True) == "Recep Tayyip Erdoğan"
    assert index.person("Mher Grigoryan", variants=True) is None


@pytest.mark.parametrize(("text", "speaker"), [
    # a -yev surname in a passage naming Azerbaijan, and a Russian given name: still neither country's
    ("Kazakh President Kassym-Jomart Tokayev said Astana was ready to host talks between Baku and Yerevan. "
     "Azerbaijan welcomed the offer.", "Kassym-Jomart Tokayev"),
    ("Belarusian President Alexander Lukashenko said Minsk would not take sides between Azerbaijan and Armenia.",
     "Alexander Lukashenko"),
    ("Kassym-Jomart Tokayev, the Kazakh president, said Astana was ready to host talks between Baku and Yerevan.",
     "Kassym-Jomart Tokayev"),
])
def test_a_person_of_a_country_that_is_no_actor_speaks_for_none(index: ActorIndex, text: str, speaker: str) -> None:
    assert who(index, text)[0] == (speaker, None)


def test_a_configured_nationality_still_decides(index: ActorIndex) -> None:
    # the same form with a configured actor's adjective, and a foreign word that is no nationality before a role
    assert who(index, "Georgian Prime Minister Irakli Kobakhidze said Tbilisi was ready to host the talks.")[0] == (
        "Irakli Kobakhidze", "GE")
    assert who(index, "Armenian Deputy Foreign Minister Vahan Kostanyan said the talks would resume.")[0] == (
        "Vahan Kostanyan", "AM")


def test_a_name_starts_at_its_given_name_after_the_tail_of_a_title(index: ActorIndex) -> None:
    # "… Co-Chairman of the Union of Elders of the Turkic World Hulusi Kilic": "Turkic World" is the title's
    text = ("The resolution is beyond logic, former ambassador and Co-Chairman of the Union of Elders of the Turkic "
            "World Hulusi Kilic told reporters. According to Kilic, the vote changes nothing.")
    assert [sp for sp, _ in who(index, text)] == ["Hulusi Kilic", "Hulusi Kilic"]


def test_the_word_before_a_surname_is_not_read_across_a_line_break() -> None:
    from monitor import config as _config
    from monitor.statements.actors import ActorIndex as _Index
    from monitor.statements.extract import extract_statements as _extract
    index = _Index.from_actors(_config.load(Path(__file__).resolve().parent.parent / "config").actors)
    text = ("The Supreme Leader received the Armenian prime minister in Tehran.\n\n"
            "Ayatollah Khamenei said that Iran regards Armenia's security as its own.")
    assert [(s.speaker, s.actor) for s in _extract("t", text, index)] == [("Ali Khamenei", "IR")]
