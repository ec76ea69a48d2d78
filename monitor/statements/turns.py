"""Paragraph-level forms: a paragraph that is one speaker's turn, and reports quoted inside a statement.

Takes the item being read (:class:`monitor.statements.extract._Item`) and one paragraph's span, and adds
the paragraph's statement when it is a turn: "Speaker: words" (an interview turn or a headline), a headline
"Words – Speaker", an interview turn "Name – words", an answer "— words" after a question "— …?", or an
answer with no label after a transcript question "Q: …" (``_QUESTION``); each gives whether it took the
paragraph (:func:`_dash_turn` where the turn's words start). :func:`_quoted_reports` runs last, over the
item's direct statements: "“As my colleague X said, …,” Y said" is also X's indirect statement.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from monitor.statements.quotes import find_quotes, strip_span
from monitor.statements.speakers import Speaker
from monitor.statements.speech import (
    BYLINE,
    DASH_TURN,
    PERSON_ROLES,
    QUOTED_REPORT,
    QUOTED_REPORT_HINTS,
    TURN,
    TURN_LABEL,
)

if TYPE_CHECKING:
    from monitor.statements.extract import _Item


def _quoted_reports(item: _Item) -> None:
    """"“… As my colleague X said, the time has come to sign. …,” Y said": besides Y's quote, the clause is an
    indirect statement of X (a named speaker only, up to the end of its sentence in the quote). Run last, so X is
    nobody's antecedent and no later sentence is given to X."""
    text = item.text
    for s in [s for s in item.statements if s.type == "direct"]:
        if not any(map(s.text.__contains__, QUOTED_REPORT_HINTS)):
            continue
        for m in QUOTED_REPORT.finditer(text, s.start, s.end):
            item._pos = item._unit_start = item._pos_end = m.start()
            sp = item.resolve(m.start("np"), m.end("np"))
            if sp is None or not sp.person or sp.actor is None or (sp.name, sp.actor) == (s.speaker, s.actor):
                continue
            stop = _SENTENCE_END.search(text, m.end(), s.end)
            span = strip_span(text, m.end(), stop.start() if stop else s.end)
            if span is not None and len(text[span[0] : span[1]].split()) >= 3:
                item.add(*span, sp, "indirect", "quoted-report", remember=False)


def _byline(item: _Item, pa: int, pb: int) -> bool:
    """A headline "Words – Speaker" (no closing period): the speaker's indirect statement."""
    if item.text[pb - 1] in ".!?”\"»":
        return False
    m = BYLINE.fullmatch(item.text, pa, pb)
    if m is None or len(m.group("np").split()) > 6 or not any(w[:1].islower() for w in m.group("body").split()):
        return False  # "Department Press Briefing – Spokesperson X": a title in capitals says nothing
    item._pos, item._unit_start, item._pos_end = pa, pa, pb
    sp = item.resolve(m.start("np"), m.end("np"))
    if (sp is None or sp.actor is None) and any(w.lower() in PERSON_ROLES for w in m.group("np").split()):
        item._pos_end = pb
        sp = item._cataphor("person")  # "… – MFA spokesperson": named in the article below
    if sp is None or sp.actor is None or not sp.person:
        return False
    item.add(pa, m.end("body"), sp, "indirect", "byline")
    return True


def _dash_turn(item: _Item, pa: int, pb: int) -> int | None:
    """An interview turn "Name – words": the words are the named person's direct statement; gives
    where the words start (``None`` when the paragraph is not such a turn; a dateline is not)."""
    m = DASH_TURN.match(item.text, pa, pb)
    if m is None or len(item.text[m.end() : pb].split()) < 6:
        return None
    item._pos, item._unit_start, item._pos_end = pa, pa, m.end()
    sp = item.resolve(m.start("np"), m.end("np"))
    if sp is None or not sp.person or sp.actor is None or not sp.name:
        return None
    item.add(m.end(), pb, sp, "direct", "turn")
    return m.end()


def _dash_answer(item: _Item, pa: int, pb: int) -> bool:
    """An interview answer printed as "— words" right after a question "— …?": a direct statement of the
    official the item introduced first (as "Answer: …" is). The next "— …?" is the interviewer's: skipped."""
    text = item.text
    if (m := _DASH_OPEN.match(text, pa, pb)) is None:
        return False
    before = text[:pa].rstrip()
    q_start = before.rfind("\n") + 1
    if q_start == 0 or _DASH_OPEN.match(before, q_start) is None:
        return False
    if text[:pb].rstrip().endswith("?"):
        return True  # the interviewer's next question, after an answer: nobody's statement
    if not before.endswith("?"):
        return False
    first = next((x for x in item.mentions if x.kind == "official" and x.start < q_start), None)
    if first is None or len(text[m.end() : pb].split()) < 4:
        return False
    item.add(m.end(), pb, Speaker(first.person, first.actor_id, True), "direct", "turn")
    return True


def _unmarked_answer(item: _Item, pa: int, pb: int) -> bool:
    """An answer printed with no label right after a question "Q: …": a direct statement of the official the
    item introduced first (as "Answer: …" is). A labelled turn ("MR. PRICE: …", "A: …") is read as a turn."""
    text = item.text
    if TURN.match(text, pa, pb) or _DASH_OPEN.match(text, pa, pb) or len(text[pa:pb].split()) < 4:
        return False
    first = next((x for x in item.mentions if x.kind == "official" and x.start < pa), None)
    if first is None:
        return False
    item.add(pa, pb, Speaker(first.person, first.actor_id, True), "direct", "turn")
    return True


