"""Who is speaking: a speaker phrase, pronoun or role resolved to a name and an actor.

Takes the state of one item being read (its text, actor mentions, people table, the speakers
seen so far and the sentence units read so far, see :class:`SpeakerResolver`) and a span of
the text, and gives a :class:`Speaker`: a configured official ("Lavrov", "Pashinian"), a
person introduced with a nationality or role, an office or metonym kept as printed with its
actor ("her ministry", "Baku"), someone outside the configured actors (analysts, media), or,
for pronouns and roles, the person meant: the subject of a sentence since the last statement,
the last speaker, the actor opening the previous sentence, or the next person named.
:mod:`monitor.statements.cues` reads the cues and :mod:`monitor.statements.extract` makes the statements.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from monitor.records import Statement
from monitor.statements.actors import ActorIndex, Mention, fast_fold, office_of
from monitor.statements.persons import People, gender_of, given_name_start, outside_titles_before
from monitor.statements.speech import (
    DOCUMENTS,
    FIRST_PERSON,
    GENERIC_PLURALS,
    INSTITUTION_ROLES,
    MEDIA,
    NP_AT_START,
    OUTSIDE_ROLES,
    PERSON_ROLES,
    PRONOUNS,
    ROLE_WORDS,
    SPACE,
    TITLE_WORDS,
    WORD,
)


@dataclass(frozen=True, slots=True)
class Speaker:
    """A resolved speaker: name as kept in the statement, actor id, and what kind of speaker."""

    name: str | None
    actor: str | None
    person: bool


class SpeakerResolver:
    """Speaker resolution over the state of one item (held by :class:`monitor.statements.extract._Item`)."""

    text: str
    index: ActorIndex
    feed_actor: str | None
    mentions: list[Mention]
    people: People
    history: list[Speaker]
    statements: list[Statement]
    unit_starts: list[int]
    last_unit_with_statement: int
    _pos: int
    _unit_start: int
    _pos_end: int

    def _in(self, a: int, b: int) -> list[Mention]:
        return [m for m in self.mentions if a <= m.start and m.end <= b]

    def _touching(self, a: int, b: int) -> list[Mention]:
        return [m for m in self.mentions if m.start < b and m.end > a]

    def _antecedent(self, want: str, actor: str | None = None, gender: str | None = None,
                    office: str | None = None) -> Speaker | None:
        """The speaker a pronoun or role means; ``gender`` ("f", "m") skips people whose name shows the other,
        ``office`` (see :func:`office_of`) skips configured officials who hold another office."""
        if want == "person" and not self.feed_actor and (
                recent := self._recent_subject(actor, gender, office)) is not None:
            return recent
        for sp in reversed(self.history):
            if (actor is not None and sp.actor != actor) or not _fits(sp, gender) or not self._holds(sp.name, office):
                continue
            if want == "any" or (want == "person") == sp.person:
                return sp
        if want == "person":
            before = [m for m in self.mentions if m.kind == "official" and (actor is None or m.actor_id == actor)
                      and m.start < self._pos and _fits_name(m.person, gender) and self._holds(m.person, office)]
            own = [m for m in before if m.actor_id == self.feed_actor]
            before = own or before
            if before:
                unit = max(self._unit_of(m.start) for m in before)
                first = next(m for m in before if self._unit_of(m.start) == unit)
                return Speaker(first.person, first.actor_id, True)
        elif not self.feed_actor and (subject := self._subject_before()) is not None:
            return subject
        return None

    def _latter_or_former(self, which: str) -> Speaker | None:
        """"Lavrov met Araghchi. The latter said …": of the last two officials named before the unit (in the
        sentence before it), the second ("latter") or the first ("former")."""
        earlier = [u for u in self.unit_starts if u < self._unit_start]
        if not earlier:
            return None
        named: list[Mention] = []
        for m in self.mentions:
            if earlier[-1] <= m.start < self._unit_start and m.kind == "official" and (
                    not named or named[-1].person != m.person):
                named.append(m)
        if len(named) < 2:
            return None
        m = named[-1] if which == "latter" else named[-2]
        return Speaker(m.person, m.actor_id, True)

    def _recent_subject(self, actor: str | None, gender: str | None = None,
                        office: str | None = None) -> Speaker | None:
        """An official who is the subject of a sentence after the last statement ("Lavrov raised concerns
        … / “…,” he said"): a pronoun or role now means that official rather than the last speaker."""
        unit = self._unit_of(self._unit_start) if self._unit_start else 0
        found = [m for m in self.mentions if m.kind == "official" and m.start < self._unit_start
                 and (actor is None or m.actor_id == actor) and _fits_name(m.person, gender)
                 and self._holds(m.person, office)]
        found = [m for m in found if self.last_unit_with_statement < self._unit_of(m.start) < unit
                 and not self._after_preposition(m)]
        person = self._person_subject(unit, actor, gender) if office is None else None
        if not found:
            return person[0] if person else None
        last = max(self._unit_of(m.start) for m in found)
        first = next(m for m in found if self._unit_of(m.start) == last)
        if person is not None and person[1] > last:
            return person[0]
        return Speaker(first.person, first.actor_id, True)

    def _person_subject(self, unit: int, actor: str | None, gender: str | None) -> tuple[Speaker, int] | None:
        """A person beyond the configured officials who opens a sentence after the last statement, titles
        aside ("Representative Dana Whitfield struck a similar note. “…,” she said"), with its unit."""
        if self.last_unit_with_statement >= unit - 1:
            return None
        for k in range(unit - 1, self.last_unit_with_statement, -1):
            start = self.unit_starts[k - 1] if 0 < k <= len(self.unit_starts) else None
            if start is None:
                continue
            for p in self.people.table_between(start, start + 80):
                lead = self.text[start : p.start].split()
                if p.outside or not all(w[:1].isupper() or w.lower() in TITLE_WORDS for w in lead):
                    continue
                who = Speaker(p.name, p.actor or self.people.actor_by_form(p.name), True)
                if (actor is None or who.actor == actor) and _fits(who, gender):
                    return who, k
            return None
        return None

    def _holds(self, name: str | None, office: str | None) -> bool:
        """Whether a person can be meant by a role noun of ``office``: false only for a configured official
        whose own role is another office ("the minister" is not the prime minister or the president)."""
        held = self.index.offices.get(name) if office is not None and name is not None else None
        return held is None or held == office

    def _after_preposition(self, m: Mention) -> bool:
        """Whether the words before an official's name and titles end in a preposition ("by Mirzoyan")."""
        words = self.text[max(0, m.start - 120) : m.start].split()
        comma = False
        while words:
            w = words[-1].lower()
            title = words[-1][:1].isupper() or (w in TITLE_WORDS and w not in _PREPOSITIONS)
            joins = w in ("of", "the", "for") and len(words) > 1 and words[-2][:1].isupper()  # Minister of Armenia
            if not (title or joins):
                break
            comma = comma or w.endswith(",")
            words.pop()
        if not words or words[-1].lower() not in _PREPOSITIONS:
            return False
        # "Speaking in Moscow, Lavrov …", "In Yerevan, Pashinyan …": an adverbial opening the sentence, not "by X"
        lead = words[:-1]
        start = max((k + 1 for k, w in enumerate(lead) if w[-1:] in _SENTENCE_END), default=-1)
        if start < 0 and m.start <= 120:
            start = 0  # the window reaches the start of the text
        phrase = lead[start:] if start >= 0 else []
        opening = start >= 0 and (not phrase or (
            phrase[0][:1].isupper() and (phrase[0].endswith("ing") or phrase[0].lower() in _OPENERS)
            and not any(w.endswith(",") for w in phrase)))
        return not (comma and opening)

    def _subject_before(self) -> Speaker | None:
        """"Baku rejects the offer. It insists that …": an actor opening the unit before, as an institution."""
        earlier = [u for u in self.unit_starts if u < self._unit_start]
        if not earlier:
            return None
        first = next((m for m in self.mentions if m.start >= earlier[-1]), None)
        if first is None or first.kind == "official":
            return None
        lead = self.text[earlier[-1] : first.start].strip()
        if not lead and first.kind in ("name", "alias"):
            return Speaker(first.surface, first.actor_id, False)
        np = NP_AT_START.match(self.text, earlier[-1])  # "The Armenian Foreign Ministry issued …"
        if lead in ("", "The", "the") and np is not None and np.end("np") >= first.end:
            words = np.group("np").split()
            if words[-1].lower() in INSTITUTION_ROLES:
                return Speaker(clean_phrase(np.group("np")), first.actor_id, False)
        return None

    def _unit_of(self, pos: int) -> int:
        """Index of the sentence unit holding ``pos`` (units seen so far)."""
        return bisect_right(self.unit_starts, pos)

    def resolve(self, a: int, b: int, app: tuple[int, int] | None = None) -> Speaker | None:
        """The speaker named by the phrase ``text[a:b]`` (plus an appositive), or ``None``."""
        phrase = self.text[a:b]
        if ("tatement" in phrase or "eadout" in phrase or "eclaration" in phrase or "ommuniqu" in phrase
                or "elease" in phrase) and (issued := _ISSUED_BY.match(phrase)) is not None and (
                issuer := self.resolve(a + issued.end(), b, app)) is not None and issuer.actor is not None:
            return issuer  # "a statement from the U.S. Department of State": the department
        words = [w.strip(".,’'").lower() for w in phrase.split()]
        words = [w[:-2] if w.endswith(("’s", "'s")) else w for w in words]
        words = [_SUBJECT_FORM.get(w, w) for w in words]
        if len(words) == 1 and words[0] in PRONOUNS:
            gender = _GENDERED.get(words[0])
            return (self._antecedent(PRONOUNS[words[0]], gender=gender) or self._feed_speaker()
                    or self._cataphor(PRONOUNS[words[0]], gender))
        if words[0] in FIRST_PERSON and (phrase.split()[0] == "I" or not phrase.split()[0].isupper()):  # not "US"
            return None
        if words in (["the", "latter"], ["the", "former"]):
            return self._latter_or_former(words[1])
        span = self._touching(a, app[1] if app else b)
        possessive = {m.start for m in span if self.text.startswith(("’s", "'s"), m.end) and m.end < b}
        officials = [m for m in span if m.kind == "official" and m.start not in possessive]
        # "a senior aide to President Ilham Aliyev": the official is whom the role serves, not the speaker
        served = [m for m in officials if _SERVES.search(self.text, max(a, m.start - 40), m.start)] if officials and (
            " to " in phrase or " for " in phrase or " of " in phrase) else []
        if officials and len(served) < len(officials):
            m = next(m for m in officials if m not in served)
            return Speaker(m.person, m.actor_id, True)
        others = served + [m for m in span if m.kind != "official" or m.start in possessive]
        actor = others[0].actor_id if others else None
        owned = len(phrase.split()) > 1 and phrase.split()[-2].endswith(("’s", "'s"))  # "Deputy PM X's office"
        if (actor and words[-1] in INSTITUTION_ROLES and words[-1] not in DOCUMENTS
                and (possessive or owned or not any(w in PERSON_ROLES for w in words))):
            return Speaker(clean_phrase(phrase), actor, False)  # "Prime Minister Nikol Pashinyan's office"
        outside = any(w in OUTSIDE_ROLES or w in MEDIA for w in words) or outside_titles_before(
            self.text, a, OUTSIDE_ROLES, PERSON_ROLES) or (
            app is not None and any(w.strip(".,").lower() in OUTSIDE_ROLES for w in self.text[app[0]:app[1]].split()))
        name = self._person_name(a, b, span) or (app and self._person_name(*app, span))
        if name:
            return self._person(name, actor, outside)
        role_person = any(w in PERSON_ROLES for w in words)
        gender = next((_GENDERED[w] for w in words if w in _GENDERED), None)  # "the spokeswoman"
        definite = words[0] in {"the", "its", "he", "she", "they"}  # "his"/"her"/"their" read as subject forms
        if others:
            if outside:
                return Speaker(clean_phrase(phrase), None, False)
            if definite and role_person and (prev := self._antecedent("person", actor, gender, office_of(phrase))):
                return prev
            # "Moscow's envoy added": an actor's envoy or diplomat named so before ("Moscow's envoy to Baku, X")
            if (words[-1] in _BACK_ROLES and others[0].start == a and others[0].start in possessive
                    and (prev := self._antecedent("person", actor, gender)) is not None and prev.name
                    and self._titled(prev.name, words[-1])):
                return prev
            indefinite = words[0] in _INDEFINITE  # "an Iranian Foreign Ministry spokesman": unnamed
            official = self._official_by_role(actor, phrase) if role_person and not indefinite else None
            if official:
                return Speaker(official, actor, True)
            if definite and role_person and (named := self._named_before(words, actor) or self._named_later(words, actor)):
                return named
            if indefinite and role_person and served and (named := self._named_later(words, actor)) is not None:
                return named  # "a senior aide to President X said … the aide, Name, told Reuters"
            return Speaker(clean_phrase(phrase), actor, role_person and words[-1] not in GENERIC_PLURALS)
        if definite and words[-1] == "source":  # "the source said": the source named before ("a source in X")
            for sp in reversed(self.history):
                if sp.name and "source" in sp.name.lower().split():
                    return sp
        if words[-1] in GENERIC_PLURALS or outside:
            return Speaker(clean_phrase(phrase), None, False)
        if role_person and words[0] in _INDEFINITE:
            return Speaker(clean_phrase(phrase), None, True)  # "a German government spokesperson": someone new
        if role_person and ("organi" in (near := self.text[max(0, a - 30) : b]) or "alliance" in near) and (
                _OWNED_BY_ORGANISATION.search(near)):
            return Speaker(clean_phrase(phrase), None, True)  # "the organization's Secretary General": not ours
        if role_person:
            prev = self._antecedent("person", gender=gender, office=office_of(phrase))
            if prev is not None and prev.name and definite and words[-1] in PERSON_ROLES \
                    and not self._titled(prev.name, words[-1]):
                # "The Secretary said" after "… with US Secretary of State X": the official with that title
                titled = [m for m in self.mentions if m.kind == "official" and m.start < self._unit_start
                          and _title_has(self.text, m.start, words[-1]) and _fits_name(m.person, gender)]
                if titled:
                    return Speaker(titled[-1].person, titled[-1].actor_id, True)
            return prev or self._feed_speaker() or self._cataphor("person", gender)
        caps = [w for w in phrase.split() if w[:1].isupper() and w.lower().strip(".") not in TITLE_WORDS]
        if caps:
            return Speaker(clean_phrase(phrase), None, False)
        if any(w in INSTITUTION_ROLES for w in words):
            return self._institution(phrase)
        return None

    def _named_before(self, words: Sequence[str], actor: str) -> Speaker | None:
        """"Galuzin met Iranian Deputy Foreign Minister Hamid Rezaei … the Iranian diplomat told journalists": a
        definite role with no speaker before it is the person of that actor the item named last before the unit
        (beyond the configured officials, who are found as antecedents), when the role word is in that person's
        title or is a generic one ("diplomat", "official")."""
        role = next((w for w in reversed(words) if w in PERSON_ROLES), None)
        if role is None:
            return None
        before = [p for p in self.people.table_between(0, self._unit_start) if p.actor == actor and not p.outside]
        for p in reversed(before):
            if role in _GENERIC_ROLES or _title_has(self.text, p.start, role):
                return Speaker(p.name, actor, True)
        return None

    def _named_later(self, words: Sequence[str], actor: str) -> Speaker | None:
        """"The Russian ambassador said … Ambassador Alexei Petrov added": a definite role with nobody before is the
        person the item names later with that role word (in a title before the name or an appositive after it),
        when that person speaks for the same actor or for none known."""
        head = next((words[:k] for k, w in enumerate(words) if w in ("to", "for", "of")), words)  # "aide to X": aide
        role = next((w for w in reversed(head) if w in PERSON_ROLES and w not in _WIDE_ROLES), None)
        if role is None:
            return None
        for m in _titled_name(role).finditer(self.text, self._pos_end):
            name = (m.group("a") or m.group("b") or m.group("c")).removesuffix("’s").removesuffix("'s")
            span = [x for x in self.mentions if x.start < m.end() and x.end > m.start()]
            officials = [x for x in span if x.kind == "official"]
            if officials:
                return Speaker(officials[0].person, actor, True) if officials[0].actor_id == actor else None
            found = self._person(name, None, False)
            if found.actor in (None, actor):
                return Speaker(found.name, actor, True)
            return None
        return None

    def _titled(self, name: str, role: str) -> bool:
        """Whether the person so named was given the role word in a title before the current unit."""
        last = name.split()[-1]
        start = self.text.find(last)
        while 0 <= start < self._unit_start:
            if _title_has(self.text, start, role):
                return True
            start = self.text.find(last, start + 1)
        return False

    def _institution(self, phrase: str) -> Speaker | None:
        """An office with no actor named ("the Ministry", "her ministry"): kept as printed, with the actor
        of the person it belongs to, of the last speaker, or of the actor named first in the unit."""
        if self.feed_actor:
            return self._antecedent("institution") or self._feed_speaker()
        doc = _fold_last(phrase)
        if doc in DOCUMENTS and self.history and self.history[-1].person and self.statements and doc in self.text[
                self.statements[-1].start : self._unit_start].lower():
            return self.history[-1]  # "X said in a statement. … the statement added": X's statement
        if doc in DOCUMENTS and (issuer := self._antecedent("institution")
                                                or (self.history[-1] if self.history else None)) is not None:
            return issuer  # "the statement reads": the office that issued it, else the last speaker
        first = phrase.split()[0].lower()
        personal = first in {"his", "her"}
        owner = self._antecedent("person") if personal else self._antecedent("any")
        actor = owner.actor if owner is not None else None
        head = _fold_last(phrase)
        if (owner is not None and not owner.person and owner.name and first in {"the", "this"} and len(phrase.split()) == 2
                and head in {w.lower() for w in owner.name.split()} and self.index.find(owner.name)):
            return owner  # "The embassy added": the embassy named before with its actor ("the Russian embassy in Yerevan")
        if actor is None:
            unit = [m for m in self.mentions if self._unit_start <= m.start < self._pos_end
                    and (m.kind == "official") == personal]
            before = [m for m in self.mentions if m.start < self._unit_start]
            actor = unit[0].actor_id if unit else before[-1].actor_id if before else None
        if actor is None:
            return None
        name = phrase.strip() if first in {"his", "her", "their"} else clean_phrase(phrase)
        return Speaker(name, actor, False)

    def _cataphor(self, want: str, gender: str | None = None) -> Speaker | None:
        """With nothing before, the first official named later in the item ("He said … Lavrov added")."""
        if want == "institution":
            return None
        after = [m for m in self.mentions if m.kind == "official" and m.start >= self._pos_end
                 and _fits_name(m.person, gender)]
        named = self.people.first_after(self._pos_end, gender)
        if named is not None and (not after or named.start < after[0].start):
            return Speaker(named.name, named.actor, True)
        if after:
            return Speaker(after[0].person, after[0].actor_id, True)
        return None

    def _person(self, name: str, actor: str | None, outside: bool) -> Speaker:
        """A named person outside the configured officials: actor from the phrase, the item's
        introduction of that surname, or else the surname's form."""
        if outside:
            return Speaker(name, None, True)
        known = self.people.lookup(name)
        if known is not None:
            if known.name.endswith(name) and len(known.name) > len(name):
                name = known.name
            if actor is None and known.outside:
                return Speaker(name, None, True)
            actor = actor or known.actor
        return Speaker(name, actor or self.people.actor_by_form(name), True)

    def _feed_speaker(self) -> Speaker | None:
        return Speaker(self.index.name_of(self.feed_actor), self.feed_actor, False) if self.feed_actor else None

    def _person_name(self, a: int, b: int, span: Sequence[Mention]) -> str | None:
        """A run of capitalised words in ``text[a:b]`` that is neither a title nor an actor name."""
        run: list[re.Match[str]] = []
        runs: list[list[re.Match[str]]] = []
        for w in WORD.finditer(self.text, a, b):
            tok = w.group()
            covered = any(m.start <= w.start() < m.end for m in span)
            bare = tok.rstrip(".").removesuffix("’s").removesuffix("'s")
            is_name = (bare[:1].isupper() and not covered and bare.lower() not in TITLE_WORDS and not bare.isupper()
                       ) or (run and tok.lower() in {"von", "der", "de", "al", "van", "bin"})
            if is_name:
                run.append(w)
            elif run:
                adjective = len(run) == 1 and tok.lower() in ROLE_WORDS and w.start() == run[-1].end() + 1
                if not adjective:
                    runs.append(run)
                run = []
        if run:
            runs.append(run)
        # "Commissioner for Human Rights … Sabina Aliyeva": the full name after the titles, else the first run
        full = [r for r in runs if len(r) >= 2]
        best = full[-1] if full else runs[0] if runs else []
        if not best:
            return None
        best = best[given_name_start([w.group() for w in best]) :]  # "… of the Turkic World Hulusi Kilic"
        return self.text[best[0].start() : best[-1].end()].rstrip(".").removesuffix("’s").removesuffix("'s")

    def _official_by_role(self, actor: str | None, phrase: str) -> str | None:
        """The configured official an unnamed role stands for ("the Armenian prime minister"), when the item
        names that official anywhere (the role announces or recalls the name) or the official has ``by_role``;
        otherwise None and the role is kept as printed."""
        if actor is None or actor not in self.index.actors:
            return None
        named = {m.person for m in self.mentions if m.kind == "official" and m.actor_id == actor}
        low = " " + fast_fold(phrase).replace("’", "'").replace("'s", "") + " "
        low = re.sub(r"head of state", "president", low)
        low = re.sub(r"(?<= )(?:top|chief) diplomat(?= )|(?<= )fm(?= )", "foreign minister", low)
        low = re.sub(r"(?<= )(?:pm|premier)(?= )", "prime minister", low)
        low = re.sub(r"head of (?:the )?(?:\w+ )?(?:foreign ministry|ministry of foreign affairs)", "foreign minister", low)
        if "foreign minister" in low or "foreign policy chief" in low or "foreign affairs chief" in low:
            low += "high representative "  # the EU's top diplomat is its High Representative
        best, best_len = None, 0
        for o in self.index.actors[actor].officials:
            role = _role_key(o.role)
            if not role or role.startswith("former") or not (o.by_role or o.name in named):
                continue
            for m in re.finditer(rf"(?<=\s){re.escape(role)}(?=\s)", low):
                prev = low[: m.start()].split()[-1:] or [""]
                if prev[0] not in {"deputy", "vice", "former", "assistant", "first"} and len(role) > best_len:
                    best, best_len = o.name, len(role)
        return best


_BACK_ROLES = frozenset({"envoy", "diplomat", "official"})  # role nouns that refer back (or forward) to a named person


def _title_has(text: str, pos: int, role: str) -> bool:
    """Whether the words before a name at ``pos`` (same sentence, 100 characters at most) hold the role word."""
    window = text[max(0, pos - 100) : pos]
    cut = max(window.rfind(". "), window.rfind("\n"))
    return role in window[cut + 1 :].lower().replace(",", " ").split()


_OWNED_BY_ORGANISATION = re.compile(r"\b(?:organi[sz]ation|alliance)[’']s\s")  # "the alliance's chief": none of ours
_SERVES = re.compile(  # a role and the preposition that names whom it serves: "aide to (President) …"
    r"\b(?:aide|aides|adviser|advisers|advisor|assistant|spokesman|spokeswoman|spokesperson|press\s+secretary|envoy)"
    r"\s+(?:to|for|of)\s+(?:the\s+)?(?:[A-Z][\w’'\-]*\s+){0,3}$")
_GENERIC_ROLES = frozenset({"diplomat", "official"})  # role nouns that fit any title of an actor's person
_WIDE_ROLES = frozenset({"official", "member", "leader", "head", "chief", "deputy", "counterpart", "general"})
_NAME = r"[A-ZÀ-ÖØ-Þ\u0100-\u017f][\w’'\-]+(?:\s+[A-ZÀ-ÖØ-Þ\u0100-\u017f][\w’'\-]+){1,2}"


@lru_cache(maxsize=64)
def _titled_name(role: str) -> re.Pattern[str]:
    """A name given ``role``: "Ambassador Alexei Petrov" (the role word capitalised, as a title), "Alexei Petrov,
    the Russian ambassador" (an appositive of at most six words ending in the role word) or "the ambassador, Alexei
    Petrov,"."""
    title = role[:1].upper() + role[1:]
    return re.compile(rf"\b{re.escape(title)}\s+(?P<a>{_NAME})\b|(?P<b>{_NAME}),\s+(?:the\s+|a\s+)?"
                      rf"(?:[\w’'\-]+\s+){{0,5}}{re.escape(role)}\b|\b[Tt]he\s+{re.escape(role)},\s+(?P<c>{_NAME}),")


_ISSUED_BY = re.compile(r"(?:(?:a|an|the|A|An|The)\s+)?(?:joint\s+|written\s+|official\s+)?(?:statement|communiqu[eé]|"
                        r"declaration|readout|read-out|press\s+release)\s+(?:from|by|of|issued\s+by)\s+(?:the\s+)?")
_SUBJECT_FORM = {"him": "he", "her": "she", "them": "they", "his": "he", "their": "they"}
_INDEFINITE = frozenset({"a", "an", "one", "another"})  # "another U.S. official": someone new, unnamed
_GENDERED = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "spokeswoman": "f", "chairwoman": "f",
             "spokesman": "m", "chairman": "m"}


