"""People in one item beyond the configured officials: variants, namesakes, introductions.

Takes an item's text and its :class:`~monitor.statements.actors.Mention` list and gives a
:class:`People` table that the extractor asks about person names:

- **variants**: a capitalised word that is a transliteration of a configured official's
  surname ("Pashinian", "Aliev") becomes a mention of that official (rapidfuzz ratio, see
  :meth:`ActorIndex.fuzzy_official <monitor.statements.actors.ActorIndex.fuzzy_official>`);
- **namesakes**: a configured surname after another first name ("Mher Grigoryan" when the
  configured official is Armen Grigoryan) is someone else, and so is that surname alone later on;
- **introductions**: a person first named with a nationality or a country role ("Turkish
  Foreign Minister Mevlut Cavusoglu", "Vahan Kostanyan, deputy foreign minister of Armenia",
  "his Armenian counterpart Ruben Rubinyan") keeps that actor wherever the surname recurs;
- **name form**: failing all that, the name's form hints at the country, a weak prior used last: a
  given name common in one country (:mod:`monitor.statements.given_names`: "Hossein", "Andrei",
  "Elnur") outranks the surname's form (Armenian -yan/-ian, Turkish -oğlu or Turkish letters,
  Azerbaijani -iyev/-zade, -ov/-ev by which of Russia and Azerbaijan the passage names more).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from monitor.config import fold
from monitor.statements.actors import ActorIndex, Mention, first_name_fits
from monitor.statements.given_names import given_name_actors

_NAME_WORD = re.compile(r"[A-ZÀ-ÖØ-Þ\u0100-\u017f][\w’'\-]+|[A-Z]\.")
_NAME_RUN = re.compile(r"[A-ZÀ-ÖØ-Þ\u0100-\u017f][\w’'\-]+(?: (?:[A-ZÀ-ÖØ-Þ\u0100-\u017f][\w’'\-]+|[A-Z]\.))+")
_CONNECT = frozenset({"of", "the", "for", "and", "on", "in", "to", "’s", "'s"})
_ARMENIAN = re.compile(r"(?:yan|ian|ants|unts)$")
_TURKISH = re.compile(r"(?:oglu|oğlu)$|[çşğı]")
_AZERBAIJANI = re.compile(r"(?:iyev|iyeva|zade|zada|bayli|beyli|ov|ova|yev|yeva)$")
_SLAVIC = re.compile(r"(?:ov|ova|ev|eva|in|ina|sky|skaya|enko)$")
# countries and nationalities that are no configured actor (a configured one is an alias, read first): "Kazakh
# President Kassym-Jomart Tokayev" speaks for none of ours, whatever the form of his surname says
_FOREIGN = frozenset({
    "kazakh", "kazakhstani", "kazakhstan", "kyrgyz", "kyrgyzstan", "uzbek", "uzbekistan", "turkmen", "turkmenistan",
    "tajik", "tajikistan", "belarusian", "belarus", "ukrainian", "ukraine", "moldovan", "moldova", "chinese",
    "china", "indian", "india", "pakistani", "pakistan", "israeli", "israel", "iraqi", "iraq", "syrian", "syria",
    "saudi", "emirati", "uae", "qatari", "qatar", "egyptian", "egypt", "jordanian", "jordan", "lebanese", "lebanon",
    "afghan", "afghanistan", "german", "germany", "british", "britain", "uk", "italian", "italy", "spanish",
    "spain", "dutch", "netherlands", "belgian", "belgium", "swedish", "sweden", "finnish", "finland", "norwegian",
    "norway", "danish", "denmark", "polish", "poland", "czech", "slovak", "slovakia", "hungarian", "hungary",
    "romanian", "romania", "bulgarian", "bulgaria", "greek", "greece", "cypriot", "cyprus", "serbian", "serbia",
    "croatian", "croatia", "austrian", "austria", "swiss", "switzerland", "lithuanian", "lithuania", "latvian",
    "latvia", "estonian", "estonia", "irish", "ireland", "portuguese", "portugal", "japanese", "japan", "korean",
    "korea", "canadian", "canada", "australian", "australia", "brazilian", "brazil", "maltese", "malta",
    "slovenian", "slovenia", "albanian", "albania", "bosnian", "montenegrin", "macedonian", "mongolian", "mongolia",
    "indonesian", "indonesia", "malaysian", "malaysia",
})


@dataclass(frozen=True, slots=True)
class Person:
    """A person of the item: the fullest printed name and the actor it speaks for (``None``: outside)."""

    name: str
    actor: str | None
    outside: bool = False
    start: int = 0


@dataclass(slots=True)
class People:
    """Per-item table of people, keyed by folded surname; introductions are read on the first lookup."""

    text: str = ""
    mentions: Sequence[Mention] = ()
    titles: Collection[str] = ()
    outside: Collection[str] = ()
    roles: Collection[str] = ()
    namesakes: set[str] = field(default_factory=set)
    counts: dict[str, int] = field(default_factory=dict)
    _by_surname: dict[str, Person] | None = None
    _one: dict[str, Person | None] = field(default_factory=dict)
    _mask: tuple[Sequence[Mention], bytearray] | None = None  # the mentions it was built from, the mask

    def lookup(self, name: str) -> Person | None:
        """The introduced person whose surname ends ``name``, if any (only that surname's runs are read)."""
        words = name.split()
        if not words:
            return None
        last = words[-1].removesuffix("’s").removesuffix("'s")
        key = _fold_word(last)
        if self._by_surname is not None:
            return self._by_surname.get(key)
        if key not in self._one:
            found = None
            for at in re.finditer(rf"(?<![\w’'\-]){re.escape(last)}(?![\w\-])", self.text):
                window = max(0, at.start() - 120)
                table = _introductions(self.text, self.mentions, self.titles, self.outside, self.roles,
                                       window, at.end(), self._covered())
                if (found := table.get(key)) is not None:
                    break
            self._one[key] = found
        return self._one[key]

    def first_after(self, pos: int, gender: str | None = None) -> Person | None:
        """The first person (full name, not a configured official) introduced at or after ``pos`` who speaks
        for an actor (by the introduction or the name's form) and whose name fits ``gender``."""
        later = sorted((p for p in self._table().values() if p.start >= pos), key=lambda p: p.start)
        for p in later:
            actor = p.actor or (None if p.outside else self.actor_by_form(p.name))
            if actor and (gender is None or gender_of(p.name) in (None, gender)):
                return Person(p.name, actor, False, p.start)
        return None

    def table_between(self, start: int, end: int) -> list[Person]:
        """The people named in ``text[start:end]``, left to right (read from that window alone, as ``lookup`` does:
        the whole table is built only when asked for)."""
        if self._by_surname is not None:
            return sorted((p for p in self._by_surname.values() if start <= p.start < end), key=lambda p: p.start)
        found = _introductions(self.text, self.mentions, self.titles, self.outside, self.roles, start, end,
                               self._covered())
        return sorted(found.values(), key=lambda p: p.start)

    def _covered(self) -> bytearray:
        """The mention mask of the item (see :func:`_mask`), built once for the mentions it holds."""
        if self._mask is None or self._mask[0] is not self.mentions:
            self._mask = (self.mentions, _mask(self.text, self.mentions))
        return self._mask[1]

    def _table(self) -> dict[str, Person]:
        if self._by_surname is None:
            self._by_surname = _introductions(self.text, self.mentions, self.titles, self.outside, self.roles,
                                              covered=self._covered())
        return self._by_surname

    def actor_by_form(self, name: str) -> str | None:
        """A weak guess of a person's actor from the form of the name (see the module docstring).

        A given name common in one country only decides; one common in several narrows the choice
        to them (the surname's guess if among them, else the one the passage names most).
        """
        words = name.split()
        given = given_name_actors(words[0]) if len(words) > 1 else frozenset()
        guess = self._surname_form(words[-1]) if words else None
        if not given or guess in given:
            return guess
        if len(given) == 1:
            return next(iter(given))
        named = [(self.counts.get(a, 0), a) for a in given if self.counts.get(a, 0)]
        return max(named)[1] if named else None

    def _surname_form(self, word: str) -> str | None:
        last = _fold_word(word)
        raw = word.lower()
        if len(last) < 4:
            return None
        if _ARMENIAN.search(last):
            return "AM"
        if _TURKISH.search(raw) or last.endswith("oglu"):
            return "TR"
        if _AZERBAIJANI.search(last) or _SLAVIC.search(last):
            az, ru = self.counts.get("AZ", 0), self.counts.get("RU", 0)
            if last.endswith(("iyev", "iyeva", "zade", "zada", "bayli", "beyli")):
                return "AZ"
            return "AZ" if az > ru else "RU" if ru else None
        return None


_FEMALE_GIVEN = frozenset({
    "ani", "anne", "catherine", "caroline", "chloe", "christine", "elisabeth", "elizabeth", "hillary", "ingrid",
    "irene", "jane", "karine", "kelly", "laurence", "margaret", "marie", "marine", "mehriban", "nancy", "nathalie",
    "ruth", "sophie", "sylvie", "tammy",
})
_MALE_IN_A = frozenset({"nikita", "ilya", "luka", "luca", "mustafa", "mostafa", "musa", "isa", "yahya", "hamza",
                        "reza", "mojtaba", "joshua", "andrea", "costa"})
_FEMALE_SURNAME = re.compile(r"(?:ova|eva|skaya|ina)$")


def gender_of(name: str | None) -> str | None:
    """``"f"`` or ``"m"`` for a person's name, ``None`` when the name does not show it.

    A full name shows it by the given name (a feminine one ends in -a, or is one of a short list:
    "Ani", "Catherine", "Tammy"); a bare surname only by a feminine ending ("Zakharova").
    """
    words = (name or "").split()
    if not words:
        return None
    last = _fold_word(words[-1])
    if len(words) == 1:
        return "f" if _FEMALE_SURNAME.search(last) and len(last) > 5 else None
    given = _fold_word(words[0])
    if len(given) < 2 or not given.isalpha():
        return None
    female = given in _FEMALE_GIVEN or (given.endswith("a") and given not in _MALE_IN_A)
    return "f" if female else "m"


@lru_cache(maxsize=8192)
def _fold_word(word: str) -> str:
    return fold(word.rstrip(".").removesuffix("’s").removesuffix("'s"))


def _is_title(word: str, titles: Collection[str]) -> bool:
    return _fold_word(word) in titles


def _mask(text: str, spans: Sequence[Mention]) -> bytearray:
    """One byte per character of ``text``: 1 inside a mention."""
    mask = bytearray(len(text))
    for m in spans:
        mask[m.start : m.end] = b"\x01" * (m.end - m.start)
    return mask


def build_people(text: str, mentions: Sequence[Mention], index: ActorIndex, titles: Collection[str],
                 outside: Collection[str], roles: Collection[str]) -> tuple[list[Mention], People]:
    """The item's mentions with variants added and namesakes removed, and its table of people.

    ``titles`` are words never part of a name, ``outside`` words of roles outside any actor
    ("analyst"), ``roles`` words of roles that speak for one ("minister", "spokesperson").
    """
    people = People(text, (), titles, outside, roles)
    for m in mentions:
        people.counts[m.actor_id] = people.counts.get(m.actor_id, 0) + 1
    starts = {m.start for m in mentions}
    extra: list[Mention] = []
    for w in index.variant_candidates.finditer(text):
        if w.start() in starts or (w.start() and text[w.start() - 1].isalnum()):
            continue
        bare = w.group().removesuffix("’s").removesuffix("'s")
        hit = index.fuzzy_official(bare)
        if hit is not None:
            actor, person = hit
            extra.append(Mention(w.start(), w.start() + len(bare), actor, "official", bare, person))
    out: list[Mention] = []
    for m in sorted([*mentions, *extra], key=lambda m: m.start) if extra else mentions:
        if m.kind == "official" and m.person and _namesake(text, m, titles, people):
            continue
        out.append(m)
    people.mentions = out
    return out, people


def _namesake(text: str, m: Mention, titles: Collection[str], people: People) -> bool:
    """A configured surname that names someone else: another first name before it, or seen so before."""
    assert m.person is not None
    if " " in m.surface:
        return False
    key = _fold_word(m.surface)
    word = ""
    if m.start > 1 and text[m.start - 1] == " " and not text[m.start - 2].isspace():
        word = text[max(0, m.start - 40) : m.start - 1].split()[-1]  # the word before, not across a line break
    if _given_name(word) and not _is_title(word, titles):
        if not first_name_fits(word, m.person):
            people.namesakes.add(key)
            return True
        return False
    return key in people.namesakes


def _given_name(word: str) -> bool:
    """Whether a word can be a given name: capitalised and not an acronym or a joined title ("HR/VP", "MFA")."""
    return (word[:1].isupper() and word[-1:].isalpha() and not word.isupper() and "/" not in word
            and not word.endswith(("’s", "'s")))  # "EU's Kallas": a possessive, not a given name


def _introductions(text: str, mentions: Sequence[Mention], titles: Collection[str], outside: Collection[str],
                   roles: Collection[str], start: int = 0, end: int | None = None,
                   covered: bytearray | None = None) -> dict[str, Person]:
    """People by folded surname, with the actor of a nationality or country role given next to the name
    (names in ``text[start:end]``)."""
    by_surname: dict[str, Person] = {}
    covered = _mask(text, mentions) if covered is None else covered
    runs: list[list[re.Match[str]]] = []
    for span in _NAME_RUN.finditer(text, start, len(text) if end is None else end):
        run: list[re.Match[str]] = []
        for w in _NAME_WORD.finditer(text, span.start(), span.end()):
            if covered[w.start()] or _is_title(w.group(), titles):
                if len(run) > 1:
                    runs.append(run)
                run = []
            else:
                run.append(w)
        if len(run) > 1:
            runs.append(run)
    for run in runs:
        if len(run) < 2:
            continue
        run = run[given_name_start([w.group() for w in run]) :]
        name = text[run[0].start() : run[-1].end()].removesuffix("’s").removesuffix("'s")
        key = _fold_word(name.split()[-1])
        if key in by_surname:
            continue
        actor, is_outside = _actor_near(text, run[0].start(), run[-1].end(), mentions, titles, outside, roles)
        by_surname[key] = Person(name, None if is_outside else actor, is_outside, run[0].start())
    return by_surname


def outside_titles_before(text: str, pos: int, outside: Collection[str], roles: Collection[str]) -> bool:
    """Whether titles listed before ``pos``, comma after comma, open with an outside role: in "former
    ambassador to X, head of Y, Name said" Name speaks for no actor."""
    head = text[max(text.rfind(c, 0, pos) for c in ".;:\n“”\"") + 1 : pos].rstrip()
    if not head.endswith(","):
        return False
    for part in reversed(head[:-1].split(",")[-3:]):
        words = [w.lower() for w in part.split()]
        if not words or not any(w in roles for w in words):
            return False
        if words[0] in outside:
            return True
    return False


_ABBREVIATION_DOT = re.compile(r"(?<![\w.])(?:[A-Z]\.){2,}")  # "U.S.", "U.N.": their dots end no clause


def _clause_start(text: str, pos: int) -> int:
    """Where the clause holding ``pos`` starts (the index of the mark before it, -1 at the text's start);
    the dots of an abbreviation such as "U.S." are no mark."""
    lo = max(text.rfind(c, 0, pos) for c in ".,;:\n“”\"(")
    while lo > 0 and text[lo] == "." and (m := _ABBREVIATION_DOT.search(text, max(0, lo - 8), lo + 1)) and m.end() > lo:
        lo = max(text.rfind(c, 0, m.start()) for c in ".,;:\n“”\"(")
    return lo


def _actor_near(text: str, start: int, end: int, mentions: Sequence[Mention], titles: Collection[str],
                outside: Collection[str], roles: Collection[str]) -> tuple[str | None, bool]:
    """The actor of the role words right before a name, or of an appositive right after it that opens
    with a role or an actor ("…, Turkey's special envoy", "…, spokesperson of the Armenian MFA")."""
    lo = _clause_start(text, start)
    before = text[lo + 1 : start]
    tail = before.split()[-10:]
    named = {_fold_word(m.surface) for m in mentions if lo < m.start < start}
    role_run: list[str] = []
    for tok in reversed(tail):
        bare = tok.strip("()").lower()
        if _is_title(tok, titles) or bare in _CONNECT or _fold_word(tok) in named:
            role_run.append(bare)
        else:
            break
    window_start = start - len(" ".join(reversed(role_run))) - 1
    if any(_fold_word(w) in outside for w in role_run) or outside_titles_before(text, lo + 1, outside, roles):
        return None, True
    found = [m for m in mentions if window_start <= m.start < start and m.kind != "official"]
    if found:  # "EU ambassador to Armenia Paul Weber": the country he is sent to is not his actor
        sent = [m for m in found if text[max(0, m.start - 4) : m.start].lower() not in (" to ", " in ")]
        return (sent or found)[-1].actor_id, False
    nation = tail[-len(role_run) - 1] if len(tail) > len(role_run) else ""
    if role_run and _is_foreign(nation) and any(w in roles for w in role_run):
        return None, True  # "Kazakh President X", "Belarus's Foreign Minister X": a country of none of ours
    app = re.match(r",\s*(?:(?:a|an|the|his|her|its)\s+)?([^,.;:\n]{2,120})[,.;]", text[end : end + 130])
    if app:
        words = app.group(1).split()
        head = _fold_word(words[0].strip("()"))
        if any(_fold_word(w.strip("()")) in outside for w in words):
            return None, True
        if any(_is_foreign(w) for w in words[:3]) and any(_fold_word(w) in roles for w in words) and not [
                m for m in mentions if end + app.start(1) <= m.start < end + app.end(1) and m.kind != "official"]:
            return None, True  # "X, the Kazakh president, said"
        if head in roles or any(_fold_word(words[0]) == _fold_word(m.surface) for m in mentions):
            inside = [m for m in mentions if end + app.start(1) <= m.start < end + app.end(1) and m.kind != "official"]
            if inside:
                return inside[0].actor_id, False
    return None, False


def _is_foreign(word: str) -> bool:
    """Whether a capitalised word names a country or nationality that is no configured actor (see ``_FOREIGN``)."""
    return word[:1].isupper() and _fold_word(word.strip("(),").removesuffix("’s").removesuffix("'s")) in _FOREIGN


def given_name_start(words: Sequence[str]) -> int:
    """Where a person's name starts in a run of three or more capitalised words: at a given name inside it when
    none comes before ("… of the Turkic World Hulusi Kilic" is Hulusi Kilic), else at the first word."""
    if len(words) < 3:
        return 0
    first = next((k for k, w in enumerate(words[1:-1], 1) if given_name_actors(w)), 0)
    return first if first and not any(given_name_actors(w) for w in words[:first]) else 0
