"""Generate a synthetic monitor database of any size, for the view benchmark and the report tests.

Every row is made by DuckDB from ``range()`` with hash-based pseudo-randomness, so a
million statements take seconds and the same arguments always give the same database.
Sources, actors and baselines come from the real configuration (``config/``); items,
statements, two model versions of stances, fetches and alerts are synthetic, with the
shapes the views must handle: syndicated copies (shared content hashes), undated items,
unattributed and irrelevant statements, uncertain stances, failing and quiet feeds, and a
real shift (Azerbaijan toward the EU over the last 60 days) that the alerts point at.

    .venv/bin/python bench/gen_db.py /tmp/bench.duckdb --statements 1000000
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from monitor import config, snapshot, store  # noqa: E402

STATEMENTS_PER_ITEM = 4
TARGETS = ("West", "EU", "US", "France")
CURRENT_MODEL = "minilm-l6+head-synthetic-v2"
OLD_MODEL = "minilm-l6+head-synthetic-v1"


@dataclass(frozen=True, slots=True)
class Shape:
    """How big and how long the generated history is."""

    statements: int = 1_000_000
    days: int = 730
    end: date = date(2026, 6, 30)
    old_model_share: float = 0.2  # statements also scored by the previous model version
    fetches_per_day: int = 4


def _h(expr: str, salt: str) -> str:
    """SQL for a deterministic pseudo-random integer in [0, 2**32) from ``expr`` and a salt."""
    return f"(hash({expr}, '{salt}') % 4294967296)"


def _u(expr: str, salt: str) -> str:
    """SQL for a deterministic pseudo-random double in [0, 1)."""
    return f"({_h(expr, salt)} / 4294967296.0)"


def generate(target: str | Path, shape: Shape = Shape(), config_dir: str | Path = ROOT / "config") -> dict[str, int]:
    """Create (or replace the contents of) ``target``, fill it and publish its analyst snapshot; returns the row counts."""
    settings = config.load(config_dir)
    path = Path(target)
    for p in (path, Path(f"{path}.wal")):
        p.unlink(missing_ok=True)
    with snapshot.writing(path, "generate"):
        con = store.connect(path)
        try:
            store.sync_config(con, settings)
            _fill(con, settings, shape)
            con.execute("CHECKPOINT")
            return store.table_counts(con)
        finally:
            con.close()


def _fill(con: store.Connection, settings: config.Settings, shape: Shape) -> None:
    feeds = [f.id for f in settings.feeds]
    actors = [a.id for a in settings.actors]
    n_items = -(-shape.statements // STATEMENTS_PER_ITEM)
    seconds = shape.days * 86400
    end = f"TIMESTAMPTZ '{shape.end.isoformat()} 23:59:59+00'"
    con.execute("CREATE TEMP TABLE feed_ids AS SELECT unnest(?) AS feed_id, generate_subscripts(?, 1) - 1 AS k", [feeds, feeds])
    con.execute("CREATE TEMP TABLE actor_ids AS SELECT unnest(?) AS actor, generate_subscripts(?, 1) - 1 AS k", [actors, actors])
    con.execute(
        f"""INSERT INTO models VALUES
            ('{OLD_MODEL}', 'bundled', 'synthetic', 'synthetic-head-1', NULL, {end} - INTERVAL 400 DAY, '{{}}', {end} - INTERVAL 400 DAY),
            ('{CURRENT_MODEL}', 'bundled', 'synthetic', 'synthetic-head-2', NULL, {end} - INTERVAL 200 DAY, '{{}}', {end} - INTERVAL 200 DAY)"""
    )
    # Items: spread over the feeds and the period; 1% undated, 3% syndicated copies of the previous item.
    con.execute(
        f"""INSERT INTO items
            SELECT md5('item' || i)[:16], f.feed_id, 'guid-' || i, 'https://news.example/' || f.feed_id || '/' || i,
                   'https://news.example/' || f.feed_id || '/' || i, 'Synthetic report ' || i,
                   CASE WHEN {_u('i', 'nodate')} < 0.01 THEN NULL
                        ELSE {end} - to_seconds(CAST({_h('i', 'when')} % {seconds} AS BIGINT)) END,
                   CASE WHEN {_u('i', 'nodate')} < 0.01 THEN 'missing' ELSE 'ok' END,
                   'Summary of synthetic report ' || i, '',
                   md5('content' || CASE WHEN {_u('i', 'copy')} < 0.03 AND i > 0 THEN i - 1 ELSE i END)[:16],
                   'en', {end} - INTERVAL 1 HOUR, NULL, {end}
            FROM range({n_items}) r(i) JOIN feed_ids f ON f.k = i % {len(feeds)}"""
    )
    # Statements: four per item; 8% unattributed, 20% irrelevant, 4% re-quotes of an earlier statement.
    # A re-quote, and every statement of a syndicated copy, repeats statement ``src`` (same actor and
    # content hash), so the copy removal of the series views has work to do.
    copy = f"({_u(f'j // {STATEMENTS_PER_ITEM}', 'copy')} < 0.03 AND j >= {STATEMENTS_PER_ITEM})"
    requote = f"({_u('j', 'requote')} < 0.04 AND j >= {STATEMENTS_PER_ITEM})"
    con.execute(
        f"""INSERT INTO statements
            SELECT md5('st' || j)[:16], md5('item' || (j // {STATEMENTS_PER_ITEM}))[:16],
                   'Spokesperson ' || (j % 97) || ' said the talks on point ' || (j % 1013) || ' must continue (' || j || ').',
                   (j % {STATEMENTS_PER_ITEM}) * 100, (j % {STATEMENTS_PER_ITEM}) * 100 + 80,
                   'Official ' || (j % 211), CASE WHEN {_u('j', 'unattributed')} < 0.08 THEN NULL ELSE a.actor END,
                   'direct', 'synthetic', [a.actor], 'en', md5('text' || src)[:16],
                   {_u('j', 'relevant')} >= 0.2, {_u('j', 'relevant')}, 'synthetic', {end}
            FROM (SELECT j, CASE WHEN {copy} OR {requote} THEN j - {STATEMENTS_PER_ITEM} ELSE j END AS src
                  FROM range({shape.statements}) r(j)) r
            JOIN actor_ids a ON a.k = {_h('src', 'actor')} % {len(actors)}"""
    )
    # Stances: the score sits around the actor's baseline (0 without one), with noise, and
    # Azerbaijan moves toward the EU in the last 60 days. p_favor + p_against = 0.9 always.
    con.execute(
        f"""CREATE TEMP TABLE scored AS
            SELECT s.id AS statement_id, tg.target,
                   greatest(-0.9, least(0.9, coalesce(b.score, 0) + ({_u('s.id', 'noise')} - 0.5) * 1.2
                       + CASE WHEN s.actor = 'AZ' AND tg.target = 'EU' AND i.published > {end} - INTERVAL 60 DAY
                              THEN 1.2 ELSE 0 END)) AS score
            FROM statements s JOIN items i ON i.id = s.item_id
            JOIN (SELECT unnest(?) AS target, generate_subscripts(?, 1) - 1 AS k) tg
                 ON tg.k = {_h('s.id', 'target')} % {len(TARGETS)}
            LEFT JOIN baselines b ON b.actor = s.actor AND b.target = tg.target
            WHERE s.relevant""",
        [list(TARGETS), list(TARGETS)],
    )
    for model, share in ((CURRENT_MODEL, 1.0), (OLD_MODEL, shape.old_model_share)):
        con.execute(
            f"""INSERT INTO stances
                SELECT md5(statement_id || '{model}')[:16], statement_id, '{model}',
                       CASE WHEN score > 0.15 THEN 'favor' WHEN score < -0.15 THEN 'against' ELSE 'none' END,
                       target, (0.9 + score) / 2, (0.9 - score) / 2, 0.1, score, abs(score) < 0.25, {end}, NULL
                FROM scored WHERE {_u('statement_id', 'old')} < {share}"""
        )
    # The fact table the series views read: the rows store.write_stances would have added.
    ids = [r[0] for r in con.execute("SELECT id FROM stances").fetchall()]
    with store.transaction(con):
        store._add_stance_facts(con, ids)
    # Fetches: a few a day per feed; mostly ok or 304; two feeds failing lately, one blocked.
    n_fetch_days = min(shape.days, 120)
    con.execute(
        f"""INSERT INTO fetches
            SELECT md5('fetch' || f.feed_id || n)[:16], f.feed_id, 'https://news.example/' || f.feed_id || '/rss',
                   t, t + INTERVAL 2 SECOND, st, CASE st WHEN 'ok' THEN 200 WHEN 'not_modified' THEN 304
                   WHEN 'blocked' THEN 403 ELSE NULL END,
                   '"etag-' || n || '"', NULL, CASE WHEN st = 'ok' THEN 40000 ELSE 0 END,
                   CASE WHEN st = 'ok' THEN 20 ELSE 0 END, CASE WHEN st = 'ok' THEN 3 ELSE 0 END,
                   CASE WHEN st = 'ok' THEN 17 ELSE 0 END, CASE WHEN st = 'ok' THEN t - INTERVAL 1 HOUR END,
                   CASE WHEN st = 'failed' THEN 'Timeout' WHEN st = 'blocked' THEN 'HTTP403' END,
                   CASE WHEN st = 'failed' THEN 'read timed out' WHEN st = 'blocked' THEN 'bot wall' END,
                   st = 'failed'
            FROM (SELECT f.feed_id, f.k, n, {end} - to_hours(n * {24 // shape.fetches_per_day}) AS t,
                         CASE WHEN f.k = 1 AND n < 12 THEN 'failed'
                              WHEN f.k = 2 AND n < 40 THEN 'blocked'
                              WHEN {_u("f.feed_id || n", 'state')} < 0.55 THEN 'not_modified'
                              WHEN {_u("f.feed_id || n", 'state')} < 0.97 THEN 'ok' ELSE 'failed' END AS st
                  FROM feed_ids f, range({n_fetch_days * shape.fetches_per_day}) r(n)) f"""
    )
    _alerts(con, end)


def _alerts(con: store.Connection, end: str) -> None:
    """One open alert for the generated shift, plus resolved ones, each with ten evidence statements."""
    con.execute(
        f"""INSERT INTO alerts
            WITH ev AS (
                SELECT o.actor, o.target, list(o.statement_id ORDER BY o.day DESC, o.statement_id)[:10] AS ids,
                       avg(o.score) AS observed, count(*) AS n, count(DISTINCT o.feed_id) AS n_sources,
                       min(o.day) AS first_day, max(o.day) AS last_day
                FROM stance_observations o
                WHERE o.model_id = '{CURRENT_MODEL}' AND o.day > CAST({end} AS DATE) - 60
                GROUP BY ALL
            )
            SELECT md5('alert' || ev.actor || ev.target)[:16], ev.actor, ev.target,
                   CASE WHEN ev.observed > b.score THEN 'toward_favor' ELSE 'toward_against' END,
                   CASE WHEN ev.actor = 'AZ' AND ev.target = 'EU' THEN 'open' ELSE 'resolved' END,
                   ev.first_day + 20, ev.first_day, ev.last_day, b.score, 'article', ev.observed,
                   ev.observed - 0.05, ev.observed + 0.05, ev.n, ev.n_sources, 2.1, 'cusum(k=0.25,h=1.5)',
                   CASE WHEN abs(ev.observed - b.score) > 0.8 THEN 'high' ELSE 'low' END, '{CURRENT_MODEL}', ev.ids,
                   CASE WHEN ev.actor = 'AZ' AND ev.target = 'EU' THEN NULL ELSE ev.last_day END, NULL, {end}, {end}
            FROM ev JOIN baselines b USING (actor, target)
            WHERE (ev.actor = 'AZ' AND ev.target = 'EU') OR ev.actor IN ('RU', 'AM')"""
    )


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("db", help="DuckDB file to create (replaced if it exists)")
    p.add_argument("--statements", type=int, default=1_000_000)
    p.add_argument("--days", type=int, default=730)
    a = p.parse_args(argv)
    t0 = time.perf_counter()
    counts = generate(a.db, Shape(statements=a.statements, days=a.days))
    print(f"generated {a.db} in {time.perf_counter() - t0:.1f} s: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
