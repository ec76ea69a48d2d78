"""People in one item beyond the configured officials: variants, namesakes, introductions.

Takes an item's text and its :class:`~monitor.actors.Mention` list and gives a
:class:`People` table that the extractor asks about person names:

- **variants**: a capitalised word that is a transliteration of a configured official's
  surname ("Pashinian", "Aliev") becomes a mention of that official (rapidfuzz ratio, see
  :meth:`ActorIndex.fuzzy_official <monitor.actors.ActorIndex.fuzzy_official>`);
- **namesakes**: a configured surname after another first name ("Mher Grigoryan" when the
  configured official is Armen Grigoryan) is someone else, and so is that surname alone later on;
- **introductions**: a person first named with a nationality or a country role ("Turkish
  Foreign Minister Mevlut Cavusoglu", "Vahan Kostanyan, deputy foreign minister of Armenia",
  "his Armenian counterpart Ruben Rubinyan") keeps that actor wherever the surname recurs;
- **name form**: failing all that, a surname's form hints at the country (Armenian -yan/-ian,
  Turkish -oğlu or Turkish letters, Azerbaijani -iyev/-zade), a weak prior used last.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from monitor.actors import ActorIndex, Mention, first_name_fits
from monitor.config import fold

_NAME_WORD = re.compile(r"[A-ZÀ-ÖØ-Þ\u0100-\u017f][\w’'\-]+|[A-Z]\.")
_CONNECT = frozenset({"of", "the", "for", "and", "on", "in", "to", "’s", "'s"})
_ARMENIAN = re.compile(r"(?:yan|ian|ants|unts)$")
_TURKISH = re.compile(r"(?:oglu|oğlu)$|[çşğı]")
_AZERBAIJANI = re.compile(r"(?:iyev|iyeva|zade|zada|bayli|beyli|ov|ova|yev|yeva)$")
_SLAVIC = re.compile(r"(?:ov|ova|ev|eva|in|ina|sky|skaya|enko)$")


@dataclass(frozen=True, slots=True)
class Person:
    """A person of the item: the fullest printed name and the actor it speaks for (``None``: outside)."""

    name: str
    actor: str | None
    outside: bool = False


@dataclass(slots=True)
class People:
    """Per-item table of people, keyed by folded surname."""

    by_surname: dict[str, Person] = field(default_factory=dict)
    namesakes: set[str] = field(default_factory=set)
    counts: dict[str, int] = field(default_factory=dict)

    def lookup(self, name: str) -> Person | None:
        """The introduced person whose surname ends ``name``, if any."""
        words = name.split()
        return self.by_surname.get(fold(words[-1])) if words else None

    def actor_by_form(self, name: str) -> str | None:
        """A weak guess of a person's actor from the form of the surname (see the module docstring)."""
        last = fold(name.split()[-1]) if name.split() else ""
        raw = name.split()[-1].lower() if name.split() else ""
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


def _is_title(word: str, titles: Collection[str]) -> bool:
    return fold(word.rstrip(".").removesuffix("’s").removesuffix("'s")) in titles


def build_people(text: str, mentions: Sequence[Mention], index: ActorIndex, titles: Collection[str],
                 outside: Collection[str]) -> tuple[list[Mention], People]:
    """The item's mentions with variants added and namesakes removed, and its table of people."""
    people = People()
    for m in mentions:
        people.counts[m.actor_id] = people.counts.get(m.actor_id, 0) + 1
    covered = [(m.start, m.end) for m in mentions]
    out: list[Mention] = []
    words = list(_NAME_WORD.finditer(text))
    prev_word: dict[int, re.Match[str]] = {}
    for w0, w1 in zip(words, words[1:], strict=False):
        if text[w0.end() : w1.start()] == " ":
            prev_word[w1.start()] = w0
    extra: list[Mention] = []
    for w in words:
        if any(a <= w.start() < b for a, b in covered):
            continue
        bare = w.group().removesuffix("’s").removesuffix("'s")
        hit = index.fuzzy_official(bare)
        if hit is not None:
            actor, person = hit
            extra.append(Mention(w.start(), w.start() + len(bare), actor, "official", bare, person))
    for m in sorted([*mentions, *extra], key=lambda m: m.start):
        if m.kind == "official" and m.person and _namesake(text, m, prev_word, titles, people):
            continue
        out.append(m)
    _introductions(text, out, words, titles, outside, people)
    return out, people


