"""A floor on the team's register set: wire, readout and briefing English of Russian, Iranian, US and EU speakers.

``tests/data/extraction_registers.jsonl`` was written by the team from general knowledge of how TASS/Interfax
wires, IRNA-style reports, State Department readouts and briefings, and EEAS statements read (spokespersons,
deputies, envoys, institutions, unnamed officials with a nationality, continuations by pronoun or role); no
sentence is taken from a real article. The rules fixed on it each have a unit test in ``tests/test_extract.py``.
"""

from __future__ import annotations

from pathlib import Path

from monitor.statements.actors import ActorIndex
from monitor.statements.extraction_eval import evaluate_extraction, load_rows

DATA = Path(__file__).resolve().parent / "data" / "extraction_registers.jsonl"

# reached when set (fifth pass): 70 passages, 157 statements, attribution F1 0.991 (P 0.987, R 0.994);
# on its first 55 passages 0.929 before the pass's rules
FLOOR_F1 = 0.96


def test_register_set_size_and_types() -> None:
    rows = load_rows(DATA)
    kinds = [g["type"] for r in rows for g in r["statements"]]
    assert len(rows) >= 40 and len(kinds) >= 120
    assert {"direct", "indirect", "mixed"} <= set(kinds)
    for r in rows:
        for g in r["statements"]:
            assert r["text"][g["start"] : g["end"]] == g["text"], (r["id"], g["text"])


def test_attribution_floor_on_the_register_set(settings) -> None:  # type: ignore[no-untyped-def]
    result = evaluate_extraction(load_rows(DATA), ActorIndex.from_actors(settings.actors))
    assert result["attribution"]["f1"] >= FLOOR_F1, result["attribution"]
    assert result["span_overlap"]["f1"] >= 0.95, result["span_overlap"]


HARD = Path(__file__).resolve().parent / "data" / "extraction_registers_hard.jsonl"
# ``extraction_registers_hard.jsonl`` (sixth pass), also team-written: several speakers of different actors in one
# passage, long titles and appositions, unnamed roles, indirect speech dominant ("in X's opinion", "X, in turn,
# thanked … and said", ", with X saying"), continuations across sentences, institutions and metonyms.
# 44 passages, 134 statements; the fifth pass's extractor scores 0.888 on it, the sixth pass's 0.970 (P 0.963,
# R 0.978). Seventh pass: 9 passages more (53 passages, 155 statements: speech nouns "assurances from X that",
# "gave assurances that", "X's position is that", "continues to express its …", "calls/qualified … as",
# interview answers under an introduction ("Answer:" and "— …" after "— …?"), a pronoun for the subject of an
# earlier sentence opened by an adverbial); the sixth pass's extractor scores 0.934 on the grown set, the seventh
# pass's 0.974 (P 0.968, R 0.981).
HARD_FLOOR_F1 = 0.93


def test_hard_register_set_size_and_types() -> None:
    rows = load_rows(HARD)
    kinds = [g["type"] for r in rows for g in r["statements"]]
    assert len(rows) >= 30 and len(kinds) >= 100
    assert {"direct", "indirect", "mixed"} <= set(kinds)
    assert len({g["actor"] for r in rows for g in r["statements"]}) >= 6
    for r in rows:
        for g in r["statements"]:
            assert r["text"][g["start"] : g["end"]] == g["text"], (r["id"], g["text"])


def test_attribution_floor_on_the_hard_register_set(settings) -> None:  # type: ignore[no-untyped-def]
    result = evaluate_extraction(load_rows(HARD), ActorIndex.from_actors(settings.actors))
    assert result["attribution"]["f1"] >= HARD_FLOOR_F1, result["attribution"]


THIRD = Path(__file__).resolve().parent / "data" / "extraction_registers_3.jsonl"
# ``extraction_registers_3.jsonl`` (eighth pass), team-written, following the real set's span and speaker conventions:
# briefing and Kremlin transcripts ("MS. ORTAGUS:", "SPOKESPERSON ZAKHAROVA:", "V. Putin:", "Q    …", answers running
# over several paragraphs), questions that report others, answers with no label under an introduction, the speaker
# named after the statement ("X made the remarks …", "These remarks were made by …", "X said this at …", "This was
# reported to TASS by a source …"), "the source said", role nouns referring back ("the top diplomat", "Moscow's
# envoy", "The Secretary"), headlines, several speakers of different actors, wire idioms ("drew attention to the fact
# that", "went on to note"). 63 passages, 159 statements; the seventh pass's extractor scores 0.883 on it, the eighth
# pass's 0.978 (P 0.969, R 0.987).
THIRD_FLOOR_F1 = 0.96


def test_third_register_set_size_and_types() -> None:
    rows = load_rows(THIRD)
    kinds = [g["type"] for r in rows for g in r["statements"]]
    assert len(rows) >= 60 and len(kinds) >= 150
    assert {"direct", "indirect", "mixed"} <= set(kinds)
    assert len({g["actor"] for r in rows for g in r["statements"]}) >= 6
    for r in rows:
        for g in r["statements"]:
            assert r["text"][g["start"] : g["end"]] == g["text"], (r["id"], g["text"])


