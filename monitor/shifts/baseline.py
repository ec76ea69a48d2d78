"""Shift detection: each actor x target series against its baseline.

Takes distinct, dated, scored statements (:class:`Point`) and the configured baselines; gives
alerts (:class:`Alert`). docs/shift-detection.md has the method and the measurements.

* Series by statement date (publication date), never wall-clock time, so a replay or a
  backfill gives the same alerts as live polling. Only distinct, relevant, confident,
  stanced statements count (the store's ``stance_observations`` view); a point whose ``key``
  (content hash) repeats an earlier one's counts once here too.
* ``West`` pools every Western target of the actor; a ``West`` alert names the specific
  target (``dominant_target``) when most of its evidence is about one.
* Baseline: the article's position (``config/baselines.yaml``, rolled up to ``West`` and down to
  EU/US/France by :func:`baseline_scores`); for an actor with none configured, the mean of its
  own first ``2 * max(4, min_statements)`` observations (``history``).
* ``method = "cusum"``: a two-sided CUSUM on ``score - baseline`` with drift ``k`` and
  threshold ``h``; the change segment is everything since the CUSUM last stood at zero (at
  most ``window_days`` old), and a 90% bootstrap interval of its mean must exclude the baseline.
* ``method = "bayes"``: for every run that ends at the current statement and starts at most
  ``window_days`` earlier, the beta-binomial Bayes factor of a new regime over the baseline
  (:mod:`monitor.shifts.posterior`, each statement weighted by its confidence); the run with the
  largest factor is the change segment, and it must reach ``bayes_factor``.
* Either way, before an alert opens the segment must hold ``min_statements`` distinct
  statements from ``min_sources`` sources and its mean must differ from the baseline by
  ``threshold``. The alert's ``regime_start`` is the segment's first statement date: where
  the detector places the change.
* One open alert per actor x target x direction; it resolves when the mean of the last
  ``max(3, min_statements)`` observations is back within ``threshold`` of the baseline
  (``min_statements`` for ``cusum``), and the same alert cannot reopen within
  ``cooldown_days`` of its resolution, nor on evidence from before it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

import numpy as np

from monitor.config import Baseline, ShiftSettings
from monitor.records import stable_id
from monitor.shifts.posterior import ShiftPrior, score_interval, soft_favour

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
    key: str = ""  # content hash: points with the same key are one statement (empty: the id)
    via: str = ""  # the statement's own target when the point stands in a pooled ``West`` series


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
    regime_start: date | None = None  # first statement of the new regime as the detector places it
    dominant_target: str | None = None  # for a West alert: EU, US or France when most evidence is about it

    @property
    def delay_days(self) -> int | None:
        """Days from the first statement of the detected regime to the alert."""
        return (self.opened_on - self.regime_start).days if self.regime_start else None

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
            out[(p.actor, "West")].append(replace(p, target="West", via=p.target))
    for pts in out.values():
        pts.sort(key=lambda p: (p.day, p.id))
    return dict(out)


def distinct(points: Sequence[Point]) -> list[Point]:
    """The points in date order, a repeated ``key`` (a syndicated copy) kept once, at its earliest."""
    seen: set[str] = set()
    out = []
    for p in sorted(points, key=lambda q: (q.day, q.id)):
        k = p.key or p.id
        if k not in seen:
            seen.add(k)
            out.append(p)
    return out


def dominant_target(evidence: Sequence[Point]) -> str | None:
    """The Western target most of a pooled series' evidence is about (more than half), else ``None``."""
    counts: dict[str, int] = defaultdict(int)
    for p in evidence:
        counts[p.via or p.target] += 1
    best = max(sorted(counts), key=lambda t: counts[t], default=None)
    if best in WESTERN_TARGETS and 2 * counts[best] > len(evidence):
        return best
    return None


