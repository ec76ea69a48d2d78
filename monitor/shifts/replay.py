"""Replay dated statements through the classifier and the shift detector.

``monitor replay --statements FILE.jsonl`` reads rows with ``text``, ``actor`` and ``date``
(optional ``id``, ``speaker``, ``source``; a label field is ignored) and treats them as if
they had arrived over time:

1. The actor goes through the actor aliases (``USA`` and ``United States`` are one actor);
   an unknown actor is counted and skipped, and so is a row whose date is missing,
   ``unknown`` or not an ISO date.
2. Every kept row is scored for relevance and classified (actor-blind, names masked),
   exactly as the pipeline does with extracted statements.
3. Rows are ordered by statement date (then id) and reduced to distinct statements: a
   syndicated copy or re-quote (same actor, same normalised text) counts once, at its
   earliest date and source.
4. Irrelevant, ``none`` and uncertain statements do not count; the rest feed
   :func:`monitor.shifts.baseline.detect_all`.

Windows are by statement date only, so a replay gives the same alerts as live polling.
``--json`` prints ``{"alerts", "series", "counts", "not_counted"}``: each alert with the
first statement date of the regime it detected (``regime_start``) and its ``delay_days``;
each actor x target series with its dated statements, scores, baseline band, the detector's
statistic after each statement and the alert dates (:func:`timelines`), so an analyst sees
why an alert fired when it did (``bench/shift_plot.py`` draws it).
With ``db`` the rows are also stored (one disabled ``replay-<file>-<source>`` source per
source) and compared there through the normal pipeline step, with delivery.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from monitor import store
from monitor.config import Feed, Settings
from monitor.records import FetchResult, Item, Relevance, Stance, Statement, content_hash
from monitor.shifts.baseline import (
    Alert,
    Point,
    baseline_scores,
    detect_all,
    evidence_path,
    series_baseline,
    series_by_target,
)
from monitor.stance.classifier import Prediction, StanceClassifier, mask_text
from monitor.stance.evaluation import load_jsonl
from monitor.stance.relevance import RelevanceScorer
from monitor.statements.actors import ActorIndex

log = logging.getLogger(__name__)

DEFAULT_SOURCE = "replay"


@dataclass(frozen=True, slots=True)
class ReplayRow:
    """One input row that names a known actor and a date."""

    id: str
    text: str
    actor: str
    day: date
    speaker: str | None
    source: str


@dataclass
class ReplayResult:
    """What a replay saw and found. ``alerts`` are the ``--json`` documents."""

    rows: int = 0
    used: int = 0  # rows with a known actor and a date
    skipped_actor: int = 0
    skipped_date: int = 0
    duplicates: int = 0  # syndicated copies and re-quotes, counted once
    irrelevant: int = 0
    no_stance: int = 0  # label none
    uncertain: int = 0
    counted: int = 0  # distinct statements the detector saw
    alerts: list[dict[str, Any]] = field(default_factory=list)
    counted_ids: list[str] = field(default_factory=list)
    not_counted: list[tuple[str, str]] = field(default_factory=list)  # (row id, why)
    points: list[Point] = field(default_factory=list)  # what the detector saw, in date order
    series: list[dict[str, Any]] = field(default_factory=list)  # per actor x target timeline (:func:`timelines`)
    days: dict[str, str] = field(default_factory=dict)  # row id -> statement date, for every dated row

    def document(self) -> dict[str, Any]:
        """The ``--json`` document."""
        counts = {k: getattr(self, k) for k in ("rows", "used", "skipped_actor", "skipped_date", "duplicates",
                                                 "irrelevant", "no_stance", "uncertain", "counted")}
        return {"alerts": self.alerts, "series": self.series, "counts": counts,
                "not_counted": [{"id": i, "date": self.days.get(i), "why": why} for i, why in self.not_counted]}


def parse_day(value: object) -> date | None:
    """The statement date of a row: an ISO date (a datetime's date part), else ``None``."""
    if not isinstance(value, str) or not value.strip() or value.strip().lower() == "unknown":
        return None
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def read_rows(path: Path, index: ActorIndex, result: ReplayResult) -> list[ReplayRow]:
    """Rows with a known actor and a date; the others are counted in ``result`` and skipped."""
    rows = load_jsonl(path, required=("text",))
    result.rows = len(rows)
    kept = []
    for n, row in enumerate(rows, 1):
        actor = index.resolve(str(row.get("actor") or ""))
        if actor is None:
            result.skipped_actor += 1
            continue
        day = parse_day(row.get("date"))
        if day is None:
            result.skipped_date += 1
            continue
        speaker = row.get("speaker")
        kept.append(ReplayRow(str(row.get("id") or f"row{n}"), str(row["text"]), actor, day,
                              str(speaker) if speaker else None, str(row.get("source") or DEFAULT_SOURCE)))
    result.used = len(kept)
    return kept


def alert_document(alert: Alert) -> dict[str, Any]:
    """The ``--json`` form of an alert (issue 6 keys first, then the detail)."""
    return {
        "actor": alert.actor, "target": alert.target, "direction": alert.direction,
        "opened_on": alert.opened_on.isoformat(), "baseline": alert.baseline, "observed": alert.observed,
        "n_statements": alert.n_statements, "statistic": alert.statistic, "evidence_ids": list(alert.evidence_ids),
        "baseline_kind": alert.baseline_kind, "ci_low": alert.ci_low, "ci_high": alert.ci_high,
        "n_sources": alert.n_sources, "window_start": alert.window_start.isoformat(), "status": alert.status,
        "resolved_on": alert.resolved_on.isoformat() if alert.resolved_on else None, "model_id": alert.model_id,
        "regime_start": alert.regime_start.isoformat() if alert.regime_start else None, "delay_days": alert.delay_days,
        "dominant_target": alert.dominant_target, "method": alert.method,
    }


def timelines(points: list[Point], alerts: list[Alert], settings: Settings) -> list[dict[str, Any]]:
    """Per actor x target: the counted statements with scores, the baseline band, the statistic and the alerts."""
    configured = baseline_scores(settings.baselines)
    s = settings.shift
    out = []
    for (actor, target), pts in sorted(series_by_target(points).items()):
        found = series_baseline(pts, configured, s)
        baseline, kind, compared = found if found else (None, "history (too few statements)", [])
        ids = {p.id for p in compared}
        stats: dict[str, dict[str, float]] = {}
        if baseline is not None:
            for direction in ("toward_favor", "toward_against"):
                for p, v in zip(compared, evidence_path(compared, baseline, s, direction), strict=True):
                    stats.setdefault(p.id, {})[direction] = v
        mine = [a for a in alerts if (a.actor, a.target) == (actor, target)]
        out.append({
            "actor": actor, "target": target, "baseline": baseline, "baseline_kind": kind,
            "band": [round(baseline - s.threshold, 4), round(baseline + s.threshold, 4)] if baseline is not None else None,
            "method": s.method,
            "statements": [{"id": p.id, "date": p.day.isoformat(), "score": round(p.score, 4), "source": p.source,
                            "target": p.via or p.target, "compared": p.id in ids, "statistic": stats.get(p.id)}
                           for p in pts],
            "alerts": [{"direction": a.direction, "opened_on": a.opened_on.isoformat(),
                        "regime_start": a.regime_start.isoformat() if a.regime_start else None, "delay_days": a.delay_days,
                        "resolved_on": a.resolved_on.isoformat() if a.resolved_on else None,
                        "dominant_target": a.dominant_target, "evidence_ids": list(a.evidence_ids)} for a in mine],
        })
    return out


def _mentions(index: ActorIndex, text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(m.actor_id for m in index.find(text)))


def replay_file(path: Path, settings: Settings, clf: StanceClassifier, *, db: str | None = None,
                gate: bool = True) -> ReplayResult:
    """Classify the file's rows and run the shift detector over them in date order.

    ``gate=False`` (a diagnostic, for ``bench/shift_real.py --no-gate``) lets statements the
    relevance step rejects count when the classifier gives them a stance.
    """
    index = ActorIndex.from_actors(settings.actors)
    result = ReplayResult()
    rows = sorted(read_rows(path, index, result), key=lambda r: (r.day, r.id))
    result.days = {r.id: r.day.isoformat() for r in rows}
    preds = clf.predict([mask_text(r.text, index.find) for r in rows], batch_size=settings.model.batch_size)
    # the pipeline's gate (monitor.pipeline.relevance_scorer): on masked text, so a Western official's
    # name reads as the referent it stands for ("President Trump" -> "the US")
    scorer = RelevanceScorer(clf.encoder, threshold=settings.relevance_threshold, mask=lambda t: mask_text(t, index.find))
    probes = [Statement(r.id, r.text, 0, len(r.text), r.speaker, r.actor, "official", "replay", _mentions(index, r.text))
              for r in rows]
    relevance = scorer.score(probes)

    points: list[Point] = []
    seen: set[tuple[str, str]] = set()
    for row, pred, rel in zip(rows, preds, relevance, strict=True):
        key = (row.actor, content_hash(row.text))
        if key in seen:  # a syndicated copy or re-quote counts once, at its earliest date
            result.duplicates += 1
            continue
        seen.add(key)
        if gate and not rel.relevant:
            result.irrelevant += 1
            result.not_counted.append((row.id, "irrelevant"))
        elif pred.label == "none":
            result.no_stance += 1
            result.not_counted.append((row.id, "none"))
        elif pred.uncertain:
            result.uncertain += 1
            result.not_counted.append((row.id, "uncertain"))
        else:
            points.append(Point(row.id, row.actor, pred.target, row.day, pred.score, row.source, key=key[1]))
    result.counted = len(points)
    result.counted_ids = [p.id for p in points]
    result.points = points
    found = detect_all(points, settings.baselines, settings.shift, model_id=clf.model_id)
    result.alerts = [alert_document(a) for a in found]
    result.series = timelines(points, found, settings)
    log.info("replayed %d rows: %d distinct statements counted, %d alerts", result.rows, result.counted, len(result.alerts))
    if db:
        store_replay(db, path, settings, clf, rows, preds, relevance, [p.mentions for p in probes])
    return result


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9_.-]+", "-", text.casefold()).strip("-.") or DEFAULT_SOURCE


