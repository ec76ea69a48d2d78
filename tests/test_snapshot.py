"""Analysts and runs never lock each other out: the writer publishes a snapshot that readers open.

Real processes on real DuckDB files: analyst sessions are child processes running the README's
Python lines on the snapshot, `monitor run` and `monitor query` are the real CLI in child
processes, and the demo feeds come from a server on 127.0.0.1.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from monitor import snapshot, store
from monitor.records import FetchResult, Item
from tests.conftest import CONFIG

ROOT = Path(__file__).resolve().parent.parent

# The analyst's session, as README "How an analyst queries" has it: one connection opened on the
# snapshot and kept for the whole session; each round also starts a new session in a new process
# (within one process DuckDB hands every connection to a path the database instance already open).
# One JSON line a round until killed.
SESSION = """
import duckdb, json, subprocess, sys, time
FRESH = (
    "import duckdb, json, sys; con = duckdb.connect(sys.argv[1], read_only=True); print(json.dumps(con.execute("
    "'SELECT (SELECT count(*) FROM items), (SELECT count(*) FROM statements), (SELECT count(*) FROM stances),"
    " items, statements, stances FROM publications ORDER BY published_at DESC LIMIT 1').fetchone()))"
)
con = duckdb.connect(sys.argv[1], read_only=True)
while True:
    row = {"t": time.time()}
    try:
        row["open"] = con.execute("SELECT count(*) FROM items").fetchone()[0]
        row["fresh"] = json.loads(subprocess.run([sys.executable, "-c", FRESH, sys.argv[1]], capture_output=True,
                                                 text=True, check=True).stdout)
    except Exception as exc:
        row["error"] = repr(exc)
    print(json.dumps(row), flush=True)
    time.sleep(0.2)
"""

# A write in progress: the writer lock held and rows inserted in a transaction not yet committed.
LONG_WRITE = """
import sys
from monitor import store
with store.writer_lock(sys.argv[1]):
    con = store.connect(sys.argv[1])
    con.execute("BEGIN TRANSACTION")
    con.execute("DELETE FROM stances")
    print("writing", flush=True)
    sys.stdin.read()
"""


def _env() -> dict[str, str]:
    return {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "OMP_NUM_THREADS": "1", "PYTHONUNBUFFERED": "1"}


def _monitor(*args: str | Path, timeout: float = 300, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The real CLI in a child process (``python -m monitor`` of this checkout)."""
    return subprocess.run([sys.executable, "-m", "monitor", *map(str, args)], cwd=ROOT, env=env or _env(),
                          capture_output=True, text=True, timeout=timeout)


def _session(path: Path, log: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", SESSION, str(path)], cwd=ROOT, env=_env(),
                            stdout=log.open("w"), stderr=subprocess.STDOUT, text=True)


