"""The analyst snapshot: a published copy of the database, so readers never block the writer or wait for it.

A DuckDB file has one writer process and, while it writes, no other process can open it,
not even read-only; a read-only session in turn stops the next writer ("Could not set lock
on file"). So the writer keeps its file to itself and, at the end of each completed unit of
work (a run, a label, a migration), still holding the writer lock, publishes a snapshot next
to it: checkpoint, copy the file to a temporary name in the same directory, fsync, rename it
over the previous snapshot. A rename never waits for readers: a session already open keeps
the snapshot it opened (its inode), a new one opens the newest. Analysts therefore see the
data of the last completed run, never half of one.

    db/monitor.duckdb            the writer's file: `monitor run`, `label`, `ack`, `migrate`, ...
    db/monitor.analyst.duckdb    the snapshot: `monitor query`, `report`, `export`, `duckdb -readonly`

A target that is not a local file (DuckLake, MotherDuck, ``:memory:``) serves readers during
writes itself: it is its own analyst target and nothing is published.
"""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from monitor import store
from monitor.errors import StoreError

log = logging.getLogger(__name__)

MARK = ".analyst"  # db/NAME.duckdb publishes db/NAME.analyst.duckdb


def is_snapshot(target: str | Path) -> bool:
    return store.is_local_file(target) and Path(target).stem.endswith(MARK)


def analyst_path(target: str | Path) -> str:
    """Where analysts read ``target``: the snapshot next to a local file, else ``target`` itself."""
    if not store.is_local_file(target) or is_snapshot(target):
        return str(target)
    path = Path(target)
    return str(path.with_name(f"{path.stem}{MARK}{path.suffix or '.duckdb'}"))


def reader_target(target: str | Path) -> str:
    """:func:`analyst_path` of ``target``, which must exist: what `monitor query`, `report` and `export` open."""
    snap = analyst_path(target)
    if store.is_local_file(snap) and not Path(snap).exists():
        if Path(target).exists() and snap != str(target):
            raise StoreError(f"{snap}: no analyst snapshot of {target} yet; one is published when a run completes, "
                             f"or now with `monitor migrate --db {target}`")
        raise StoreError(f"{target}: database not found (run `monitor run` or `monitor demo` first)")
    return snap


def publish(target: str | Path, reason: str) -> Path | None:
    """Publish the analyst snapshot of the local database ``target``; the caller holds its writer lock.

    Returns the snapshot's path (None for a target that is not a local file).
    """
    if not store.is_local_file(target):
        return None
    src, dst = Path(target), Path(analyst_path(target))
    con = store.connect(src)
    try:
        store.record_publication(con, reason)
    finally:
        con.close()
    wal = Path(f"{src}.wal")
    if wal.exists() and wal.stat().st_size:
        raise StoreError(f"{src}: the write-ahead log is not empty after a checkpoint; no snapshot published")
    for stale in dst.parent.glob(f"{dst.name}.tmp-*"):  # left by a publisher killed mid-copy
        stale.unlink(missing_ok=True)
    tmp = dst.with_name(f"{dst.name}.tmp-{os.getpid()}")
    try:
        shutil.copyfile(src, tmp)
        with tmp.open("rb") as f:
            os.fsync(f.fileno())
        tmp.chmod(0o444)  # a snapshot is read, never written: its next version replaces it
        os.replace(tmp, dst)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    directory = os.open(dst.parent, os.O_RDONLY)
    try:
        os.fsync(directory)  # the rename itself survives a power cut
    finally:
        os.close(directory)
    log.info("published %s (%s)", dst, reason)
    return dst


@contextmanager
def writing(target: str | Path, reason: str) -> Iterator[None]:
    """Hold the writer lock for one unit of work and publish the snapshot once it completed.

    Raises :class:`monitor.store.RunInProgress` while another process writes. Work that fails
    publishes nothing: analysts keep the last completed snapshot.
    """
    if is_snapshot(target):
        raise StoreError(f"{target} is an analyst snapshot (read-only); write to the database it is published from")
    with store.writer_lock(target):
        yield
        publish(target, reason)


def age(con: store.Connection, now: datetime | None = None) -> str | None:
    """"snapshot published at ... (N min ago, after run)" for the snapshot ``con`` reads, None if unknown."""
    last = store.last_publication(con)
    if last is None:
        return None
    at, reason = last
    minutes = max(0, int(((now or datetime.now(UTC)) - at).total_seconds() // 60))
    ago = f"{minutes} min" if minutes < 120 else f"{minutes // 60} h"
    return f"snapshot published {at:%Y-%m-%d %H:%M:%S} UTC ({ago} ago, after {reason})"