def store_replay(db: str, path: Path, settings: Settings, clf: StanceClassifier, rows: list[ReplayRow],
                 preds: list[Prediction], relevance: list[Relevance], mentions: list[tuple[str, ...]]) -> None:
    """Store replayed rows as items, statements and stances, then run the pipeline's compare step.

    Each source becomes a disabled source ``replay-<file>-<source>`` (never polled), so the
    two-source evidence rule sees the same sources as the in-memory replay. A repeat of the
    same text within one source is stored once, as the feed reader would store it.
    """
    from monitor import pipeline

    stem = _slug(path.stem)
    feeds = {src: Feed(id=f"replay-{stem}-{_slug(src)}", url=f"https://replay.invalid/{stem}/{_slug(src)}",
                       title=f"replay of {path.name}: {src}", full_text="never", enabled=False)
             for src in sorted({r.source for r in rows})}
    per_feed: dict[str, list[int]] = defaultdict(list)
    hashes: set[tuple[str, str]] = set()
    items: dict[int, Item] = {}
    for i, row in enumerate(rows):
        feed_id = feeds[row.source].id
        item = Item(feed_id, row.id, "", row.source, datetime(row.day.year, row.day.month, row.day.day, tzinfo=UTC), row.text)
        if (feed_id, item.hash) in hashes:
            continue
        hashes.add((feed_id, item.hash))
        items[i] = item
        per_feed[feed_id].append(i)

    con = store.connect(db)
    try:
        store.sync_config(con, settings.with_feeds([*settings.feeds, *feeds.values()]))
        now = datetime.now(UTC)
        for feed_id, idx in per_feed.items():
            store.record_fetch(con, FetchResult(feed_id, path.name, now, now, "ok"), [items[i] for i in idx])
        stmts = {i: Statement(it.key(), it.summary, 0, len(it.summary), rows[i].speaker, rows[i].actor, "official", "replay",
                              mentions[i])
                 for i, it in items.items()}
        store.write_statements(con, [it.key() for it in items.values()],
                               [(s, Relevance(s.key(), bool(relevance[i].relevant), float(relevance[i].score), relevance[i].reason))
                                for i, s in stmts.items()])
        store.register_model(con, {"model_id": clf.model_id, "encoder": clf.encoder.name, "encoder_sha256": clf.encoder.sha256,
                                   "head_sha256": clf.head.sha256})
        store.write_stances(con, [
            Stance(s.key(), clf.model_id, preds[i].label, preds[i].target, preds[i].p_favor, preds[i].p_against,  # type: ignore[arg-type]
                   preds[i].p_none, preds[i].uncertain, preds[i].basis)
            for i, s in stmts.items()
        ])
        pipeline.compare(settings, con, clf.model_id, jsonl=pipeline.jsonl_path(settings, db))
    finally:
        con.close()


__all__ = ["ReplayResult", "ReplayRow", "alert_document", "parse_day", "read_rows", "replay_file", "store_replay", "timelines"]
