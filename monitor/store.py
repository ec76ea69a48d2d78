"""DuckDB storage: the only module that knows SQL.

One module on purpose (over 400 lines): only store knows SQL, so a schema change touches one Python file.

``connect(target)`` takes a file path, ``:memory:``, or any DuckDB connection string
(``ducklake:...``, ``md:...``): moving to shared storage is configuration. Every write
is a batched upsert on a natural key with bound parameters, one transaction per stage
(or per feed for ingestion, so a fetch row and its items land together or not at all).
On DuckLake, which has no keys, the upserts become ``MERGE`` and a transaction that loses
to a concurrent one runs again (:mod:`monitor.lake`).
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import random
import re
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb
import numpy as np

from monitor import lake
from monitor.config import Settings
from monitor.errors import StoreError
from monitor.records import FetchResult, Item, Relevance, Stance, Statement, content_hash

log = logging.getLogger(__name__)

DB_DIR = Path(__file__).resolve().parent.parent / "db"
MIGRATIONS_DIR = DB_DIR / "migrations"
VIEWS_FILE = DB_DIR / "views.sql"

Connection = duckdb.DuckDBPyConnection


def now() -> datetime:
    return datetime.now(UTC)


def connect(target: str | Path, *, read_only: bool = False) -> Connection:
    """Open the database, set UTC, and (for writers) apply pending migrations and the views."""
    target = str(target)
    try:
        if lake.is_target(target):
            con = duckdb.connect()
            lake.attach(con, target, read_only=read_only)
        else:
            if target != ":memory:" and not target.startswith("md:"):
                path = Path(target)
                if read_only and not path.exists():
                    raise StoreError(f"{target}: database not found (run `monitor run` or `monitor demo` first)")
                path.parent.mkdir(parents=True, exist_ok=True)
            con = duckdb.connect(target, read_only=read_only)
    except duckdb.Error as exc:
        raise StoreError(f"{target}: cannot open database: {exc}") from None
    con.execute("SET TimeZone = 'UTC'")
    if not read_only:
        migrate(con)
        apply_views(con)
    return con


# The natural key of each table: its primary key on a DuckDB file, the MERGE condition on DuckLake.
KEYS = {"sources": ("feed_id",), "fetches": ("id",), "items": ("id",), "statements": ("id",), "stances": ("id",),
        "models": ("model_id",), "actors": ("id",), "baselines": ("actor", "target"), "alerts": ("id",),
        "alert_deliveries": ("alert_id", "event", "channel"), "labels": ("statement_id",),
        "stance_facts": ("stance_id",), "schema_migrations": ("version",)}
LAKE_ATTEMPTS = 8


def retried(fn: Any) -> Any:
    """Run the writer ``fn(con, ...)`` again while its DuckLake commit loses to a concurrent one."""

    @functools.wraps(fn)
    def wrapper(con: Connection, *args: Any, **kwargs: Any) -> Any:
        for attempt in range(1, LAKE_ATTEMPTS + 1):
            try:
                return fn(con, *args, **kwargs)
            except duckdb.Error as exc:
                if not lake.is_conflict(exc) or attempt == LAKE_ATTEMPTS:
                    raise
                log.debug("%s: DuckLake conflict, attempt %d", fn.__name__, attempt)
                time.sleep(random.uniform(0.05, 0.25) * attempt)
        raise AssertionError("unreachable")

    return wrapper


class RunInProgress(StoreError):
    """Another process holds the database's writer lock."""


def is_local_file(target: str | Path) -> bool:
    t = str(target)
    return t != ":memory:" and ":" not in t.split("/")[0]


@contextmanager
def writer_lock(target: str | Path) -> Iterator[None]:
    """Hold the single-writer lock of a local database file, or raise :class:`RunInProgress`.

    DuckDB allows one writer process; a scheduled run that finds the previous one still
    going must skip cleanly instead of failing half-way. Shared storage (DuckLake,
    MotherDuck) brings its own concurrency control, so no lock is taken there.
    """
    if not is_local_file(target):
        yield
        return
    import filelock

    Path(target).parent.mkdir(parents=True, exist_ok=True)
    lock = filelock.FileLock(f"{target}.lock")
    try:
        lock.acquire(timeout=0)
    except filelock.Timeout:
        raise RunInProgress(f"{target}: another run is still writing this database") from None
    try:
        yield
    finally:
        lock.release()


