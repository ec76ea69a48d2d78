"""Several workers on one DuckLake catalog in a real PostgreSQL: nothing lost, nothing twice.

Needs the lake extra (DuckDB 1.5.5 and the DuckLake, PostgreSQL and SQLite extension wheels:
``make test-lake`` sets up ``.venv-lake`` and runs this file) and PostgreSQL's server binaries
(``initdb``, ``pg_ctl``); skipped with the reason otherwise. The workers are the real CLI in
child processes, on the demo feeds served from 127.0.0.1.
"""

from __future__ import annotations

import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("duckdb_extension_ducklake", reason="the lake extra is not installed (make test-lake)")

from monitor import store  # noqa: E402
from monitor.pipeline import Shard  # noqa: E402
from tests.conftest import CONFIG  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow

ALERT_COLUMNS = ("id", "actor", "target", "direction", "status", "opened_on", "window_start", "window_end", "baseline",
                 "observed", "ci_low", "ci_high", "n_statements", "n_sources", "statistic", "method", "severity",
                 "model_id", "evidence_ids", "resolved_on")


def _pg_bin(name: str) -> str | None:
    found = shutil.which(name) or sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found if isinstance(found, str) else (found[-1] if found else None)


@pytest.fixture(scope="module")
def postgres() -> Iterator[str]:
    """A PostgreSQL server of its own on a free loopback port, with the databases ``workers`` and
    ``overlap``; yields the libpq connection string less the database name."""
    initdb, pg_ctl, server = _pg_bin("initdb"), _pg_bin("pg_ctl"), _pg_bin("postgres")
    if not (initdb and pg_ctl and server):
        pytest.skip("no PostgreSQL server binaries (initdb, pg_ctl, postgres) on PATH or in /usr/lib/postgresql")
    home = Path(tempfile.mkdtemp(prefix="monitor-pg-"))  # not under pytest's 0700 tmp: the server user must reach it
    as_user: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root
        shutil.chown(home, "nobody")
        as_user = ["runuser", "-u", "nobody", "--"]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    data = home / "data"
    subprocess.run([*as_user, initdb, "-D", str(data), "-A", "trust", "-U", "monitor", "-E", "UTF8", "--no-sync"],
                   check=True, capture_output=True)
    subprocess.run([*as_user, server, "--single", "-D", str(data), "postgres"], check=True, capture_output=True,
                   input=b"CREATE DATABASE workers;\nCREATE DATABASE overlap;\n")
    subprocess.run([*as_user, pg_ctl, "-D", str(data), "-l", str(home / "log"), "-w", "start", "-o",
                    f"-p {port} -k {home} -c listen_addresses=127.0.0.1 -c fsync=off"], check=True, capture_output=True)
    try:
        yield f"host=127.0.0.1 port={port} user=monitor"
    finally:
        subprocess.run([*as_user, pg_ctl, "-D", str(data), "-m", "immediate", "stop"], capture_output=True)
        shutil.rmtree(home, ignore_errors=True)


