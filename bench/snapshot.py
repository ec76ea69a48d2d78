"""Benchmark publishing the analyst snapshot (``monitor.snapshot.publish``) against database size.

For each size a database is generated (``bench/gen_db.py``), then published ``--runs`` times;
each publish is timed whole (publication row + CHECKPOINT, copy, fsync, rename) and its copy
(with fsync) alone. The file is in the page cache, as it is right after a run wrote it.

    .venv/bin/python bench/snapshot.py                          # 100k, 300k and 1M statements
    .venv/bin/python bench/snapshot.py --statements 1000000 --dir /tmp/snap-bench
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.gen_db import Shape, generate  # noqa: E402
from monitor import snapshot  # noqa: E402


def time_copy(src: Path) -> float:
    """Seconds to copy ``src`` beside itself and fsync the copy (the file part of a publish)."""
    tmp = src.with_name(src.name + ".bench-copy")
    t0 = time.perf_counter()
    shutil.copyfile(src, tmp)
    with tmp.open("rb") as f:
        os.fsync(f.fileno())
    elapsed = time.perf_counter() - t0
    tmp.unlink()
    return elapsed


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--statements", type=int, nargs="+", default=[100_000, 300_000, 1_000_000])
    p.add_argument("--dir", help="where the databases go (default: a temporary directory, removed afterwards)")
    p.add_argument("--runs", type=int, default=3)
    a = p.parse_args(argv)
    work = Path(a.dir) if a.dir else Path(tempfile.mkdtemp(prefix="snapshot-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"{'statements':>10} {'file MB':>8} {'publish s':>10} {'copy+fsync s':>13} {'MB/s':>6}")
    try:
        for n in a.statements:
            db = work / f"bench-{n}.duckdb"
            generate(db, Shape(statements=n))  # publishes once: the first snapshot of this size
            publish, copy = [], []
            for _ in range(a.runs):
                t0 = time.perf_counter()
                snapshot.publish(db, "bench")
                publish.append(time.perf_counter() - t0)
                copy.append(time_copy(db))
            mb = db.stat().st_size / 1e6
            print(f"{n:>10} {mb:8.0f} {statistics.median(publish):10.2f} {statistics.median(copy):13.2f} "
                  f"{mb / statistics.median(copy):6.0f}")
    finally:
        if not a.dir:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
