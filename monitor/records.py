"""Frozen records that flow between the pipeline steps.

Every record is a plain frozen dataclass; ids hash natural keys with :func:`stable_id`,
so the same input always yields the same id and every stage can upsert idempotently.
Datetimes are timezone-aware UTC (or ``None`` when the source gave no usable date).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from monitor.errors import MonitorError

FeedKind = Literal["news", "government"]
FullTextMode = Literal["auto", "always", "never"]
StatementType = Literal["official", "direct", "indirect", "mixed"]
Label = Literal["favor", "against", "none"]
Target = Literal["EU", "US", "France", "West", "none"]

LABELS: tuple[Label, ...] = ("favor", "against", "none")
TARGETS: tuple[Target, ...] = ("EU", "US", "France", "West", "none")


def stable_id(*parts: object) -> str:
    """A short, deterministic id from natural-key parts (sha256, 16 hex chars)."""
    joined = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:16]


def content_hash(text: str) -> str:
    """Hash of normalised text: case-folded, whitespace collapsed."""
    norm = " ".join(text.casefold().split())
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class FetchResult:
    """What happened when one feed was fetched: a row of ``fetches``.

    ``state`` is one of ok, not_modified, failed, blocked, not_a_feed, empty, truncated.
    A failure is data, not an exception: ``error_class`` and ``error`` say what went wrong.
    """

    feed_id: str
    url: str
    started: datetime
    finished: datetime
    state: str
    status: int | None = None
    etag: str | None = None
    last_modified: str | None = None
    bytes: int = 0
    body: bytes = field(default=b"", repr=False)
    headers: dict[str, str] = field(default_factory=dict, repr=False)
    error_class: str | None = None
    error: str | None = None
    transient: bool = False

    @property
    def ok(self) -> bool:
        return self.state in ("ok", "truncated")

    def key(self) -> str:
        return stable_id(self.feed_id, self.started.isoformat())


@dataclass(frozen=True, slots=True)
class Item:
    """One feed entry, normalised. ``text`` is the best available body (full text or summary)."""

    feed_id: str
    guid: str
    url: str
    title: str
    published: datetime | None
    summary: str
    full_text: str = ""
    date_status: str = "ok"  # ok | assumed_tz | assumed_utc | missing | unparseable
    language: str | None = None

    @property
    def text(self) -> str:
        return self.full_text or self.summary

    def key(self) -> str:
        return stable_id(self.feed_id, self.guid or self.url)

    @property
    def hash(self) -> str:
        return content_hash(self.title + "\n" + self.text)


@dataclass(frozen=True, slots=True)
class Statement:
    """A span of an item's text said by a speaker who stands for an actor.

    ``start``/``end`` are Python character offsets into ``Item.text`` (title excluded).
    ``actor`` is an actor id from ``actors.yaml`` or ``None`` when the speaker is not a
    configured actor; ``mentions`` are the actor ids named in the span.
    """

    item_id: str
    text: str
    start: int
    end: int
    speaker: str | None
    actor: str | None
    type: StatementType
    rule: str
    mentions: tuple[str, ...] = ()
    language: str | None = "en"

    def key(self) -> str:
        return stable_id(self.item_id, self.start, self.end)


@dataclass(frozen=True, slots=True)
class Relevance:
    statement_id: str
    relevant: bool
    score: float
    reason: str


@dataclass(frozen=True, slots=True)
class Stance:
    """The classifier's judgement of one statement, by one model version."""

    statement_id: str
    model_id: str
    label: Label
    target: Target
    p_favor: float
    p_against: float
    p_none: float
    uncertain: bool = False
    basis: str | None = None  # the sentence the probabilities come from (masked); None: the whole statement

    @property
    def score(self) -> float:
        return self.p_favor - self.p_against

    def key(self) -> str:
        return stable_id(self.statement_id, self.model_id)


def load_jsonl(path: Path, *, required: Sequence[str] = ("text",)) -> list[dict[str, Any]]:
    """Rows of a JSON-lines file; a bad line raises an error naming file and line."""
    rows = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise MonitorError(f"{path}: cannot read: {exc}") from None
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise MonitorError(f"{path}:{n}: invalid JSON: {exc.msg}") from None
        if not isinstance(row, dict):
            raise MonitorError(f"{path}:{n}: expected a JSON object")
        for key in required:
            if key not in row:
                raise MonitorError(f"{path}:{n}: missing key {key!r}")
        rows.append(row)
    return rows