def _quote(value: str) -> str:
    return value.replace("'", "''")


@contextmanager
def transaction(con: Connection) -> Iterator[Connection]:
    """One atomic unit of work: commit on success, roll back on any exception.

    On DuckLake the transaction first bumps :data:`monitor.lake.GUARD`, so it conflicts with
    every transaction that overlaps it (see :func:`retried`).
    """
    con.execute("BEGIN TRANSACTION")
    try:
        if lake.is_lake(con):
            con.execute(lake.GUARD)
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    try:
        con.execute("COMMIT")
    except duckdb.Error:
        with contextlib.suppress(duckdb.Error):  # a failed commit may leave the transaction open
            con.execute("ROLLBACK")
        raise


@retried
def migrate(con: Connection, directory: Path = MIGRATIONS_DIR) -> list[str]:
    """Apply each pending ``NNN_name.sql`` in order, with its ``schema_migrations`` row, atomically."""
    dialect = lake.ddl if lake.is_lake(con) else str
    con.execute(dialect(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL)"
    ))
    done = {r[0] for r in con.execute("SELECT version FROM schema_migrations").fetchall()}
    applied = []
    for path in sorted(directory.glob("*.sql")):
        m = re.match(r"^(\d+)_(.+)\.sql$", path.name)
        if not m:
            raise StoreError(f"{path}: migration file names must look like NNN_name.sql")
        version = int(m.group(1))
        if version in done:
            continue
        try:
            with transaction(con):
                if version in {r[0] for r in con.execute("SELECT version FROM schema_migrations").fetchall()}:
                    continue  # applied meanwhile by another DuckLake writer
                con.execute(dialect(path.read_text(encoding="utf-8")))
                con.execute("INSERT INTO schema_migrations VALUES (?, ?, ?)", [version, m.group(2), now()])
        except duckdb.Error as exc:
            if lake.is_conflict(exc):
                raise
            raise StoreError(f"{path.name}: migration failed: {exc}") from None
        log.info("applied migration %s", path.name)
        applied.append(path.name)
    return applied


@retried
def apply_views(con: Connection, path: Path = VIEWS_FILE) -> None:
    """(Re)create the analyst views; they hold no data, so this is always safe."""
    if path.exists():
        try:
            sql = path.read_text(encoding="utf-8")
            con.execute(lake.views(sql) if lake.is_lake(con) else sql)
        except duckdb.Error as exc:
            if lake.is_conflict(exc):
                raise
            raise StoreError(f"{path.name}: {exc}") from None


# ---------------------------------------------------------------- configuration


SOURCE_COLUMNS = ("feed_id", "url", "title", "kind", "country", "language", "actor", "full_text", "enabled", "updated_at")


@retried
def sync_config(con: Connection, settings: Settings) -> None:
    """Mirror sources, actors and baselines from the configuration into their tables."""
    ts = now()
    with transaction(con):
        con.execute("UPDATE sources SET enabled = FALSE")
        insert_rows(
            con, "sources", SOURCE_COLUMNS,
            [(f.id, f.url, f.title, f.kind, f.country, f.language, f.actor, f.full_text, f.enabled, ts) for f in settings.feeds],
            on_conflict="""ON CONFLICT (feed_id) DO UPDATE SET url = excluded.url, title = excluded.title,
               kind = excluded.kind, country = excluded.country, language = excluded.language, actor = excluded.actor,
               full_text = excluded.full_text, enabled = excluded.enabled, updated_at = excluded.updated_at""",
        )
        insert_values(
            con, "actors", ("id", "name", "country", "role", "western", "aliases"),
            [
                [a.id, a.name, a.country, a.role, a.western, [*a.aliases, *(o.name for o in a.officials)]]
                for a in settings.actors
            ],
            on_conflict="""ON CONFLICT (id) DO UPDATE SET name = excluded.name, country = excluded.country,
               role = excluded.role, western = excluded.western, aliases = excluded.aliases""",
        )
        con.execute("DELETE FROM baselines")
        if settings.baselines:
            con.executemany(
                "INSERT INTO baselines VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    [b.actor, b.target, b.label, b.score, b.evidence, b.paragraph, settings.baseline_source, b.date]
                    for b in settings.baselines
                ],
            )


# ---------------------------------------------------------------- ingestion


