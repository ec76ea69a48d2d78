"""The DuckDB store: migrations, documentation, idempotent upserts, atomic stages, read-only queries."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from monitor import store
from monitor.errors import StoreError
from monitor.records import FetchResult, Item


def test_migrations_are_recorded_once(tmp_path: Path) -> None:
    db = tmp_path / "m.duckdb"
    con = store.connect(db)
    first = con.execute("SELECT version, name FROM schema_migrations").fetchall()
    con.close()
    con = store.connect(db)
    assert store.migrate(con) == []
    assert con.execute("SELECT version, name FROM schema_migrations").fetchall() == first
    assert first[0] == (1, "initial")


def test_every_column_is_documented(tmp_path: Path) -> None:
    con = store.connect(tmp_path / "m.duckdb")
    missing = con.execute(
        """SELECT table_name, column_name FROM duckdb_columns()
           WHERE database_name = current_database() AND schema_name = 'main' AND NOT internal
             AND table_name NOT IN ('schema_migrations') AND table_name IN (SELECT table_name FROM duckdb_tables())
             AND (comment IS NULL OR comment = '')"""
    ).fetchall()
    assert missing == []


def _fetch(feed: str = "f1") -> FetchResult:
    now = datetime.now(UTC)
    return FetchResult(feed, "http://example.test/feed", now, now, "ok", status=200, etag='"v1"')


def _item(guid: str, url: str, text: str, feed: str = "f1") -> Item:
    return Item(feed, guid, url, "title", datetime(2026, 5, 1, tzinfo=UTC), text)


def test_items_dedup_by_guid_canonical_url_and_content(tmp_path: Path) -> None:
    con = store.connect(tmp_path / "m.duckdb")
    a = _item("g1", "http://x.test/a", "First story text.")
    assert store.record_fetch(con, _fetch(), [a]) == (1, 0)
    same_guid = _item("g1", "http://x.test/a?utm_source=rss", "First story text, edited.")
    same_url = _item("g2", "http://x.test/a", "Another text.")
    same_text = _item("g3", "http://x.test/c", "first   STORY text.")
    fresh = _item("g4", "http://x.test/d", "A different story.")
    new, seen = store.record_fetch(con, _fetch(), [same_guid, same_url, same_text, fresh],
                                   canonical={same_url.key(): "http://x.test/a"})
    assert (new, seen) == (1, 3)
    assert sorted(r[0] for r in con.execute("SELECT guid FROM items").fetchall()) == ["g1", "g4"]
    # a copy in another feed is stored (and linked as a copy by the item_copies view)
    store.record_fetch(con, _fetch("f2"), [_item("x", "http://y.test/a", "First story text.", feed="f2")])
    copies = con.execute("SELECT feed_id, original_feed_id FROM item_copies WHERE is_copy").fetchall()
    assert copies == [("f2", "f1")]


def test_a_failed_stage_writes_nothing(tmp_path: Path) -> None:
    con = store.connect(tmp_path / "m.duckdb")
    with pytest.raises(RuntimeError), store.transaction(con):
        con.execute("INSERT INTO labels VALUES ('s', 'favor', 'EU', NULL, NULL, now())")
        raise RuntimeError("crash mid-stage")
    assert con.execute("SELECT count(*) FROM labels").fetchone() == (0,)


def test_feed_states_track_validators_and_failure_streaks(tmp_path: Path) -> None:
    con = store.connect(tmp_path / "m.duckdb")
    store.record_fetch(con, _fetch(), [])
    for i in range(3):
        now = datetime(2030, 1, 1, i, tzinfo=UTC)
        store.record_fetch(con, FetchResult("f1", "u", now, now, "failed", error_class="Timeout", error="t", transient=True), [])
    st = store.feed_states(con)["f1"]
    assert st.etag == '"v1"' and st.consecutive_failures == 3


def test_query_is_read_only(tmp_path: Path) -> None:
    db = tmp_path / "m.duckdb"
    con = store.connect(db)
    store.record_fetch(con, _fetch(), [_item("g1", "http://x.test/a", "Text.")])
    con.close()
    with pytest.raises(StoreError, match="read-only"):
        store.query(db, "delete from items")
    assert store.query(db, "select count(*) as n from items") == (["n"], [(1,)])
    with pytest.raises(StoreError, match="database not found"):
        store.query(tmp_path / "missing.duckdb", "select 1")