def _rounds(log: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{") and line.endswith("}")]


def _counts(path: Path) -> dict[str, int]:
    con = store.connect(path, read_only=True)
    try:
        return store.table_counts(con)
    finally:
        con.close()


def _add_items(db: Path, n: int, start: int = 0) -> None:
    con = store.connect(db)
    try:
        now = store.now()
        store.record_fetch(con, FetchResult("f1", "http://127.0.0.1/f", now, now, "ok"),
                           [Item("f1", f"g{i}", f"http://127.0.0.1/{i}", "t", None, f"Text {i}.") for i in range(start, start + n)])
    finally:
        con.close()


def test_the_snapshot_sits_next_to_the_database_and_shared_stores_are_their_own() -> None:
    assert snapshot.analyst_path("db/monitor.duckdb") == "db/monitor.analyst.duckdb"
    assert snapshot.analyst_path("/x/demo.db") == "/x/demo.analyst.db"
    assert snapshot.analyst_path("db/monitor.analyst.duckdb") == "db/monitor.analyst.duckdb"
    assert snapshot.analyst_path("ducklake:postgres:dbname=m") == "ducklake:postgres:dbname=m"
    assert snapshot.analyst_path(":memory:") == ":memory:"


def test_an_open_session_never_blocks_publishing_and_keeps_its_snapshot(tmp_path: Path) -> None:
    db = tmp_path / "m.duckdb"
    with snapshot.writing(db, "run"):
        _add_items(db, 3)
    snap = Path(snapshot.analyst_path(db))
    # the hazard the snapshot removes: on DuckDB a read-only session on a file stops its writer
    reader = subprocess.Popen([sys.executable, "-c", "import duckdb, sys; c = duckdb.connect(sys.argv[1], read_only=True);"
                               " print('open', flush=True); sys.stdin.read()", str(db)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert reader.stdout is not None and reader.stdout.readline() == "open\n"
        with pytest.raises(store.StoreError, match="lock"):
            store.connect(db)
    finally:
        reader.communicate("")
    log = tmp_path / "session.jsonl"
    session = _session(snap, log)
    try:
        while len(_rounds(log)) < 3:
            time.sleep(0.1)
        (tmp_path / f"{snap.name}.tmp-99999").write_bytes(b"left by a killed publisher")
        with snapshot.writing(db, "run"):
            _add_items(db, 4, start=3)
        published, deadline = len(_rounds(log)), time.monotonic() + 30
        while len(_rounds(log)) < published + 3 and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        session.kill()
        session.wait()
    rounds = _rounds(log)
    assert not [r for r in rounds if "error" in r]
    assert {r["open"] for r in rounds} == {3}  # the open session kept the snapshot it opened
    assert rounds[-1]["fresh"] == [7, 0, 0, 7, 0, 0]  # a new session reads the newest one
    assert _counts(snap)["items"] == 7 and not list(tmp_path.glob("*.tmp-*"))
    assert not os.access(snap, os.W_OK) or os.geteuid() == 0  # published read-only (root ignores modes)


def test_work_that_fails_publishes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "m.duckdb"
    with snapshot.writing(db, "run"):
        _add_items(db, 2)
    with pytest.raises(RuntimeError), snapshot.writing(db, "run"):
        _add_items(db, 5, start=2)  # committed in the writer's file, but the run does not complete
        raise RuntimeError("the run dies here")
    assert _counts(db)["items"] == 7
    assert _counts(Path(snapshot.analyst_path(db)))["items"] == 2
    with pytest.raises(store.StoreError, match="analyst snapshot"), snapshot.writing(snapshot.analyst_path(db), "run"):
        pass


def test_query_and_report_answer_while_a_long_write_is_in_progress(demo_db: Path, tmp_path: Path) -> None:
    """The reverse of the run test: a writer holds the file mid-transaction; analysts read the last completed run."""
    db = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, db)
    shutil.copy(snapshot.analyst_path(demo_db), snapshot.analyst_path(db))
    completed = _counts(db)
    writer = subprocess.Popen([sys.executable, "-c", LONG_WRITE, str(db)], cwd=ROOT, env=_env(), stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout is not None and writer.stdout.readline() == "writing\n"
        with pytest.raises(duckdb.Error, match="lock"):  # the writer's file cannot be opened meanwhile ...
            duckdb.connect(str(db), read_only=True)
        got = _monitor("query", "select count(*) AS n from stances", "--db", db, "--format", "json")  # ... its snapshot can
        assert got.returncode == 0, got.stderr
        assert json.loads(got.stdout) == [{"n": completed["stances"]}] and completed["stances"] > 0
        assert "snapshot published" in got.stderr
        report = _monitor("report", "--db", db, "--out", tmp_path / "r.html", "--config", CONFIG)
        assert report.returncode == 0, report.stderr
        # and a run that starts now is skipped cleanly
        (tmp_path / "feeds.txt").write_text("http://127.0.0.1:9/feed.xml\n")
        run = _monitor("run", "--no-prefect", "--db", db, "--config", CONFIG, "--feeds", tmp_path / "feeds.txt")
        assert run.returncode == 0 and "skipped: " in run.stdout and "another run is still writing" in run.stdout, run
    finally:
        writer.communicate("")
    assert _counts(db) == completed  # the uncommitted write rolled back


@pytest.mark.slow
def test_runs_succeed_while_an_analyst_session_stays_open(tmp_path: Path) -> None:
    """An analyst session stays open for the whole test while `monitor run` writes twice."""
    from monitor.desk.demo import demo_settings, serve_demo, write_feeds_yaml

    db = tmp_path / "monitor.duckdb"
    snap = Path(snapshot.analyst_path(db))
    assert _monitor("migrate", "--db", db).returncode == 0  # publishes the first (empty) snapshot
    log = tmp_path / "session.jsonl"
    session = _session(snap, log)
    env = {**_env(), "PREFECT_HOME": str(tmp_path / "prefect")}
    spans, after = [], []
    try:
        with serve_demo() as base_url:
            feeds = demo_settings(CONFIG, base_url).feeds
            half = write_feeds_yaml(feeds[:4], tmp_path / "half.yaml")
            every = write_feeds_yaml(feeds, tmp_path / "all.yaml")
            # the first run without Prefect, the second through the Prefect flow (`monitor run`'s default)
            for feeds_file, mode in ((half, ["--no-prefect"]), (every, [])):
                t0 = time.time()
                run = _monitor("run", *mode, "--db", db, "--config", CONFIG, "--feeds", feeds_file, env=env)
                spans.append((t0, time.time()))
                assert run.returncode == 0, run.stdout + run.stderr
                assert "skipped" not in run.stdout
                after.append(_counts(db))
        time.sleep(0.5)
    finally:
        session.kill()
        session.wait()
    rounds = _rounds(log)
    assert rounds and not [r for r in rounds if "error" in r], rounds[-3:]
    for t0, t1 in spans:  # the session answered while each run wrote
        assert sum(t0 < float(r["t"]) < t1 for r in rounds) >= 3  # type: ignore[arg-type]
    assert {r["open"] for r in rounds} == {0}  # the open session kept its (empty) snapshot all along
    # every new session saw a whole completed state: the empty database, run 1 or run 2, never half a run
    states = [(0, 0, 0)] + [(c["items"], c["statements"], c["stances"]) for c in after]
    seen = [tuple(r["fresh"]) for r in rounds]  # type: ignore[arg-type]
    assert all(s[:3] == s[3:] and s[:3] in states for s in seen), set(seen) - {s + s for s in states}
    assert states[0] < states[1] < states[2] and all(a < b for a, b in zip(states[1], states[2], strict=True))
    assert seen[-1][:3] == states[2]
    assert _counts(snap) == after[1]  # a fresh session afterwards: exactly the second run
