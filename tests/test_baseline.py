"""Shift detection on synthetic series: sustained moves alert early, noise and single remarks do not."""

from __future__ import annotations

from datetime import date, timedelta

from monitor.baseline import Point, bootstrap_interval, detect, detect_all, series_by_target
from monitor.config import Baseline, ShiftSettings

S = ShiftSettings()
D0 = date(2026, 1, 1)


def pts(scores: list[float], *, actor: str = "AZ", target: str = "US", sources: int = 2, start: int = 0) -> list[Point]:
    return [Point(f"s{start + i}", actor, target, D0 + timedelta(days=3 * (start + i)), sc, f"feed{(start + i) % sources}")
            for i, sc in enumerate(scores)]


def test_sustained_shift_alerts_within_five_statements() -> None:
    before = pts([-0.8, -0.7, -0.9, -0.6, -0.8, -0.7])
    after = pts([0.8, 0.7, 0.9, 0.6, 0.8, 0.9], start=6)
    alerts = detect(before + after, -0.5, "article", S)
    assert len(alerts) == 1
    a = alerts[0]
    assert a.direction == "toward_favor" and a.status == "open"
    opened_index = int(next(p.id for p in after if p.day == a.opened_on)[1:]) - 6
    assert opened_index < 5
    assert a.window_start == after[0].day
    assert set(a.evidence_ids) <= {p.id for p in after}
    assert a.n_sources >= 2 and a.ci_low > -0.5


def test_one_odd_remark_does_not_alert() -> None:
    scores = [-0.8, -0.7, 0.9, -0.8, -0.9, -0.6, -0.7, 0.8, -0.9, -0.8, -0.7]
    assert detect(pts(scores), -0.5, "article", S) == []


def test_single_source_is_not_enough() -> None:
    series = pts([-0.8] * 4) + pts([0.9] * 8, start=4, sources=1)
    series = [p if p.day < D0 + timedelta(days=12) else Point(p.id, p.actor, p.target, p.day, p.score, "only") for p in series]
    assert detect(series, -0.5, "article", S) == []


def test_alert_resolves_when_series_returns_and_respects_cooldown() -> None:
    series = pts([0.9] * 5 + [-0.8] * 6)
    alerts = detect(series, -0.6, "article", S)
    assert len(alerts) == 1
    assert alerts[0].status == "resolved" and alerts[0].resolved_on is not None


def test_toward_against_is_detected_for_a_favorable_actor() -> None:
    alerts = detect(pts([0.8] * 5 + [-0.9] * 6), 0.7, "article", S)
    assert [a.direction for a in alerts] == ["toward_against"]


def test_west_pools_western_targets_and_history_baseline() -> None:
    points = pts([-0.8, -0.9, -0.7], target="EU") + pts([-0.8, -0.7, -0.9], target="France", start=3)
    series = series_by_target(points)
    assert len(series[("AZ", "West")]) == 6
    # no configured baseline: the first 2*min_statements observations set it, then a move alerts
    hist = pts([-0.8] * 8 + [0.9] * 6, actor="GE", target="EU")
    alerts = detect_all(hist, [], S)
    assert {(a.actor, a.target, a.baseline_kind) for a in alerts} >= {("GE", "EU", "history")}


def test_configured_baseline_is_used() -> None:
    b = Baseline(actor="AZ", target="US", label="against", score=-0.5, evidence="x", paragraph=1, date=date(2024, 4, 15))
    alerts = detect_all(pts([0.9] * 6), [b], S)
    us = [a for a in alerts if a.target == "US"]
    assert us and us[0].baseline == -0.5 and us[0].baseline_kind == "article"


def test_alert_id_is_stable_and_bootstrap_is_deterministic() -> None:
    a1 = detect(pts([0.9] * 6), -0.5, "article", S)[0]
    a2 = detect(pts([0.9] * 6), -0.5, "article", S)[0]
    assert a1.id == a2.id
    assert bootstrap_interval([0.1, 0.5, 0.9]) == bootstrap_interval([0.1, 0.5, 0.9])


def test_evidence_must_fall_within_the_window_of_statement_dates() -> None:
    """Favourable remarks a month apart never make a 60-day window of four; a wide window does."""
    spaced = [Point(f"s{i}", "AZ", "US", D0 + timedelta(days=30 * i), 0.9, f"feed{i % 2}") for i in range(6)]
    assert detect(spaced, -0.5, "article", S) == []
    wide = ShiftSettings(window_days=365)
    alerts = detect(spaced, -0.5, "article", wide)
    assert [a.opened_on for a in alerts] == [spaced[3].day] and "window=365d" in alerts[0].method


def test_detection_depends_on_statement_dates_not_input_order() -> None:
    series = pts([-0.8, -0.7, -0.9] + [0.8, 0.9, 0.7, 0.9, 0.8])
    shuffled = series[::-1]
    assert detect_all(shuffled, [], ShiftSettings(min_statements=2)) == detect_all(series, [], ShiftSettings(min_statements=2))
    b = Baseline(actor="AZ", target="US", label="against", score=-0.5, evidence="x", paragraph=1, date=date(2024, 4, 15))
    assert detect_all(shuffled, [b], S) == detect_all(series, [b], S) != []
