"""The attribution cues of one sentence unit: where a reporting verb or phrase names who speaks.

Takes a unit of the item being read (its start and its *frame*, the unit with quotes blanked out) and gives
its :class:`Cue` list: a reporting verb with its speaker before it ("Lavrov said") or after it ("said
Lavrov"), "according to X", "in X's words", "X's position is", "X: “…”", "quoted X as saying", "the words of
X", "…, who told …", "X …, saying …" and "assurances from X that …", each with the speaker phrase resolved
(:class:`CueReader` is a mixin of :class:`monitor.statements.extract._Item`, over the state that
:class:`~monitor.statements.speakers.SpeakerResolver` reads). :mod:`monitor.statements.extract` turns the
cues into statements.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from monitor.statements.speakers import Speaker, SpeakerResolver
from monitor.statements.speech import (
    ACCORDING,
    ACCORDING_HINTS,
    ADVERBIAL_END,
    ANAPHORIC_OBJECT,
    AND_SAID,
    APPOSITIVE_END,
    CLAUSE_BLOCKERS,
    COLON_CUE,
    DESCRIBED_AS,
    DOCUMENT_BY,
    DOCUMENTS,
    IN_HIS_HINTS,
    IN_HIS_WORDS,
    INSTITUTION_ROLES,
    INTERJECTION,
    LEAD_STOP,
    NP_AT_END,
    NP_AT_START,
    PERSON_ROLES,
    POSITION_HINTS,
    POSITION_IS,
    POSSESSIVE_SPEECH,
    PURPOSE_SPEECH,
    QUOTED_AS,
    QUOTED_BY,
    QUOTING,
    SAYING,
    SPEECH_NOUN,
    THAT,
    THAT_OR_CLAUSE,
    TIME_BLOCKERS,
    TITLE_WORDS,
    WHO_AND_END,
    WHO_END,
    WITH_SAYING,
    WORD,
    WORDS_OF,
    WORDS_OF_HINTS,
)


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


class CueReader(SpeakerResolver):
    """The cues of a unit, over the state of one item (a mixin of :class:`monitor.statements.extract._Item`)."""

    verbs: re.Pattern[str]

    def cues(self, a: int, frame: str) -> list[Cue]:
        """Attribution cues in one unit; ``frame`` is the unit with quotes blanked out."""
        out: list[Cue] = []
        self._pos = a
        self._unit_start, self._pos_end = a, a + len(frame)
        if ":" in frame and (m := COLON_CUE.match(frame)):
            sp = self.resolve(a + m.start("np"), a + m.end("np"))
            if sp:
                out.append(Cue(a + m.end("np"), a + m.end("np") + 1, a + m.start("np"), a + m.end("np"), sp, "colon-cue"))
        for m in ACCORDING.finditer(frame) if any(map(frame.__contains__, ACCORDING_HINTS)) else ():
            g = "np" if m.group("np") else "np2"
            sp = self.resolve(a + m.start(g), a + m.end(g))
            if sp is not None and (subject := self._document_of_subject(a, frame, m.group(g), m.start())) is not None:
                sp = subject
            if sp:
                out.append(Cue(a + m.start(), a + m.start(g), a + m.start(g), a + m.end(g), sp, "according-to"))
        for m in IN_HIS_WORDS.finditer(frame) if any(map(frame.__contains__, IN_HIS_HINTS)) else ():
            np_end = m.start("np") + len(_POSSESSIVE_END.sub("", m.group("np")))  # "Lavrov's" → "Lavrov"
            sp = self.resolve(a + m.start("np"), a + np_end)
            if sp:
                out.append(Cue(a + m.start(), a + m.end(), a + m.start("np"), a + np_end, sp, "according-to"))
        for m in POSITION_IS.finditer(frame) if any(map(frame.__contains__, POSITION_HINTS)) else ():
            g = "np" if m.group("np") else "np2"
            sp = self.resolve(a + m.start(g), a + m.end(g))
            if sp and sp.actor:
                out.append(Cue(a + m.start(), a + m.end(), a + m.start(g), a + m.end(g), sp, "speech-noun"))
        quoting = None
        for m in QUOTING.finditer(frame) if "uoting " in frame or ("iting " in frame and ("Citing" in frame or "citing" in frame)) else ():
            g = "np" if m.group("np") else "np2"
            sp = self.resolve(a + m.start(g), a + m.end(g))
            if sp and sp.actor:
                quoting = Cue(a + m.start(), a + m.end(), a + m.start(g), a + m.end(g), sp, "according-to")
        for m in QUOTED_AS.finditer(frame) if "quote" in frame or "cite" in frame else ():
            sp = self._possessor(a, m.start()) if m.group("np") in ("him", "her") else None
            sp = sp or self.resolve(a + m.start("np"), a + m.end("np"))
            if sp:
                out.append(Cue(a + m.start(), a + m.end(), a + m.start("np"), a + m.end("np"), sp, "quoted-as"))
        for m in WORDS_OF.finditer(frame) if "\x00" in frame and any(map(frame.__contains__, WORDS_OF_HINTS)) else ():
            sp = self.resolve(a + m.start("np"), a + m.end("np"))
            if sp and sp.actor:
                out.append(Cue(a + m.start(), a + m.end(), a + m.start("np"), a + m.end("np"), sp, "words-of"))
        for m in WITH_SAYING.finditer(frame) if ", with " in frame else ():
            sp = self.resolve(a + m.start("np"), a + m.end("np"))
            if sp and sp.actor:
                out.append(Cue(a + m.start(), a + m.end(), a + m.start("np"), a + m.end("np"), sp, "according-to"))
        for v in self.verbs.finditer(frame):
            cue = self._verb_cue(a, frame, v.start(), v.end())
            if cue:
                out.append(cue)
        for v in QUOTED_BY.finditer(frame) if " by " in frame and "as saying" in frame else ():
            if (cue := self._verb_cue(a, frame, v.start(), v.end())) is not None:
                out.append(cue)
        if quoting is not None:  # the outlet that quotes is no speaker: "Quoting Lavrov, TASS reported …"
            out = [c for c in out if c.speaker.actor is not None] + [quoting]
        if not out and (", " in frame or " and " in frame or " but " in frame or " to " in frame) and (
                cue := self._saying_cue(a, frame)) is not None:
            out.append(cue)
        if not out and (":" in frame or "asked," in frame) and "\x00" in frame and (
                cue := self._colon_quote_cue(a, frame)) is not None:
            out.append(cue)
        if not out and " by " in frame and ("statement" in frame or "readout" in frame or "communiqu" in frame
                                             or "release" in frame) and (m := DOCUMENT_BY.search(frame)) is not None:
            sp = self.resolve(a + m.start("np"), a + m.end("np"))  # "A statement by the Iranian MFA said …"
            if sp and sp.actor:
                out.append(Cue(a + m.start("verb"), a + m.end("verb"), a + m.start("np"), a + m.end("np"), sp,
                               "said-that"))
        if not out and "that" in frame and (m := SPEECH_NOUN.search(frame) or (
                POSSESSIVE_SPEECH.search(frame) if "’s " in frame or "'s " in frame else None)) is not None:
            sp = self.resolve(a + m.start("np"), a + m.end("np"))  # "Moscow received assurances from X that …"
            if sp and sp.actor:
                out.append(Cue(a + m.start(), a + m.end(), a + m.start("np"), a + m.end("np"), sp, "speech-noun"))
        return out

    def _possessor(self, a: int, end: int) -> Speaker | None:
        """"Khamenei's website quoted him as saying": the person owning the subject (a configured official with a
        possessive, the last before ``end`` in the unit) is "him"."""
        owners = [x for x in self.mentions if x.kind == "official" and a <= x.start and x.end < a + end
                  and self.text.startswith(("’s", "'s"), x.end)]
        return Speaker(owners[-1].person, owners[-1].actor_id, True) if owners else None

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

    def _colon_quote_cue(self, a: int, frame: str) -> Cue | None:
        """"Zakharova was blunt: “…”", "The ministry issued a statement: “…”": a quote after a colon is the unit's
        subject's, when at most a short predicate with no other cue stands between the subject and the colon."""
        colon = _COLON_QUOTE.search(frame)
        if colon is None or len(frame[: colon.start()].split()) > 12 or (m := NP_AT_START.match(frame)) is None:
            return None
        found = self._subject(a, frame, m, colon.start())
        if found is None:
            return None
        (s, e), sp = found
        return Cue(a + colon.start(), a + colon.start() + 1, a + s, a + e, sp, "colon-cue")

    def _saying_cue(self, a: int, frame: str) -> Cue | None:
        """"Iran's foreign ministry sought to calm the row, saying …" or "Aliyev thanked him and said …": the
        unit's subject speaks (see :meth:`_subject`; ", in turn," may follow it; nothing else in the unit is a cue)."""
        p = (SAYING.search(frame) or (AND_SAID.search(frame) if " and " in frame or " but " in frame else None)
             or (PURPOSE_SPEECH.search(frame) if " to " in frame and _PURPOSE_HINT.search(frame) else None))
        opening = lead.end() if "," in frame[:28] and (lead := _OPENING_INTERJECTION.match(frame)) else 0  # "For his part, …"
        if p is None or (m := NP_AT_START.match(frame, opening)) is None or (
                m.group("app") and not INTERJECTION.fullmatch(m.group("app"))):
            return None
        found = self._subject(a, frame, m, p.start() - 1, opening)
        if found is None:
            return None
        (s, e), sp = found
        head = frame[s:e].split()[-1].lower().removesuffix("’s").removesuffix("'s")
        if frame[e : e + 1].isalpha() or (head.endswith("s") and not head.endswith("ss")
                                          and head not in INSTITUTION_ROLES and frame[s:e].split()[-1].islower()):
            return None  # "The leaders discussed … and stressed …": several people, not one speaker
        return Cue(a + p.start(), a + p.end(), a + s, a + e, sp, "said-that")

    def _subject(self, a: int, frame: str, m: re.Match[str], before: int,
                 opening: int = 0) -> tuple[tuple[int, int], Speaker] | None:
        """The speaker phrase opening the unit (``m``, an ``NP_AT_START`` match ending by ``before``; ``opening``
        skips an interjection such as "For his part,") and whom it names, when that is a person, an institution or
        a metonym of an actor."""
        span = self._trim_lead(frame, m.start("np"), m.end("np"))
        if span is None or frame[opening : span[0]].strip() or m.end("np") > before:
            return None
        s, e = span
        sp = self.resolve(a + s, a + e)
        head = frame[s:e].split()[-1].lower().removesuffix("’s").removesuffix("'s")
        metonym = any(x.start == a + s and x.end == a + e and x.kind in ("name", "alias") for x in self.mentions)
        if sp is None or sp.actor is None or not (sp.person or head in INSTITUTION_ROLES or metonym):
            return None
        return (s, e), sp

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
            elif _NAME_ONLY.fullmatch(ap.group("app")) and (title := _role_title(head)) is not None and any(
                    (x.kind == "official" and x.start >= a + ap.start("app") and x.end <= a + ap.end("app"))
                    or (x.kind != "official" and a + title <= x.start and x.end <= a + ap.start("app"))
                    for x in self.mentions):
                np_span = (title, ap.end("app"))  # "The commander of Iran's ground forces, Name Surname, said"
        elif not inverted and (m := NP_AT_END.search(prefix, _tail_start(prefix))) is not None:
            np_span = (m.start("np"), m.end("np"))
        rule = "said-that"
        if np_span is not None:
            np_span = self._trim_lead(frame, *np_span)
        if np_span is None and inverted:
            if (m := NP_AT_START.match(frame, ve)) is None or (
                    not m.group("app") and _CLAUSE_GOES_ON.match(frame, m.end("np"))):
                return None  # "…, said Armenia was making a mistake": the subject of the reported clause
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
        if (last_word in CLAUSE_BLOCKERS and last_word not in TIME_BLOCKERS and relative is None and not described
                and not self._end_of_title(a, before_np, s, e)):
            return None  # "…, which he described as “…”" is the speaker's own words
        full_app = (a + app[0], a + app[1]) if app and _names_someone(frame[app[0] : app[1]]) else None
        sp = self.resolve(a + s, a + e, full_app)
        if sp is None or (last_word in TIME_BLOCKERS and (sp.actor is None or not THAT_OR_CLAUSE.match(frame, ve))):
            return None
        verb = frame[vs:ve]
        if verb in _AFTER_QUOTE_ONLY and not frame[: min(s, vs)].rstrip(" ,").endswith("\x00"):
            return None  # "Lavrov continued his visit": these verbs report speech only right after a quote
        if verb in _INVERTED_ONLY and rule != "verb-before-speaker":
            return None  # "Galuzin believes Moscow …" is an opinion stated by nobody; "…, believes Galuzin" reports one
        if verb in ("assessed", "assesses") and not _NAMED_AS.match(frame, ve):
            return None  # "X assessed the talks as constructive" is speech; "X assessed the damage" is not
        if verb in ("called", "calls") and "\x00" not in frame[ve:] and not _NAMED_AS.match(frame, ve):
            return None  # "X called Y" is speech only with the words quoted ("called the vote “a farce”") or with
            # "as" ("calls the new checkpoints as a violation of …", the wires' form)
        if sp.actor is None and verb.startswith("reports"):
            return None  # "Trend reports that …": an outlet's report, not a statement
        with_that = verb.endswith(" that")
        if with_that and _THAT_DETERMINER.match(frame, ve):
            return None  # "Lavrov mentioned that issue during the talks": "that" names a thing, no clause follows
        pos = ve - 4 if with_that else ve  # where the object starts ("denied that, however": "that" is it)
        if (rule == "said-that" and frame[pos : pos + 2].lstrip()[:1] in _OBJECT_INITIALS
                and "\x00" not in before_np and len(before_np.split()) <= 4
                and verb.split()[0] not in _SAYING_VERBS  # "X stated this.": the units before are X's
                and (obj := ANAPHORIC_OBJECT.match(frame, pos)) is not None
                and not ((adj := obj["adjunct"] or "") and (THAT.search(adj) or SAYING.search(adj) or AND_SAID.search(adj)))):
            return None  # "X dismissed the claim.": nothing said of its own ("A, X said this" is A)
        final = (not before_np or before_np[-1] in ",\x00—–") and (rule == "verb-before-speaker" or bool(before_np))
        return Cue(a + vs, a + ve, a + s, a + (app[1] if app else e), sp, rule, final)

    def _end_of_title(self, a: int, before: str, s: int, e: int) -> bool:
        """"Türkiye's Special Envoy for Normalisation with Armenia Serdar Kılıç said": the words
        before the speaker phrase end a capitalised title (a person's role, after the last comma) and the phrase
        holds a configured official, so the preposition before it is the title's, not a clause's."""
        title = before[max(before.rfind(","), before.rfind("\x00")) + 1 :].split()[-12:]
        return any(w[:1].isupper() and w.lower() in PERSON_ROLES for w in title) and any(
            x.kind == "official" and a + s <= x.start and x.end <= a + e for x in self.mentions)

    def _trim_lead(self, frame: str, s: int, e: int) -> tuple[int, int] | None:
        """Drop unit-opening words ("On Tuesday", "But") from the start of a speaker phrase."""
        for w in WORD.finditer(frame, s, e):
            if w.group().lower().strip(".") not in LEAD_STOP:
                return (w.start(), e)
        return None


