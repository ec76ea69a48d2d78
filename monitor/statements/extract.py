"""Turn an item's text into statements: who said what, attributed to an actor.

Takes an item's text, the actor index and the feed's actor; gives the item's statements (``extract_statements``)
or, for training the second opinion, the rules' statements with every sentence unit and its features
(``unit_table``). This module holds one item's state (``_Item``), the unit pass that turns cues and quotes into
statements and the paragraph loop; the passes share that state through mixins.

The extractor is plain regular expressions over one item (vocabulary and patterns in
:mod:`monitor.statements.speech`, quotes and sentences in :mod:`monitor.statements.quotes`, people beyond the
configured officials in :mod:`monitor.statements.persons`, who is meant by a speaker phrase, pronoun or
role in :mod:`monitor.statements.speakers`, the cues of a unit in :mod:`monitor.statements.cues`, several
statements in one unit in :mod:`monitor.statements.several`, paragraph turns in :mod:`monitor.statements.turns`),
in these passes per paragraph:

0. turns and headlines: a paragraph "Speaker: words" or "Words – Speaker" is that speaker's;
1. quotes: every quote span in any common style (see :mod:`monitor.statements.quotes`);
2. sentence units: sentence boundaries outside quotes, skipping abbreviations and initials,
   so a quote of several sentences stays in one unit with its attribution;
3. cues: in each unit's *frame* (the unit with quotes blanked out) a reporting verb with its
   speaker before it ("Lavrov said"), after it ("said Lavrov"), "according to X", "X: “…”",
   "quoted X as saying", "…, who told …";
4. statements: substantial quotes near a cue are direct statements, a quote that continues
   the previous speaker ("…,” he said. “…”) is a split quote, a unit with a cue and no
   direct quote is reported speech (indirect, or mixed when it holds a partial quote), split
   into its clauses ("…, adding that …", "A, according to X, B", "…, while Y said …"); "X
   stated this" gives the units before it to X, and "– X said." the quote before it.
5. second opinion: a unit left unattributed that the learned model of
   :mod:`monitor.statements.second_opinion` calls a statement goes to the official named at its
   start, else to the last speaker before it (``rule="learned"``; off with ``second_opinion=False``).

A speaker phrase resolves to an actor through :class:`~monitor.statements.actors.ActorIndex`: an
official ("Sergey Lavrov", "Lavrov", "Pashinian"), a metonym ("Baku", "the Kremlin"), a role
of a configured official ("Azerbaijan's foreign minister"), a person introduced with a
nationality ("Turkish Foreign Minister Mevlut Cavusoglu", see :mod:`monitor.statements.persons`), an
office kept as printed ("her ministry", "Pashinyan's office"), or, for pronouns and roles
("he", "the spokeswoman"), the last named speaker of the item (the next one when none came
before). Text that only mentions an actor yields nothing for it. In a government feed
(``feed_actor``) every run of units not attributed to someone else becomes an official
statement of that actor.

``Statement.mentions`` lists the actors named in the span, in order, leaving out the words
of the speaker phrase itself: "Baku criticised Brussels" mentions EU only, while "Aliyev
said Azerbaijan would not wait" mentions AZ.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from monitor.records import Statement, StatementType
from monitor.statements.actors import ActorIndex
from monitor.statements.cues import Cue, CueReader
from monitor.statements.persons import build_people
from monitor.statements.quotes import Quote, find_quotes, paragraphs, split_units, strip_span
from monitor.statements.second_opinion import SecondOpinion, Unit, bundled, subject_official, unit_features
from monitor.statements.several import SeveralStatements, _clauses, outside_reported
from monitor.statements.speakers import Speaker
from monitor.statements.speech import (
    ANAPHOR,
    CONTENT,
    DESCRIBED_AS_END,
    DOCUMENTS,
    EMBED_WORDS,
    EMBEDDED_HINTS,
    FIRST_PERSON_WORD,
    GOES_ON,
    INSTITUTION_ROLES,
    MADE_REMARKS,
    OUTSIDE_ROLES,
    PERSON_ROLES,
    ROLE_MODIFIERS,
    STATED_BY,
    STATED_HOW,
    THAT,
    TITLE_WORDS,
    TWO_QUOTES,
    WENT_ON,
    verb_pattern,
)
from monitor.statements.turns import (
    _QUESTION,
    _dash_answer,
    _dash_turn,
    _label,
    _labelled,
    _quoted_reports,
    _turn,
    _unmarked_answer,
    document_issuer,
)

# ---------------------------------------------------------------- one item


class _Item(CueReader, SeveralStatements):
    """Extraction state for one item: its text, mentions and the speakers seen so far."""

    def __init__(self, item_id: str, text: str, index: ActorIndex, feed_actor: str | None, language: str | None,
                 verbs: re.Pattern[str]):
        self.item_id, self.text, self.index = item_id, text, index
        self.feed_actor, self.language, self.verbs = feed_actor, language, verbs
        self.mentions, self.people = build_people(text, index.find(text), index, TITLE_WORDS, OUTSIDE_ROLES,
                                                  _SPEAKING_ROLES)
        self.history: list[Speaker] = []
        self.statements: list[Statement] = []
        self.unit_no = 0
        self.unit_starts: list[int] = []
        self._pos = 0
        self._unit_start = self._pos_end = 0
        self.earlier: list[tuple[int, int, bool]] = []  # units said by nobody so far: start, end, quoted
        self.turn: Speaker | None = None  # speaker of the last "Name: words" paragraph
        self.pending: Speaker | None = None  # speaker of a unit ending "… told reporters:"
        self.last_unit_with_statement = -10

    # ------------------------------------------------------------ statements

    def add(self, a: int, b: int, sp: Speaker, type_: StatementType, rule: str, skip: tuple[int, int] = (0, 0),
            remember: bool = True) -> None:
        """A statement of ``sp`` (``remember=False``: a speaker named in passing, no antecedent for later pronouns)."""
        last = self.statements[-1] if self.statements else None
        if (type_ == "direct" and last is not None and last.type == "direct" and last.speaker == sp.name
                and not rule.startswith("turn") and not last.rule.startswith("turn")
                and last.actor == sp.actor and self.text[last.end : last.end + 1] not in _CLOSERS
                and _RUNS_ON.fullmatch(self.text, last.end, a)):
            # one quote over two paragraphs (the second opens with no mark of its own): one statement, as printed
            self.statements.pop()
            a, rule, skip = last.start, last.rule, (0, 0)
        self.statements.append(Statement(self.item_id, self.text[a:b], a, b, sp.name, sp.actor, type_, rule,
                                         self._names(a, b, skip), self.language))
        self.last_unit_with_statement = self.unit_no
        self.pending = None
        if remember and (not self.history or self.history[-1] != sp):
            self.history.append(sp)

    def _names(self, a: int, b: int, skip: tuple[int, int]) -> tuple[str, ...]:
        names: list[str] = []
        for m in self._in(a, b):
            if not (skip[0] <= m.start < skip[1]) and m.actor_id not in names:
                names.append(m.actor_id)
        return tuple(names)

    def unit(self, a: int, b: int, quotes: Sequence[Quote]) -> bool:
        """Statements of one sentence unit; ``False`` when the unit said nothing attributable."""
        text = self.text
        frame = text[a:b]
        for q in quotes:
            lo, hi = max(q.open, a), min(q.end, b)
            if hi > lo:
                frame = frame[: lo - a] + "\x00" * (hi - lo) + frame[hi - a :]
        cues = self.cues(a, frame)
        big = [q for q in quotes if q.words(text) >= 4 or text[q.inner_end - 1 : q.inner_end] in ".!?…"
               or self._stands_alone(a, frame, q) or _described_end(frame[: max(0, q.open - a)].rstrip())]
        direct = [q for q in big if self._is_direct(a, frame, q, quotes)]
        if direct and len(big) > len(direct):  # "“A,” as well as about “B”": a quote joined to a direct one is one too
            for q in big:
                if q not in direct and any(p.end <= q.open and _JOINED.fullmatch(frame, p.end - a, q.open - a) for p in direct):
                    direct.append(q)
            direct.sort(key=lambda q: q.open)
        bare = _WORDING.search(frame) is None
        if direct and cues:
            self._open_quote_before(direct[0], cues)
            if ":" in frame or "," in frame:
                self._report_before_quote(a, frame, direct[0], cues, quotes)
            prev_cue: Cue | None = None
            for q in direct:
                cue = min(cues, key=lambda c: c.start - q.end if c.start >= q.end else q.open - c.end + 1)
                rule = "quote-before-cue" if cue.start >= q.end else "quote-after-cue"
                if prev_cue is cue and rule == "quote-after-cue":
                    rule = "split-quote"
                self.add(q.inner_start, q.inner_end, cue.speaker, "direct", rule)
                prev_cue = cue
            rest = frame[prev_cue.end - a :] if prev_cue else ""
            more = ((GOES_ON.search(frame, prev_cue.end - a) if "," in rest else None)
                    or (WENT_ON.search(frame, prev_cue.end - a) if " and " in rest or "before " in rest else None)
                    ) if prev_cue else None
            if prev_cue is not None and more is not None:  # "“…,” X said, adding that …" / ", and added that …"
                later = [q for q in quotes if q.open >= a + more.end() and q not in direct]
                if not CONTENT.search(frame, more.end()) and len(later) == 1:  # ", adding that “…”"
                    self.add(later[0].inner_start, later[0].inner_end, prev_cue.speaker, "direct", "split-quote")
                elif CONTENT.search(frame, more.end()):
                    quoted = any(q.inner_start >= a + more.end() for q in quotes)
                    self.add(a + more.end(), b, prev_cue.speaker, "mixed" if quoted else "indirect", "said-that")
            elif prev_cue is not None and (other := self._other_speaker_after(a, frame, cues, direct, prev_cue)):
                span = strip_span(text, other[0], b)  # "“…,” X said, while Y said …": Y's clause
                if span is not None:
                    quoted = any(span[0] < q.inner_end and q.inner_start < span[1] for q in quotes)
                    self.add(*span, other[1].speaker, "mixed" if quoted else "indirect", other[1].rule,
                             (other[1].np_start, other[1].np_end))
            elif prev_cue is not None and any(map(frame.__contains__, EMBEDDED_HINTS)):  # "“…,” X said of the deal, which he said …"
                self._embedded(a, frame, quotes, prev_cue, len(self.statements))
            return True
        if direct and bare and self.last_unit_with_statement == self.unit_no - 1 and (self.pending or self.statements):
            last = self.statements[-1] if self.statements else None
            if self.pending is not None or last is None:
                sp, rule = self.pending or Speaker(None, None, False), "quote-after-cue"
                if self.pending is not None and last is not None:
                    self.statements.pop()  # the introduction is not a statement of its own
            else:
                sp = Speaker(last.speaker, last.actor, bool(self.history and self.history[-1].person))
                rule = "split-quote" if last.rule in ("quote-before-cue", "split-quote") else "quote-continued"
            for q in direct:
                self.add(q.inner_start, q.inner_end, sp, "direct", rule)
            return True
        if (direct and bare and self.earlier and self.last_unit_with_statement < self.unit_no - 1
                and len(self.unit_starts) > 1 and self.unit_starts[-2] == self.earlier[-1][0] and not self.earlier[-1][2]
                and all(text[q.open] in _QUOTE_MARKS for q in direct)  # not an interview's "— …?" turn
                and (sp := self._subject_of(*self.earlier[-1][:2])) is not None):
            for q in direct:  # "Zakharova was blunt. “They are spies, not monitors.”": the quote is the subject's
                self.add(q.inner_start, q.inner_end, sp, "direct", "quote-after-subject")
            return True
        if self.earlier and self.last_unit_with_statement < self.unit_no - 1 and self.earlier[-1][1] <= a and (
                (m := STATED_BY.match(frame)) is not None
                or (" made " in frame and (m := MADE_REMARKS.match(frame)) is not None)
                or ((" how " in frame or " words of " in frame) and (m := STATED_HOW.match(frame)) is not None)):
            g = "np2" if "np2" in m.re.groupindex and m.group("np2") else "np"
            sp = self.resolve(a + m.start(g), a + m.end(g))
            head = m.group(g).split()[-1]
            if sp is not None and sp.person and head in PERSON_ROLES and sp.name and sp.name.endswith(head) and (
                    later := self._cataphor("person")) is not None and later.actor == sp.actor:
                sp = later  # "The Iranian diplomat made the comments …" named in the next sentence ("… Kanaani added")
            if sp is not None and sp.actor is not None:
                # opening a paragraph, it reaches back over the paragraphs before ("… / … / This was reported by …")
                return self._said_before(sp, across=not text[:a].strip(" ") or text[:a].rstrip(" ")[-1] == "\n")
        if len(cues) > 1:
            cues = outside_reported(a, frame, cues)
        if cues and not bare and self._coordinated(a, b, frame, cues, quotes):
            return True
        if cues and not bare:
            cue = self._main_cue(cues)
            if cue is None:
                return False
            if ANAPHOR.match(text, cue.end) and self.earlier:
                return self._said_before(cue.speaker)
            rest = frame[cue.end - a :]
            colon = not quotes and rest.rstrip(" \x00").endswith(":") and len(rest.split()) <= 5 and not THAT.search(rest)
            if not CONTENT.search(frame[: cue.np_start - a] + frame[cue.np_end - a :].replace(text[cue.start : cue.end], "", 1)):
                after = [q for q in quotes if q.open >= cue.end]
                if after and cue.rule == "said-that" and len(after) == len(quotes):  # "X urged “all sides to …”"
                    for q in after:
                        self.add(q.inner_start, q.inner_end, cue.speaker, "direct", "quote-after-cue")
                    return True
                return self._closing_line(cue.speaker)
            if len(quotes) >= 2 and (two := TWO_QUOTES.match(frame, cue.end - a)) and self._two_quotes(a, b, frame, cue, quotes, two):
                return True
            unit_start = a
            a = self._speech_noun(a, frame, cue, quotes)
            first = len(self.statements)
            # in the background, the speaker is no antecedent for the pronouns after: a report in the past perfect
            # ("Kallas had said that …") or someone's words as the object of another ("Peskov was asked about
            # Pashinyan's statement that …")
            background = bool(self.history and self.history[-1] != cue.speaker and "had" in text[max(0, cue.start - 12) : cue.start]
                              and _PAST_PERFECT.search(text, max(unit_start, cue.start - 12), cue.start)) or (
                cue.rule == "speech-noun" and bool(CONTENT.search(text, unit_start, cue.np_start))
                and not text[unit_start : cue.np_start].strip().lower().startswith(("according", "in "))
                and self._subject_official(unit_start, cue.np_start))
            for pa, pb in _clauses(text, a, b, frame[a - self._unit_start :], cue):
                quoted = any(pa < q.inner_end and q.inner_start < pb for q in quotes)
                type_: StatementType = "mixed" if quoted else "indirect"
                self.add(pa, pb, cue.speaker, type_, "partial-quote" if quoted else cue.rule, (cue.np_start, cue.np_end),
                         remember=not background)
            if any(map(frame.__contains__, EMBEDDED_HINTS)):
                self._embedded(self._unit_start, frame, quotes, cue, first)
            if colon:  # "Lavrov told reporters:" stands for the quote that follows, if one does
                self.pending = cue.speaker
            return True
        if not bare and any(map(frame.__contains__, EMBEDDED_HINTS)):
            return self._embedded(a, frame, quotes, None, len(self.statements))
        return False

    def _subject_of(self, a: int, b: int) -> Speaker | None:
        """The configured official who is the subject of the unit ``text[a:b]`` (named before its verb, titles and
        an opening adverbial clause aside: "As for the monitors, Zakharova was blunt."), or None."""
        first = next((m for m in self.mentions if a <= m.start < b and m.kind == "official"), None)
        if first is None or self._after_preposition(first):
            return None
        lead = self.text[a : first.start]
        lead = lead[lead.rfind(",") + 1 :]
        if len(lead.split()) > 6 or not all(w[:1].isupper() or w.lower() in TITLE_WORDS for w in lead.split()):
            return None
        return Speaker(first.person, first.actor_id, True)

    def _subject_official(self, a: int, b: int) -> bool:
        """Whether a configured official opens ``text[a:b]`` (the subject of the unit, before someone else's words)."""
        return any(m.kind == "official" and not self.text[a : m.start].strip() and m.end <= b for m in self.mentions)

    def _open_quote_before(self, first: Quote, cues: Sequence[Cue]) -> None:
        """A paragraph that is one quote left open (the news convention for a quote running on into the
        next paragraph) belongs to the speaker of the quote that continues it."""
        if not self.earlier or self.last_unit_with_statement >= self.unit_no - 1:
            return
        ea, eb, quoted = self.earlier[-1]
        cue = min(cues, key=lambda c: abs(c.start - first.end))
        if not quoted or cue.start < first.end or self.text[eb:first.open].count("\n") not in (1, 2):
            return
        found = find_quotes(self.text, ea, eb)
        if len(found) == 1 and found[0].open == ea and found[0].end == eb and self.text[eb - 1] not in _CLOSERS:
            self.add(found[0].inner_start, found[0].inner_end, cue.speaker, "direct", "quote-before-cue")

    def _closing_line(self, sp: Speaker) -> bool:
        """"– Lavrov said." alone: the speaker of a quote in the unit just before, if nobody claimed it."""
        if self.earlier and self.earlier[-1][2] and self.last_unit_with_statement < self.unit_no - 1:
            ea, eb, _ = self.earlier[-1]
            for q in find_quotes(self.text, ea, eb):
                if q.words(self.text) >= 4:
                    self.add(q.inner_start, q.inner_end, sp, "direct", "quote-before-cue")
        return True

    def _said_before(self, sp: Speaker, across: bool = False) -> bool:
        """"X stated this": the unsaid units just before (same paragraph; ``across``: the paragraphs before too,
        one statement each) are X's indirect statement; a run that is one quote is X's direct statement."""
        a, b, quoted = self.earlier[-1]
        runs: list[tuple[int, int, bool]] = []
        for pa, pb, q in reversed(self.earlier[:-1]):
            if any(pa <= s.start < b for s in self.statements):
                break
            if self.text[pb:a].count("\n"):
                if not across:
                    break
                runs.append((a, b, quoted))
                b, quoted = pb, False
            a, quoted = pa, quoted or q
        if any(a <= s.start < b for s in self.statements):
            return False
        runs.append((a, b, quoted))
        for a, b, quoted in reversed(runs):
            found = find_quotes(self.text, a, b) if quoted else []
            if len(found) == 1 and _WORDING.search(self.text[a : found[0].open] + self.text[found[0].end : b]) is None:
                self.add(found[0].inner_start, found[0].inner_end, sp, "direct", "anaphora")
            else:
                self.add(a, b, sp, "mixed" if quoted else "indirect", "anaphora")
        return True

    def _stands_alone(self, a: int, frame: str, q: Quote) -> bool:
        """A short quote that opens the unit or follows a colon, and is closed by a comma: "“Ask Brussels,” she said"."""
        pre = frame[: max(0, q.open - a)].replace("\x00", " ").rstrip()
        closed_by_comma = "," in self.text[q.inner_end : q.end + 1]
        return (not pre or pre[-1] in ":—–") and (closed_by_comma or bool(pre))

    def _is_direct(self, a: int, frame: str, q: Quote, quotes: Sequence[Quote]) -> bool:
        """A quote that stands on its own (after a colon, comma or at the start), not inside a clause."""
        prev_end = max([p.end for p in quotes if p.end <= q.open] + [a])
        pre = frame[prev_end - a : max(0, q.open - a)].rstrip()
        if not pre.strip("\x00 "):
            return True
        first = self.text[q.inner_start : q.inner_start + 1]
        if pre[-1] in ":,—–;(" or _described_end(pre):
            return True
        last = pre.split()[-1].lower().strip(".’'")
        return first.isupper() and last not in EMBED_WORDS

    def _main_cue(self, cues: Sequence[Cue]) -> Cue | None:
        starts = min(self.unit_starts[-1:] or [0], default=0)
        subject = [c for c in cues if c.rule == "said-that" and not self.text[starts : c.np_start].strip(" ,")]
        parenthetical = [c for c in cues if c.rule == "according-to" and self.text[starts : c.start].rstrip().endswith(",")]
        lead = [c for c in cues if c.rule == "according-to" and not self.text[starts : c.start].strip()]
        if lead and any(c.rule == "said-that" and not self.text[lead[0].np_end : c.np_start].strip(" ,") for c in cues):
            return lead[0]  # "According to Ushakov, Putin told Aliyev that …": a report inside a report is the outer one's
        if subject and parenthetical:
            return subject[0]
        document = [c for c in cues if c.final and _is_document(self.text[c.np_start : c.np_end])]
        if subject and document and subject[0].speaker.person and subject[0] is not document[-1]:
            return subject[0]  # "The Secretary welcomed …, the readout said": the readout reports the Secretary
        for rule in ("final", "according-to", "colon-cue", "quoted-as"):
            found = [c for c in cues if (c.final if rule == "final" else c.rule == rule)]
            if found:
                return found[-1] if rule == "final" else found[0]
        return min(cues, key=lambda c: c.start)

    def official(self, runs: Sequence[tuple[int, int]], issuer: Speaker | None = None) -> None:
        """Press-release text not attributed to anyone else: official statements of the feed actor, or of the
        ``issuer`` of a document printed with its header (see :func:`monitor.statements.turns.document_issuer`)."""
        sp = issuer or self._feed_speaker()
        if sp is None:
            return
        for a, b in runs:
            self.add(a, b, sp, "official", "official-document" if issuer else "official-feed")


def extract_statements(
    item_id: str,
    text: str,
    index: ActorIndex,
    *,
    feed_actor: str | None = None,
    language: str | None = "en",
    reporting_verbs: Sequence[str] = (),
    second_opinion: SecondOpinion | bool = True,
) -> list[Statement]:
    """Statements said in ``text``, ordered by offset; deterministic for the same input.

    ``feed_actor`` marks a government feed: its own text is an official statement of that actor.
    ``reporting_verbs`` (base forms) extend the built-in list of verbs that introduce speech.
    ``second_opinion``: after the rules, units they left unattributed are offered to the learned model
    (:mod:`monitor.statements.second_opinion`; ``True`` the bundled one, ``False`` the rules alone).
    """
    item, units = _rules(item_id, text, index, feed_actor, language, reporting_verbs)
    if second_opinion is not False and feed_actor is None:
        _second_opinion(item, units, bundled() if second_opinion is True else second_opinion)
    _quoted_reports(item)
    return sorted(item.statements, key=lambda s: (s.start, s.end))


def unit_table(item_id: str, text: str, index: ActorIndex, *, feed_actor: str | None = None
               ) -> tuple[list[Statement], list[Unit], list[list[float]]]:
    """The rules' statements, the sentence units and every unit's second-opinion features (for training)."""
    item, units = _rules(item_id, text, index, feed_actor, "en", ())
    features = [unit_features(text, units, k, item.mentions, item.verbs) for k in range(len(units))]
    return sorted(item.statements, key=lambda s: (s.start, s.end)), units, features


def _rules(item_id: str, text: str, index: ActorIndex, feed_actor: str | None, language: str | None,
           reporting_verbs: Sequence[str]) -> tuple[_Item, list[Unit]]:
    """The rule passes over every paragraph; gives the item state and its units, marked attributed or not."""
    item = _Item(item_id, text, index, feed_actor, language, verb_pattern(tuple(sorted(set(reporting_verbs)))))
    spans: list[tuple[int, int, tuple[Quote, ...], bool]] = []
    question = False  # the paragraph before was a transcript question ("QUESTION: …", "Q: …")
    label: Speaker | None = None  # the paragraph before was only "Speaker:"; this one holds their words
    paras = paragraphs(text)
    # a transcript (a question paragraph somewhere): a turn runs on over the paragraphs after it that say nothing else
    transcript = "Q" in text and any(text[pa] == "Q" and _QUESTION.match(text, pa, pb) for pa, pb in paras)
    document = document_issuer(item) if feed_actor is None and "\n\n" in text[:400] else None
    for pa, pb in paras:
        if document is not None and pb <= document[0]:
            continue  # the document's header: its title, signer, place and date say nothing
        if question and _unmarked_answer(item, pa, pb):
            question = False
            continue
        question = text[pa] == "Q" and _QUESTION.match(text, pa, pb) is not None  # read as usual: it may report others
        if label is not None:
            _labelled(item, label, pa, pb)
            label = None
            continue
        if text[pb - 1] == ":" and (label := _label(item, pa, pb)) is not None:
            continue
        if _turn(item, pa, pb):
            continue
        if transcript and item.turn is not None and not question:  # an answer running on: all of it, what it
            item.add(pa, pb, item.turn, "direct", "turn-continued")  # reports of others included (the outer speaker's)
            continue
        if _dash_answer(item, pa, pb):
            continue
        if (turn := _dash_turn(item, pa, pb)) is not None:
            pa = turn  # the words after "Name –" are read as usual too: they may report others
        quotes = find_quotes(text, pa, pb)
        runs: list[tuple[int, int]] = []
        first_person = document is not None and FIRST_PERSON_WORD.search(text, pa, pb) is not None  # one statement
        before = len(item.statements)
        for ua, ub in split_units(text, pa, pb, quotes):
            item.unit_no += 1
            item.unit_starts.append(ua)
            inside = [q for q in quotes if q.open < ub and q.end > ua]
            spans.append((ua, ub, tuple(inside), ua == pa))
            said = item.unit(ua, ub, inside)
            if not said:
                item.earlier.append((ua, ub, bool(inside)))
            if said or (feed_actor is None and document is None):
                continue
            if runs and not text[runs[-1][1] : ua].strip() and (document is None or first_person):
                runs[-1] = (runs[-1][0], ub)
            else:
                runs.append((ua, ub))
        item.official(runs, document[1] if document is not None else None)
        if len(item.statements) == before and item.turn is not None and not question and (
                transcript or FIRST_PERSON_WORD.search(text, pa, pb)):
            item.add(pa, pb, item.turn, "direct", "turn-continued")
        else:
            item.turn = None
    units = [Unit(a, b, q, any(s.start < b and s.end > a for s in item.statements), first)
             for a, b, q, first in spans]
    return item, units


def _second_opinion(item: _Item, units: Sequence[Unit], model: SecondOpinion) -> None:
    """Units the rules left unattributed that the model calls statements (see :func:`learned_statements`)."""
    learned_statements(item, units, lambda k: model.probability(
        unit_features(item.text, units, k, item.mentions, item.verbs)) >= model.threshold)


def learned_statements(item: _Item, units: Sequence[Unit], accept: Callable[[int], bool]) -> None:
    """Unattributed units that ``accept`` (given the unit's index) takes become statements of the official named
    at the unit's start, else of the last speaker before it (nothing when there is neither)."""
    said = sorted(item.statements, key=lambda s: (s.start, s.end))
    for k, u in enumerate(units):
        if u.attributed:
            continue
        # who would speak is known before ``accept`` is asked; with nobody, a model need not be run
        m = subject_official(item.text, u, item.mentions)
        if m is not None and not item._after_preposition(m):
            sp = Speaker(m.person, m.actor_id, True)
        elif before := [s for s in said if s.end <= u.start]:
            sp = Speaker(before[-1].speaker, before[-1].actor, True)
        else:
            continue
        if accept(k):
            item.add(u.start, u.end, sp, "mixed" if u.quotes else "indirect", "learned")


def _is_document(phrase: str) -> bool:
    """Whether a speaker phrase is a bare document: "the readout", "the statement" (no issuer named)."""
    words = phrase.lower().split()
    return 1 <= len(words) <= 2 and words[-1] in DOCUMENTS and words[0] in ("the", "a", "its", words[-1])


_SPEAKING_ROLES = PERSON_ROLES | INSTITUTION_ROLES | ROLE_MODIFIERS  # roles that speak for an actor
_CLOSERS = "”\"’»›」"
# an unclosed quote's paragraph end and the next paragraph with no opening mark of its own (with one, the news
# convention of a quote running on, each paragraph is a statement)
_RUNS_ON = re.compile(r"[ \t\r]*\n\s*")  # "\r\n" line ends too
_QUOTE_MARKS = frozenset("“\"«„‘'")  # marks that open a quote (a dash opens an interview turn)
_PAST_PERFECT = re.compile(r"\bhad\s+(?:also\s+|earlier\s+|previously\s+)?$")  # "X had said": the verb's auxiliary
_WORDING = re.compile(r"[^\s\x00,.;:!?—–\-()]")  # a unit with none of these is bare: quotes and punctuation only
_JOINED = re.compile(r"\s*,?\s*(?:and|as\s+well\s+as)\s+(?:also\s+)?(?:about\s+|that\s+|on\s+)?")


def _described_end(pre: str) -> re.Match[str] | None:
    """DESCRIBED_AS_END, tried only where its literal "which"/"what" occurs."""
    return DESCRIBED_AS_END.search(pre) if "which" in pre or "what" in pre else None
