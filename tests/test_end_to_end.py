"""The whole path on the demo corpus with the real bundled model, offline.

Feeds are served from 127.0.0.1, every other connection is refused, and the Hugging Face
hub is switched off: the run must still fetch, extract, classify with the transformer, store,
compare with the article's baselines and raise an alert whose evidence is real statements.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from monitor import store
from monitor.desk import cli
from tests.conftest import CONFIG

# Analyst corrections only ever come from `monitor label`; every other table must have rows.
FILLED_BY_A_RUN = ("sources", "fetches", "items", "statements", "stances", "models", "actors", "baselines", "alerts",
                   "alert_deliveries")


def _counts(db: Path) -> dict[str, int]:
    con = store.connect(db, read_only=True)
    try:
        return store.table_counts(con)
    finally:
        con.close()


def test_demo_fills_every_table_and_raises_an_alert(demo_db: Path) -> None:
    counts = _counts(demo_db)
    empty = [t for t in FILLED_BY_A_RUN if counts[t] == 0]
    assert not empty, f"tables left empty by the demo: {empty}"

    con = store.connect(demo_db, read_only=True)
    try:
        states = dict(con.execute("SELECT state, count(*) FROM fetches GROUP BY state").fetchall())
        assert set(states) == {"ok"}, states
        model_ids = {r[0] for r in con.execute("SELECT DISTINCT model_id FROM stances").fetchall()}
        assert len(model_ids) == 1 and next(iter(model_ids)).startswith("all-MiniLM-L6-v2@53aa5117+head@")
        alerts = con.execute("SELECT id, actor, target, direction, evidence_ids, model_id FROM alerts").fetchall()
        assert alerts
        # the demo's story: Azerbaijan moves from its recorded opposition to welcoming US mediation
        assert any(a[1] == "AZ" and a[3] == "toward_favor" for a in alerts), alerts
        for _id, _actor, _target, _direction, evidence, model_id in alerts:
            ids = list(evidence)
            assert ids
            found = con.execute("SELECT count(*) FROM statements WHERE id IN (SELECT unnest(?))", [ids]).fetchone()[0]
            assert found == len(ids), "alert evidence must name stored statements"
            assert model_id in model_ids
    finally:
        con.close()
    lines = (demo_db.parent / "alerts.jsonl").read_text(encoding="utf-8").splitlines()
    assert lines and all(json.loads(line)["evidence"] for line in lines)


def test_second_demo_run_adds_nothing(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = _counts(demo_db)
    assert cli.main(["query", "select count(*) AS n from statements", "--db", str(demo_db), "--format", "json"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert cli.main(["demo", "--no-prefect", "--db", str(demo_db), "--config", str(CONFIG)]) == 0
    capsys.readouterr()
    after = _counts(demo_db)
    assert {k: v for k, v in after.items() if k != "fetches"} == {k: v for k, v in before.items() if k != "fetches"}
    assert after["fetches"] == before["fetches"] + before["sources"]  # each poll is recorded, nothing else
    assert cli.main(["query", "select count(*) AS n from statements", "--db", str(demo_db), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == first


def test_network_guard_blocks_other_hosts(no_network: None) -> None:
    import socket

    from tests.conftest import NetworkBlocked

    with pytest.raises(NetworkBlocked):
        socket.create_connection(("198.51.100.7", 80), timeout=1)


def test_pipeline_runs_unchanged_on_a_non_file_connection_string(settings, classifier, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """`store` takes DuckDB connection strings, not only paths: the whole run on ':memory:' (no file lock)."""
    from dataclasses import replace

    from monitor import pipeline
    from monitor.config import AlertSettings
    from monitor.desk.demo import demo_settings, serve_demo

    with serve_demo() as base:
        s = replace(demo_settings(CONFIG, base), alerts=AlertSettings(jsonl=str(tmp_path / "alerts.jsonl")))
        summary = pipeline.run(s, ":memory:")
    assert summary.items_new == 96 and summary.stances > 0 and summary.alerts_new > 0
    assert not (Path(":memory:.lock")).exists()
