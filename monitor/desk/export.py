"""Exports for other tools: the analyst views (or one query) written as Parquet or CSV.

DuckDB writes the files itself with ``COPY (SELECT ...) TO`` on a read-only connection, so
no pyarrow or pandas is needed and the database cannot change. Parquet keeps the column
types (timestamps stay UTC ``TIMESTAMPTZ``, ``mentions`` stays a list); CSV has a header
row and ISO dates.
"""

from __future__ import annotations

import logging
from pathlib import Path

import duckdb

from monitor import store
from monitor.errors import StoreError

log = logging.getLogger(__name__)

FORMATS = ("parquet", "csv")

# The views an analyst takes elsewhere (db/views.sql documents their columns).
VIEWS = (
    "statement_stances",
    "stance_daily",
    "stance_weekly",
    "actor_vs_baseline",
    "alert_evidence",
    "feed_health",
)


def _copy_options(fmt: str) -> str:
    if fmt == "parquet":
        return "(FORMAT parquet, COMPRESSION zstd)"
    if fmt == "csv":
        return "(FORMAT csv, HEADER true)"
    raise StoreError(f"unknown export format {fmt!r} (choose from {', '.join(FORMATS)})")


def _literal(path: Path) -> str:
    """``path`` as a SQL string literal (COPY takes no bound parameter for its file name)."""
    return "'" + str(path).replace("'", "''") + "'"


def copy_query(con: store.Connection, sql: str, out: str | Path, fmt: str) -> int:
    """Write the result of one SELECT to ``out``; returns the number of rows written."""
    options = _copy_options(fmt)
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    body = sql.strip().rstrip(";").strip()
    try:
        row = con.execute(f"COPY ({body}) TO {_literal(path)} {options}").fetchone()
    except duckdb.ParserException as exc:
        raise StoreError(f"only one SELECT query can be written to a {fmt} file ({str(exc).splitlines()[0]})") from None
    except duckdb.Error as exc:
        msg = str(exc).splitlines()[0]
        if "read-only" in msg.lower() or "read only" in msg.lower():
            msg = f"the database is opened read-only; queries cannot change it ({msg})"
        raise StoreError(msg) from None
    return int(row[0]) if row else 0


def query_to_file(target: str | Path, sql: str, out: str | Path, fmt: str = "parquet") -> int:
    """``monitor query --format parquet --out FILE``: one analyst query on a read-only connection."""
    con = store.connect(target, read_only=True)
    try:
        return copy_query(con, sql, out, fmt)
    finally:
        con.close()


def export_views(
    target: str | Path, out_dir: str | Path, fmt: str = "parquet", views: tuple[str, ...] = VIEWS
) -> dict[Path, int]:
    """Write each view to ``out_dir/<view>.<fmt>``; returns the rows written per file."""
    unknown = [v for v in views if v not in VIEWS]
    if unknown:
        raise StoreError(f"not an exported view: {unknown[0]!r} (choose from {', '.join(VIEWS)})")
    _copy_options(fmt)
    directory = Path(out_dir)
    con = store.connect(target, read_only=True)
    written: dict[Path, int] = {}
    try:
        con.execute("SET enable_progress_bar = false")
        for view in views:
            path = directory / f"{view}.{fmt}"
            written[path] = copy_query(con, f"SELECT * FROM {view}", path, fmt)
            log.debug("wrote %s (%d rows)", path, written[path])
    finally:
        con.close()
    return written
