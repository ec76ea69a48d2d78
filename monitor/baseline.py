"""Shift detection: each actor x target series against its baseline.

Method (README, "Shift detection"):

* Series by statement date (publication date), never wall-clock time, so a replay or a
  backfill gives the same alerts as live polling. Only distinct, relevant, confident,
  stanced statements count (the store's ``stance_observations`` view).
* Baseline: the article's position (``config/baselines.yaml``); with none configured, the
  mean of the actor's own first ``2 * min_statements`` observations (``history``).
* A two-sided CUSUM on ``score - baseline`` with drift ``k`` and threshold ``h`` catches a
  sustained move early and ignores one odd remark. The change segment (the recent window)
  is everything since the CUSUM last stood at zero, but never older than ``window_days``
  before the current statement's date.
* Before an alert opens, the segment must hold ``min_statements`` distinct statements from
  ``min_sources`` sources, its mean must differ from the baseline by ``threshold``, and a 90%
  bootstrap interval of the mean must exclude the baseline.
* One open alert per actor x target x direction; it resolves when the mean of the last
  ``min_statements`` observations is back within ``threshold`` of the baseline, and the same
  alert cannot reopen within ``cooldown_days`` of its resolution.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

import numpy as np

from monitor.config import Baseline, ShiftSettings
from monitor.records import stable_id

WESTERN_TARGETS = ("EU", "US", "France")


@dataclass(frozen=True, slots=True)
class Point:
    """One observation as the detector sees it (a distinct statement)."""

    id: str
    actor: str
    target: str
    day: date
    score: float
    source: str


@dataclass(frozen=True)
class Alert:
    actor: str
    target: str
    direction: str  # toward_favor | toward_against
    opened_on: date
    window_start: date
    window_end: date
    baseline: float
    baseline_kind: str
    observed: float
    ci_low: float
    ci_high: float
    n_statements: int
    n_sources: int
    statistic: float
    method: str
    evidence_ids: tuple[str, ...]
    status: str = "open"
    resolved_on: date | None = None
    model_id: str = ""

    @property
    def id(self) -> str:
        return stable_id(self.actor, self.target, self.direction, self.opened_on.isoformat())

    @property
    def severity(self) -> str:
        gap = abs(self.observed - self.baseline)
        return "high" if gap >= 1.0 else "medium" if gap >= 0.6 else "low"

    def as_row(self) -> dict[str, object]:
        return {
            "id": self.id, "actor": self.actor, "target": self.target, "direction": self.direction, "status": self.status,
            "opened_on": self.opened_on, "window_start": self.window_start, "window_end": self.window_end,
            "baseline": self.baseline, "baseline_kind": self.baseline_kind, "observed": self.observed,
            "ci_low": self.ci_low, "ci_high": self.ci_high, "n_statements": self.n_statements, "n_sources": self.n_sources,
            "statistic": self.statistic, "method": self.method, "severity": self.severity, "model_id": self.model_id,
            "evidence_ids": list(self.evidence_ids), "resolved_on": self.resolved_on,
        }


def bootstrap_interval(values: Sequence[float], *, level: float = 0.9, n: int = 2000, seed: int = 7) -> tuple[float, float]:
    """Percentile bootstrap interval of the mean (deterministic seed)."""
    arr = np.asarray(values, dtype=float)
    if len(arr) == 1:
        return float(arr[0]), float(arr[0])
    rng = np.random.default_rng(seed)
    means = rng.choice(arr, size=(n, len(arr)), replace=True).mean(axis=1)
    lo, hi = np.quantile(means, [(1 - level) / 2, 1 - (1 - level) / 2])
    return float(lo), float(hi)


def series_by_target(points: Iterable[Point]) -> dict[tuple[str, str], list[Point]]:
    """Group points per actor x target; ``West`` pools every Western target of the actor."""
    out: dict[tuple[str, str], list[Point]] = defaultdict(list)
    for p in points:
        out[(p.actor, p.target)].append(p)
        if p.target in WESTERN_TARGETS:
            out[(p.actor, "West")].append(replace(p, target="West"))
    for pts in out.values():
        pts.sort(key=lambda p: (p.day, p.id))
    return dict(out)


@dataclass
class _Cusum:
    up: float = 0.0
    down: float = 0.0
    up_start: int = 0
    down_start: int = 0
    history: list[Point] = field(default_factory=list)


def detect(points: Sequence[Point], baseline: float, baseline_kind: str, s: ShiftSettings, *,
           model_id: str = "") -> list[Alert]:
    """Run the detector over one actor x target series (sorted by day) and return its alerts."""
    alerts: list[Alert] = []
    open_: dict[str, Alert] = {}
    last_resolved: dict[str, date] = {}
    c = _Cusum()
    method = (
        f"cusum(k={s.cusum_drift},h={s.cusum_h})+bootstrap90(threshold={s.threshold},min_n={s.min_statements},"
        f"min_sources={s.min_sources},window={s.window_days}d)"
    )
    for i, p in enumerate(points):
        dev = p.score - baseline
        if c.up == 0.0:
            c.up_start = i
        if c.down == 0.0:
            c.down_start = i
        c.up = max(0.0, c.up + dev - s.cusum_drift)
        c.down = max(0.0, c.down - dev - s.cusum_drift)

        for direction, stat, start in (("toward_favor", c.up, c.up_start), ("toward_against", c.down, c.down_start)):
            current = open_.get(direction)
            if current is not None:
                recent = [q.score for q in points[max(0, i - s.min_statements + 1) : i + 1]]
                if len(recent) >= s.min_statements and abs(float(np.mean(recent)) - baseline) < s.threshold:
                    done = replace(current, status="resolved", resolved_on=p.day)
                    alerts[alerts.index(current)] = done
                    del open_[direction]
                    last_resolved[direction] = p.day
                    if direction == "toward_favor":
                        c.up = 0.0
                    else:
                        c.down = 0.0
                continue
            if stat <= s.cusum_h:
                continue
            if direction in last_resolved and p.day < last_resolved[direction] + timedelta(days=s.cooldown_days):
                continue
            segment = [q for q in points[start : i + 1] if q.day > p.day - timedelta(days=s.window_days)]
            scores = [q.score for q in segment]
            sources = {q.source for q in segment}
            if len(segment) < s.min_statements or len(sources) < s.min_sources:
                continue
            observed = float(np.mean(scores))
            gap = observed - baseline
            if abs(gap) < s.threshold or (gap > 0) != (direction == "toward_favor"):
                continue
            lo, hi = bootstrap_interval(scores)
            if not (lo > baseline if direction == "toward_favor" else hi < baseline):
                continue
            alert = Alert(
                actor=p.actor, target=p.target, direction=direction, opened_on=p.day, window_start=segment[0].day,
                window_end=p.day, baseline=baseline, baseline_kind=baseline_kind, observed=round(observed, 4),
                ci_low=round(lo, 4), ci_high=round(hi, 4), n_statements=len(segment), n_sources=len(sources),
                statistic=round(stat, 4), method=method, evidence_ids=tuple(q.id for q in segment), model_id=model_id,
            )
            alerts.append(alert)
            open_[direction] = alert
    return alerts


def detect_all(points: Iterable[Point], baselines: Sequence[Baseline], s: ShiftSettings, *, model_id: str = "") -> list[Alert]:
    """Alerts for every actor x target series, in opening order.

    A series with a configured baseline is compared with it; one without is compared with
    the mean of its own first ``2 * min_statements`` observations (and needs more than that).
    """
    configured = {(b.actor, b.target): b.score for b in baselines}
    alerts: list[Alert] = []
    for (actor, target), pts in sorted(series_by_target(points).items()):
        if (actor, target) in configured:
            alerts += detect(pts, configured[(actor, target)], "article", s, model_id=model_id)
            continue
        warmup = 2 * s.min_statements
        if len(pts) <= warmup:
            continue
        base = float(np.mean([p.score for p in pts[:warmup]]))
        alerts += detect(pts[warmup:], round(base, 4), "history", s, model_id=model_id)
    return sorted(alerts, key=lambda a: (a.opened_on, a.actor, a.target, a.direction))
