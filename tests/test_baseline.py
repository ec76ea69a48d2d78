"""Shift detection on constructed series: sustained moves alert early, noise and single remarks do not.

The first tests pin the CUSUM detector with its historical parameters; the ``bayes`` tests
below run the beta-binomial detector on the same kinds of series.
"""

from __future__ import annotations

from datetime import date, timedelta

from monitor.config import Baseline, ShiftSettings
from monitor.shifts.baseline import (
    Point,
    baseline_scores,
    bootstrap_interval,
    detect,
    detect_all,
    series_by_target,
)

S = ShiftSettings(method="cusum", min_statements=4, window_days=60)
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
    wide = ShiftSettings(method="cusum", min_statements=4, window_days=365)
    alerts = detect(spaced, -0.5, "article", wide)
    assert [a.opened_on for a in alerts] == [spaced[3].day] and "window=365d" in alerts[0].method


def test_detection_depends_on_statement_dates_not_input_order() -> None:
    series = pts([-0.8, -0.7, -0.9, -0.8, -0.7, -0.9, -0.8, -0.7] + [0.8, 0.9, 0.7, 0.9, 0.8])
    shuffled = series[::-1]
    by_history = detect_all(series, [], ShiftSettings(method="cusum", min_statements=2))
    assert detect_all(shuffled, [], ShiftSettings(method="cusum", min_statements=2)) == by_history != []
    assert {a.baseline_kind for a in by_history} == {"history"}
    b = Baseline(actor="AZ", target="US", label="against", score=-0.5, evidence="x", paragraph=1, date=date(2024, 4, 15))
    assert detect_all(shuffled, [b], S) == detect_all(series, [b], S) != []


# ---------------------------------------------------------------- the Bayesian detector

B = ShiftSettings(method="bayes", min_statements=2, min_sources=2, window_days=180, bayes_factor=8.0)


def spaced(scores: list[float], *, gap: int = 10, start: int = 0, key: str | None = None) -> list[Point]:
    """A sparse series: one statement every ``gap`` days, alternating between two sources."""
    return [Point(f"b{start + i}", "AZ", "US", D0 + timedelta(days=gap * (start + i)), sc, f"feed{(start + i) % 2}",
                  key=key or "")
            for i, sc in enumerate(scores)]


def test_bayes_sharp_shift_alerts_by_the_third_statement_and_dates_the_regime() -> None:
    before, after = spaced([-0.8] * 6), spaced([0.85] * 5, start=6)
    alerts = detect(before + after, -0.5, "article", B)
    assert [a.direction for a in alerts] == ["toward_favor"]
    a = alerts[0]
    assert a.opened_on <= after[2].day and a.regime_start == after[0].day
    assert a.delay_days == (a.opened_on - after[0].day).days
    assert set(a.evidence_ids) <= {p.id for p in after} and a.method.startswith("bayes(")
    assert a.ci_low > -0.5 and a.statistic >= 0.9  # log10 of the Bayes factor


def test_bayes_two_strong_statements_suffice_against_a_strong_baseline_only() -> None:
    series = spaced([-0.8] * 6) + spaced([0.85] * 2, start=6) + spaced([-0.8] * 3, start=8)
    assert [a.opened_on for a in detect(series, -0.8, "article", B)] == [series[7].day]
    assert detect(series, -0.5, "article", B) == []  # a milder baseline wants a third


def test_bayes_slow_drift_alerts_once_and_places_the_change_in_the_drift() -> None:
    drift = [-0.8, -0.7, -0.6, -0.5, -0.3, -0.1, 0.1, 0.3, 0.5, 0.6, 0.7, 0.8, 0.8, 0.8]
    series = spaced(drift)
    alerts = detect(series, -0.5, "article", B)
    assert [a.direction for a in alerts] == ["toward_favor"]
    assert alerts[0].regime_start is not None and alerts[0].regime_start >= series[5].day


def test_bayes_single_outlier_does_not_alert() -> None:
    series = spaced([-0.8, -0.7, -0.9, 0.95, -0.8, -0.9, -0.6, -0.7, 0.9, -0.9, -0.8, -0.7])
    assert detect(series, -0.8, "article", B) == []


def test_bayes_burst_of_copies_counts_once() -> None:
    """Eight copies of one favourable remark (one key) from two outlets on one day are one statement."""
    burst = [Point(f"copy{i}", "AZ", "US", D0 + timedelta(days=70), 0.9, f"outlet{i % 2}", key="same-text") for i in range(8)]
    series = spaced([-0.8] * 7) + burst + spaced([-0.8] * 4, start=8)
    assert detect(series, -0.8, "article", B) == []
    distinct_copies = [Point(p.id, p.actor, p.target, p.day, p.score, p.source) for p in burst]  # eight different texts
    assert detect(spaced([-0.8] * 7) + distinct_copies, -0.8, "article", B) != []


def test_bayes_reversal_back_to_baseline_closes_the_alert() -> None:
    series = spaced([-0.8] * 4) + spaced([0.85] * 5, start=4) + spaced([-0.8] * 4, start=9)
    alerts = detect(series, -0.5, "article", B)
    assert len(alerts) == 1 and alerts[0].status == "resolved"
    assert alerts[0].resolved_on is not None and series[9].day <= alerts[0].resolved_on <= series[12].day


def test_bayes_needs_two_sources() -> None:
    series = [Point(p.id, p.actor, p.target, p.day, p.score, "one-feed") for p in spaced([-0.8] * 4 + [0.9] * 6)]
    assert detect(series, -0.8, "article", B) == []


def test_west_alert_names_the_dominant_target() -> None:
    us = [Point(f"u{i}", "AZ", "US", D0 + timedelta(days=100 + 5 * i), 0.9, f"feed{i % 2}") for i in range(3)]
    eu = [Point("e0", "AZ", "EU", D0 + timedelta(days=104), 0.8, "feed3")]
    b = Baseline(actor="AZ", target="West", label="against", score=-0.7, evidence="x", paragraph=1, date=date(2024, 4, 15))
    west = [a for a in detect_all(us + eu, [b], B) if a.target == "West"]
    assert west and west[0].dominant_target == "US"
    mixed = us[:1] + [Point(f"e{i}", "AZ", "EU", D0 + timedelta(days=101 + i), 0.9, f"feed{i}") for i in range(2)]
    assert [a.dominant_target for a in detect_all(mixed, [b], B) if a.target == "West"] == ["EU"]


def test_baselines_roll_up_to_west_and_down_to_specific_targets() -> None:
    def b(actor: str, target: str, score: float) -> Baseline:
        return Baseline(actor=actor, target=target, label="favor" if score > 0 else "against", score=score, evidence="x",
                        paragraph=1, date=date(2024, 4, 15))

    scores = baseline_scores([b("FR", "France", 0.8), b("TR", "West", -0.5), b("AZ", "US", -0.5), b("AZ", "EU", -0.7)])
    assert scores[("FR", "West")] == 0.8 and scores[("FR", "US")] == 0.8  # up to West, then down to the others
    assert scores[("TR", "US")] == scores[("TR", "France")] == -0.5
    assert scores[("AZ", "West")] == -0.6 and scores[("AZ", "France")] == -0.6
    # a favourable actor's West series is compared with its own article position, not with its early history
    steady = [Point(f"f{i}", "FR", "West", D0 + timedelta(days=10 * i), sc, f"feed{i % 2}")
              for i, sc in enumerate([0.3, 0.2, 0.4, 0.3, 0.2, 0.3, 0.4, 0.2, 0.9, 0.85, 0.9, 0.95])]
    assert detect_all(steady, [b("FR", "France", 0.8)], B) == []
