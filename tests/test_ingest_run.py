"""Acceptance for ingestion: a config whose feeds point at a local misbehaving server, ingested
twice into a real DuckDB file. Every feed gets a ``fetches`` row with the right state, good
feeds' items are all stored, and the second run adds nothing."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from monitor import config, pipeline, store
from tests.httpserver import FIXTURES, LocalServer, serve

ROOT = Path(__file__).resolve().parent.parent

# feed id: (path on the server, extra feed settings, state of run 1, state of run 2, items stored)
NEVER = {"full_text": "never"}
FEEDS: dict[str, tuple[str, dict[str, str], str, str, int]] = {
    "kremlin": ("/feeds/kremlin-atom.xml", {"kind": "government", "actor": "RU", **NEVER}, "ok", "not_modified", 3),
    "rt": ("/feeds/rt-rss.xml", NEVER, "ok", "not_modified", 2),
    "wordpress": ("/feeds/wordpress-rss.xml", {}, "ok", "not_modified", 2),
    "arminfo": ("/feeds/arminfo-rss.xml", NEVER, "ok", "not_modified", 2),
    "turkish": ("/feeds/turkish-dates-rss.xml", {"language": "tr", **NEVER}, "ok", "not_modified", 3),
    "wire": ("/feeds/summary-only-wire-rss.xml", {"full_text": "auto"}, "ok", "not_modified", 2),
    "synd-a": ("/feeds/syndicated-a-rss.xml", NEVER, "ok", "not_modified", 1),
    "synd-b": ("/feeds/syndicated-b-rss.xml", NEVER, "ok", "not_modified", 1),
    "koi8r": ("/feeds/koi8r-rss.xml", {"language": "ru", **NEVER}, "ok", "not_modified", 2),
    "missing-dates": ("/feeds/missing-dates-rss.xml", NEVER, "ok", "not_modified", 2),
    "stale": ("/feeds/stale-rss.xml", NEVER, "ok", "not_modified", 2),
    "recoverable": ("/feeds/illformed-recoverable-rss.xml", NEVER, "ok", "not_modified", 2),
    "conditional": ("/not-modified/ingest", NEVER, "ok", "not_modified", 2),
    "gzip": ("/gzip", NEVER, "ok", "ok", 2),  # no validators: fetched again, same hashes
    "rate-limited": ("/retry-after/ingest?seconds=1", NEVER, "ok", "ok", 2),
    "charset": ("/wrong-charset", {"language": "ru", **NEVER}, "ok", "ok", 1),
    "huge": ("/oversized?bytes=3000000", NEVER, "truncated", "truncated", 1),
    "empty-channel": ("/feeds/empty-channel-rss.xml", {}, "empty", "not_modified", 0),
    "empty-body": ("/empty", {}, "empty", "empty", 0),
    "landing": ("/feeds/html-landing.xml", {}, "not_a_feed", "not_a_feed", 0),
    "broken": ("/feeds/illformed-broken-rss.xml", {}, "malformed", "malformed", 0),
    "gone": ("/status/404/feed", {}, "failed", "failed", 0),
    "forbidden": ("/status/403/feed", {}, "blocked", "blocked", 0),
    "botwall": ("/botwall", {}, "blocked", "blocked", 0),
    "broken-server": ("/status/500/feed", {}, "failed", "failed", 0),
    "slow": ("/slow?seconds=3", {}, "failed", "failed", 0),
    "loop": ("/redirect-loop/a", {}, "failed", "failed", 0),
    "bomb": ("/gzip-bomb", {}, "failed", "failed", 0),
}
ERROR_CLASS = {"gone": "HTTP404", "forbidden": "HTTP403", "botwall": "BotWall", "broken-server": "HTTP500",
               "slow": "Timeout", "loop": "TooManyRedirects", "bomb": "DecompressionBomb", "landing": "NotAFeed",
               "broken": "MalformedFeed", "huge": "TooLarge", "empty-body": "EmptyBody"}


@pytest.fixture(scope="module")
def server() -> Iterator[LocalServer]:
    with serve(FIXTURES) as s:  # a private server: the request counters of its routes start at zero
        yield s


@pytest.fixture
def config_dir(tmp_path: Path, server: LocalServer) -> Path:
    cfg = tmp_path / "config"
    cfg.mkdir()
    for name in ("actors.yaml", "baselines.yaml"):
        shutil.copy(ROOT / "config" / name, cfg / name)
    feeds = [{"id": fid, "url": server.url(path), "title": fid, **extra} for fid, (path, extra, *_) in FEEDS.items()]
    (cfg / "feeds.yaml").write_text(yaml.safe_dump({"feeds": feeds}, sort_keys=False), encoding="utf-8")
    http = {"connect_timeout": 1.0, "read_timeout": 0.5, "retries": 1, "backoff_seconds": 0.0, "max_bytes": 200_000,
            "max_retry_after": 5.0, "per_host_concurrency": 8}
    (cfg / "settings.yaml").write_text(yaml.safe_dump({"http": http}), encoding="utf-8")
    return cfg


def fetch_states(con: store.Connection, run: int) -> dict[str, tuple[str, str | None, int]]:
    rows = con.execute(
        """SELECT feed_id, state, error_class, items_new,
                  row_number() OVER (PARTITION BY feed_id ORDER BY started) AS n FROM fetches"""
    ).fetchall()
    return {r[0]: (r[1], r[2], r[3]) for r in rows if r[4] == run}


@pytest.mark.usefixtures("no_network")
def test_two_ingest_runs(config_dir: Path, tmp_path: Path) -> None:
    settings = config.load(config_dir)
    con = store.connect(tmp_path / "monitor.duckdb")
    try:
        first = pipeline.ingest(settings, con)
        states = fetch_states(con, 1)
        assert {fid: s[0] for fid, s in states.items()} == {fid: f[2] for fid, f in FEEDS.items()}
        assert {fid: s[1] for fid, s in states.items() if s[1]} == ERROR_CLASS
        assert first.feeds == len(FEEDS) and sum(first.states.values()) == len(FEEDS)

        stored = dict(con.execute("SELECT feed_id, count(*) FROM items GROUP BY feed_id").fetchall())
        expected = {fid: f[4] for fid, f in FEEDS.items() if f[4]}
        assert stored == expected
        assert first.items_new == sum(expected.values())

        wire = dict(con.execute("SELECT guid, full_text FROM items WHERE feed_id = 'wire'").fetchall())
        assert wire["wire-2026-06-05-1"].startswith("The spokesperson of the Ministry of Foreign Affairs")
        missing = con.execute("SELECT DISTINCT date_status FROM items WHERE feed_id = 'missing-dates'").fetchall()
        assert missing == [("missing",)]
        assert con.execute("SELECT count(*) FROM items WHERE published IS NULL AND date_status = 'ok'").fetchone() == (0,)
        copy = con.execute("SELECT original_feed_id FROM item_copies WHERE feed_id = 'synd-b' AND is_copy").fetchall()
        assert copy == [("synd-a",)]

        items_before = con.execute("SELECT * FROM items ORDER BY id").fetchall()
        second = pipeline.ingest(settings, con)
        states2 = fetch_states(con, 2)
        assert {fid: s[0] for fid, s in states2.items()} == {fid: f[3] for fid, f in FEEDS.items()}
        assert second.items_new == 0 and all(s[2] == 0 for s in states2.values())
        assert con.execute("SELECT * FROM items ORDER BY id").fetchall() == items_before
        seen = dict(con.execute(
            "SELECT feed_id, items_seen FROM fetches WHERE state = 'ok' AND items_seen > 0").fetchall())
        assert seen == {"gzip": 2, "rate-limited": 2, "charset": 1}  # refetched without validators: same hashes

        health = dict(con.execute("SELECT feed_id, health FROM feed_health").fetchall())
        # the fixtures' newest items are from June 2026: "ok" within 14 days of that, "stale" after
        kremlin_age = datetime.now(UTC) - datetime(2026, 6, 5, 9, 30, tzinfo=UTC)
        assert health["kremlin"] == ("stale" if kremlin_age > timedelta(days=14) else "ok")
        assert health["stale"] == "stale"
        assert (health["landing"], health["forbidden"], health["gone"], health["broken"]) == (
            "not-a-feed", "blocked", "failing", "failing")
        fails = dict(con.execute("SELECT feed_id, consecutive_failures FROM feed_health").fetchall())
        assert (fails["gone"], fails["kremlin"]) == (2, 0)
    finally:
        con.close()
