"""Replay dated statements through the classifier and the shift detector.

Rows come in any order; they are classified (actor-blind), reduced to distinct statements
(one per actor and normalised text, the earliest), and fed to the detector in date order,
exactly as if they had arrived over time. With ``db`` the rows are also stored as a
``replay`` source, so the usual views and the report show them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from monitor import store
from monitor.actors import ActorIndex
from monitor.baseline import Point, detect_all
from monitor.config import Settings
from monitor.evaluation import load_jsonl
from monitor.records import FetchResult, Item, Relevance, Statement, content_hash, stable_id
from monitor.stance import StanceClassifier, mask_text

log = logging.getLogger(__name__)


@dataclass
class ReplayResult:
    used: int = 0
    skipped_actor: int = 0
    skipped_date: int = 0
    alerts: list[dict[str, Any]] = field(default_factory=list)


def _parse_day(value: object) -> date | None:
    if not isinstance(value, str) or not value.strip() or value.strip().lower() == "unknown":
        return None
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def replay_file(path: Path, settings: Settings, clf: StanceClassifier, *, db: str | None = None) -> ReplayResult:
    rows = load_jsonl(path, required=("text",))
    index = ActorIndex.from_actors(settings.actors)
    result = ReplayResult()
    kept: list[tuple[dict[str, Any], str, date, str]] = []
    for n, row in enumerate(rows, 1):
        actor = index.resolve(str(row.get("actor") or ""))
        if actor is None:
            result.skipped_actor += 1
            continue
        day = _parse_day(row.get("date"))
        if day is None:
            result.skipped_date += 1
            continue
        rid = str(row.get("id") or f"row{n}")
        kept.append((row, actor, day, rid))
    result.used = len(kept)
    preds = clf.predict([mask_text(str(r["text"]), index.find) for r, *_ in kept])

    points, seen = [], set()
    for (row, actor, day, rid), p in sorted(zip(kept, preds, strict=True), key=lambda x: (x[0][2], x[0][3])):
        h = content_hash(str(row["text"]))
        if (actor, h) in seen:  # a syndicated copy or re-quote counts once
            continue
        seen.add((actor, h))
        if p.label == "none" or p.uncertain:
            continue
        points.append(Point(rid, actor, p.target, day, p.score, str(row.get("source") or "replay")))
    alerts = detect_all(points, settings.baselines, settings.shift, model_id=clf.model_id)
    result.alerts = [
        {"actor": al.actor, "target": al.target, "direction": al.direction, "opened_on": al.opened_on.isoformat(),
         "baseline": al.baseline, "observed": al.observed, "n_statements": al.n_statements, "statistic": al.statistic,
         "evidence_ids": list(al.evidence_ids), "status": al.status,
         "resolved_on": al.resolved_on.isoformat() if al.resolved_on else None}
        for al in alerts
    ]
    if db:
        _store(db, path, settings, clf, kept, preds)
    return result


def _store(db: str, path: Path, settings: Settings, clf: StanceClassifier, kept: list[tuple[dict[str, Any], str, date, str]],
           preds: list[Any]) -> None:
    """Store replayed rows as items/statements/stances of a ``replay:<file>`` source, then compare."""
    from monitor import pipeline
    from monitor.records import Stance

    con = store.connect(db)
    try:
        store.sync_config(con, settings)
        feed_id = f"replay-{path.stem}"
        con.execute(
            "INSERT INTO sources VALUES (?, ?, ?, 'news', NULL, 'en', NULL, 'never', TRUE, ?) ON CONFLICT (feed_id) DO NOTHING",
            [feed_id, path.resolve().as_uri(), f"replay of {path.name}", datetime.now(UTC)],
        )
        now = datetime.now(UTC)
        items = [
            Item(feed_id, rid, str(row.get("url") or ""), str(row.get("source") or ""), datetime(day.year, day.month, day.day, tzinfo=UTC),
                 str(row["text"]))
            for row, _, day, rid in kept
        ]
        store.record_fetch(con, FetchResult(feed_id, path.name, now, now, "ok"), items)
        stmts = [
            Statement(it.key(), it.summary, 0, len(it.summary), row.get("speaker"), actor, "official", "replay")
            for it, (row, actor, _, _) in zip(items, kept, strict=True)
        ]
        rel = [(s, Relevance(s.key(), True, 1.0, "replayed statement")) for s in stmts]
        store.write_statements(con, [it.key() for it in items], rel)
        store.register_model(con, {"model_id": clf.model_id, "encoder": clf.encoder.name, "encoder_sha256": clf.encoder.sha256,
                                   "head_sha256": clf.head.sha256})
        store.write_stances(con, [Stance(s.key(), clf.model_id, p.label, p.target, p.p_favor, p.p_against, p.p_none, p.uncertain)
                                  for s, p in zip(stmts, preds, strict=True)])
        pipeline.compare(settings, con, clf.model_id, jsonl=pipeline.jsonl_path(settings, db))
    finally:
        con.close()


__all__ = ["ReplayResult", "replay_file", "stable_id"]
