"""The team's replay scenario through the real model: one genuine shift alerts early, nothing else does.

``tests/data/replay_scenario.jsonl`` holds team-written, dated statements (2026) by several
actors; ``tests/data/replay_expected.json`` says what must come out. The classifier is the
bundled MiniLM with the trained head, loaded once for the session (``classifier`` fixture).
"""

from __future__ import annotations

import contextlib
import io
import json
import math
from pathlib import Path
from typing import Any

import pytest

from monitor import store
from monitor.config import Settings
from monitor.desk import cli
from monitor.records import content_hash
from monitor.shifts.replay import ReplayResult, parse_day, replay_file
from monitor.stance.classifier import StanceClassifier
from monitor.statements.actors import ActorIndex

DATA = Path(__file__).resolve().parent / "data"
SCENARIO = DATA / "replay_scenario.jsonl"
EXPECTED = json.loads((DATA / "replay_expected.json").read_text(encoding="utf-8"))
CONFIG = Path(__file__).resolve().parent.parent / "config"
ISSUE_KEYS = {"actor", "target", "direction", "opened_on", "baseline", "observed", "n_statements", "statistic", "evidence_ids"}

pytestmark = pytest.mark.slow


def scenario_rows() -> list[dict[str, Any]]:
    return [json.loads(line) for line in SCENARIO.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def cli_alerts() -> list[dict[str, Any]]:
    """``monitor replay --statements tests/data/replay_scenario.jsonl --json``, parsed."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = cli.main(["replay", "--statements", str(SCENARIO), "--config", str(CONFIG), "--json"])
    assert code == 0
    doc = json.loads(out.getvalue())
    assert doc.keys() == {"alerts", "series", "counts", "not_counted"}
    alerts: list[dict[str, Any]] = doc["alerts"]
    return alerts


@pytest.fixture(scope="module")
def replay_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(tmp_path_factory.mktemp("replay") / "replay.duckdb")


@pytest.fixture(scope="module")
def result(settings: Settings, classifier: StanceClassifier, replay_db: str) -> ReplayResult:
    """The scenario replayed in-process and stored in a database (``--db``)."""
    return replay_file(SCENARIO, settings, classifier, db=replay_db)


def distinct_statements(actor: str, settings: Settings) -> list[str]:
    """Ids of the actor's distinct, dated statements in the file, in date order (copies once)."""
    index = ActorIndex.from_actors(settings.actors)
    rows = [r for r in scenario_rows() if index.resolve(str(r.get("actor") or "")) == actor and parse_day(r.get("date"))]
    rows.sort(key=lambda r: (str(r["date"]), str(r["id"])))
    seen: set[str] = set()
    ids = []
    for r in rows:
        if content_hash(r["text"]) not in seen:
            seen.add(content_hash(r["text"]))
            ids.append(str(r["id"]))
    return ids


def test_cli_json_has_the_expected_alerts_and_keys(cli_alerts: list[dict[str, Any]]) -> None:
    got = {(a["actor"], a["target"], a["direction"]) for a in cli_alerts}
    assert got == {(a["actor"], a["target"], a["direction"]) for a in EXPECTED["alerts"]}
    for a in cli_alerts:
        assert a.keys() >= ISSUE_KEYS
        assert a["n_statements"] == len(a["evidence_ids"])


def test_genuine_shift_alerts_within_five_distinct_statements(cli_alerts: list[dict[str, Any]], settings: Settings) -> None:
    shift = EXPECTED["shift"]
    ids = distinct_statements(shift["actor"], settings)
    start = ids.index(shift["first_id"])
    after = ids[start:]
    dates = {str(r["id"]): str(r.get("date")) for r in scenario_rows()}
    baselines = {(b.actor, b.target): b.score for b in settings.baselines}
    mine = [a for a in cli_alerts if a["actor"] == shift["actor"]]
    assert mine, "the genuine shift raised no alert"
    for a in mine:
        assert a["direction"] == shift["direction"]
        trigger = a["evidence_ids"][-1]  # the statement at which the alert opened
        assert after.index(trigger) < shift["within_statements"], f"opened {after.index(trigger) + 1} statements after the shift"
        assert a["opened_on"] == dates[trigger]
        assert set(a["evidence_ids"]) <= set(after), "evidence must come from the shift, not the baseline period"
        assert a["baseline"] == baselines[(a["actor"], a["target"])]
        assert a["observed"] - a["baseline"] >= settings.shift.threshold
        level = math.log10(settings.shift.bayes_factor) if settings.shift.method == "bayes" else settings.shift.cusum_h
        assert a["statistic"] >= level and a["n_statements"] >= settings.shift.min_statements
    for exp in EXPECTED["alerts"]:
        got = next(a for a in mine if a["target"] == exp["target"])
        assert (got["opened_on"], got["evidence_ids"]) == (exp["opened_on"], exp["evidence_ids"])


def test_stable_actors_and_the_syndicated_burst_raise_no_alert(cli_alerts: list[dict[str, Any]]) -> None:
    assert not [a for a in cli_alerts if a["actor"] in EXPECTED["quiet_actors"]]
    burst = set(EXPECTED["burst"]["ids"])
    assert not [a for a in cli_alerts if burst & set(a["evidence_ids"])]


def test_rows_are_counted_and_skipped(result: ReplayResult) -> None:
    counts = {k: getattr(result, k) for k in EXPECTED["counts"]}
    assert counts == EXPECTED["counts"]
    assert result.counted + result.duplicates + result.irrelevant + result.no_stance + result.uncertain == result.used
    # uncertain and no-stance statements never reach the detector
    assert not {i for i, why in result.not_counted if why in ("none", "uncertain")} & set(result.counted_ids)


def test_syndicated_copies_count_once(result: ReplayResult) -> None:
    burst = EXPECTED["burst"]["ids"]
    counted = [i for i in result.counted_ids if i in burst]
    assert counted == [burst[0]]  # the earliest copy (by date, then id) stands for all
    assert result.duplicates == len(burst) - 1


def test_without_deduplication_the_burst_would_alert_and_row_order_does_not_matter(
    tmp_path: Path, settings: Settings, classifier: StanceClassifier, result: ReplayResult
) -> None:
    """Guards the scenario itself: the burst is strong enough to alert if each copy counted.

    The rows are also fed in reverse order: apart from the burst's alert, the result is the same.
    """
    burst = set(EXPECTED["burst"]["ids"])
    rows = scenario_rows()[::-1]
    for r in rows:
        if r["id"] in burst:
            r["text"] = f"{r['text']} (as reported by {r['source']})"
    path = tmp_path / "no-dedup-reversed.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    alerts = replay_file(path, settings, classifier).alerts
    from_burst = [a for a in alerts if burst & set(a["evidence_ids"])]
    assert from_burst and {a["actor"] for a in from_burst} == {EXPECTED["burst"]["actor"]}
    assert [a for a in alerts if a not in from_burst] == result.alerts


def test_replay_into_a_database_gives_the_same_alerts(result: ReplayResult, replay_db: str) -> None:
    con = store.connect(replay_db, read_only=True)
    try:
        stored = con.execute(
            "SELECT actor, target, direction, CAST(opened_on AS VARCHAR), n_statements, n_sources FROM alerts ORDER BY ALL"
        ).fetchall()
        n_statements = con.execute("SELECT count(*) FROM statements").fetchone()
        evidence = con.execute("SELECT DISTINCT speaker, url IS NOT NULL FROM alert_evidence").fetchall()
    finally:
        con.close()
    expected = sorted((a["actor"], a["target"], a["direction"], a["opened_on"], a["n_statements"], a["n_sources"])
                      for a in result.alerts)
    assert stored == expected
    # every dated row of a known actor is stored (the burst's copies come from different sources);
    # the detector still counts the copies once, through the stance_observations view
    assert n_statements == (result.used,)
    assert evidence and all(speaker for speaker, _ in evidence)


def test_alerts_carry_their_delay_and_each_series_its_timeline(result: ReplayResult, settings: Settings) -> None:
    """Timeliness (issue 16): the regime's first statement and the delay per alert, a timeline per series."""
    dates = {str(r["id"]): str(r.get("date")) for r in scenario_rows()}
    for a in result.alerts:
        assert a["regime_start"] == dates[a["evidence_ids"][0]]
        assert a["delay_days"] == (parse_day(a["opened_on"]) - parse_day(a["regime_start"])).days  # type: ignore[operator]
    series = {(s["actor"], s["target"]): s for s in result.series}
    assert {(p.actor, p.target) for p in result.points} <= series.keys()
    for a in result.alerts:
        tl = series[(a["actor"], a["target"])]
        assert tl["baseline"] == a["baseline"]
        assert tl["band"] == [round(a["baseline"] - settings.shift.threshold, 4), round(a["baseline"] + settings.shift.threshold, 4)]
        assert a["opened_on"] in [x["opened_on"] for x in tl["alerts"]]
        days = [st["date"] for st in tl["statements"]]
        assert days == sorted(days) and set(a["evidence_ids"]) <= {st["id"] for st in tl["statements"]}
        assert all(st["statistic"] is not None for st in tl["statements"] if st["compared"])
    doc = result.document()
    assert doc["counts"]["counted"] == result.counted and len(doc["not_counted"]) == len(result.not_counted)


def test_without_the_relevance_gate_rejected_statements_count(settings: Settings, classifier: StanceClassifier,
                                                               result: ReplayResult) -> None:
    """``gate=False`` (bench/shift_real.py --no-gate) is a diagnostic: nothing is dropped as irrelevant."""
    open_gate = replay_file(SCENARIO, settings, classifier, gate=False)
    assert open_gate.irrelevant == 0
    assert set(result.counted_ids) <= set(open_gate.counted_ids)
    assert open_gate.counted == len(result.counted_ids) + sum(
        1 for i, why in result.not_counted if why == "irrelevant" and i in open_gate.counted_ids)