_NAME_ONLY = re.compile(r"[A-ZÀ-ÖØ-Þ\u0100-\u017f][\w’'\-]+(?:\s+[A-ZÀ-ÖØ-Þ\u0100-\u017f][\w’'\-]+){1,3}")
_ARTICLES = frozenset({"the", "a", "an"})
_OPENING_INTERJECTION = re.compile(rf"\s*(?:{INTERJECTION.pattern})\s*,\s*", re.IGNORECASE)
_CLAUSE_OPENERS = frozenset({"who", "whose", "whom", "which", "that", "where", "speaking", "asked", "answering",
                             "commenting", "responding", "referring", "writing", "addressing", "meeting", "talking"})
_CLAUSE_GOES_ON = re.compile(
    r"\s+(?:was|were|is|are|would|will|had|has|have|could|should|must|did|does|do|can|may|might|remains|remained"
    r"|that)\b")
_NAMED_AS = re.compile(r"\s+(?:the\s+|a\s+|an\s+|this\s+|these\s+|its\s+|their\s+)?[\w’'\-]+(?:\s+[\w’'\-]+){0,12}?\s+as\s+(?!well\b|part\b|soon\b|long\b|much\b|far\b)")
_AFTER_QUOTE_ONLY = frozenset({"went on", "continued", "concluded"})
_INVERTED_ONLY = frozenset({"believes", "thinks"})
_OBJECT_INITIALS = frozenset("its")  # first letters of what ANAPHORIC_OBJECT matches ("it", "that", "the", "such")
_PURPOSE_HINT = re.compile(r"to (?:un|em|st|re|co|hi|no|ma|ex|ur|en|pr|ca)")  # PURPOSE_SPEECH's verbs, cheaply
# a colon right before a quote (blanked in the frame), or "asked," ("Aliyev asked, “Who …?”"; not "was asked, “…”")
_COLON_QUOTE = re.compile(r"(?::|(?<!was asked)(?<!were asked)(?<!been asked)(?<!being asked)(?<=\basked),)\s*(?=\x00)")
_THAT_DETERMINER = re.compile(
    r"\s+[a-z]+(?:\s+(?:during|in|at|on|with|of|for|to|from|by|about|again|too|once)\b|\s*[.,;:]|\s*$)")