class _Lifecycle:
    """Open, resolve and cool down alerts of one series (shared by both methods)."""

    def __init__(self, points: Sequence[Point], baseline: float, s: ShiftSettings, resolve_n: int):
        self.points, self.baseline, self.s, self.resolve_n = points, baseline, s, resolve_n
        self.alerts: list[Alert] = []
        self.open: dict[str, Alert] = {}
        self.resolved_on: dict[str, date] = {}
        self.floor: dict[str, int] = {"toward_favor": 0, "toward_against": 0}  # no evidence from before a resolution

    def step_open(self, i: int, direction: str) -> bool:
        """Handle an open alert at point ``i``: resolve it when the series is back. True while one is open."""
        current = self.open.get(direction)
        if current is None:
            return False
        recent = [q.score for q in self.points[max(0, i - self.resolve_n + 1) : i + 1]]
        if len(recent) >= self.resolve_n and abs(float(np.mean(recent)) - self.baseline) < self.s.threshold:
            p = self.points[i]
            self.alerts[self.alerts.index(current)] = replace(current, status="resolved", resolved_on=p.day)
            del self.open[direction]
            self.resolved_on[direction] = p.day
            self.floor[direction] = i + 1
            return True
        return True

    def cooling(self, i: int, direction: str) -> bool:
        done = self.resolved_on.get(direction)
        return done is not None and self.points[i].day < done + timedelta(days=self.s.cooldown_days)

    def passes_evidence_rule(self, segment: Sequence[Point], direction: str) -> bool:
        if len(segment) < self.s.min_statements or len({q.source for q in segment}) < self.s.min_sources:
            return False
        gap = float(np.mean([q.score for q in segment])) - self.baseline
        return abs(gap) >= self.s.threshold and (gap > 0) == (direction == "toward_favor")

    def raise_alert(self, direction: str, segment: Sequence[Point], *, ci: tuple[float, float], statistic: float,
                    method: str, baseline_kind: str, model_id: str) -> None:
        p = segment[-1]
        alert = Alert(
            actor=p.actor, target=p.target, direction=direction, opened_on=p.day, window_start=segment[0].day,
            window_end=p.day, baseline=self.baseline, baseline_kind=baseline_kind,
            observed=round(float(np.mean([q.score for q in segment])), 4), ci_low=round(ci[0], 4), ci_high=round(ci[1], 4),
            n_statements=len(segment), n_sources=len({q.source for q in segment}), statistic=round(statistic, 4),
            method=method, evidence_ids=tuple(q.id for q in segment), model_id=model_id, regime_start=segment[0].day,
            dominant_target=dominant_target(segment) if p.target == "West" else None,
        )
        self.alerts.append(alert)
        self.open[direction] = alert


DIRECTIONS = ("toward_favor", "toward_against")


def detect(points: Sequence[Point], baseline: float, baseline_kind: str, s: ShiftSettings, *,
           model_id: str = "") -> list[Alert]:
    """Run the configured detector over one actor x target series and return its alerts."""
    pts = distinct(points)
    if s.method == "bayes":
        return _detect_bayes(pts, baseline, baseline_kind, s, model_id)
    return _detect_cusum(pts, baseline, baseline_kind, s, model_id)


def _detect_cusum(points: Sequence[Point], baseline: float, baseline_kind: str, s: ShiftSettings,
                  model_id: str) -> list[Alert]:
    life = _Lifecycle(points, baseline, s, s.min_statements)
    up = down = 0.0
    up_start = down_start = 0
    method = (
        f"cusum(k={s.cusum_drift},h={s.cusum_h})+bootstrap90(threshold={s.threshold},min_n={s.min_statements},"
        f"min_sources={s.min_sources},window={s.window_days}d)"
    )
    for i, p in enumerate(points):
        dev = p.score - baseline
        if up == 0.0:
            up_start = i
        if down == 0.0:
            down_start = i
        up = max(0.0, up + dev - s.cusum_drift)
        down = max(0.0, down - dev - s.cusum_drift)
        for direction, stat, start in (("toward_favor", up, up_start), ("toward_against", down, down_start)):
            if direction in life.open:
                if life.step_open(i, direction) and direction not in life.open:  # resolved: the sum starts again
                    if direction == "toward_favor":
                        up = 0.0
                    else:
                        down = 0.0
                continue
            if stat <= s.cusum_h or life.cooling(i, direction):
                continue
            segment = [q for q in points[max(start, life.floor[direction]) : i + 1]
                       if q.day > p.day - timedelta(days=s.window_days)]
            if not segment or not life.passes_evidence_rule(segment, direction):
                continue
            lo, hi = bootstrap_interval([q.score for q in segment])
            if not (lo > baseline if direction == "toward_favor" else hi < baseline):
                continue
            life.raise_alert(direction, segment, ci=(lo, hi), statistic=stat, method=method,
                             baseline_kind=baseline_kind, model_id=model_id)
    return life.alerts


def _detect_bayes(points: Sequence[Point], baseline: float, baseline_kind: str, s: ShiftSettings,
                  model_id: str) -> list[Alert]:
    life = _Lifecycle(points, baseline, s, max(3, s.min_statements))
    prior = ShiftPrior.build(baseline, strength=s.bayes_strength, noise=s.bayes_noise, delta=s.threshold / 2)
    log_needed = float(np.log(s.bayes_factor))
    method = (
        f"bayes(beta-binomial,bf>={s.bayes_factor:g},strength={s.bayes_strength:g},noise={s.bayes_noise:g},"
        f"threshold={s.threshold},min_n={s.min_statements},min_sources={s.min_sources},window={s.window_days}d)"
    )
    fav = soft_favour([p.score for p in points])
    cf = np.concatenate([[0.0], np.cumsum(fav)])
    ca = np.concatenate([[0.0], np.cumsum(1.0 - fav)])
    lo = 0  # first point inside the window of the current one
    for i, p in enumerate(points):
        while points[lo].day <= p.day - timedelta(days=s.window_days):
            lo += 1
        all_starts = np.arange(lo, i - s.min_statements + 2)  # runs [c, i] of at least min_statements
        by_direction = prior.log_bayes_factors(cf[i + 1] - cf[all_starts], ca[i + 1] - ca[all_starts]) if len(all_starts) else {}
        for direction in DIRECTIONS:
            if direction in life.open:
                life.step_open(i, direction)
                continue
            if life.cooling(i, direction) or not by_direction:
                continue
            keep = all_starts >= life.floor[direction]
            starts, logbf = all_starts[keep], by_direction[direction][keep]
            for k in np.argsort(-logbf, kind="stable"):
                if logbf[k] < log_needed:
                    break
                segment = points[int(starts[k]) : i + 1]
                if life.passes_evidence_rule(segment, direction):
                    c = int(starts[k])
                    ci = score_interval(float(cf[i + 1] - cf[c]), float(ca[i + 1] - ca[c]))
                    life.raise_alert(direction, segment, ci=ci, statistic=float(logbf[k] / np.log(10)), method=method,
                                     baseline_kind=baseline_kind, model_id=model_id)
                    break
    return life.alerts


