"""Quotes, sentence units and paragraphs of one text, as offsets.

Takes a text (and a paragraph's bounds) and gives :class:`Quote` spans in any common style
(“…”, „…“, «…», "…", ‘…’, '…', ''…'', “…“ closed by an opening mark, “…’’, a paragraph opened by a dash, a closing mark whose
opening was lost), sentence units whose boundaries never fall inside a quote, and the
paragraphs of the text. Pure functions over strings; :mod:`monitor.statements.extract` builds on them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from monitor.statements.speech import ABBREVIATIONS, UP

_BOUNDARY = re.compile(r"[.!?…]+[”\"’»“]*(?=\s+[\"“„«‘'(\[—–\d" + UP + r"])")


@dataclass(frozen=True, slots=True)
class Quote:
    """A quote: marks from ``open`` to ``end``; the quoted words are ``inner_start:inner_end``."""

    open: int
    end: int
    inner_start: int
    inner_end: int

    def words(self, text: str) -> int:
        return len(text[self.inner_start : self.inner_end].split())


_DOUBLE = {"“": "”“", "„": "“”", "«": "»", "‹": "›", '"': '"”', "「": "」"}
_SINGLE = {"‘": "’", "'": "'"}
_CLOSERS = {c: re.compile("[" + re.escape(c) + "]") for c in (*_DOUBLE.values(), *_SINGLE.values())}
_QUOTE_CHAR = re.compile("[" + re.escape("".join(_DOUBLE) + "".join(_SINGLE)) + "]")


def find_quotes(text: str, start: int, end: int) -> list[Quote]:
    """Quotes inside ``text[start:end]`` (one paragraph), left to right."""
    out: list[Quote] = []
    i = start
    head = text[start:end].lstrip()
    if (head[:1] in "—–" or head.startswith("- ")) and len(head.split()) > 6:  # not "– Lavrov said."
        lead = start + len(text[start:end]) - len(text[start:end].lstrip())
        body = lead + (2 if head.startswith("- ") else 1)
        tail = list(re.finditer(r",?\s+[—–]\s+", text[body:end]))
        close = body + tail[-1].start() if tail else end
        out.append(_trimmed(text, lead, close, body, close))
        i = close + 1
    elif (closer := _unopened_close(text, start, end)) is not None:
        out.append(_trimmed(text, start, closer + 1, start, closer))
        i = closer + 1
    while (found := _QUOTE_CHAR.search(text, i, end)) is not None:
        i = found.start()
        ch = text[i]
        before = text[i - 1] if i > start else " "
        after = text[i + 1] if i + 1 < end else " "
        closers = _DOUBLE.get(ch) or _SINGLE.get(ch)
        opening = closers is not None and (before.isspace() or before in "([—–:-/\x00" or i == start) and not after.isspace()
        if not opening or closers is None:
            i += 1
            continue
        if text.startswith("''", i) and (pair := text.find("''", i + 2, end)) > 0:  # two apostrophes as a mark
            out.append(_trimmed(text, i, pair + 2, i + 2, pair))
            i = pair + 2
            continue
        close = -1
        inner = 0  # straight marks opening a quote inside this one ("They call it a "route", but …")
        for c in _CLOSERS[closers].finditer(text, i + 1, end):
            j = c.start()
            nxt = text[j + 1] if j + 1 < end else " "
            if ch == text[j] == '"' and text[j - 1].isspace() and nxt.isalnum():
                inner += 1
                continue
            if inner and ch == text[j] == '"':
                inner -= 1
                continue
            odd = ch == text[j] == "“"  # “…“: the opening mark used as the closer, taken only at a word's end
            if (ch in _DOUBLE and not odd) or (not text[j - 1].isspace() and not nxt.isalnum()):
                close = j
                break
        if ch == "“" and "’’" in text[i + 1 : close if close >= 0 else end]:  # “…’’: two apostrophes close it
            pair = text.find("’’", i + 1, end)
            out.append(_trimmed(text, i, pair + 2, i + 1, pair))
            i = pair + 2
            continue
        if close < 0:
            if ch in _SINGLE or ch == '"' and text.count('"', i + 1, end):
                i += 1
                continue
            out.append(_trimmed(text, i, end, i + 1, end))
            break
        out.append(_trimmed(text, i, close + 1, i + 1, close))
        i = close + 1
    return out


_CLOSE_ONLY = re.compile(r"[”\"»](?<=[,.!?…][”\"»])(?=\s)")  # the mark first: a fast scan


def _unopened_close(text: str, start: int, end: int) -> int | None:
    """A closing mark with no opening before it in the paragraph (the quote began in an earlier one, or
    its opening mark was lost): ``We are ready,” he said.``; its offset, or ``None``."""
    m = _CLOSE_ONLY.search(text, start, end)
    if m is None or m.start() - start < 12 or _QUOTE_CHAR.search(text, start, m.start()) is not None:
        return None
    return m.start()


def _trimmed(text: str, open_: int, end: int, a: int, b: int) -> Quote:
    while a < b and text[a].isspace():
        a += 1
    while b > a and (text[b - 1].isspace() or text[b - 1] in ",;:—–"):
        b -= 1
    return Quote(open_, end, a, b)


def split_units(text: str, start: int, end: int, quotes: Sequence[Quote]) -> list[tuple[int, int]]:
    """Sentence units of one paragraph; a boundary never falls inside a quote."""
    cuts = [start]
    for m in _BOUNDARY.finditer(text, start, end):
        b = m.end()
        if any(q.open < b < q.end for q in quotes):
            continue
        words = text[max(start, b - 12) : m.start() + 1].split()
        word = words[-1] if words else ""
        w = word.rstrip(".").lstrip("(\"“'‘").lower()
        if m.group().startswith(".") and (w in ABBREVIATIONS or (len(w) == 1 and w.isalpha())):
            continue
        cuts.append(b)
    cuts.append(end)
    return [span for a, b in zip(cuts, cuts[1:], strict=False) if (span := strip_span(text, a, b))]


def strip_span(text: str, a: int, b: int) -> tuple[int, int] | None:
    """``(a, b)`` without surrounding whitespace, or ``None`` when nothing is left."""
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return (a, b) if a < b else None


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Non-empty lines of ``text`` as (start, end) offsets."""
    return [span for m in re.finditer(r"[^\n]+", text) if (span := strip_span(text, m.start(), m.end()))]
