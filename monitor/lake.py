"""DuckLake: the store shared by several workers and analysts, and the SQL dialect it needs.

A ``ducklake:`` target is a DuckLake catalog (PostgreSQL, SQLite or a DuckDB file) with its
Parquet data under a data path, written by any number of processes at once. It needs the
``lake`` extra (``pip install '.[lake]'``): no DuckLake build exists for DuckDB 2.x, so the
extra pins DuckDB 1.5.5 and the extension wheels built for it, which are loaded from disk by
path (never installed from the network)::

    ducklake:postgres:dbname=monitor host=db1 user=monitor?data_path=/shared/lake/
    ducklake:sqlite:/srv/monitor/catalog.sqlite?data_path=/srv/monitor/lake/
    ducklake:/srv/monitor/catalog.ducklake         (data next to it in catalog.ducklake.files/)

``?data_path=`` is needed only when the catalog is created; DuckLake records it. DuckLake has
no primary keys or unique constraints, so ``monitor.store`` writes there with ``MERGE`` on the
natural key (:func:`merge`), and every write transaction first bumps the one row of
``lake_writes`` (:data:`GUARD`): two transactions that overlap in time then conflict, one fails
to commit, and ``store`` runs it again, when its ``MERGE`` sees the other's rows. So writes
are serialisable and each key is stored once even when two workers write the same rows.
"""

from __future__ import annotations

import functools
import importlib.metadata
import os
import re
import shutil
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import duckdb

from monitor.errors import StoreError

ALIAS = "monitor_lake"
# the wheels name two files after the extension ("sqlite"), DuckDB wants the entry point's name
EXTENSIONS = {"ducklake": "duckdb-extension-ducklake", "sqlite_scanner": "duckdb-extension-sqlite",
              "postgres_scanner": "duckdb-extension-postgres"}
GUARD = "UPDATE lake_writes SET n = n + 1"


def is_target(target: str) -> bool:
    return target.startswith("ducklake:")


def is_lake(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether ``con`` writes a DuckLake catalog opened by :func:`attach`."""
    return con.execute("SELECT current_database()").fetchall() == [(ALIAS,)]


@functools.cache
def extension_file(name: str) -> Path:
    """The installed wheel's extension file, under the file name its entry point needs."""
    dist = EXTENSIONS[name]
    try:
        files = importlib.metadata.files(dist) or []
    except importlib.metadata.PackageNotFoundError:
        raise StoreError(f"DuckLake needs the lake extra (pip install '.[lake]'): {dist} is not installed") from None
    found = [f for f in files if str(f).endswith(".duckdb_extension")]
    if not found or duckdb.__version__ not in str(found[0]):
        raise StoreError(f"{dist} holds no extension for DuckDB {duckdb.__version__} (install the lake extra's pins)")
    src = Path(str(found[0].locate()))
    if src.name == f"{name}.duckdb_extension":
        return src
    # a private copy under the right name, per user and DuckDB version
    cache = Path(tempfile.gettempdir()) / f"monitor-duckdb-extensions-{os.getuid()}-{duckdb.__version__}"
    cache.mkdir(mode=0o700, exist_ok=True)
    dst = cache / f"{name}.duckdb_extension"
    if not dst.exists() or dst.stat().st_size != src.stat().st_size:
        tmp = cache / f"{dst.name}.tmp-{os.getpid()}"
        shutil.copyfile(src, tmp)
        os.replace(tmp, dst)
    return dst


def attach(con: duckdb.DuckDBPyConnection, target: str, *, read_only: bool = False) -> None:
    """Load the extensions ``target`` needs from disk, attach it as :data:`ALIAS` and use it."""
    metadata, _, data_path = target.partition("?data_path=")
    needed = ["ducklake"] + [n for n, kind in (("sqlite_scanner", ":sqlite:"), ("postgres_scanner", ":postgres:"))
                             if metadata.startswith(f"ducklake{kind}")]
    con.execute("SET autoinstall_known_extensions = false")
    con.execute("SET autoload_known_extensions = false")
    for name in needed:
        con.execute(f"LOAD '{_quote(str(extension_file(name)))}'")
    options = [f"DATA_PATH '{_quote(data_path)}'"] if data_path else []
    options += ["READ_ONLY"] if read_only else []
    sql = f"ATTACH '{_quote(metadata)}' AS {ALIAS}" + (f" ({', '.join(options)})" if options else "")
    for attempt in range(1, 6):
        try:
            con.execute(sql)
            break
        except duckdb.Error as exc:  # two workers creating the catalog at once: the loser attaches the winner's
            if "Failed to initialize DuckLake" not in str(exc) or attempt == 5:
                raise
            time.sleep(0.5 * attempt)
    con.execute(f"USE {ALIAS}")
    if not read_only:
        con.execute("CREATE TABLE IF NOT EXISTS lake_writes (n BIGINT NOT NULL)")
        con.execute("INSERT INTO lake_writes SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM lake_writes)")


def ddl(sql: str) -> str:
    """A migration's SQL without what DuckLake does not have: primary keys (the natural keys stay
    documented in the file DuckDB reads; ``store`` writes them with :func:`merge`)."""
    sql = re.sub(r",\s*PRIMARY KEY\s*\([^)]*\)", "", sql, flags=re.I)
    return re.sub(r"\s+PRIMARY KEY\b", "", sql, flags=re.I)


def views(sql: str) -> str:
    """``db/views.sql`` without its column comments, which DuckLake keeps for tables only."""
    return re.sub(r"COMMENT ON COLUMN [^;']*IS '(?:[^']|'')*';", "", sql, flags=re.I)


_CONFLICT = re.compile(r"^\s*ON CONFLICT\s*(?:\(([^)]*)\))?\s*DO\s+(NOTHING|UPDATE SET\s+(.*))$", re.I | re.S)


def merge(table: str, columns: Sequence[str], source: str, on_conflict: str, keys: Sequence[str]) -> str:
    """The ``MERGE`` that does on DuckLake what ``INSERT INTO table (columns) source on_conflict`` does
    on a DuckDB file. ``source`` is a ``SELECT`` of ``columns`` in order; in an ``UPDATE SET`` clause
    ``excluded.c`` is the incoming value and ``table.c`` the stored one, as in DuckDB's upsert."""
    m = _CONFLICT.match(on_conflict)
    if not m:
        raise StoreError(f"cannot translate for DuckLake: {on_conflict!r}")
    key = [k.strip() for k in m.group(1).split(",")] if m.group(1) else list(keys)
    names = ", ".join(columns)
    on = " AND ".join(f"{table}.{k} = excluded.{k}" for k in key)
    sql = f"MERGE INTO {table} USING (SELECT * FROM ({source}) AS s({names})) AS excluded ON {on} "
    if m.group(3):
        sql += f"WHEN MATCHED THEN UPDATE SET {m.group(3)} "
    return sql + f"WHEN NOT MATCHED THEN INSERT ({names}) VALUES ({', '.join(f'excluded.{c}' for c in columns)})"


def is_conflict(exc: BaseException) -> bool:
    """A DuckLake commit that lost to a concurrent one (run the transaction again)."""
    return isinstance(exc, duckdb.TransactionException) and "conflict" in str(exc).lower()


def _quote(value: str) -> str:
    return value.replace("'", "''")