@dataclass(frozen=True, slots=True)
class FeedState:
    """What the store knows about a feed before fetching it again."""

    etag: str | None
    last_modified: str | None
    consecutive_failures: int
    last_attempt: datetime | None


def feed_states(con: Connection) -> dict[str, FeedState]:
    """Validators from the last good fetch and the current failure streak, per feed."""
    rows = con.execute(
        """
        WITH ranked AS (
            SELECT feed_id, state, started, etag, last_modified,
                   state IN ('ok', 'not_modified', 'empty', 'truncated') AS good,
                   row_number() OVER (PARTITION BY feed_id ORDER BY started DESC) AS rn
            FROM fetches WHERE state <> 'backoff'
        ), last_good AS (
            SELECT feed_id, max(started) AS at FROM ranked WHERE good GROUP BY feed_id
        )
        SELECT r.feed_id,
               (SELECT etag FROM ranked x WHERE x.feed_id = r.feed_id AND x.good AND x.etag IS NOT NULL ORDER BY started DESC LIMIT 1),
               (SELECT last_modified FROM ranked x WHERE x.feed_id = r.feed_id AND x.good AND x.last_modified IS NOT NULL ORDER BY started DESC LIMIT 1),
               count(*) FILTER (WHERE NOT r.good AND (g.at IS NULL OR r.started > g.at)),
               max(r.started)
        FROM ranked r LEFT JOIN last_good g USING (feed_id)
        GROUP BY r.feed_id, g.at
        """
    ).fetchall()
    return {r[0]: FeedState(r[1], r[2], int(r[3]), r[4]) for r in rows}