def _label(item: _Item, pa: int, pb: int) -> Speaker | None:
    """A paragraph that is only a speaker and a colon ("Foreign Ministry spokeswoman Maria Zakharova:"): the person
    whose words the next paragraph prints (``None`` when the paragraph is no such label)."""
    text = item.text
    if text[pb - 1] != ":" or (m := TURN_LABEL.fullmatch(text, pa, pb)) is None or len(m.group("np").split()) > 8:
        return None
    item._pos, item._unit_start, item._pos_end = pa, pa, pb
    sp = item.resolve(m.start("np"), m.end("np"))
    return sp if sp is not None and sp.person and sp.actor is not None and sp.name else None


def _labelled(item: _Item, sp: Speaker, pa: int, pb: int) -> None:
    """The paragraph after a label: its quote (or, unquoted, all of it) is the labelled speaker's direct statement."""
    found = find_quotes(item.text, pa, pb)
    if len(found) == 1 and not item.text[pa : found[0].open].strip() and len(item.text[found[0].end : pb].strip()) <= 1:
        item.add(found[0].inner_start, found[0].inner_end, sp, "direct", "turn")
    else:
        item.add(pa, pb, sp, "direct", "turn")
    item.turn = sp


def _turn(item: _Item, pa: int, pb: int) -> bool:
    """A paragraph "Speaker: words" (an interview turn or a headline) is that speaker's direct statement.

    A role with no name ("France FM:") takes the first official of that actor named later in the item.
    """
    m = TURN.match(item.text, pa, pb)
    if m is None or len(m.group("np").split()) > 8 or len(item.text[m.end() : pb].split()) < 4:
        return _byline(item, pa, pb)
    item._pos, item._unit_start, item._pos_end = pa, pa, m.end()
    if m.group("np") in ("Answer", "A"):  # an interview answer: the official the item introduced first
        first = next((x for x in item.mentions if x.kind == "official" and x.start < pa), None)
        if first is None:
            return False
        item.add(m.end(), pb, Speaker(first.person, first.actor_id, True), "direct", "turn")
        return True
    sp = item.resolve(m.start("np"), m.end("np"))
    named = bool(sp and sp.person and sp.name and sum(w[:1].isupper() for w in sp.name.split()) >= 2)
    if sp is None or (sp.actor is None and not named):
        return False
    if any(w.lower() in PERSON_ROLES for w in (sp.name or m.group("np")).split()):  # "France FM:", not "ANKARA:"
        later = [x for x in item.mentions if x.kind == "official" and x.actor_id == sp.actor and x.start >= pb]
        if later:
            sp = Speaker(later[0].person, sp.actor, True)
    end = pb
    while end > m.end() and item.text[end - 1] in " -—–":
        end -= 1
    item.add(m.end(), end, sp, "direct", "turn")
    item.turn = sp
    return True


# a journalist's question in a transcript: "QUESTION: …", "Question (to both ministers): …", "Q: …", "Q    …"
_QUESTION = re.compile(r"(?:QUESTION|Question|Q)(?:\s*\([^)\n]{0,60}\))?(?:\s*:|\s{2,}|\.\s)")
_DASH_OPEN = re.compile(r"[—–-]\s+")  # a paragraph opening with a dash: an interview turn
_SENTENCE_END = re.compile(r"[.!?…](?=\s|$)")


def document_issuer(item: _Item) -> tuple[int, Speaker] | None:
    """An official document printed with its header ("PRESS STATEMENT / Marco Rubio, Secretary of State", "Armenia:
    Statement by the High Representative on behalf of the EU on …", "Remarks by President António Costa after …"):
    where the header ends and who issued the text below it, whose sentences are the issuer's own words. None for any
    other text, and for headers naming several speakers (a transcript, read by its turns)."""
    text = item.text
    end = text.find("\n\n")
    if end < 0 or end > 400:
        return None
    header = text[:end]
    if not any(map(header.__contains__, _HEADER_WORDS)):
        return None
    found = _SIGNED.search(header) or _ISSUED.search(header)
    if found is None or " and " in found.group("np") or found.group("np").count(",") > 0:
        return None
    item._pos, item._unit_start, item._pos_end = found.start("np"), found.start("np"), end
    sp = item.resolve(found.start("np"), found.end("np"))
    if sp is not None and sp.actor is None:
        sp = None
    if sp is None:  # "Statement by the Spokesperson" dated "Brussels, …": the actor of the place it is issued in
        place = _DATELINE.search(header)
        actors = {m.actor_id for m in item.mentions if place and place.start("place") <= m.start < place.end("place")}
        if len(actors) != 1:
            return None
        actor = actors.pop()
        sp = Speaker(item.index.name_of(actor), actor, False)
    return end, sp


_HEADER_WORDS = ("STATEMENT", "REMARKS", "Statement by", "Remarks by", "Declaration by")  # one must be in a header
# a header line "PRESS STATEMENT" or "REMARKS" with the signer on the next line: "Marco Rubio, Secretary of State"
_SIGNED = re.compile(r"^(?:PRESS\s+STATEMENT|REMARKS|STATEMENT)\s*\n(?P<np>[^,\n]{3,60}?),[^\n]*$", re.MULTILINE)
# "Statement by the High Representative on behalf of the EU on …", "Remarks by President X after …"
_ISSUED = re.compile(r"(?:^|:\s+)(?:Joint\s+)?(?:Press\s+)?(?:Statement|Remarks|Declaration)\s+by\s+"
                     r"(?P<np>.+?(?:\s+on\s+behalf\s+of\s+the\s+\S+)?)"
                     r"(?=\s+(?:on|after|following|at|to|before|regarding|about)\s|\s*$)", re.MULTILINE)
_DATELINE = re.compile(r"^(?P<place>[A-Z][\w .'\-]{2,30}),\s+\d", re.MULTILINE)  # "Brussels, 09.08.2025"