def _namesake(text: str, m: Mention, prev_word: dict[int, re.Match[str]], titles: Collection[str],
              people: People) -> bool:
    """A configured surname that names someone else: another first name before it, or seen so before."""
    assert m.person is not None
    key = fold(m.surface.removesuffix("’s").removesuffix("'s").split()[-1])
    if len(m.surface.split()) > 1:
        return False
    before = prev_word.get(m.start)
    if before is not None and not _is_title(before.group(), titles) and before.group()[:1].isupper():
        if not first_name_fits(before.group(), m.person):
            people.namesakes.add(key)
            return True
        return False
    return key in people.namesakes


def _introductions(text: str, mentions: Sequence[Mention], words: Sequence[re.Match[str]], titles: Collection[str],
                   outside: Collection[str], people: People) -> None:
    """Fill ``people.by_surname`` with names given next to a nationality or country role."""
    official_spans = [(m.start, m.end) for m in mentions if m.kind == "official"]
    runs: list[list[re.Match[str]]] = []
    for w in words:
        if _is_title(w.group(), titles) or any(a <= w.start() < b for a, b in official_spans):
            continue
        if any(m.start <= w.start() < m.end for m in mentions):
            continue
        if runs and text[runs[-1][-1].end() : w.start()] == " ":
            runs[-1].append(w)
        else:
            runs.append([w])
    for run in runs:
        if len(run) < 2:
            continue
        name = text[run[0].start() : run[-1].end()].removesuffix("’s").removesuffix("'s")
        key = fold(name.split()[-1])
        if key in people.by_surname:
            continue
        actor, is_outside = _actor_near(text, run[0].start(), run[-1].end(), mentions, titles, outside)
        if actor is not None or is_outside:
            people.by_surname[key] = Person(name, None if is_outside else actor, is_outside)
        else:
            people.by_surname[key] = Person(name, None)


def _actor_near(text: str, start: int, end: int, mentions: Sequence[Mention], titles: Collection[str],
                outside: Collection[str]) -> tuple[str | None, bool]:
    """The actor of the role words right before a name, or of an appositive right after it."""
    lo = max(text.rfind(c, 0, start) for c in ".,;:\n“”\"(")
    before = text[lo + 1 : start]
    tail = re.split(r"\s+", before.strip())[-10:] if before.strip() else []
    role_run: list[str] = []
    for tok in reversed(tail):
        bare = tok.strip("()").lower()
        if _is_title(tok, titles) or bare in _CONNECT or any(
                fold(tok.removesuffix("’s").removesuffix("'s")) == fold(m.surface) for m in mentions):
            role_run.append(bare)
        else:
            break
    window_start = start - len(" ".join(reversed(role_run))) - 1
    if any(fold(w) in outside for w in role_run):
        return None, True
    found = [m for m in mentions if window_start <= m.start < start and m.kind != "official"]
    if found:
        return found[-1].actor_id, False
    app = re.match(r",\s*([^,.;:\n]{2,120})[,.;]", text[end:])
    if app:
        words = app.group(1).split()
        if any(fold(w.strip("()")) in outside for w in words):
            return None, True
        if any(_is_title(w, titles) for w in words):
            inside = [m for m in mentions if end + app.start(1) <= m.start < end + app.end(1) and m.kind != "official"]
            if inside:
                return inside[0].actor_id, False
    return None, False
