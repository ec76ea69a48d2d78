"""Turn an item's text into statements: who said what, attributed to an actor.

Long on purpose (over 400 lines): the passes share one item's state (``_Item``); vocabulary, quotes, people and speakers are already split out.

The extractor is plain regular expressions over one item (vocabulary and patterns in
:mod:`monitor.statements.speech`, quotes and sentences in :mod:`monitor.statements.quotes`, people beyond the
configured officials in :mod:`monitor.statements.persons`, who is meant by a speaker phrase, pronoun or
role in :mod:`monitor.statements.speakers`), in these passes per paragraph:

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
from collections.abc import Sequence
from dataclasses import dataclass, replace

from monitor.records import Statement, StatementType
from monitor.statements.actors import ActorIndex
from monitor.statements.persons import build_people
from monitor.statements.quotes import Quote, find_quotes, paragraphs, split_units, strip_span
from monitor.statements.second_opinion import SecondOpinion, Unit, bundled, subject_official, unit_features
from monitor.statements.speakers import Speaker, SpeakerResolver
from monitor.statements.speech import (
    ACCORDING,
    ANAPHORIC_OBJECT,
    ACCORDING_HINTS,
    ADVERBIAL_END,
    ANAPHOR,
    AND_SAID,
    APPOSITIVE_END,
    BYLINE,
    CLAUSE_BLOCKERS,
    CLAUSE_VERBS,
    COLON_CUE,
    CONTENT,
    COORDINATION,
    DASH_TURN,
    DESCRIBED_AS,
    DESCRIBED_AS_END,
    DOCUMENTS,
    EMBED_WORDS,
    EMBEDDED,
    EMBEDDED_HINTS,
    FIRST_PERSON_WORD,
    GOES_ON,
    IN_HIS_HINTS,
    IN_HIS_WORDS,
    INSTITUTION_ROLES,
    INTERJECTION,
    LEAD_STOP,
    LEAD_TAIL,
    MADE_REMARKS,
    NP_AT_END,
    NP_AT_START,
    OBJECT,
    OUTSIDE_ROLES,
    PURPOSE_SPEECH,
    PERSON_ROLES,
    POSITION_HINTS,
    POSITION_IS,
    QUOTED_AS,
    QUOTED_REPORT,
    QUOTED_REPORT_HINTS,
    RESUMED,
    ROLE_MODIFIERS,
    SAYING,
    SPEECH_NOUN,
    STATED_BY,
    THAT,
    THAT_OR_CLAUSE,
    TIME_BLOCKERS,
    TITLE_WORDS,
    TURN,
    TWO_QUOTES,
    WENT_ON,
    WHO_AND_END,
    WHO_END,
    WITH_SAYING,
    WORD,
    WORDS_OF,
    WORDS_OF_HINTS,
    verb_pattern,
)

# ---------------------------------------------------------------- records of one pass


@dataclass(frozen=True, slots=True)
class Cue:
    """An attribution cue in a unit: the verb (or phrase) span, the speaker phrase span."""

    start: int
    end: int
    np_start: int
    np_end: int
    speaker: Speaker
    rule: str
    final: bool = False


# ---------------------------------------------------------------- one item


class _Item(SpeakerResolver):
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

    # ------------------------------------------------------------ cues

    def cues(self, a: int, frame: str) -> list[Cue]:
        """Attribution cues in one unit; ``frame`` is the unit with quotes blanked out."""
        out: list[Cue] = []
        self._pos = a
        self._unit_start, self._pos_end = a, a + len(frame)
        if ":" in frame and (m := COLON_CUE.match(frame)):
            sp = self.resolve(a + m.start("np"), a + m.end("np"))
            if sp:
                out.append(Cue(a + m.end("np"), a + m.end("np") + 1, a + m.start("np"), a + m.end("np"), sp, "colon-cue"))
        for m in ACCORDING.finditer(frame) if any(h in frame for h in ACCORDING_HINTS) else ():
            g = "np" if m.group("np") else "np2"
            sp = self.resolve(a + m.start(g), a + m.end(g))
            if sp is not None and (subject := self._document_of_subject(a, frame, m.group(g), m.start())) is not None:
                sp = subject
            if sp:
                out.append(Cue(a + m.start(), a + m.start(g), a + m.start(g), a + m.end(g), sp, "according-to"))
        for m in IN_HIS_WORDS.finditer(frame) if any(h in frame for h in IN_HIS_HINTS) else ():
            np_end = m.start("np") + len(_POSSESSIVE_END.sub("", m.group("np")))  # "Lavrov's" → "Lavrov"
            sp = self.resolve(a + m.start("np"), a + np_end)
            if sp:
                out.append(Cue(a + m.start(), a + m.end(), a + m.start("np"), a + np_end, sp, "according-to"))
        for m in POSITION_IS.finditer(frame) if any(h in frame for h in POSITION_HINTS) else ():
            g = "np" if m.group("np") else "np2"
            sp = self.resolve(a + m.start(g), a + m.end(g))
            if sp and sp.actor:
                out.append(Cue(a + m.start(), a + m.end(), a + m.start(g), a + m.end(g), sp, "speech-noun"))
        for m in QUOTED_AS.finditer(frame):
            sp = self.resolve(a + m.start("np"), a + m.end("np"))
            if sp:
                out.append(Cue(a + m.start(), a + m.end(), a + m.start("np"), a + m.end("np"), sp, "quoted-as"))
        for m in WORDS_OF.finditer(frame) if "\x00" in frame and any(h in frame for h in WORDS_OF_HINTS) else ():
            sp = self.resolve(a + m.start("np"), a + m.end("np"))
            if sp and sp.actor:
                out.append(Cue(a + m.start(), a + m.end(), a + m.start("np"), a + m.end("np"), sp, "words-of"))
        for m in WITH_SAYING.finditer(frame) if " with " in frame else ():
            sp = self.resolve(a + m.start("np"), a + m.end("np"))
            if sp and sp.actor:
                out.append(Cue(a + m.start(), a + m.end(), a + m.start("np"), a + m.end("np"), sp, "according-to"))
        for v in self.verbs.finditer(frame):
            cue = self._verb_cue(a, frame, v.start(), v.end())
            if cue:
                out.append(cue)
        if not out and (", " in frame or " and " in frame or " but " in frame or " to " in frame) and (
                cue := self._saying_cue(a, frame)) is not None:
            out.append(cue)
        if not out and "that" in frame and (m := SPEECH_NOUN.search(frame)) is not None:
            sp = self.resolve(a + m.start("np"), a + m.end("np"))  # "Moscow received assurances from X that …"
            if sp and sp.actor:
                out.append(Cue(a + m.start(), a + m.end(), a + m.start("np"), a + m.end("np"), sp, "speech-noun"))
        return out

    def _document_of_subject(self, a: int, frame: str, phrase: str, at: int) -> Speaker | None:
        """"Aliyev, according to a readout from his office, thanked …": a document of the subject's own
        reports the subject (a person of an actor opening the unit just before the parenthetical)."""
        words = phrase.lower().split()
        if not any(w in DOCUMENTS for w in words) or not any(w in ("his", "her", "their") for w in words):
            return None
        m = NP_AT_START.match(frame)
        if m is None or m.group("app") is None or frame[m.end("np") :].lstrip(" ,")[:1] != frame[at : at + 1]:
            return None
        sp = self.resolve(a + m.start("np"), a + m.end("np"))
        return sp if sp is not None and sp.person and sp.actor else None

    def _saying_cue(self, a: int, frame: str) -> Cue | None:
        """"Iran's foreign ministry sought to calm the row, saying …" or "Aliyev thanked him and said …": the
        unit's subject speaks, when it is a person or an institution of an actor (the subject opens the unit,
        perhaps followed by ", in turn,"; nothing else in it is a cue)."""
        p = (SAYING.search(frame) or (AND_SAID.search(frame) if " and " in frame or " but " in frame else None)
             or (PURPOSE_SPEECH.search(frame) if " to " in frame else None))
        if p is None or (m := NP_AT_START.match(frame)) is None or (
                m.group("app") and not INTERJECTION.fullmatch(m.group("app"))):
            return None
        span = self._trim_lead(frame, m.start("np"), m.end("np"))
        if span is None or frame[: span[0]].strip() or m.end("np") >= p.start():
            return None
        s, e = span
        sp = self.resolve(a + s, a + e)
        head = frame[s:e].split()[-1].lower().removesuffix("’s").removesuffix("'s")
        metonym = any(x.start == a + s and x.end == a + e and x.kind in ("name", "alias") for x in self.mentions)
        if sp is None or sp.actor is None or not (sp.person or head in INSTITUTION_ROLES or metonym):
            return None
        if frame[e : e + 1].isalpha() or (head.endswith("s") and not head.endswith("ss")
                                          and head not in INSTITUTION_ROLES and frame[s:e].split()[-1].islower()):
            return None  # "The leaders discussed … and stressed …": several people, not one speaker
        return Cue(a + p.start(), a + p.end(), a + s, a + e, sp, "said-that")

    def _verb_cue(self, a: int, frame: str, vs: int, ve: int) -> Cue | None:
        prefix = frame[:vs].rstrip()
        relative = None
        if prefix.endswith(("and", "also", "later", "then")) and "who " in prefix[-100:]:
            relative = WHO_AND_END.search(prefix, max(0, len(prefix) - 100))
        while relative is None and (m := ADVERBIAL_END.search(prefix, _tail_start(prefix))) is not None and m.start() > 0:
            prefix = prefix[: m.start()].rstrip()
        if relative is None and "who" in prefix[-15:]:
            relative = WHO_END.search(prefix, max(0, len(prefix) - 20))
        if relative is not None:  # "…, who told reporters that …": the subject is the noun before "who"
            prefix = prefix[: relative.start()]
        inverted = not prefix or prefix[-1] in ",\x00—–:"
        np_span: tuple[int, int] | None = None
        app: tuple[int, int] | None = None
        if prefix.endswith(",") and (ap := APPOSITIVE_END.search(prefix, max(0, len(prefix) - _TAIL))) and ap.start() > 0:
            head = prefix[: ap.start()].rstrip()
            if (m := NP_AT_END.search(head, _tail_start(head))) is not None:
                np_span, app = (m.start("np"), m.end("np")), (ap.start("app"), ap.end("app"))
        elif not inverted and (m := NP_AT_END.search(prefix, _tail_start(prefix))) is not None:
            np_span = (m.start("np"), m.end("np"))
        rule = "said-that"
        if np_span is not None:
            np_span = self._trim_lead(frame, *np_span)
        if np_span is None and inverted:
            if (m := NP_AT_START.match(frame, ve)) is None:
                return None
            np_span = (m.start("np"), m.end("np"))
            if m.group("app"):
                app = (m.start("app"), m.end("app"))
            rule = "verb-before-speaker"
        if np_span is None or np_span[0] >= np_span[1]:
            return None
        s, e = np_span
        if rule == "said-that" and frame[s:e].endswith(("’s", "'s")):
            return None  # "Baku's repeated demands": a possessive is no subject
        before_np = frame[:s].rstrip()
        last_word = before_np.split()[-1].lower() if before_np.split() else ""
        described = last_word in ("which", "what") and DESCRIBED_AS.match(frame, vs) is not None
        if last_word in CLAUSE_BLOCKERS and last_word not in TIME_BLOCKERS and relative is None and not described:
            return None  # "…, which he described as “…”" is the speaker's own words
        full_app = (a + app[0], a + app[1]) if app else None
        sp = self.resolve(a + s, a + e, full_app)
        if sp is None or (last_word in TIME_BLOCKERS and (sp.actor is None or not THAT_OR_CLAUSE.match(frame, ve))):
            return None
        if frame[vs:ve] in ("called", "calls") and "\x00" not in frame[ve:] and not _NAMED_AS.match(frame, ve):
            return None  # "X called Y" is speech only with the words quoted ("called the vote “a farce”") or with
            # "as" ("calls the new checkpoints as a violation of …", the wires' form)
        if sp.actor is None and frame[vs:ve].startswith("reports"):
            return None  # "Trend reports that …": an outlet's report, not a statement
        if (rule == "said-that" and len(before_np.split()) <= 4 and "\x00" not in before_np
                and frame[vs:ve].split()[0] not in _SAYING_VERBS  # "X stated this.": the units before are X's
                and (obj := ANAPHORIC_OBJECT.match(frame, ve - 4 if frame[vs:ve].endswith(" that") else ve)) is not None
                and not ((adj := obj["adjunct"] or "") and (THAT.search(adj) or SAYING.search(adj) or AND_SAID.search(adj)))):
            return None  # "X dismissed the claim.": nothing said of its own ("A, X said this" is A)
        final = (not before_np or before_np[-1] in ",\x00—–") and (rule == "verb-before-speaker" or bool(before_np))
        return Cue(a + vs, a + ve, a + s, a + (app[1] if app else e), sp, rule, final)

    def _trim_lead(self, frame: str, s: int, e: int) -> tuple[int, int] | None:
        """Drop unit-opening words ("On Tuesday", "But") from the start of a speaker phrase."""
        for w in WORD.finditer(frame, s, e):
            if w.group().lower().strip(".") not in LEAD_STOP:
                return (w.start(), e)
        return None

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
            more = GOES_ON.search(frame, prev_cue.end - a) or WENT_ON.search(frame, prev_cue.end - a) if prev_cue else None
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
            elif prev_cue is not None and any(h in frame for h in EMBEDDED_HINTS):  # "“…,” X said of the deal, which he said …"
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
        if self.earlier and self.last_unit_with_statement < self.unit_no - 1 and self.earlier[-1][1] <= a and (
                (m := STATED_BY.match(frame)) is not None
                or (" made " in frame and (m := MADE_REMARKS.match(frame)) is not None)):
            sp = self.resolve(a + m.start("np"), a + m.end("np"))
            head = m.group("np").split()[-1]
            if sp is not None and sp.person and head in PERSON_ROLES and sp.name and sp.name.endswith(head) and (
                    later := self._cataphor("person")) is not None and later.actor == sp.actor:
                sp = later  # "The Iranian diplomat made the comments …" named in the next sentence ("… Kanaani added")
            if sp is not None and sp.actor is not None:
                # opening a paragraph, it reaches back over the paragraphs before ("… / … / This was reported by …")
                return self._said_before(sp, across=not text[:a].strip(" ") or text[:a].rstrip(" ")[-1] == "\n")
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
                return self._closing_line(cue.speaker)
            if len(quotes) >= 2 and (two := TWO_QUOTES.match(frame, cue.end - a)) and self._two_quotes(a, b, frame, cue, quotes, two):
                return True
            a = self._speech_noun(a, frame, cue, quotes)
            first = len(self.statements)
            for pa, pb in _clauses(text, a, b, frame[a - self._unit_start :], cue):
                quoted = any(pa < q.inner_end and q.inner_start < pb for q in quotes)
                type_: StatementType = "mixed" if quoted else "indirect"
                self.add(pa, pb, cue.speaker, type_, "partial-quote" if quoted else cue.rule, (cue.np_start, cue.np_end))
            if any(h in frame for h in EMBEDDED_HINTS):
                self._embedded(self._unit_start, frame, quotes, cue, first)
            if colon:  # "Lavrov told reporters:" stands for the quote that follows, if one does
                self.pending = cue.speaker
            return True
        if not bare and any(h in frame for h in EMBEDDED_HINTS):
            return self._embedded(a, frame, quotes, None, len(self.statements))
        return False

    def _other_speaker_after(self, a: int, frame: str, cues: Sequence[Cue], direct: Sequence[Quote], used: Cue
                             ) -> tuple[int, Cue] | None:
        """"“…,” X said, while/and/but Y said …" (or "; Y said …"): where Y's clause starts, and Y's cue (no quote
        of X's after it)."""
        if ", " not in frame[used.end - a :] and ";" not in frame[used.end - a :]:
            return None
        for cut in COORDINATION.finditer(frame, used.end - a):
            if any(q.open >= a + cut.start() for q in direct):
                return None
            for c in cues:
                if (c.rule == "said-that" and not c.final and c.np_start >= a + cut.end() and c.speaker != used.speaker
                        and len(frame[cut.end() : c.np_start - a].split()) <= 1):
                    return a + cut.start() + 1, c
        return None

    def _report_before_quote(self, a: int, frame: str, q: Quote, cues: Sequence[Cue], quotes: Sequence[Quote]) -> None:
        """"X said A, adding: “B”", "X said A: “B”", "X told reporters that A and said: “B”": the reported clause A
        between the speaker's verb and the quote is an indirect statement of its own (a clause: "that" or an
        auxiliary in it, three words or more)."""
        cue = next((c for c in reversed(cues) if c.end <= q.open and c.rule == "said-that" and not c.final), None)
        if cue is None or (tail := LEAD_TAIL.search(frame, cue.end - a, q.open - a)) is None:
            return
        body = frame[cue.end - a : tail.start()]
        if (that := THAT.search(body)) is not None and (self.text[cue.start : cue.end].lower() in _TOLD_VERBS
                                                         or not body[: that.start()].strip()):
            body, shift = body[that.end() :], that.end()  # "told reporters that A": A
        else:
            shift = 0
        span = strip_span(self.text, cue.end + shift, cue.end + shift + len(body))
        if span is None or len(body.split()) < 3 or not (that or _AUX.search(body)):
            return
        quoted = any(span[0] < p.inner_end and p.inner_start < span[1] for p in quotes)
        self.add(*span, cue.speaker, "mixed" if quoted else "indirect", "said-that", (cue.np_start, cue.np_end))

    def _two_quotes(self, a: int, b: int, frame: str, cue: Cue, quotes: Sequence[Quote], m: re.Match[str]) -> bool:
        """"X said “A” and “B” …": the first quote is a direct statement, the second one too, or mixed from its
        opening mark to the clause's end when words follow it ("… “B” through which they pass")."""
        q1 = next((q for q in quotes if q.open == a + m.start("q1")), None)
        q2 = next((q for q in quotes if q.open == a + m.start("q2")), None)
        if q1 is None or q2 is None or q1.words(self.text) < 3 or q2.words(self.text) < 3 or GOES_ON.search(frame, m.end()):
            return False
        if self.text[cue.start : cue.end].lower() not in _THAT_VERBS:
            return False  # "X criticised “A” and “B”": two objects of one verb, one statement
        self.add(q1.inner_start, q1.inner_end, cue.speaker, "direct", "quote-after-cue")
        rest = strip_span(self.text, q2.end, b)
        if rest is None or not CONTENT.search(frame, q2.end - a, b - a):
            self.add(q2.inner_start, q2.inner_end, cue.speaker, "direct", "quote-after-cue")
        else:
            end = rest[1] - (self.text[rest[1] - 1] in ".!?")
            self.add(q2.open, end, cue.speaker, "mixed", "partial-quote")
        return True

    def _embedded(self, a: int, frame: str, quotes: Sequence[Quote], cue: Cue | None, first: int) -> bool:
        """Speech in a relative clause ("…, which it says contains …", "the creation of which he said was …"): the
        clause after the verb is a statement of its own; the unit's statement holding the relative word now ends
        before it (left whole when nothing but the cue would be left). A pronoun there is the unit's speaker;
        with no cue in the unit only a named speaker counts."""
        found = False
        for m in EMBEDDED.finditer(frame):
            rel = a + m.start()
            before = frame[: m.start()].rstrip().split()[-1:] or [""]
            if m.group("rel") == "what" and before[0].lower().strip(",") in _NOT_OBJECT:
                continue  # "What he said was …", "…, and what they said was …": their words, judged by others
            if cue is not None and cue.start > rel:
                continue  # "Under the deal, which X said …, the border opens, Y said": the clause ends somewhere inside
            np = m.group("np")
            if np in ("he", "she", "it", "they"):  # "…, who he said …": someone other than the person named
                sp = cue.speaker if cue is not None and not m.group("rel").endswith(("who", "whom")) else None
            else:
                sp = self.resolve(a + m.start("np"), a + m.end("np"))
            if sp is None or (sp.actor is None and not sp.person):
                continue
            holder = next((k for k in range(first, len(self.statements))
                           if self.statements[k].start < rel < self.statements[k].end), None)
            if holder is None and any(s.start < a + len(frame) and s.end > rel for s in self.statements[first:]):
                continue
            end = self.statements[holder].end if holder is not None else a + len(frame)
            if frame[: m.start()].rstrip().endswith(",") and (r := RESUMED.search(frame, m.end(), end - a)):
                end = a + r.start()  # a clause between commas ends at the comma before the main verb
            span = strip_span(self.text, a + m.end(), end)
            if span is None or not CONTENT.search(frame, m.end(), end - a):
                continue
            span = (span[0], span[1] - (self.text[span[1] - 1] in ".!?"))
            if holder is not None:
                outer = self.statements[holder]
                cut = rel
                if m.group("rel").startswith("of"):  # "the creation of which": the noun phrase goes too
                    sep = max(frame.rfind(c, 0, m.start()) for c in ",;:(\x00—–")
                    if len(frame[sep + 1 : m.start()].split()) <= 5:
                        cut = a + sep + 1
                while cut > outer.start and self.text[cut - 1] in " ,":
                    cut -= 1
                head = frame[outer.start - a : cut - a]
                if cue is not None and cue.np_start >= outer.start:
                    head = frame[outer.start - a : cue.np_start - a] + frame[cue.np_end - a : cut - a].replace(
                        self.text[cue.start : cue.end], "", 1)
                if not CONTENT.search(head) or THAT.fullmatch(head.strip()):
                    continue
                quoted = any(outer.start < q.inner_end and q.inner_start < cut for q in quotes)
                type_: StatementType = outer.type if outer.type == "direct" else "mixed" if quoted else "indirect"
                skip = (cue.np_start, cue.np_end) if cue is not None else (0, 0)
                self.statements[holder] = replace(outer, text=self.text[outer.start : cut], end=cut, type=type_,
                                                  mentions=self._names(outer.start, cut, skip))
            quoted = any(span[0] < q.inner_end and q.inner_start < span[1] for q in quotes)
            self.add(*span, sp, "mixed" if quoted else "indirect", "relative-speech", remember=cue is None)
            found = True
        return found

    def _speech_noun(self, a: int, frame: str, cue: Cue, quotes: Sequence[Quote]) -> int:
        """"Despite assurances by X that A, Y said B": A is X's; gives where Y's statement starts."""
        m = SPEECH_NOUN.search(frame, 0, max(0, cue.np_start - a))
        if m is None:
            return a
        end = len(frame[: cue.np_start - a].rstrip(" ,"))  # the clause runs to the main speaker's name
        sp = self.resolve(a + m.start("np"), a + m.end("np")) if end > m.end() else None
        if sp is None or sp.actor is None or sp == cue.speaker:
            return a
        quoted = any(a + m.end() < q.inner_end and q.inner_start < a + end for q in quotes)
        self.add(a + m.end(), a + end, sp, "mixed" if quoted else "indirect", "speech-noun")
        return cue.np_start

    def _coordinated(self, a: int, b: int, frame: str, cues: Sequence[Cue], quotes: Sequence[Quote]) -> bool:
        """"Washington welcomed it, while Moscow said it was interference": one statement per clause."""
        cuts = [a] + [a + m.start() for m in COORDINATION.finditer(frame)]
        for c in cues:  # "X said A, Y said B", "X said A and Y said B", "X said A, a day after Y said B"
            pre = frame[: c.np_start - a].rstrip()
            said = frame[c.end - a :].split(",", 1)[0]  # what the verb introduces, to the next comma: a clause
            if c.rule != "said-that" or len(said.split()) < 3 or not (THAT.search(said) or _AUX.search(said)):
                continue
            last = pre.rsplit(None, 1)[-1] if pre.strip() else ""
            if pre.endswith(","):
                cut = len(pre) - 1
            elif last in ("and", "but", "while", "whereas", *TIME_BLOCKERS):
                cut = len(pre) - len(last) - 1
                comma = pre.rfind(",", 0, cut)
                if last in TIME_BLOCKERS and comma > 0 and len(pre[comma + 1 : cut].split()) <= 3:
                    cut = comma  # ", a day after Y said …"
            else:
                continue
            if cut > 0 and a + cut not in cuts:
                cuts.append(a + cut)
        cuts = sorted(cuts) + [b]
        parts = []
        for pa, pb in zip(cuts, cuts[1:], strict=False):
            own = [c for c in cues if pa <= c.np_start < pb and c.rule == "said-that"]
            if own:
                parts.append((pa, pb, own[0]))
        if len(parts) < 2 or len({p[2].speaker for p in parts}) < 2:
            return False
        for pa, pb, cue in parts:
            span = strip_span(self.text, pa + 1 if pa > a else pa, pb)
            if span is None:
                continue
            quoted = any(span[0] < q.inner_end and q.inner_start < span[1] for q in quotes)
            self.add(*span, cue.speaker, "mixed" if quoted else "indirect", cue.rule, (cue.np_start, cue.np_end))
        return True

    def _open_quote_before(self, first: Quote, cues: Sequence[Cue]) -> None:
        """A paragraph that is one quote left open (the news convention for a quote running on into the
        next paragraph) belongs to the speaker of the quote that continues it."""
        if not self.earlier or self.last_unit_with_statement >= self.unit_no - 1:
            return
        ea, eb, quoted = self.earlier[-1]
        cue = min(cues, key=lambda c: abs(c.start - first.end))
        if not quoted or cue.start < first.end or self.text[eb:first.open].count("\n") != 1:
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

    def official(self, runs: Sequence[tuple[int, int]]) -> None:
        """Press-release text not attributed to anyone else: official statements of the feed actor."""
        sp = self._feed_speaker()
        if sp is None:
            return
        for a, b in runs:
            self.add(a, b, sp, "official", "official-feed")


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
    paras = paragraphs(text)
    # a transcript (a question paragraph somewhere): a turn runs on over the paragraphs after it that say nothing else
    transcript = "Q" in text and any(text[pa] == "Q" and _QUESTION.match(text, pa, pb) for pa, pb in paras)
    for pa, pb in paras:
        if question and _unmarked_answer(item, pa, pb):
            question = False
            continue
        question = text[pa] == "Q" and _QUESTION.match(text, pa, pb) is not None  # read as usual: it may report others
        if _turn(item, pa, pb):
            continue
        if _dash_answer(item, pa, pb):
            continue
        if (turn := _dash_turn(item, pa, pb)) is not None:
            pa = turn  # the words after "Name –" are read as usual too: they may report others
        quotes = find_quotes(text, pa, pb)
        runs: list[tuple[int, int]] = []
        before = len(item.statements)
        for ua, ub in split_units(text, pa, pb, quotes):
            item.unit_no += 1
            item.unit_starts.append(ua)
            inside = [q for q in quotes if q.open < ub and q.end > ua]
            spans.append((ua, ub, tuple(inside), ua == pa))
            said = item.unit(ua, ub, inside)
            if not said:
                item.earlier.append((ua, ub, bool(inside)))
            if said or feed_actor is None:
                continue
            if runs and not text[runs[-1][1] : ua].strip():
                runs[-1] = (runs[-1][0], ub)
            else:
                runs.append((ua, ub))
        item.official(runs)
        if len(item.statements) == before and item.turn is not None and not question and (
                transcript or FIRST_PERSON_WORD.search(text, pa, pb)):
            item.add(pa, pb, item.turn, "direct", "turn-continued")
        else:
            item.turn = None
    units = [Unit(a, b, q, any(s.start < b and s.end > a for s in item.statements), first)
             for a, b, q, first in spans]
    return item, units


def _second_opinion(item: _Item, units: Sequence[Unit], model: SecondOpinion) -> None:
    """Units the rules left unattributed that the model calls statements: of the official named at the
    unit's start, else of the last speaker before it (nothing when there is neither)."""
    said = sorted(item.statements, key=lambda s: (s.start, s.end))
    for k, u in enumerate(units):
        if u.attributed or model.probability(unit_features(item.text, units, k, item.mentions, item.verbs)) < model.threshold:
            continue
        m = subject_official(item.text, u, item.mentions)
        if m is not None and not item._after_preposition(m):
            sp = Speaker(m.person, m.actor_id, True)
        elif before := [s for s in said if s.end <= u.start]:
            sp = Speaker(before[-1].speaker, before[-1].actor, True)
        else:
            continue
        item.add(u.start, u.end, sp, "mixed" if u.quotes else "indirect", "learned")


def _quoted_reports(item: _Item) -> None:
    """"“… As my colleague X said, the time has come to sign. …,” Y said": besides Y's quote, the clause is an
    indirect statement of X (a named speaker only, up to the end of its sentence in the quote). Run last, so X is
    nobody's antecedent and no later sentence is given to X."""
    text = item.text
    for s in [s for s in item.statements if s.type == "direct"]:
        if not any(h in s.text for h in QUOTED_REPORT_HINTS):
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
    if m is None or len(m.group("np").split()) > 6:
        return False
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




def _clauses(text: str, a: int, b: int, frame: str, cue: Cue) -> list[tuple[int, int]]:
    """One reported unit as one or more statements: "X said A, adding that B" gives A and B (when A is a
    reported clause, not an object: "X rejected the claim, saying B" stays one), and "A, according to
    X, B" gives the two halves around the parenthetical."""
    if cue.rule == "according-to":
        before, after = frame[: cue.start - a].rstrip(), frame[cue.np_end - a :]
        if before.endswith(",") and after.lstrip().startswith(",") and len(before.split()) >= 2:
            rest = cue.np_end + len(after) - len(after.lstrip()) + 1
            right = strip_span(text, rest, b)
            return [(a, a + len(before) - 1), *([right] if right else [])]
    cuts = [m for m in GOES_ON.finditer(frame, max(0, cue.end - a)) if len(frame[m.end() :].split()) >= 3]
    head = frame[cue.end - a : cuts[0].start()] if cuts else ""
    verb = text[cue.start : cue.end].lower()
    reported_before = cue.final and cue.start > a and bool(CONTENT.search(frame[: cue.np_start - a]))  # "A, X told Y, adding B"
    if not cuts or not (reported_before or THAT.search(head) or (verb in CLAUSE_VERBS and not OBJECT.match(head))):
        return [(a, b)]
    spans, start = [], a
    for m in cuts:
        spans.append((start, a + m.start()))
        start = a + m.end()
    spans.append((start, b))
    return spans


def _is_document(phrase: str) -> bool:
    """Whether a speaker phrase is a bare document: "the readout", "the statement" (no issuer named)."""
    words = phrase.lower().split()
    return 1 <= len(words) <= 2 and words[-1] in DOCUMENTS and words[0] in ("the", "a", "its", words[-1])


_SPEAKING_ROLES = PERSON_ROLES | INSTITUTION_ROLES | ROLE_MODIFIERS  # roles that speak for an actor
_NAMED_AS = re.compile(r"\s+(?:the\s+|a\s+|an\s+|this\s+|these\s+|its\s+|their\s+)?[\w’'\-]+(?:\s+[\w’'\-]+){0,12}?\s+as\s+(?!well\b|part\b|soon\b|long\b|much\b|far\b)")
# a journalist's question in a transcript: "QUESTION: …", "Question (to both ministers): …", "Q: …", "Q    …"
_QUESTION = re.compile(r"(?:QUESTION|Question|Q)(?:\s*\([^)\n]{0,60}\))?(?:\s*:|\s{2,}|\.\s)")
_DASH_OPEN = re.compile(r"[—–-]\s+")  # a paragraph opening with a dash: an interview turn
_CLOSERS = "”\"’»›」"
# an unclosed quote's paragraph end and the next paragraph with no opening mark of its own (with one, the news
# convention of a quote running on, each paragraph is a statement)
_RUNS_ON = re.compile(r"[ \t]*\n\s*")
_TAIL = 200  # the end-anchored patterns look at most this far back: no speaker phrase is longer
_WORDING = re.compile(r"[^\s\x00,.;:!?—–\-()]")  # a unit with none of these is bare: quotes and punctuation only
_POSSESSIVE_END = re.compile(r"(?:’s|'s|’|')$")
_THAT_VERBS = frozenset({"said", "says", "stated", "states", "added", "adds", "noted", "notes", "stressed", "stresses",
                         "emphasised", "emphasized", "underlined", "declared", "wrote", "writes"})  # take a clause
_SENTENCE_END = re.compile(r"[.!?…](?=\s|$)")
_JOINED = re.compile(r"\s*,?\s*(?:and|as\s+well\s+as)\s+(?:also\s+)?(?:about\s+|that\s+|on\s+)?")
_SAYING_VERBS = frozenset({"said", "says", "stated", "states", "told", "tells", "announced", "declared", "wrote",
                           "reported"})
_TOLD_VERBS = frozenset({"told", "tells", "informed", "assured", "reminded", "warned"})  # an object before "that"
_AUX = re.compile(r"\b(?:is|was|were|are|has|had|have|would|will|could|can|should|must|might|may|did|does|do|remains|"
                  r"remained)\b")
_NOT_OBJECT = frozenset({"", "that", "and", "but", "because", "as", "so", "since", "while", "if", "when", "yet"})


def _tail_start(prefix: str) -> int:
    """Where an end-anchored search of ``prefix`` (NP_AT_END, ADVERBIAL_END) may start: at most ``_TAIL`` back, and
    after the last comma, semicolon, colon or blanked quote, which neither a speaker phrase nor an adverbial holds
    (the search gives the same match, sooner)."""
    cut = max(prefix.rfind(","), prefix.rfind(";"), prefix.rfind(":"), prefix.rfind("\x00"))
    return max(0, len(prefix) - _TAIL, cut + 1)


def _described_end(pre: str) -> re.Match[str] | None:
    """DESCRIBED_AS_END, tried only where its literal "which"/"what" occurs."""
    return DESCRIBED_AS_END.search(pre) if "which" in pre or "what" in pre else None