_TAIL = 200  # the end-anchored patterns look at most this far back: no speaker phrase is longer
_POSSESSIVE_END = re.compile(r"(?:’s|'s|’|')$")
_SAYING_VERBS = frozenset({"said", "says", "stated", "states", "told", "tells", "announced", "declared", "wrote",
                           "reported"})


def _role_title(head: str) -> int | None:
    """Where a role title ending ``head`` starts ("the chairman of the Duma's international affairs committee"): the
    part of ``head`` after its last comma, when it opens with "the", "a" or a capitalised word and holds a person's
    role."""
    start = _tail_start(head)
    title = head[start:].lstrip()
    words = [w.strip(".,’'").lower().removesuffix("’s").removesuffix("'s") for w in title.split()]
    role = next((n for n, w in enumerate(words) if w in PERSON_ROLES), None)
    if role is None or len(words) > 16 or words[0] in LEAD_STOP or not (title[:1].isupper() or words[0] in _ARTICLES):
        return None
    if any(not (t[:1].isupper() or w in _ARTICLES or w in TITLE_WORDS) for t, w in zip(title.split()[:role], words, strict=False)):
        return None  # only an article, names and titles before the role: "After meeting the president of …" is none
    return len(head) - len(title)


def _names_someone(app: str) -> bool:
    """Whether an appositive may name or describe the speaker ("Sergey Lavrov", "Russia's foreign minister", "a
    former envoy"), unlike a clause about them ("who met Jeyhun Bayramov on Monday", "speaking after talks with …"),
    whose people are not the speaker."""
    first = app.split(maxsplit=1)[0].strip(".,’'") if app.strip() else ""
    word = first.lower().removesuffix("’s").removesuffix("'s")
    return word not in LEAD_STOP and word not in _CLAUSE_OPENERS and (first[:1].isupper() or word in TITLE_WORDS)


def _tail_start(prefix: str) -> int:
    """Where an end-anchored search of ``prefix`` (NP_AT_END, ADVERBIAL_END) may start: at most ``_TAIL`` back, and
    after the last comma, semicolon, colon or blanked quote, which neither a speaker phrase nor an adverbial holds
    (the search gives the same match, sooner)."""
    cut = max(prefix.rfind(","), prefix.rfind(";"), prefix.rfind(":"), prefix.rfind("\x00"))
    return max(0, len(prefix) - _TAIL, cut + 1)
