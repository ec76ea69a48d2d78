"""Crash safety: SIGKILL a real pipeline process mid-run, then check the database and finish the work.

The pipeline runs on the demo feeds in a child process (this file run as a script, see
:func:`child`). The child wraps one ``monitor.store`` writer: on the chosen call it stops either
*inside* the call's first transaction (rows written, no COMMIT: the database must roll it back)
or right *after* that transaction's COMMIT (a writer that split its work over two transactions
would now show half of it). It prints a marker and sleeps; the test kills it with SIGKILL. So
each kill lands at the worst moment of its stage, deterministically, with no hook in
production code:

1. ingest, inside the 2nd ``record_fetches`` batch of 3 feeds (3 feeds committed);
2. extract, inside the 3rd ``write_statements`` batch (2 batches of 16 items committed);
3. extract, after the commit of the next run's 2nd batch;
4. classify, after the commit of the 2nd ``write_stances`` batch of 64 statements;
5. compare, inside ``upsert_alerts`` (every stance committed, no alert yet).

Each run resumes from the database the previous one left. After every kill the database
must open and be consistent (references hold, an item is marked extracted exactly when its
statements are stored, a fetch row and its new items land together, ``stance_facts`` follows
``stances``), and the writer lock of the dead process (``DB.lock``, an flock released by the
kernel) must not block the next run. A last, unwrapped run then completes the work: items,
statements, stances, alerts and deliveries equal those of an uninterrupted run on a fresh file.
"""

from __future__ import annotations

import functools
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from monitor import store

ROOT = Path(__file__).resolve().parent.parent
MARK = "CRASH-TEST PAUSED"
FETCH_BATCH = 3  # feeds per record_fetches transaction in the killed runs (production: 50)
EXTRACT_BATCH = 16  # items per write_statements transaction in the killed runs (production: 200)
CLASSIFY_BATCH = 64  # statements per write_stances transaction in the killed runs (production: 512)

pytestmark = pytest.mark.slow


# ---------------------------------------------------------------- the child process


def child(db: str, writer: str, nth: int, where: str) -> None:
    """Run the pipeline once on the demo feeds; stop in call ``nth`` of ``store.<writer>``.

    ``where`` is "in" (before the COMMIT of the call's first transaction) or "after" (right
    after it). ``writer`` "none" runs to the end. The stop prints :data:`MARK` and sleeps,
    holding the writer lock, until the parent kills the process.
    """
    from monitor import pipeline
    from monitor.desk.demo import demo_settings, serve_demo

    state = {"calls": 0, "armed": False}
    real_transaction = store.transaction

    def pause(point: str) -> None:
        print(f"{MARK} {point}", flush=True)
        time.sleep(600)

    @contextmanager
    def transaction(con: store.Connection) -> Iterator[store.Connection]:
        with real_transaction(con) as c:
            yield c
            if state["armed"] and where == "in":
                pause(f"inside the transaction of {writer} #{nth}")
        if state["armed"] and where == "after":
            pause(f"after the commit of {writer} #{nth}")

    def wrap(fn: Any) -> Any:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            state["calls"] += 1
            state["armed"] = state["calls"] == nth
            try:
                return fn(*args, **kwargs)
            finally:
                state["armed"] = False

        return wrapper

    if writer != "none":
        store.transaction = transaction  # type: ignore[assignment]
        setattr(store, writer, wrap(getattr(store, writer)))
        # smaller batches, so a kill falls between committed transactions of the same stage
        pipeline.FEEDS_PER_COMMIT = FETCH_BATCH  # type: ignore[misc]
        pipeline.extract = functools.partial(pipeline.extract, batch=EXTRACT_BATCH)  # type: ignore[assignment]
        pipeline.classify = functools.partial(pipeline.classify, batch=CLASSIFY_BATCH)  # type: ignore[assignment]
    with serve_demo() as base_url:
        summary = pipeline.run(demo_settings(ROOT / "config", base_url), db)
    print("CRASH-TEST DONE " + " | ".join(summary.lines()), flush=True)


# ---------------------------------------------------------------- driving it


