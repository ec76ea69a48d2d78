"""Several statements in one sentence unit: besides the unit's main statement, the others it holds.

Takes a unit of the item being read (its span, frame, quotes and cues) and adds the statements it holds
beyond one speaker's one clause: "“…,” X said, while Y said …", "X said A, adding: “B”", "X said “A” and
“B”", speech in a relative clause ("…, which he said was …"), "Despite assurances by X that A, Y said B",
"Washington welcomed it, while Moscow said …", and (:func:`_clauses`) one reported unit cut into its clauses
("X said A, adding that B"; "A, according to X, B"). :class:`SeveralStatements` is a mixin of
:class:`monitor.statements.extract._Item`, which calls these from its unit pass.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from monitor.records import StatementType
from monitor.statements.cues import Cue
from monitor.statements.quotes import Quote, strip_span
from monitor.statements.speakers import Speaker, SpeakerResolver
from monitor.statements.speech import (
    CLAUSE_VERBS,
    CONTENT,
    COORDINATION,
    EMBEDDED,
    EMBEDDED_VERB,
    GOES_ON,
    JOINED_THAT,
    LEAD_TAIL,
    OBJECT,
    RESUMED,
    SPEECH_NOUN,
    THAT,
    TIME_BLOCKERS,
)


class SeveralStatements(SpeakerResolver):
    """The statements beyond a unit's main one (a mixin of :class:`monitor.statements.extract._Item`)."""

    if TYPE_CHECKING:  # defined by _Item
        def add(self, a: int, b: int, sp: Speaker, type_: StatementType, rule: str, skip: tuple[int, int] = (0, 0),
                remember: bool = True) -> None: ...

        def _names(self, a: int, b: int, skip: tuple[int, int]) -> tuple[str, ...]: ...

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
        # LEAD_TAIL ends at the quote and is never 80 characters long: searching only the window is the same, sooner
        if cue is None or (tail := LEAD_TAIL.search(frame, max(cue.end - a, q.open - a - 80), q.open - a)) is None:
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
        rel0 = min((i for h in ("which ", "that ", "who", "what ") if (i := frame.find(h)) >= 0), default=-1)
        if rel0 < 0 or not EMBEDDED_VERB.search(frame, rel0 + 4):
            return False  # no verb of speech after a relative word: nothing embedded
        for m in EMBEDDED.finditer(frame, max(0, rel0 - 4)):  # "of which"
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
        if len({c.speaker for c in cues if c.rule == "said-that"}) < 2:
            return False  # one speaker (or none): nothing to split between speakers
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


_OPENING_ADVERBIAL = re.compile(  # a reported clause opening with an adverbial ("that during the talks, …")
    r"\s*(?:that\s+)?(?:during|after|before|in|at|on|following|despite|when|while|since|as|if|unless|once|because|"
    r"until|amid|given|throughout)\b")


def outside_reported(a: int, frame: str, cues: Sequence[Cue]) -> list[Cue]:
    """The cues less those inside another's reported clause: in "X said that during the talks, Y had assured him …"
    the clause opens with an adverbial and a comma, and Y's verb reports what X said, not a statement of Y's."""
    out: list[Cue] = []
    for c in cues:
        opened = [o for o in out if o.rule == "said-that" and o.end <= c.np_start]
        pre = frame[: c.np_start - a].rstrip()
        if (c.rule == "said-that" and opened and pre.endswith(",") and "," not in frame[opened[-1].end - a : len(pre) - 1]
                and _OPENING_ADVERBIAL.match(frame, opened[-1].end - a, len(pre) - 1)):
            continue
        out.append(c)
    return out


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
    rest = frame[cue.end - a :]
    if not cuts and " that " in rest and (" and " in rest or " but " in rest or ";" in rest or " while " in rest):
        # "X said A and warned that B", "…; he also stressed that B"
        cuts = [m for m in JOINED_THAT.finditer(frame, max(0, cue.end - a)) if len(frame[m.end() :].split()) >= 3]
    head = frame[cue.end - a : cuts[0].start()] if cuts else ""
    verb = text[cue.start : cue.end].lower()
    reported_before = cue.final and cue.start > a and bool(CONTENT.search(frame[: cue.np_start - a]))  # "A, X told Y, adding B"
    said = verb in _SAY and len(head.split()) >= 3  # "said the talks had stalled": after "said" a clause, not an object
    if not cuts or not (reported_before or said or THAT.search(head) or (verb in CLAUSE_VERBS and not OBJECT.match(head))):
        return [(a, b)]
    spans, start = [], a
    for m in cuts:
        spans.append((start, a + m.start()))
        start = a + m.end()
    spans.append((start, b))
    return spans


_SAY = frozenset({"said", "says", "say"})
_THAT_VERBS = frozenset({"said", "says", "stated", "states", "added", "adds", "noted", "notes", "stressed", "stresses",
                         "emphasised", "emphasized", "underlined", "declared", "wrote", "writes"})  # take a clause
_TOLD_VERBS = frozenset({"told", "tells", "informed", "assured", "reminded", "warned"})  # an object before "that"
_AUX = re.compile(r"\b(?:is|was|were|are|has|had|have|would|will|could|can|should|must|might|may|did|does|do|remains|"
                  r"remained)\b")
_NOT_OBJECT = frozenset({"", "that", "and", "but", "because", "as", "so", "since", "while", "if", "when", "yet"})
