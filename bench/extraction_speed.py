"""Extraction throughput against an earlier revision, in one process (not a test).

Issue 15's bar: extraction on the real passages no slower than 80% of the extractor before the issue
(``076a549``). Separate processes on a shared machine differ by a third from one run to the next, so
this script puts both extractors in one process: ``git archive REV monitor config`` is unpacked into a
temporary folder, the package renamed ``monitor_rev``, and the two are timed pass by pass in
alternation (CPU time, every passage of ``passages_dev.jsonl`` per pass), so that a change of load
hits both alike. It prints passages per CPU-second and the ratio: the median of per-round ratios,
median to median, best to best.

    python bench/extraction_speed.py                 # against 076a549, 40 rounds
    python bench/extraction_speed.py --rev 2f4b48c --rounds 20
"""

from __future__ import annotations

import argparse
import importlib
import io
import json
import re
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.extraction_real import real_dir  # noqa: E402
from monitor import config  # noqa: E402
from monitor.statements.actors import ActorIndex  # noqa: E402
from monitor.statements.extract import extract_statements  # noqa: E402

PRE_ISSUE = "076a549"


def unpack(rev: str, into: Path) -> Path:
    """``monitor/`` and ``config/`` of ``rev`` under ``into``, the package renamed ``monitor_rev``."""
    data = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "monitor", "config"], check=True,
                          capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        tar.extractall(into, filter="data")
    (into / "monitor").rename(into / "monitor_rev")
    for path in (into / "monitor_rev").rglob("*.py"):
        code = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"\b(from|import) monitor\b", r"\1 monitor_rev", code), encoding="utf-8")
    return into


def old_extractor(folder: Path) -> tuple[Callable[..., Any], Any]:
    """``extract_statements`` and an actor index of the unpacked revision (either package layout)."""
    sys.path.insert(0, str(folder))
    cfg = importlib.import_module("monitor_rev.config")
    try:
        actors = importlib.import_module("monitor_rev.statements.actors")
        extract = importlib.import_module("monitor_rev.statements.extract")
    except ModuleNotFoundError:  # before the layout move: flat modules
        actors = importlib.import_module("monitor_rev.actors")
        extract = importlib.import_module("monitor_rev.extract")
    return extract.extract_statements, actors.ActorIndex.from_actors(cfg.load(folder / "config").actors)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rev", default=PRE_ISSUE, help=f"revision to compare with (default {PRE_ISSUE})")
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--real", help="folder of the real corpus (default ../shared/real)")
    args = parser.parse_args(argv)
    path = real_dir(args.real) / "passages_dev.jsonl"
    if not path.exists():
        print(f"skipped: {path} not found (set --real or MONITOR_REAL_DIR)")
        return 0
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    with tempfile.TemporaryDirectory() as tmp:
        old, old_index = old_extractor(unpack(args.rev, Path(tmp)))
        index = ActorIndex.from_actors(config.load(ROOT / "config").actors)

        def run_old() -> None:
            for r in rows:
                old(r["id"], r["text"], old_index)

        def run_new() -> None:
            for r in rows:
                extract_statements(r["id"], r["text"], index)

        def rate(f: Callable[[], None]) -> float:
            t0 = time.process_time()
            f()
            return len(rows) / (time.process_time() - t0)

        run_old(), run_new()  # warm both (caches, patterns)
        before: list[float] = []
        now: list[float] = []
        for k in range(args.rounds):
            for f, out in ((run_old, before), (run_new, now)) if k % 2 else ((run_new, now), (run_old, before)):
                out.append(rate(f))
    ratios = [n / b for n, b in zip(now, before, strict=True)]
    print(f"{len(rows)} passages, {args.rounds} rounds, passages per CPU-second")
    print(f"  {args.rev}: median {statistics.median(before):,.0f}  best {max(before):,.0f}")
    print(f"  current:  median {statistics.median(now):,.0f}  best {max(now):,.0f}")
    print(f"  ratio: median of rounds {statistics.median(ratios):.3f}, median to median "
          f"{statistics.median(now) / statistics.median(before):.3f}, best to best {max(now) / max(before):.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