class Child:
    """The child process with its stdout read line by line on a thread."""

    def __init__(self, db: Path, writer: str, nth: int, where: str, log: Path):
        env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "OMP_NUM_THREADS": "1",
               "PYTHONUNBUFFERED": "1"}
        self.log = log
        self.stderr = log.open("w", encoding="utf-8")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.test_crash", str(db), writer, str(nth), where],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=self.stderr, text=True,
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def wait_for(self, prefix: str, timeout: float = 120) -> str:
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self.lines.get(timeout=left)
            except queue.Empty:
                break
            if line is None:
                self.proc.wait()
                raise AssertionError(f"child exited ({self.proc.returncode}) before {prefix!r}:\n{self.tail()}")
            if line.startswith(prefix):
                return line
        self.proc.kill()
        raise AssertionError(f"no {prefix!r} within {timeout}s:\n{self.tail()}")

    def tail(self) -> str:
        self.stderr.flush()
        return "\n".join(self.log.read_text(encoding="utf-8").splitlines()[-30:])

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self.stderr.close()


def run_to_end(db: Path, log: Path) -> None:
    c = Child(db, "none", 0, "-", log)
    try:
        c.wait_for("CRASH-TEST DONE", timeout=240)
        assert c.proc.wait(timeout=60) == 0, c.tail()
    finally:
        c.close()


def kill_at(db: Path, writer: str, nth: int, where: str, log: Path) -> None:
    """Start a run, let it stop in call ``nth`` of ``store.<writer>`` (see :func:`child`), SIGKILL it."""
    c = Child(db, writer, nth, where, log)
    try:
        c.wait_for(MARK)
        with pytest.raises(store.RunInProgress), store.writer_lock(db):  # the paused child holds the writer lock
            pass
        os.kill(c.proc.pid, signal.SIGKILL)
        assert c.proc.wait(timeout=30) == -signal.SIGKILL
    finally:
        c.close()
    assert Path(f"{db}.lock").exists()
    with store.writer_lock(db):  # the kernel dropped the dead process's flock: nothing blocks the next run
        pass


# ---------------------------------------------------------------- checking the database


def rows(con: store.Connection, sql: str) -> list[tuple[Any, ...]]:
    return con.execute(sql).fetchall()


def check_consistent(db: Path, reference: dict[str, Any]) -> dict[str, int]:
    """Assert the invariants a crash must never break; return the table counts."""
    con = store.connect(db, read_only=True)  # replays the WAL the dead process left
    try:
        orphans = {
            "statement without item": "SELECT id FROM statements WHERE item_id NOT IN (SELECT id FROM items)",
            "stance without statement": "SELECT id FROM stances WHERE statement_id NOT IN (SELECT id FROM statements)",
            "fact without stance": "SELECT stance_id FROM stance_facts WHERE stance_id NOT IN (SELECT id FROM stances)",
            "item without its fetch": "SELECT id FROM items WHERE fetch_id NOT IN (SELECT id FROM fetches)",
            "delivery without alert": "SELECT alert_id FROM alert_deliveries WHERE alert_id NOT IN (SELECT id FROM alerts)",
            "evidence not stored": "SELECT a.id FROM alerts a, unnest(a.evidence_ids) e(sid) "
                                   "WHERE e.sid NOT IN (SELECT id FROM statements)",
            "statements of an item not marked extracted": "SELECT s.id FROM statements s JOIN items i ON i.id = s.item_id "
                                                          "WHERE i.extracted_at IS NULL",
            "fetch row and its new items apart": "SELECT f.id FROM fetches f LEFT JOIN items i ON i.fetch_id = f.id "
                                                 "GROUP BY f.id, f.items_new HAVING count(i.id) <> f.items_new",
            "two stances of one statement and model": "SELECT statement_id FROM stances GROUP BY statement_id, model_id "
                                                      "HAVING count(*) > 1",
        }
        for what, sql in orphans.items():
            assert not rows(con, sql), f"{db.name}: {what}"
        # an item marked extracted holds exactly the statements an uninterrupted run gives it
        extracted = rows(con, "SELECT i.id, list(s.id ORDER BY s.id) FILTER (WHERE s.id IS NOT NULL) FROM items i "
                              "LEFT JOIN statements s ON s.item_id = i.id WHERE i.extracted_at IS NOT NULL GROUP BY i.id")
        for item_id, ids in extracted:
            assert (ids or []) == reference["by_item"].get(item_id, []), f"item {item_id}: statements differ"
        # stance_facts holds exactly the stored stances that count (the rule of 002_stance_facts.sql)
        facts = {r[0] for r in rows(con, "SELECT stance_id FROM stance_facts")}
        expected = {r[0] for r in rows(con, """
            SELECT t.id FROM stances t JOIN statements s ON s.id = t.statement_id JOIN items i ON i.id = s.item_id
            WHERE s.relevant AND NOT t.uncertain AND t.label IN ('favor', 'against') AND s.actor IS NOT NULL
              AND i.published IS NOT NULL""")}
        assert facts == expected
        return store.table_counts(con)
    finally:
        con.close()


