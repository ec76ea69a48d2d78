"""Throughput of one worker against two (``monitor run --shard K/N``) on one DuckLake store.

The corpus is ``bench/pipeline.py``'s generated feeds (quotes and reported speech of the
configured officials), served from 127.0.0.1 by another process. Each configuration runs the
real CLI (``monitor run --no-prefect``) in child processes on a fresh store, so the figure is
end to end: start-up, model load (about 10 s per process), fetch, extract, classify, compare.

- ``file``: one process on a DuckDB file (the embedded default, for reference);
- ``lake x1``: one process on a DuckLake catalog;
- ``lake x2``: two processes at once, ``--shard 1/2`` and ``--shard 2/2``, on a DuckLake catalog.

Needs the lake extra (run it with ``.venv-lake/bin/python``). The catalog is SQLite by default;
``--postgres "host=... port=... user=..."`` puts it in PostgreSQL (one database per run, which
must exist: ``--databases a,b``).

    .venv-lake/bin/python bench/workers.py --feeds 100 --items 10
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.ingest import _serve, machine  # noqa: E402
from bench.pipeline import Corpus  # noqa: E402
from monitor import config, store  # noqa: E402
from monitor.config import Feed  # noqa: E402
from monitor.desk.demo import write_feeds_yaml  # noqa: E402


def run_workers(db: str, feeds: Path, shards: list[str], work: Path) -> float:
    """Start one `monitor run` per shard at once; seconds until the last one exits.

    The cores are shared out: each worker's torch gets cores / workers threads (more threads than
    cores make torch's OpenMP threads spin against each other, many times slower).
    """
    threads = str(max(1, (os.cpu_count() or 1) // len(shards)))
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
           "OMP_NUM_THREADS": threads, "MKL_NUM_THREADS": threads}
    t = time.perf_counter()
    procs = [subprocess.Popen([sys.executable, "-m", "monitor", "run", "--no-prefect", "--db", db, "--feeds", str(feeds),
                               "--config", str(ROOT / "config"), "--shard", shard], cwd=work, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) for shard in shards]
    for p in procs:
        out, _ = p.communicate()
        if p.returncode:
            raise SystemExit(f"worker failed:\n{out[-3000:]}")
    return time.perf_counter() - t


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--feeds", type=int, default=100)
    ap.add_argument("--items", type=int, default=10)
    ap.add_argument("--postgres", help="libpq connection string (without dbname) for a PostgreSQL catalog")
    ap.add_argument("--databases", default="bench_x1,bench_x2", help="with --postgres: the two (existing) databases")
    a = ap.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="bench-workers-"))
    ctx = mp.get_context("spawn")
    stop, ready = ctx.Event(), ctx.Queue()
    try:
        site = work / "site"
        site.mkdir()
        settings = config.load(ROOT / "config")
        corpus = Corpus(settings, site, a.feeds, a.items)
        server = ctx.Process(target=_serve, args=(str(site), ["127.0.0.1"], ready, stop), daemon=True)
        server.start()
        base = ready.get(timeout=60)[0]
        feeds = write_feeds_yaml([Feed(id=f"bench-{n}", url=f"{base}/feed-{n}.xml", kind=kind, actor=actor,  # type: ignore[arg-type]
                                       full_text="never") for n, (kind, actor) in enumerate(corpus.specs)],
                                 work / "feeds.yaml")
        names = a.databases.split(",")

        def lake(i: int) -> str:
            data = work / f"lake{i}"
            if a.postgres:
                return f"ducklake:postgres:dbname={names[i]} {a.postgres}?data_path={data}/"
            return f"ducklake:sqlite:{work}/catalog{i}.sqlite?data_path={data}/"

        runs = [("file", str(work / "file.duckdb"), ["1/1"]), ("lake x1", lake(0), ["1/1"]),
                ("lake x2", lake(1), ["1/2", "2/2"])]
        print(f"{a.feeds} feeds x {a.items} items; {machine()}; catalog {'PostgreSQL' if a.postgres else 'SQLite'}")
        print(f"  {'store':<8} {'workers':>7} {'wall s':>7} {'statements':>10} {'stances':>8} {'statements/s':>12}")
        for name, db, shards in runs:
            wall = run_workers(db, feeds, shards, work)
            con = store.connect(db, read_only=True)
            try:
                counts = store.table_counts(con)
            finally:
                con.close()
            print(f"  {name:<8} {len(shards):>7} {wall:7.1f} {counts['statements']:>10} {counts['stances']:>8} "
                  f"{counts['statements'] / wall:12.1f}")
    finally:
        stop.set()
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