def baseline_scores(baselines: Sequence[Baseline]) -> dict[tuple[str, str], float]:
    """Configured baseline scores, rolled up and down the Western targets of each actor.

    An actor's ``West`` without an entry of its own takes the mean of its EU, US and France
    entries; an EU, US or France without one takes the actor's ``West``. All come from the
    article (``baseline_kind = article``); only an actor with no entry at all falls back to history.
    """
    scores = {(b.actor, b.target): b.score for b in baselines}
    for actor in sorted({a for a, _ in scores}):
        specific = [scores[(actor, t)] for t in WESTERN_TARGETS if (actor, t) in scores]
        if (actor, "West") not in scores and specific:
            scores[(actor, "West")] = round(float(np.mean(specific)), 4)
        for t in WESTERN_TARGETS:
            if (actor, t) not in scores and (actor, "West") in scores:
                scores[(actor, t)] = scores[(actor, "West")]
    return scores


def series_baseline(pts: Sequence[Point], configured: dict[tuple[str, str], float], s: ShiftSettings,
                    ) -> tuple[float, str, list[Point]] | None:
    """(baseline, kind, the points compared with it) for one series; ``None`` while a history baseline lacks data.

    A series with a configured baseline is compared with it; one without is compared with the
    mean of its own first ``2 * max(4, min_statements)`` distinct observations (and needs more
    than that): a history baseline from fewer than eight statements is too noisy to alert on.
    """
    pts = distinct(pts)
    if not pts:
        return None
    key = (pts[0].actor, pts[0].target)
    if key in configured:
        return configured[key], "article", pts
    warmup = 2 * max(4, s.min_statements)
    if len(pts) <= warmup:
        return None
    return round(float(np.mean([p.score for p in pts[:warmup]])), 4), "history", pts[warmup:]


def evidence_path(points: Sequence[Point], baseline: float, s: ShiftSettings, direction: str) -> list[float]:
    """After each point, the detector's statistic for ``direction`` ignoring alerts (for plots and timelines).

    ``bayes``: log10 of the largest Bayes factor of a run ending there (within ``window_days``,
    at least ``min_statements`` long; 0 when none). ``cusum``: the one-sided CUSUM, no resets.
    """
    pts = distinct(points)
    out: list[float] = []
    if s.method == "cusum":
        stat = 0.0
        for p in pts:
            dev = p.score - baseline if direction == "toward_favor" else baseline - p.score
            stat = max(0.0, stat + dev - s.cusum_drift)
            out.append(round(stat, 4))
        return out
    prior = ShiftPrior.build(baseline, strength=s.bayes_strength, noise=s.bayes_noise, delta=s.threshold / 2)
    fav = soft_favour([p.score for p in pts])
    cf = np.concatenate([[0.0], np.cumsum(fav)])
    ca = np.concatenate([[0.0], np.cumsum(1.0 - fav)])
    lo = 0
    for i, p in enumerate(pts):
        while pts[lo].day <= p.day - timedelta(days=s.window_days):
            lo += 1
        starts = np.arange(lo, i - s.min_statements + 2)
        best = float(prior.log_bayes_factors(cf[i + 1] - cf[starts], ca[i + 1] - ca[starts])[direction].max()) if len(starts) else 0.0
        out.append(round(max(0.0, best) / float(np.log(10)), 4))
    return out


def detect_all(points: Iterable[Point], baselines: Sequence[Baseline], s: ShiftSettings, *, model_id: str = "") -> list[Alert]:
    """Alerts for every actor x target series (baseline: :func:`series_baseline`), in opening order."""
    configured = baseline_scores(baselines)
    alerts: list[Alert] = []
    for _, pts in sorted(series_by_target(points).items()):
        found = series_baseline(pts, configured, s)
        if found is not None:
            alerts += detect(found[2], found[0], found[1], s, model_id=model_id)
    return sorted(alerts, key=lambda a: (a.opened_on, a.actor, a.target, a.direction))
