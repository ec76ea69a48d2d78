"""Benchmark the analyst views on a generated database of 1M statements.

Each view is timed with a typical analyst query (the README's example questions), on a
read-only connection like ``monitor query``; the figures are medians of 5 runs after one
warm-up run. "query" is the time until DuckDB holds the whole result (``execute``), the
target, under 200 ms each; "+fetch" adds turning every row into Python tuples
(``fetchall``), which only matters for the detector's 500k-row input and depends on the
caller, not on the view.

    .venv/bin/python bench/views.py                       # generates /tmp/monitor-bench.duckdb if missing
    .venv/bin/python bench/views.py --db /tmp/bench.duckdb --statements 1000000 --runs 5
    .venv/bin/python bench/views.py --snapshot         # on the analyst snapshot, as `monitor query` reads
    .venv-lake/bin/python bench/views.py --db 'ducklake:postgres:dbname=bench host=...?data_path=...'
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.gen_db import Shape, generate  # noqa: E402
from monitor import snapshot, store  # noqa: E402

TARGET_MS = 200.0

QUERIES: dict[str, str] = {
    # "What did Azerbaijan say about the EU this month?"
    "statement_stances": """
        SELECT published, speaker, label, score, text, url FROM statement_stances
        WHERE actor = 'AZ' AND target = 'EU' AND published >= TIMESTAMPTZ '2026-06-01' AND published < TIMESTAMPTZ '2026-07-01'
        ORDER BY published DESC""",
    # the detector's input for one model, as store.observations asks for it (a bound model id)
    "stance_observations": """
        SELECT statement_id, actor, target, day, score, feed_id, content_hash FROM stance_observations
        WHERE model_id = $model ORDER BY day, statement_id""",
    # daily series of one actor
    "stance_daily": """
        SELECT day, target, n_statements, mean_score FROM stance_daily
        WHERE actor = 'AZ' AND day >= DATE '2026-04-01' ORDER BY day, target""",
    # the report's weekly series, all actors
    "stance_weekly": "SELECT actor, target, week, n_statements, mean_score FROM stance_weekly ORDER BY actor, target, week",
    # "Which actors moved most since the baseline?"
    "actor_vs_baseline": """
        SELECT actor, target, baseline, observed, difference, ci_low, ci_high, n_statements FROM actor_vs_baseline
        WHERE difference IS NOT NULL ORDER BY abs(difference) DESC LIMIT 10""",
    # open alerts with their evidence
    "alert_evidence": """
        SELECT alert_id, actor, target, severity, published, speaker, text, url FROM alert_evidence
        WHERE status IN ('open', 'acknowledged') ORDER BY opened_on DESC, published DESC""",
    # "Which feeds went quiet?"
    "feed_health": """
        SELECT feed_id, health, last_success, last_item_date, consecutive_failures FROM feed_health
        WHERE health <> 'ok' ORDER BY feed_id""",
}


def time_query(con: store.Connection, sql: str, runs: int) -> tuple[float, float, int]:
    """Median ms of ``runs`` runs (after one warm-up) to execute, and to execute and fetch; the row count."""
    params = {"model": con.execute("SELECT model_id FROM current_model").fetchone()[0]} if "$model" in sql else None  # type: ignore[index]
    rows = len(con.execute(sql, params).fetchall())
    executed, fetched = [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        result = con.execute(sql, params)
        t1 = time.perf_counter()
        result.fetchall()
        executed.append((t1 - t0) * 1000)
        fetched.append((time.perf_counter() - t0) * 1000)
    return statistics.median(executed), statistics.median(fetched), rows


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--db", default="/tmp/monitor-bench.duckdb", help="a DuckDB file or a DuckLake target")
    p.add_argument("--statements", type=int, default=1_000_000, help="size when the database is generated")
    p.add_argument("--regenerate", action="store_true", help="generate the database even if it exists")
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--json", action="store_true")
    p.add_argument("--snapshot", action="store_true", help="query the published analyst snapshot of --db instead")
    a = p.parse_args(argv)
    db = Path(a.db) if store.is_local_file(a.db) else a.db
    if a.regenerate or (isinstance(db, Path) and not db.exists()):
        t0 = time.perf_counter()
        generate(db, Shape(statements=a.statements))
        print(f"generated {db} ({a.statements} statements) in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    else:
        # a writer connection re-applies db/views.sql, so the views timed are the current ones
        with snapshot.writing(db, "bench"):
            store.connect(db).close()
    con = store.connect(snapshot.analyst_path(db) if a.snapshot else db, read_only=True)  # DuckLake: attached read-only
    try:
        con.execute("SET enable_progress_bar = false")
        n = con.execute("SELECT count(*) FROM statements").fetchone()[0]  # type: ignore[index]
        results = {name: time_query(con, sql, a.runs) for name, sql in QUERIES.items()}
    finally:
        con.close()
    slow = [k for k, (ms, _, _) in results.items() if ms > TARGET_MS]
    if a.json:
        print(json.dumps({"statements": n, "median_ms": {k: round(v[0], 1) for k, v in results.items()},
                          "median_ms_with_fetch": {k: round(v[1], 1) for k, v in results.items()}}, indent=2))
    else:
        print(f"{n} statements, median of {a.runs} runs (target: query < {TARGET_MS:.0f} ms)")
        print(f"  {'view':<20} {'query':>8}    {'+fetch':>8}    {'rows':>7}")
        for name, (ms, with_fetch, rows) in results.items():
            print(f"  {name:<20} {ms:8.1f} ms {with_fetch:8.1f} ms {rows:>7}{'  SLOW' if ms > TARGET_MS else ''}")
    return 1 if slow else 0


if __name__ == "__main__":
    raise SystemExit(main())
