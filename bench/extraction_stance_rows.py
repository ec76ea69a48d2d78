"""Statement extraction on the real stance statements (not a test): is each row's speaker found?

A second, weaker real measure beside ``bench/extraction_real.py``. ``stance_dev.jsonl`` (read in place from the
shared real corpus, ``--real DIR`` or ``MONITOR_REAL_DIR``) holds real statements with their speaker and actor,
many with the attribution printed around them ("…,” Hajizadeh said."). Each row is run through the extractor as a
passage of its own; a row counts as found when some statement goes to the row's actor and speaker (compared as
``monitor eval-extraction`` compares them). Only rows whose text names the speaker's surname are scored: a row that
is a bare quote or says "he said" cannot name anyone out of its article. Rows from pages that are also in the ``b``
half of ``passages_dev.jsonl`` are left out, so that nothing here is read from that held-out half.

    python bench/extraction_stance_rows.py
    python bench/extraction_stance_rows.py --json
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from extraction_real import real_dir  # noqa: E402

from monitor import config  # noqa: E402
from monitor.config import fold  # noqa: E402
from monitor.records import load_jsonl  # noqa: E402
from monitor.statements.actors import ActorIndex  # noqa: E402
from monitor.statements.extract import extract_statements  # noqa: E402
from monitor.statements.extraction_eval import _gold_actor, same_speaker  # noqa: E402


def measure(folder: Path) -> dict[str, Any]:
    """Rows scored, rows found, and both by actor."""
    index = ActorIndex.from_actors(config.load(ROOT / "config").actors)
    rows = load_jsonl(folder / "stance_dev.jsonl", required=("text", "speaker", "actor", "source"))
    passages = folder / "passages_dev.jsonl"
    held_out = {r["source"] for r in load_jsonl(passages, required=("id", "source"))
                if str(r["id"]).startswith("b")} if passages.exists() else set()
    scored: Counter[str] = Counter()
    found: Counter[str] = Counter()
    for r in rows:
        surname = fold(str(r["speaker"]).split()[-1]) if str(r["speaker"]).split() else ""
        if r["source"] in held_out or not surname or surname not in fold(r["text"]):
            continue
        actor = _gold_actor(r["actor"], index)
        scored[r["actor"]] += 1
        if any(s.actor == actor and same_speaker(r["speaker"], s.speaker, index)
               for s in extract_statements(str(r.get("id", "")), r["text"], index)):
            found[r["actor"]] += 1
    return {"rows": sum(scored.values()), "found": sum(found.values()),
            "by_actor": {a: {"rows": n, "found": found[a]} for a, n in sorted(scored.items())}}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--real", help="folder of the real corpus (default ../shared/real or MONITOR_REAL_DIR)")
    p.add_argument("--json", action="store_true")
    a = p.parse_args(argv)
    folder = real_dir(a.real)
    if not (folder / "stance_dev.jsonl").exists():
        print(f"skipped: no real stance set at {folder / 'stance_dev.jsonl'}", file=sys.stderr)
        return 0
    result = measure(folder)
    if a.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"real stance rows that name their speaker: {result['rows']}, found {result['found']} "
          f"({result['found'] / max(1, result['rows']):.3f})")
    for actor, v in result["by_actor"].items():
        print(f"  {actor:12} {v['found']:3} / {v['rows']:3}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