def snapshot(db: Path) -> dict[str, Any]:
    """What a finished run must contain, compared across databases (fetch rows differ by design)."""
    con = store.connect(db, read_only=True)
    try:
        by_item: dict[str, list[str]] = {}
        for item_id, sid in rows(con, "SELECT item_id, id FROM statements ORDER BY item_id, id"):
            by_item.setdefault(item_id, []).append(sid)
        return {
            "items": set(rows(con, "SELECT id, feed_id, content_hash FROM items")),
            "unextracted": rows(con, "SELECT id FROM items WHERE extracted_at IS NULL"),
            "statements": set(rows(con, "SELECT id, item_id, actor, relevant FROM statements")),
            "stances": {r[0]: r[1:] for r in rows(con, "SELECT statement_id, model_id, label, target, score FROM stances")},
            "facts": set(rows(con, "SELECT stance_id, counted FROM stance_facts")),
            "alerts": set(rows(con, "SELECT id, actor, target, direction, status, n_statements FROM alerts")),
            "deliveries": set(rows(con, "SELECT alert_id, event, channel, status FROM alert_deliveries")),
            "by_item": by_item,
        }
    finally:
        con.close()


def assert_same_outcome(got: dict[str, Any], want: dict[str, Any]) -> None:
    for key in ("items", "unextracted", "statements", "facts", "alerts", "deliveries"):
        assert got[key] == want[key], f"{key} differ from the uninterrupted run"
    assert got["stances"].keys() == want["stances"].keys()
    for sid, (model, label, target, score) in want["stances"].items():
        g = got["stances"][sid]
        # the killed runs classify in other batches (other padding): equal up to float noise
        assert g[:3] == (model, label, target) and g[3] == pytest.approx(score, abs=1e-4), sid


# ---------------------------------------------------------------- the test


def test_sigkill_at_five_points_leaves_a_consistent_database_and_the_next_run_completes(tmp_path: Path) -> None:
    reference_db = tmp_path / "reference" / "monitor.duckdb"
    run_to_end(reference_db, tmp_path / "reference.log")
    reference = snapshot(reference_db)
    assert reference["alerts"] and reference["stances"] and not reference["unextracted"]

    db = tmp_path / "crashed" / "monitor.duckdb"
    seen: list[dict[str, int]] = []
    points = [("record_fetches", 2, "in"), ("write_statements", 3, "in"), ("write_statements", 2, "after"),
              ("write_stances", 2, "after"), ("upsert_alerts", 1, "in")]
    for writer, nth, where in points:
        kill_at(db, writer, nth, where, tmp_path / f"kill-{writer}-{nth}-{where}.log")
        seen.append(check_consistent(db, reference))
    # each kill lost exactly the open transaction and kept what earlier ones committed
    ingest, extract_in, extract_after, classify_after, compare_in = seen
    assert 0 < ingest["items"] < len(reference["items"]) and ingest["statements"] == 0
    assert 0 < extract_in["statements"] < extract_after["statements"] < len(reference["statements"])
    assert extract_after["stances"] == 0
    assert classify_after["stances"] == 2 * CLASSIFY_BATCH < len(reference["stances"])
    assert compare_in["stances"] == len(reference["stances"]) and compare_in["alerts"] == 0

    run_to_end(db, tmp_path / "resume.log")
    check_consistent(db, reference)
    assert_same_outcome(snapshot(db), reference)


if __name__ == "__main__":
    child(sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4])