def insert_values(con: Connection, table: str, columns: Sequence[str], rows: Sequence[Sequence[object]],
                  *, on_conflict: str = "ON CONFLICT DO NOTHING") -> None:
    """``INSERT ... VALUES`` with many rows per statement, for rows holding lists (or few rows).

    Flat rows go through :func:`insert_rows`, which is an order of magnitude faster.
    """
    if not rows:
        return
    group = "(" + ", ".join("?" * len(columns)) + ")"
    step = max(1, 4000 // len(columns))
    on_lake = lake.is_lake(con)
    for lo in range(0, len(rows), step):
        chunk = rows[lo : lo + step]
        values = "VALUES " + ", ".join([group] * len(chunk))
        con.execute(_insert_sql(on_lake, table, columns, values, on_conflict), [v for row in chunk for v in row])


def _insert_sql(on_lake: bool, table: str, columns: Sequence[str], source: str, on_conflict: str) -> str:
    """``INSERT INTO table (columns) source on_conflict``, or the same as a ``MERGE`` on DuckLake."""
    if on_lake:
        return lake.merge(table, columns, source, on_conflict, KEYS[table])
    return f"INSERT INTO {table} ({', '.join(columns)}) {source} {on_conflict}"


def insert_rows(con: Connection, table: str, columns: Sequence[str], rows: Sequence[Sequence[object]],
                *, on_conflict: str = "ON CONFLICT DO NOTHING") -> None:
    """Insert ``rows`` (values in ``columns`` order) into ``table`` with one ``INSERT ... SELECT``.

    The rows are handed to DuckDB as NumPy object columns and scanned like a table instead of
    binding one parameter per value (over 10x faster for a batch of feeds). Values must be
    scalars (str, int, float, bool, datetime, None): DuckDB infers each column's type from its
    values, which fails for a column of lists that starts with empty ones; such rows go through
    :func:`insert_values`.
    """
    if not rows:
        return
    data = {c: np.fromiter((r[k] for r in rows), dtype=object, count=len(rows)) for k, c in enumerate(columns)}
    view = f"_insert_{table}"
    names = ", ".join(columns)
    con.register(view, data)
    try:
        con.execute(_insert_sql(lake.is_lake(con), table, columns, f"SELECT {names} FROM {view}", on_conflict))
    finally:
        con.unregister(view)


def last_sent(con: Connection, channel: str) -> datetime | None:
    """When ``channel`` last delivered anything (the daily digest's clock)."""
    row = con.execute("SELECT max(updated_at) FROM alert_deliveries WHERE channel = ? AND status = 'sent'", [channel]).fetchone()
    value = row[0] if row else None
    return value.astimezone(UTC) if isinstance(value, datetime) else None


def known_item_ids(con: Connection, feed_id: str, ids: Sequence[str]) -> set[str]:
    """Which of these item ids the feed already has (their article pages need no new fetch)."""
    rows = con.execute("SELECT id FROM items WHERE feed_id = ? AND id IN (SELECT unnest(?))", [feed_id, list(ids)]).fetchall()
    return {r[0] for r in rows}


@dataclass(frozen=True, slots=True)
class FetchRecord:
    """One fetch to store: its result, the items parsed from it, and what to record of it.

    ``state``, ``error`` and ``error_class`` override the result's own (a body that fetched fine
    can still be ``not_a_feed``); ``canonical`` maps item keys to canonical URLs.
    """

    result: FetchResult
    items: Sequence[Item] = ()
    state: str | None = None
    error: str | None = None
    error_class: str | None = None
    canonical: Mapping[str, str] = field(default_factory=dict)


ITEM_COLUMNS = ("id", "feed_id", "guid", "url", "canonical_url", "title", "published", "date_status", "summary",
                "full_text", "content_hash", "language", "first_seen", "fetch_id")
FETCH_COLUMNS = ("id", "feed_id", "url", "started", "finished", "state", "http_status", "etag", "last_modified",
                 "bytes", "items_total", "items_new", "items_seen", "newest_item", "error_class", "error", "transient")


def record_fetch(
    con: Connection, result: FetchResult, items: Sequence[Item], *, state: str | None = None, error: str | None = None,
    error_class: str | None = None, canonical: Mapping[str, str] | None = None,
) -> tuple[int, int]:
    """Write one fetch row and its new items in one transaction. Returns (new, seen)."""
    return record_fetches(con, [FetchRecord(result, items, state, error, error_class, canonical or {})])[0]


@retried
def record_fetches(con: Connection, records: Sequence[FetchRecord]) -> list[tuple[int, int]]:
    """Write the fetch rows of ``records`` and their new items in one transaction.

    Returns (new, seen) per record. An entry is already seen when its id (feed + guid), its
    canonical URL or its content hash matches an entry of the same feed, stored before or
    earlier in this batch. One query finds the stored matches of the whole batch.
    """
    if not records:
        return []
    ts = now()
    item_rows: list[tuple[object, ...]] = []
    fetch_rows: list[tuple[object, ...]] = []
    counts = []
    with transaction(con):
        known = _existing_keys(con, records)
        for rec in records:
            ids, urls, hashes = known.setdefault(rec.result.feed_id, (set(), set(), set()))
            fetch_id = rec.result.key()
            fresh = 0
            for it in rec.items:
                key, curl = it.key(), rec.canonical.get(it.key(), it.url)
                if key in ids or (curl and curl in urls) or it.hash in hashes:
                    continue
                ids.add(key)
                urls.add(curl)
                hashes.add(it.hash)
                fresh += 1
                item_rows.append((key, it.feed_id, it.guid, it.url, curl, it.title, it.published, it.date_status,
                                  it.summary, it.full_text, it.hash, it.language, ts, fetch_id))
            r = rec.result
            dated = [it.published for it in rec.items if it.published is not None]
            fetch_rows.append((
                fetch_id, r.feed_id, r.url, r.started, r.finished, rec.state or r.state, r.status, r.etag,
                r.last_modified, r.bytes, len(rec.items), fresh, len(rec.items) - fresh, max(dated) if dated else None,
                rec.error_class or r.error_class, rec.error or r.error, r.transient,
            ))
            counts.append((fresh, len(rec.items) - fresh))
        insert_rows(con, "items", ITEM_COLUMNS, item_rows, on_conflict="ON CONFLICT (id) DO NOTHING")
        insert_rows(con, "fetches", FETCH_COLUMNS, fetch_rows, on_conflict="ON CONFLICT (id) DO NOTHING")
    return counts


def _existing_keys(con: Connection, records: Sequence[FetchRecord]) -> dict[str, tuple[set[str], set[str], set[str]]]:
    """Per feed, which of these entries' ids, canonical URLs and content hashes it already has."""
    pairs = [(rec, it) for rec in records for it in rec.items]
    if not pairs:
        return {}
    rows = con.execute(
        """SELECT feed_id, id, canonical_url, content_hash FROM items WHERE feed_id IN (SELECT unnest(?))
           AND (id IN (SELECT unnest(?)) OR canonical_url IN (SELECT unnest(?)) OR content_hash IN (SELECT unnest(?)))""",
        [sorted({rec.result.feed_id for rec in records}), [it.key() for _, it in pairs],
         [url for rec, it in pairs if (url := rec.canonical.get(it.key(), it.url))], [it.hash for _, it in pairs]],
    ).fetchall()
    known: dict[str, tuple[set[str], set[str], set[str]]] = {}
    for feed_id, key, url, digest in rows:
        ids, urls, hashes = known.setdefault(feed_id, (set(), set(), set()))
        ids.add(key)
        if url:
            urls.add(url)
        hashes.add(digest)
    return known


# ---------------------------------------------------------------- statements


STATEMENT_COLUMNS = ("id", "item_id", "text", "start_offset", "end_offset", "speaker", "actor", "type", "rule",
                     "mentions", "language", "content_hash", "relevant", "relevance_score", "relevance_reason", "created_at")


@dataclass(frozen=True, slots=True)
class PendingItem:
    id: str
    feed_id: str
    text: str
    language: str | None
    feed_kind: str | None
    feed_actor: str | None


def pending_items(con: Connection, limit: int | None = None, feeds: Sequence[str] | None = None) -> list[PendingItem]:
    """Items (of ``feeds``, default all) whose statements have not been extracted yet, oldest first."""
    sql = """SELECT i.id, i.feed_id, CASE WHEN coalesce(i.full_text, '') <> '' THEN i.full_text ELSE coalesce(i.summary, '') END,
                    i.language, s.kind, s.actor
             FROM items i LEFT JOIN sources s USING (feed_id)
             WHERE i.extracted_at IS NULL AND (? IS NULL OR list_contains(?, i.feed_id)) ORDER BY i.first_seen, i.id"""
    if limit:
        sql += f" LIMIT {int(limit)}"
    return [PendingItem(*r) for r in con.execute(sql, [feeds, feeds]).fetchall()]


@retried
def write_statements(
    con: Connection, item_ids: Sequence[str], statements: Sequence[tuple[Statement, Relevance]]
) -> int:
    """Insert statements of the given items and mark the items extracted, atomically."""
    ts = now()
    with transaction(con):
        insert_values(
            con, "statements", STATEMENT_COLUMNS,
            [
                [s.key(), s.item_id, s.text, s.start, s.end, s.speaker, s.actor, s.type, s.rule, list(s.mentions),
                 s.language, content_hash(s.text), bool(r.relevant), r.score, r.reason, ts]
                for s, r in statements
            ],
        )
        con.execute("UPDATE items SET extracted_at = ? WHERE id IN (SELECT unnest(?))", [ts, list(item_ids)])
    return len(statements)


@dataclass(frozen=True, slots=True)
class PendingStatement:
    id: str
    text: str
    language: str | None


def unscored_statements(con: Connection, model_id: str, *, relevant_only: bool = True,
                        feeds: Sequence[str] | None = None) -> list[PendingStatement]:
    """Statements (of items of ``feeds``, default all) with no stance row from ``model_id``
    (all of them after a model change)."""
    where = "AND s.relevant" if relevant_only else ""
    if feeds is not None:
        where += " AND s.item_id IN (SELECT id FROM items WHERE list_contains(?, feed_id))"
    rows = con.execute(
        f"""SELECT s.id, s.text, s.language FROM statements s
            WHERE NOT EXISTS (SELECT 1 FROM stances t WHERE t.statement_id = s.id AND t.model_id = ?) {where}
            ORDER BY s.id""",
        [model_id] + ([feeds] if feeds is not None else []),
    ).fetchall()
    return [PendingStatement(*r) for r in rows]


def work_pending(con: Connection, model_id: str, feeds: Sequence[str]) -> bool:
    """Whether any of ``feeds`` was never fetched, any item is not extracted, or any relevant
    statement has no stance from ``model_id``: the store does not hold a whole run yet."""
    row = con.execute(
        """SELECT EXISTS (SELECT 1 FROM unnest(?) AS f(feed_id) WHERE feed_id NOT IN (SELECT feed_id FROM fetches))
               OR EXISTS (SELECT 1 FROM items WHERE extracted_at IS NULL)
               OR EXISTS (SELECT 1 FROM statements s WHERE s.relevant AND NOT EXISTS
                          (SELECT 1 FROM stances t WHERE t.statement_id = s.id AND t.model_id = ?))""",
        [list(feeds), model_id],
    ).fetchall()
    return bool(row[0][0])


STANCE_COLUMNS = ("id", "statement_id", "model_id", "label", "target", "p_favor", "p_against", "p_none", "score",
                  "uncertain", "created_at", "basis")


@retried
def write_stances(con: Connection, stances: Sequence[Stance]) -> int:
    """Insert stance rows and bring ``stance_facts`` up to date with them, atomically."""
    ts = now()
    with transaction(con):
        insert_rows(
            con, "stances", STANCE_COLUMNS,
            [(s.key(), s.statement_id, s.model_id, s.label, s.target, float(s.p_favor), float(s.p_against),
              float(s.p_none), float(s.score), bool(s.uncertain), ts, s.basis) for s in stances],
            on_conflict="ON CONFLICT (id) DO NOTHING",
        )
        _add_stance_facts(con, [s.key() for s in stances])
    return len(stances)


FACT_COLUMNS = ("stance_id", "statement_id", "model_id", "actor", "target", "score", "published", "day", "feed_id",
                "content_hash", "counted")

# Up to this many ids, an ``IN (?, ...)`` list lets DuckDB look rows up in the primary-key index
# (its index_scan_max_count); a longer batch (a bulk load such as bench/gen_db.py) is matched by a join.
_INDEX_LOOKUP_MAX = 2048


def _add_stance_facts(con: Connection, stance_ids: Sequence[str]) -> None:
    """Add the stored stance rows ``stance_ids`` that count to ``stance_facts``, then re-rank their copies.

    The rules are those of the backfill in ``db/migrations/002_stance_facts.sql``. Only the
    (model, actor, content hash) groups that received a row are re-ranked, so an earlier copy
    that arrives late takes ``counted`` over from the one that held it. Statements and items
    never change once stored, so rows already in the table stay right.
    """
    ids = list(dict.fromkeys(stance_ids))
    if not ids:
        return
    if len(ids) <= _INDEX_LOOKUP_MAX:
        match, params = f"IN ({', '.join('?' * len(ids))})", ids
    else:
        match, params = "IN (SELECT unnest(?))", [ids]
    facts = f"""SELECT t.id, t.statement_id, t.model_id, s.actor, t.target, t.score, i.published, CAST(i.published AS DATE),
                   i.feed_id, s.content_hash, FALSE
            FROM (SELECT * FROM stances WHERE id {match} AND NOT uncertain AND label IN ('favor', 'against')) t
            JOIN statements s ON s.id = t.statement_id
            JOIN items i ON i.id = s.item_id
            WHERE s.relevant AND s.actor IS NOT NULL AND i.published IS NOT NULL"""
    con.execute(_insert_sql(lake.is_lake(con), "stance_facts", FACT_COLUMNS, facts, "ON CONFLICT (stance_id) DO NOTHING"),
                params)
    con.execute(
        f"""UPDATE stance_facts AS f SET counted = r.first
            FROM (SELECT g.stance_id,
                         row_number() OVER (PARTITION BY g.model_id, g.actor, g.content_hash
                                            ORDER BY g.published, g.statement_id) = 1 AS first
                  FROM stance_facts g
                  SEMI JOIN (SELECT model_id, actor, content_hash FROM stance_facts WHERE stance_id {match}) n
                       USING (model_id, actor, content_hash)) r
            WHERE f.stance_id = r.stance_id AND f.counted <> r.first""",
        params,
    )


@retried
def register_model(con: Connection, card: dict[str, Any]) -> None:
    with transaction(con):
        insert_values(
            con, "models", ("model_id", "encoder", "encoder_sha256", "head_sha256", "data_sha256", "trained_at", "metrics",
                            "registered_at"),
            [[card["model_id"], card["encoder"], card["encoder_sha256"], card["head_sha256"], card.get("data_sha256"),
              card.get("trained_at"), json.dumps(card.get("metrics", {})), now()]],
            on_conflict="ON CONFLICT (model_id) DO NOTHING",
        )


@retried
def write_label(con: Connection, statement_id: str, label: str, target: str, analyst: str | None, note: str | None) -> None:
    if not con.execute("SELECT 1 FROM statements WHERE id = ?", [statement_id]).fetchone():
        raise StoreError(f"no statement with id {statement_id!r}")
    with transaction(con):
        insert_values(
            con, "labels", ("statement_id", "label", "target", "analyst", "note", "created_at"),
            [[statement_id, label, target, analyst, note, now()]],
            on_conflict="""ON CONFLICT (statement_id) DO UPDATE SET label = excluded.label, target = excluded.target,
               analyst = excluded.analyst, note = excluded.note, created_at = excluded.created_at""",
        )


def analyst_labels(con: Connection) -> list[tuple[str, str, str]]:
    """(statement text, label, target) for every analyst correction."""
    return con.execute(
        "SELECT s.text, l.label, l.target FROM labels l JOIN statements s ON s.id = l.statement_id ORDER BY l.statement_id"
    ).fetchall()


# ---------------------------------------------------------------- series and alerts


@dataclass(frozen=True, slots=True)
class Observation:
    """One distinct, relevant, confident statement of an actor, as the shift detector sees it."""

    statement_id: str
    actor: str
    target: str
    day: date
    score: float
    source: str
    content_hash: str


def observations(con: Connection, model_id: str) -> list[Observation]:
    """Scored statements by publication date, one per (actor, content hash): copies count once."""
    rows = con.execute(
        """SELECT statement_id, actor, target, day, score, feed_id, content_hash FROM stance_observations
           WHERE model_id = ? ORDER BY day, statement_id""",
        [model_id],
    ).fetchall()
    return [Observation(*r) for r in rows]


def open_alerts(con: Connection) -> list[dict[str, Any]]:
    cur = con.execute("SELECT * FROM alerts WHERE status IN ('open', 'acknowledged') ORDER BY opened_on, id")
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


@retried
def upsert_alerts(con: Connection, alerts: Sequence[dict[str, Any]], events: Sequence[tuple[str, str, str]]) -> None:
    """Write alert rows and queue their delivery events (alert id, event, channel), atomically."""
    ts = now()
    cols = [
        "id", "actor", "target", "direction", "status", "opened_on", "window_start", "window_end", "baseline",
        "baseline_kind", "observed", "ci_low", "ci_high", "n_statements", "n_sources", "statistic", "method",
        "severity", "model_id", "evidence_ids", "resolved_on",
    ]
    updatable = [c for c in cols if c not in ("id", "opened_on", "created_at")]
    on_conflict = (
        "ON CONFLICT (id) DO UPDATE SET "
        + ", ".join(f"{c} = excluded.{c}" for c in updatable if c != "status")
        + ", status = CASE WHEN alerts.status = 'acknowledged' AND excluded.status = 'open' THEN 'acknowledged' ELSE excluded.status END"
        + ", updated_at = excluded.updated_at"
    )
    with transaction(con):
        for a in alerts:
            insert_values(con, "alerts", [*cols, "acknowledged_at", "created_at", "updated_at"],
                          [[a.get(c) for c in cols] + [None, ts, ts]], on_conflict=on_conflict)
        insert_values(con, "alert_deliveries", ("alert_id", "event", "channel", "status", "attempts", "last_error", "updated_at"),
                      [[alert_id, event, channel, "pending", 0, None, ts] for alert_id, event, channel in events])


@retried
def withdraw_alerts(con: Connection, current: Iterable[str], channels: Sequence[str]) -> list[str]:
    """Withdraw the open or acknowledged alerts the latest detection pass no longer finds.

    An alert stays open only while the configured detector, on the current model's stances,
    still raises it: after a change of detector or model, or a backfill that moves a regime's
    opening date (a new alert id), the old row turns ``withdrawn`` and each channel gets a
    ``withdrawn`` event, instead of staying open for ever. Returns the withdrawn ids.
    """
    keep = set(current)
    ids = [r[0] for r in con.execute("SELECT id FROM alerts WHERE status IN ('open', 'acknowledged') ORDER BY id").fetchall()
           if r[0] not in keep]
    if not ids:
        return []
    ts = now()
    with transaction(con):
        con.execute("UPDATE alerts SET status = 'withdrawn', updated_at = ? WHERE list_contains(?, id)", [ts, ids])
        insert_values(con, "alert_deliveries", ("alert_id", "event", "channel", "status", "attempts", "last_error", "updated_at"),
                      [[alert_id, "withdrawn", channel, "pending", 0, None, ts] for alert_id in ids for channel in channels])
    return ids


def pending_deliveries(con: Connection) -> list[tuple[str, str, str, int]]:
    return con.execute(
        "SELECT alert_id, event, channel, attempts FROM alert_deliveries WHERE status = 'pending' ORDER BY updated_at, alert_id"
    ).fetchall()


def alert_with_evidence(con: Connection, alert_id: str) -> dict[str, Any]:
    """An alert row plus its evidence statements (text, speaker, source URL, date, model)."""
    cur = con.execute("SELECT * FROM alerts WHERE id = ?", [alert_id])
    cols = [d[0] for d in cur.description]
    row = cur.fetchone()
    if row is None:
        raise StoreError(f"no alert {alert_id!r}")
    alert = dict(zip(cols, row, strict=True))
    ev = con.execute(
        """SELECT s.id, s.text, s.speaker, s.actor, i.url, i.feed_id, i.published
           FROM statements s JOIN items i ON i.id = s.item_id
           WHERE list_contains(?, s.id) ORDER BY i.published, s.id""",
        [alert["evidence_ids"]],
    ).fetchall()
    alert["evidence"] = [
        {"statement_id": r[0], "text": r[1], "speaker": r[2], "actor": r[3], "url": r[4], "feed_id": r[5],
         "published": r[6].isoformat() if r[6] else None}
        for r in ev
    ]
    return alert


@retried
def mark_delivery(con: Connection, alert_id: str, event: str, channel: str, error: str | None) -> None:
    con.execute(
        """UPDATE alert_deliveries SET status = CASE WHEN ? IS NULL THEN 'sent' ELSE 'pending' END,
           attempts = attempts + 1, last_error = ?, updated_at = ? WHERE alert_id = ? AND event = ? AND channel = ?""",
        [error, error, now(), alert_id, event, channel],
    )


@retried
def acknowledge(con: Connection, alert_id: str) -> None:
    n = con.execute(
        "UPDATE alerts SET status = 'acknowledged', acknowledged_at = ?, updated_at = ? WHERE id = ? AND status = 'open' RETURNING id",
        [now(), now(), alert_id],
    ).fetchall()
    if not n:
        raise StoreError(f"no open alert {alert_id!r}")


# ---------------------------------------------------------------- analyst queries


WRITE_SQL = re.compile(r"^\s*(insert|update|delete|drop|create|alter|attach|detach|copy|install|load|set|pragma|call|vacuum|checkpoint|truncate|merge|grant|export|import)\b", re.I)


def query(target: str | Path, sql: str, params: Sequence[Any] | None = None) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Run one analyst query on a read-only connection. Writes fail and change nothing."""
    con = connect(target, read_only=True)
    try:
        return run_query(con, sql, params)
    finally:
        con.close()


def run_query(con: Connection, sql: str, params: Sequence[Any] | None = None) -> tuple[list[str], list[tuple[Any, ...]]]:
    """:func:`query` on an open connection: (column names, rows), a DuckDB error as one-line :class:`StoreError`."""
    try:
        cur = con.execute(sql, params or [])
        cols = [d[0] for d in cur.description] if cur.description else []
        return cols, cur.fetchall() if cols else []
    except duckdb.Error as exc:
        msg = str(exc).splitlines()[0]
        if "read-only" in msg.lower() or "read only" in msg.lower():
            msg = f"the database is opened read-only; queries cannot change it ({msg})"
        raise StoreError(msg) from None


def record_publication(con: Connection, reason: str) -> None:
    """Note a snapshot about to be published (``monitor.snapshot``), then checkpoint so the file holds everything."""
    con.execute(
        """INSERT INTO publications SELECT ?, ?, (SELECT count(*) FROM items), (SELECT count(*) FROM statements),
           (SELECT count(*) FROM stances), (SELECT count(*) FROM alerts)""",
        [now(), reason],
    )
    con.execute("CHECKPOINT")


def last_publication(con: Connection) -> tuple[datetime, str] | None:
    """When the snapshot ``con`` reads was published and after what (None for a writer's file never published)."""
    try:
        row = con.execute("SELECT published_at, reason FROM publications ORDER BY published_at DESC LIMIT 1").fetchone()
    except duckdb.CatalogException:  # a database from before migration 005, opened read-only
        return None
    return (row[0].astimezone(UTC), row[1]) if row else None


def table_counts(con: Connection) -> dict[str, int]:
    tables = ["sources", "fetches", "items", "statements", "stances", "models", "actors", "baselines", "alerts",
              "alert_deliveries", "labels"]
    return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}  # type: ignore[index]