def test_attribution_floor_on_the_third_register_set(settings) -> None:  # type: ignore[no-untyped-def]
    result = evaluate_extraction(load_rows(THIRD), ActorIndex.from_actors(settings.actors))
    assert result["attribution"]["f1"] >= THIRD_FLOOR_F1, result["attribution"]


FOURTH = Path(__file__).resolve().parent / "data" / "extraction_registers_4.jsonl"
# ``extraction_registers_4.jsonl`` (ninth pass), team-written in the registers of `b`'s speakers' sources and annotated
# to the real set's conventions (speech acts with no reported clause are no statement, a report inside a report is
# the outer speaker's): Russian and Iranian agency English (datelines, "the diplomat said", "according to him",
# readouts of calls, IRGC and Duma titles, analysts' "…, believes X") and US and EU sources (briefing transcripts,
# readouts, wires with unnamed officials, members of Congress, EU envoys "to Armenia"). 90 passages, 226 statements;
# the eighth pass's extractor scores 0.843 on it, the ninth pass's 0.911 (P 0.874, R 0.951). What is left is mostly
# the convention on speech acts with an object only ("Rubio welcomed the agreement"), which the extractor keeps for
# the stance they carry.
FOURTH_FLOOR_F1 = 0.89


def test_fourth_register_set_size_and_spans() -> None:
    rows = load_rows(FOURTH)
    kinds = [g["type"] for r in rows for g in r["statements"]]
    assert len(rows) >= 90 and len(kinds) >= 220
    assert {"direct", "indirect", "mixed"} <= set(kinds)
    for r in rows:
        for g in r["statements"]:
            assert r["text"][g["start"] : g["end"]] == g["text"], (r["id"], g["text"])


def test_attribution_floor_on_the_fourth_register_set(settings) -> None:  # type: ignore[no-untyped-def]
    result = evaluate_extraction(load_rows(FOURTH), ActorIndex.from_actors(settings.actors))
    assert result["attribution"]["f1"] >= FOURTH_FLOOR_F1, result["attribution"]


FIFTH = Path(__file__).resolve().parent / "data" / "extraction_registers_5.jsonl"
# ``extraction_registers_5.jsonl`` (ninth pass), team-written long wire stories (3–6 paragraphs) with speakers of
# several actors each, in the real set's conventions: pronouns and roles reaching back over another named person,
# speakers named after their first quote, past-perfect background reports, reporters' questions, unnamed sources,
# reports inside reports. 30 passages, 161 statements; the eighth pass's extractor scores 0.905 on it, the ninth
# pass's 0.923. Most of what is left is the convention on speech acts with an object only (kept, see register set 4).
FIFTH_FLOOR_F1 = 0.90


def test_fifth_register_set_size_and_spans() -> None:
    rows = load_rows(FIFTH)
    assert len(rows) >= 30 and sum(len(r["statements"]) for r in rows) >= 150
    for r in rows:
        assert len({g["actor"] for g in r["statements"]}) >= 2, r["id"]  # several actors in every story
        for g in r["statements"]:
            assert r["text"][g["start"] : g["end"]] == g["text"], (r["id"], g["text"])


def test_attribution_floor_on_the_fifth_register_set(settings) -> None:  # type: ignore[no-untyped-def]
    result = evaluate_extraction(load_rows(FIFTH), ActorIndex.from_actors(settings.actors))
    assert result["attribution"]["f1"] >= FIFTH_FLOOR_F1, result["attribution"]


SIXTH = Path(__file__).resolve().parent / "data" / "extraction_registers_6.jsonl"
# ``extraction_registers_6.jsonl`` (ninth pass), team-written official texts of `b`'s speakers as printed with their
# headers, in the real set's conventions: Russian MFA and Kremlin transcripts (answers over several paragraphs,
# labels with notes and initials "S.V. Lavrov:"), MFA releases in the third person, Iranian readouts and the Leader's
# speeches as the agencies give them; State Department press statements and briefings, EEAS statements ("Statement by
# the High Representative on behalf of the EU …"), European Council remarks, joint statements. 70 passages, 260
# statements; the eighth pass's extractor scores 0.741 on it, the ninth pass's 0.906.
SIXTH_FLOOR_F1 = 0.89


def test_sixth_register_set_size_and_spans() -> None:
    rows = load_rows(SIXTH)
    assert len(rows) >= 70 and sum(len(r["statements"]) for r in rows) >= 250
    for r in rows:
        for g in r["statements"]:
            assert r["text"][g["start"] : g["end"]] == g["text"], (r["id"], g["text"])


def test_attribution_floor_on_the_sixth_register_set(settings) -> None:  # type: ignore[no-untyped-def]
    result = evaluate_extraction(load_rows(SIXTH), ActorIndex.from_actors(settings.actors))
    assert result["attribution"]["f1"] >= SIXTH_FLOOR_F1, result["attribution"]
