"""Find and resolve actor names in text.

:class:`ActorIndex` is built once from ``actors.yaml`` and answers two questions:
``find(text)`` lists every actor mention (country names, aliases and metonyms such as
"the Kremlin" or "Baku", demonyms such as "Azerbaijani", officials by full name or surname)
with offsets into the original text; ``resolve(name)`` maps one name to an actor id.

Matching is case- and diacritic-insensitive (``Türkiye``/``Turkiye``, ``Erdoğan``/``Erdogan``)
and whole-word; the longest form wins. Short all-capital forms (``US``, ``EU``, ``UN``) only
match in capitals, so the pronoun "us" is never the United States.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

from monitor.config import Actor, fold

MentionKind = Literal["name", "alias", "official", "demonym"]

# Demonyms and adjectives per country code, added when actors.yaml does not list them already.
DEMONYMS: dict[str, tuple[str, ...]] = {
    "RU": ("Russian", "Russians"),
    "AZ": ("Azerbaijani", "Azerbaijanis", "Azeri", "Azeris"),
    "IR": ("Iranian", "Iranians"),
    "TR": ("Turkish", "Turks"),
    "AM": ("Armenian", "Armenians"),
    "US": ("American", "Americans"),
    "EU": ("European",),
    "FR": ("French",),
    "GE": ("Georgian", "Georgians"),
}
_DEMONYM_FORMS = frozenset(fold(d) for forms in DEMONYMS.values() for d in forms)
_NAME_PARTICLES = frozenset({"von", "der", "van", "de", "den", "da", "al", "el", "bin", "la", "le", "du"})


@dataclass(frozen=True, slots=True)
class Mention:
    """One actor mention: ``text[start:end] == surface``; ``person`` is set for officials."""

    start: int
    end: int
    actor_id: str
    kind: MentionKind
    surface: str
    person: str | None = None


@dataclass(frozen=True, slots=True)
class _Form:
    actor_id: str
    kind: MentionKind
    person: str | None
    case_sensitive: str | None  # the exact spelling required, for short acronyms


_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fast_fold(text: str) -> str:
    """:func:`monitor.config.fold` with the combining marks removed by one regex (same result)."""
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text.replace("ı", "i").replace("’", "'"))).casefold()


_NON_ASCII = re.compile(r"[^\x00-\x7f]")  # found by one scan: cheaper than a set of every character


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    return fold(ch)


def fold_with_offsets(text: str) -> tuple[str, list[int] | None]:
    """``fold(text)`` plus a map from folded positions to original ones (``None``: identity)."""
    if text.isascii():
        return text.lower(), None
    if all(len(_fold_char(c)) == 1 for c in set(_NON_ASCII.findall(text))):
        return fast_fold(text), None  # every character folds to exactly one: positions line up
    parts = [_fold_char(c) for c in text]
    positions: list[int] = []
    for i, p in enumerate(parts):
        positions.extend([i] * len(p))
    positions.append(len(text))
    return "".join(parts), positions


def surname(name: str) -> str:
    """The family name of a full name: "Ursula von der Leyen" -> "von der Leyen"."""
    tokens = name.split()
    if len(tokens) < 2:
        return name
    for i, tok in enumerate(tokens[1:], start=1):
        if tok.lower() in _NAME_PARTICLES:
            return " ".join(tokens[i:])
    return tokens[-1]


def _is_acronym(form: str) -> bool:
    letters = form.replace(".", "")
    return len(letters) <= 4 and letters.isupper() and letters.isalpha()


_OFFICES = (("prime minister", "prime minister"), ("premier", "prime minister"), ("pm", "prime minister"),
            ("top diplomat", "minister"), ("chief diplomat", "minister"), ("vice president", ""),
            ("vice-president", ""), ("president", "president"), ("minister", "minister"), ("fm", "minister"),
            ("spokesman", "spokesperson"), ("spokeswoman", "spokesperson"), ("spokesperson", "spokesperson"),
            ("ambassador", "ambassador"))


def office_of(role: str) -> str | None:
    """The office a role names, for telling role nouns apart: "prime minister", "president", "minister",
    "spokesperson", "ambassador", with "deputy " before it for a deputy; None for any other role.

    >>> office_of("the Deputy FM"), office_of("Prime Minister"), office_of("Vice President")
    ('deputy minister', 'prime minister', None)
    """
    low = " " + re.sub(r"[^\w\s-]", " ", fast_fold(role)) + " "
    for word, office in _OFFICES:
        if f" {word} " in low:
            if not office:
                return None
            return f"deputy {office}" if re.search(r"\b(?:deputy|vice|assistant)\b", low) else office
    return None


class ActorIndex:
    """All names of the configured actors, compiled into one case-folded regex."""

    def __init__(self, actors: Sequence[Actor], forms: dict[str, _Form]):
        self.actors = {a.id: a for a in actors}
        self.offices = {o.name: office_of(o.role) for a in actors for o in a.officials}  # "minister", "president", …
        self._forms = forms
        self._pattern = re.compile(rf"(?<!\w)(?:{trie_pattern(list(forms))})(?!\w)")
        self._persons = {
            fold(n): o.name for a in actors for o in a.officials for n in (o.name, *o.also, surname(o.name))
        }
        surnames: dict[str, tuple[str, str] | None] = {}
        for a in actors:
            for o in a.officials:
                key = fold(surname(o.name))
                surnames[key] = None if surnames.get(key, (a.id, o.name)) != (a.id, o.name) else (a.id, o.name)
        self._surnames = {k: v for k, v in surnames.items() if v is not None and " " not in k}
        self._fuzzy: dict[str, tuple[str, str] | None] = {}
        self._fuzzy_words: dict[str, tuple[str, str] | None] = {}
        # capitalised words that could be a variant: same first two letters as a configured surname
        heads = sorted({k[0].upper() + k[1] for k in self._surnames if k[:2].isascii() and k[:2].isalpha()})
        self.variant_candidates = re.compile("(?:" + "|".join(heads) + r")[a-z’'\-]{3,}")

    @classmethod
    def from_actors(cls, actors: Sequence[Actor]) -> ActorIndex:
        """Index ids, names, aliases, demonyms, officials and official surnames.

        A form claimed by two actors (say, a shared surname) is dropped rather than guessed.
        """
        forms: dict[str, _Form] = {}
        clashes: set[str] = set()

        def add(form: str, actor_id: str, kind: MentionKind, person: str | None = None) -> None:
            key = fold(form.strip())
            if not key or key in clashes:
                return
            prev = forms.get(key)
            if prev is not None and prev.actor_id != actor_id:
                clashes.add(key)
                del forms[key]
                return
            if prev is not None and _rank(prev.kind) >= _rank(kind):
                return
            forms[key] = _Form(actor_id, kind, person, form if _is_acronym(form) else None)

        for a in actors:
            add(a.name, a.id, "name")
            for alias in a.aliases:
                add(alias, a.id, "demonym" if fold(alias) in _DEMONYM_FORMS else "alias")
            for dem in DEMONYMS.get(a.country or a.id, ()):
                add(dem, a.id, "demonym")
        for a in actors:  # officials last: a person outranks an alias of the same spelling
            for o in a.officials:
                for n in (o.name, *o.also):
                    add(n, a.id, "official", o.name)
                    add(surname(n), a.id, "official", o.name)
        return cls(actors, forms)

    # ------------------------------------------------------------ lookups

    def find(self, text: str) -> list[Mention]:
        """Every actor mention in ``text``, left to right, non-overlapping, longest first."""
        folded, positions = fold_with_offsets(text)
        out: list[Mention] = []
        for m in self._pattern.finditer(folded):
            form = self._forms[m.group()]
            start, end = (m.start(), m.end()) if positions is None else (positions[m.start()], positions[m.end()])
            surface = text[start:end]
            if form.case_sensitive is not None and surface != form.case_sensitive:
                continue
            if form.kind == "official" and surface.islower():
                continue  # a name is printed capitalised ("von der Leyen"): "price", "waltz" are words
            out.append(Mention(start, end, form.actor_id, form.kind, surface, form.person))
        return out

    def fuzzy_official(self, word: str) -> tuple[str, str] | None:
        """``(actor id, official)`` whose surname ``word`` spells another way ("Pashinian", "Aliev").

        A transliteration variant: same first letter, length within two, rapidfuzz ratio of the folded
        forms at least 85, neither a truncation ("Macro") nor the surname plus a feminine ending
        ("Aliyeva" is not Aliyev).
        """
        if not word[:1].isupper():
            return None
        if word not in self._fuzzy_words:  # the same capitalised words recur in every item: fold each once
            self._fuzzy_words[word] = self._variant(fold(word))
        return self._fuzzy_words[word]

    def _variant(self, key: str) -> tuple[str, str] | None:
        if key in self._fuzzy:
            return self._fuzzy[key]
        from rapidfuzz import fuzz, process

        hit: tuple[str, str] | None = None
        if len(key) >= 5 and key not in self._surnames:
            best = process.extractOne(key, list(self._surnames), scorer=fuzz.ratio, score_cutoff=85)
            if best is not None:
                cand = best[0]
                if (cand[0] == key[0] and abs(len(cand) - len(key)) <= 2 and not cand.startswith(key)
                        and not (key.startswith(cand) and key[len(cand):] in ("a", "ova", "eva"))):
                    hit = self._surnames[cand]
        self._fuzzy[key] = hit
        return hit

    def resolve(self, name: str) -> str | None:
        """Actor id for an id, name, alias, demonym or official (``None`` when unknown)."""
        key = fold(name.strip())
        if not key:
            return None
        for a in self.actors.values():
            if fold(a.id) == key:
                return a.id
        key = re.sub(r"^the\s+", "", key)
        form = self._forms.get(key) or self._forms.get("the " + key)
        return form.actor_id if form else None

    def person(self, name: str, *, variants: bool = False) -> str | None:
        """Canonical name of the official called ``name`` (full name, variant or surname).

        With ``variants``, another given name form before a configured surname ("Tayyip Erdogan") and
        a transliterated surname ("Armen Grigorian", "Pashinian") count too, provided the given name
        fits the official's (see :func:`first_name_fits`).
        """
        found = self._persons.get(fold(name.strip()))
        words = name.split()
        if found or not variants or not words:
            return found
        last = fold(words[-1])
        hit = self._surnames.get(last) or self._variant(last)  # "Tayyip Erdogan": a middle name before it
        if hit is None or (len(words) > 1 and not first_name_fits(words[-2], hit[1])):
            return None
        return hit[1]

    def name_of(self, actor_id: str) -> str:
        """Display name of an actor id (the id itself when unknown)."""
        actor = self.actors.get(actor_id)
        return actor.name if actor else actor_id


def first_name_fits(first: str, official: str) -> bool:
    """Whether ``first`` can be a given name (or its initial) of the official called ``official``: the
    first one, or a middle one ("Tayyip Erdogan" is Recep Tayyip Erdoğan), spelled another way
    ("Aleksey" for Alexei)."""
    from rapidfuzz.fuzz import ratio

    names = official.split()
    given = [fold(g) for g in names[: len(names) - len(surname(official).split())] or names[:1]]
    f = fold(first.rstrip("."))
    if len(f) == 1:
        return fold(names[0]).startswith(f)
    return any(ratio(_spelling(f), _spelling(g)) >= 70 for g in given)


def _spelling(name: str) -> str:
    """A folded given name with common transliteration choices made one way (ks/x, y/i)."""
    return name.replace("ks", "x").replace("y", "i")


def _rank(kind: MentionKind) -> int:
    return {"demonym": 0, "alias": 1, "name": 2, "official": 3}[kind]


def trie_pattern(words: Sequence[str]) -> str:
    """One regex alternation for ``words`` as a character trie (longest match first, fast to scan)."""
    trie: dict[str, Any] = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, Any]) -> str:
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(trie) or r"(?!x)x"
