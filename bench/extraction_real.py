"""Statement extraction on the real news passages (not a test): attribution by half and error class.

Reads ``passages_dev.jsonl`` in place from the shared real corpus (``../shared/real`` beside the
project, or ``--real DIR`` / ``MONITOR_REAL_DIR``) and prints, for all passages and for the
``a…`` (studied) and ``b…`` (held-out, only measured) halves: attribution precision / recall /
F1, recall per statement type, actor accuracy on the statements found, and the errors by
class (see :mod:`monitor.statements.extraction_errors`). Throughput is extraction alone, passages per
CPU-second, the best of ``--repeats`` passes over the file, robust to other load.

    python bench/extraction_real.py                  # tables
    python bench/extraction_real.py --examples 3     # plus three examples per error class
    python bench/extraction_real.py --json
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from monitor import config  # noqa: E402
from monitor.statements.actors import ActorIndex  # noqa: E402
from monitor.statements.extract import extract_statements  # noqa: E402
from monitor.statements.extraction_errors import analyse, format_errors  # noqa: E402
from monitor.statements.extraction_eval import load_rows  # noqa: E402

DEFAULT_REAL = ROOT.parent / "shared" / "real"


def real_dir(arg: str | None = None) -> Path:
    """The real corpus folder: the argument, ``MONITOR_REAL_DIR``, or ``../shared/real``."""
    return Path(arg or os.environ.get("MONITOR_REAL_DIR") or DEFAULT_REAL)


def throughput(rows: list[dict[str, Any]], index: ActorIndex, repeats: int = 5) -> float:
    """Passages per CPU-second of :func:`extract_statements` alone, best of ``repeats`` passes."""
    best = float("inf")
    for _ in range(repeats):
        t0 = time.process_time()
        for n, r in enumerate(rows):
            extract_statements(str(r.get("id", n)), r["text"], index, feed_actor=r.get("feed_actor"))
        best = min(best, time.process_time() - t0)
    return len(rows) / best if best > 0 else 0.0


def measure(path: Path, repeats: int = 5) -> dict[str, Any]:
    """Summaries of all rows and each half, plus throughput; ``groups`` keeps the analyses."""
    index = ActorIndex.from_actors(config.load(ROOT / "config").actors)
    rows = load_rows(path)
    groups = analyse(rows, index)
    return {"groups": groups, "summary": {k: g.summary() for k, g in groups.items()},
            "passages_per_cpu_s": round(throughput(rows, index, repeats), 1)}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--real", help="folder of the real corpus (default ../shared/real or MONITOR_REAL_DIR)")
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--examples", type=int, default=0)
    p.add_argument("--json", action="store_true")
    a = p.parse_args(argv)
    path = real_dir(a.real) / "passages_dev.jsonl"
    if not path.exists():
        print(f"no real corpus at {path}", file=sys.stderr)
        return 2
    result = measure(path, a.repeats)
    if a.json:
        print(json.dumps({"summary": result["summary"], "passages_per_cpu_s": result["passages_per_cpu_s"]}, indent=2))
    else:
        print(format_errors(result["groups"], examples=a.examples))
        print(f"\nextraction alone: {result['passages_per_cpu_s']:.0f} passages per CPU-second "
              f"(best of {a.repeats})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
