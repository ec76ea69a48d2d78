"""The shift benchmarks: gold regimes of the real-record script, its skip, and the simulation's bars at the default.

The rows below are written for the test (no text from ../shared/real).
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

import pytest

from bench.shift_real import gold_regimes, main
from bench.shift_sim import DEFAULT_CONFUSION, Sim, parse_confusion, run_candidate
from monitor.config import Settings, ShiftSettings
from monitor.shifts.baseline import baseline_scores
from monitor.statements.actors import ActorIndex


def row(i: int, day: str, label: str, target: str, actor: str = "Azerbaijan") -> dict[str, str]:
    return {"id": f"t{i}", "actor": actor, "date": day, "label": label, "target": target,
            "text": f"Invented statement number {i} about mediation ({label}, {target})."}


def test_gold_regimes_are_runs_of_three_on_the_other_side(settings: Settings) -> None:
    rows = [
        row(1, "2025-01-10", "against", "US"), row(2, "2025-02-01", "against", "West"),
        row(3, "2025-03-01", "favor", "US"), row(4, "2025-03-02", "none", "none"),
        row(5, "2025-03-20", "favor", "US"), row(6, "2025-04-02", "favor", "EU"),
        row(7, "2025-06-01", "against", "West"),
        row(8, "2025-07-01", "favor", "EU"), row(9, "2025-07-05", "favor", "EU"),
        row(10, "2025-08-01", "favor", "US") | {"date": "unknown"},
    ]
    rows.append(row(11, "2025-03-21", "favor", "US") | {"text": rows[4]["text"], "id": "copy"})  # a copy counts once
    regimes = gold_regimes(rows, ActorIndex.from_actors(settings.actors), baseline_scores(settings.baselines))
    got = {(g.target, g.kind, tuple(g.ids), g.end) for g in regimes}
    assert ("West", "regime", ("t3", "t5", "t6"), date(2025, 6, 1)) in got  # EU rolls up into West; none does not break it
    assert ("US", "episode", ("t3", "t5"), None) in got
    assert ("EU", "regime", ("t6", "t8", "t9"), None) in got  # the West-target "against" is not about the EU
    assert ("West", "episode", ("t8", "t9"), None) in got
    assert {g.direction for g in regimes} == {"toward_favor"}
    assert all(g.days == sorted(g.days) for g in regimes)


def test_real_record_script_skips_when_the_folder_is_absent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "argv", ["shift_real.py", "--real", str(tmp_path / "absent")])
    assert main() == 0
    assert "skipped:" in capsys.readouterr().out


@pytest.mark.parametrize("baseline", [-0.5, -0.8, 0.7])
def test_default_detector_meets_the_bars_on_simulated_series_at_four_a_month(baseline: float) -> None:
    """Median delay <= 21 days after the third statement, <= 1 false alert per series-year (a small run)."""
    a = argparse.Namespace(seed=16, runs=30, stable_years=3.0, before_months=12.0, horizon_days=365)
    sim = Sim(parse_confusion(DEFAULT_CONFUSION), 0.3, 5, "same")
    m = run_candidate(ShiftSettings(), sim, 4.0, baseline, a)
    assert m["median_delay"] <= 21 and m["detected"] >= 0.9
    assert m["false_per_year"] <= 1.0