def _fits_name(name: str | None, gender: str | None) -> bool:
    """Whether a person so named can be meant by a word of ``gender`` (unknown fits either)."""
    if gender is None:
        return True
    found = gender_of(name)
    return found is None or found == gender


def _fits(sp: Speaker, gender: str | None) -> bool:
    return gender is None or not sp.person or _fits_name(sp.name, gender)


_OPENERS = frozenset({"later", "earlier", "then", "also", "meanwhile", "separately"})  # may open "… in X, Name"
_SENTENCE_END = ".!?\"”»"
_PREPOSITIONS = frozenset({"by", "of", "to", "with", "from", "for", "against", "on", "at", "in", "than", "about",
                           "between", "into", "toward", "towards", "among", "alongside", "and"})


@lru_cache(maxsize=256)
def _role_key(role: str) -> str:
    return fast_fold(role).replace("mfa", "foreign ministry")


def _fold_last(phrase: str) -> str:
    words = phrase.split()
    return words[-1].lower().strip(".,") if words else ""


_WHEN_END = re.compile(
    r"\s+(?:on|in|at|last|this)\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|"
    r"March|April|May|June|July|August|September|October|November|December)(?:\s+\d{1,4})?$")


def clean_phrase(phrase: str) -> str:
    """A speaker phrase as kept in a statement: no leading article, no trailing possessive or date."""
    out = re.sub(r"^(?:the|The|a|A|an|An|its|Its)\s+", "", SPACE.sub(" ", phrase.strip()))
    return _WHEN_END.sub("", out.rstrip(".,")).removesuffix("’s").removesuffix("'s")