def _worker(work: Path, db: str, feeds: Path, *args: str) -> subprocess.Popen[str]:
    """`monitor run` of this checkout in a child process (cwd ``work``: alerts.jsonl goes there)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
           "OMP_NUM_THREADS": "1"}
    return subprocess.Popen([sys.executable, "-m", "monitor", "run", "--no-prefect", "--db", db, "--config", str(CONFIG),
                             "--feeds", str(feeds), *args], cwd=work, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)


def _finish(proc: subprocess.Popen[str], timeout: float = 300) -> str:
    out, _ = proc.communicate(timeout=timeout)
    assert proc.returncode == 0, out[-3000:]
    return out


def _ids(con: store.Connection, table: str, key: str = "id") -> list[str]:
    return sorted(r[0] for r in con.execute(f"SELECT {key} FROM {table}").fetchall())


def _alerts(con: store.Connection) -> list[tuple[object, ...]]:
    return sorted(con.execute(f"SELECT {', '.join(ALERT_COLUMNS)} FROM alerts").fetchall())


def test_two_workers_one_killed_store_everything_once(postgres: str, tmp_path: Path) -> None:
    from monitor.desk.demo import demo_settings, serve_demo, write_feeds_yaml

    lake = f"ducklake:postgres:dbname=workers {postgres}?data_path={tmp_path / 'lake'}/"
    reference = tmp_path / "reference.duckdb"
    with serve_demo() as base_url:
        settings = demo_settings(CONFIG, base_url)
        feeds = write_feeds_yaml(settings.feeds, tmp_path / "feeds.yaml")
        shard_one = {f.id for f in Shard.parse("1/2").feeds(settings)}
        (tmp_path / "ref").mkdir()
        single = _worker(tmp_path / "ref", str(reference), feeds)
        _finish(single)
        first, second = _worker(tmp_path, lake, feeds, "--shard", "1/2"), _worker(tmp_path, lake, feeds, "--shard", "2/2")
        # kill the first worker mid-run: once its feeds' items are stored, before their statements are
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and first.poll() is None:
            try:
                con = store.connect(lake, read_only=True)
            except store.StoreError:  # the catalog is being created
                time.sleep(0.2)
                continue
            try:
                stored = {r[0] for r in con.execute("SELECT DISTINCT feed_id FROM items").fetchall()}
            except Exception:  # noqa: BLE001 - tables not created yet
                stored = set()
            finally:
                con.close()
            if stored & shard_one:
                first.send_signal(signal.SIGKILL)
                break
            time.sleep(0.2)
        killed, _ = first.communicate(timeout=60)
        assert first.returncode == -signal.SIGKILL, f"the first worker ended before it was killed:\n{killed[-3000:]}"
        out = _finish(second)
        assert "alerts: deferred" in out, out  # the killed shard's work is pending: no alerts from half the data
        # rerun both at once: the killed shard finishes its work, both compare on the whole data
        again = [_worker(tmp_path, lake, feeds, "--shard", "1/2"), _worker(tmp_path, lake, feeds, "--shard", "2/2")]
        outs = [_finish(p) for p in again]
    assert any("alerts: deferred" not in o for o in outs), outs

    ref, con = store.connect(reference, read_only=True), store.connect(lake, read_only=True)
    try:
        for table, key in (("items", "id"), ("statements", "id"), ("stances", "id"), ("stance_facts", "stance_id"),
                           ("sources", "feed_id"), ("actors", "id"), ("models", "model_id")):
            got = _ids(con, table, key)
            assert len(got) == len(set(got)), f"{table}: a row stored twice"
            assert got == _ids(ref, table, key), table
        assert _ids(con, "items") and _ids(con, "stances")
        assert _alerts(con) == _alerts(ref) and _alerts(ref)
        keys = con.execute("SELECT alert_id, event, channel FROM alert_deliveries").fetchall()
        assert len(keys) == len(set(keys)) and sorted(keys) == sorted(ref.execute(
            "SELECT alert_id, event, channel FROM alert_deliveries").fetchall())
        statements = len(_ids(ref, "statements"))
    finally:
        ref.close()
        con.close()
    # an analyst attaches the catalog read-only
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    got = subprocess.run([sys.executable, "-m", "monitor", "query", "select count(*) AS n from statements", "--db", lake,
                          "--format", "csv"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert got.returncode == 0 and got.stdout.splitlines() == ["n", str(statements)], got


# Two processes store the same fetches and statements at the same moment, several times over.
SAME_WRITES = """
import sys
from datetime import UTC, datetime
from monitor import store
from monitor.records import FetchResult, Item, Relevance, Statement
con = store.connect(sys.argv[1])
at = datetime(2026, 5, 1, tzinfo=UTC)
items = [Item("f1", f"g{i}", f"http://127.0.0.1/{i}", "t", at, f"Baku said text {i}.") for i in range(40)]
print("ready", flush=True)
sys.stdin.readline()
for round in range(4):
    store.record_fetch(con, FetchResult("f1", "http://127.0.0.1/f", at, at, "ok"), items)
    statements = [Statement(it.key(), it.summary, 0, len(it.summary), "Bayramov", "AZ", "direct", "test") for it in items]
    store.write_statements(con, [it.key() for it in items], [(s, Relevance(s.key(), True, 1.0, "test")) for s in statements])
con.close()
print("done", flush=True)
"""


def test_overlapping_writers_store_each_key_once(postgres: str, tmp_path: Path) -> None:
    """DuckLake has no unique keys: with the guard row (lake.GUARD) removed, this test finds every row twice."""
    lake = f"ducklake:postgres:dbname=overlap {postgres}?data_path={tmp_path}/"
    store.connect(lake).close()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [subprocess.Popen([sys.executable, "-c", SAME_WRITES, lake], env=env, stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) for _ in range(2)]
    for p in procs:
        assert p.stdout is not None and p.stdout.readline() == "ready\n"
    for p in procs:  # start both writing at once
        assert p.stdin is not None
        p.stdin.write("go\n")
        p.stdin.flush()
    for p in procs:
        out, _ = p.communicate(timeout=120)
        assert p.returncode == 0 and out.endswith("done\n"), out[-3000:]
    con = store.connect(lake, read_only=True)
    try:
        for table in ("items", "statements", "fetches"):
            ids = _ids(con, table)
            assert len(ids) == len(set(ids)), f"{table}: a row stored twice"
        assert len(_ids(con, "items")) == 40 and len(_ids(con, "statements")) == 40
    finally:
        con.close()


def test_shards_through_prefect_on_a_sqlite_catalog(tmp_path: Path) -> None:
    """`monitor run --shard` through the Prefect flows (the default path): the second shard to finish compares."""
    from monitor.desk.demo import demo_settings, serve_demo, write_feeds_yaml

    lake = f"ducklake:sqlite:{tmp_path / 'catalog.sqlite'}?data_path={tmp_path / 'data'}/"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1", "PREFECT_HOME": str(tmp_path / "prefect")}
    with serve_demo() as base_url:
        settings = demo_settings(CONFIG, base_url)
        feeds = write_feeds_yaml(settings.feeds, tmp_path / "feeds.yaml")
        outs = [subprocess.run([sys.executable, "-m", "monitor", "run", "--db", lake, "--config", str(CONFIG), "--feeds",
                                str(feeds), "--shard", shard], cwd=tmp_path, env=env, capture_output=True, text=True,
                               timeout=300) for shard in ("1/2", "2/2")]
    assert all(o.returncode == 0 for o in outs), [o.stderr[-2000:] for o in outs]
    assert "alerts: deferred" in outs[0].stdout and "alerts: deferred" not in outs[1].stdout
    con = store.connect(lake, read_only=True)
    try:
        relevant = con.execute("SELECT count(*) FROM statements WHERE relevant").fetchall()[0][0]
        assert _ids(con, "items") and len(_ids(con, "stances")) == relevant > 0  # both shards classified theirs
        assert con.execute("SELECT count(*) FROM alerts").fetchall()[0][0] > 0
    finally:
        con.close()
