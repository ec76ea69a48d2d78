"""Full text from article pages, fetched from the local server and extracted with trafilatura."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import httpx
import pytest

from monitor.config import Feed, HttpSettings
from monitor.ingest.fetch import fetch_url, make_client
from monitor.ingest.fulltext import _known_container_text, extract_main_text, fill_full_text, needs_full_text
from monitor.ingest.parse import parse_feed
from monitor.records import Item
from tests.httpserver import FIXTURES, LocalServer

HTTP = HttpSettings(connect_timeout=1.0, read_timeout=2.0, retries=0)


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    with make_client(HTTP) as c:
        yield c


def wire_items(client: httpx.Client, server: LocalServer, mode: str = "auto") -> tuple[Feed, list[Item]]:
    feed = Feed(id="wire", url=server.url("/feeds/summary-only-wire-rss.xml"), full_text=mode)  # type: ignore[arg-type]
    parsed = parse_feed(feed, fetch_url(client, feed.url, HTTP, feed_id=feed.id))
    assert parsed.state == "ok"
    return feed, list(parsed.items)


def item(summary: str, full_text: str = "", url: str = "https://wire.test/a/1") -> Item:
    return Item("f", "g", url, "Title", None, summary, full_text)


@pytest.mark.parametrize(("mode", "it", "expected"), [
    ("never", item("short"), False),
    ("always", item("x" * 2000), True),
    ("always", item("short", full_text="the feed already had it"), False),
    ("auto", item("One sentence from the wire."), True),
    ("auto", item("x" * 500), False),
    ("auto", item("x" * 500 + " [\u2026]"), True),
    ("auto", item("x" * 500 + "..."), True),
    ("auto", item("x" * 500 + " Read more"), True),
    ("auto", item("short", url=""), False),
    ("auto", item("short", url="urn:uuid:1234"), False),
])
def test_needs_full_text(mode: str, it: Item, expected: bool) -> None:
    assert needs_full_text(Feed(id="f", url="https://wire.test/rss", full_text=mode), it) is expected  # type: ignore[arg-type]


def test_summary_only_items_get_the_article_text(client: httpx.Client, http_server: LocalServer) -> None:
    feed, items = wire_items(client, http_server)
    filled, pages = fill_full_text(client, HTTP, feed, items)
    assert pages == 2 and len(filled) == 2
    first, second = filled
    assert first.full_text.startswith("The spokesperson of the Ministry of Foreign Affairs told journalists")
    assert "no outside mediator is needed" in first.full_text and first.full_text.count("\n\n") == 2
    for junk in ("Home", "Related news", "Border commission meets again", "All rights reserved", "Share on"):
        assert junk not in first.full_text
    assert second.full_text.startswith("Foreign Minister Ararat Mirzoyan will travel to Brussels")
    assert "cookies" not in second.full_text and "Terms of use" not in second.full_text
    assert first.summary == items[0].summary and first.text == first.full_text
    assert first.key() == items[0].key()  # same item, richer text


def test_page_failures_keep_the_summary(client: httpx.Client, http_server: LocalServer) -> None:
    feed, items = wire_items(client, http_server, "always")
    broken = [replace(items[0], url=http_server.url("/status/404/page")),
              replace(items[1], url=http_server.url("/botwall"))]
    filled, pages = fill_full_text(client, HTTP, feed, broken)
    assert pages == 2 and filled == broken


def test_known_items_and_never_mode_fetch_nothing(client: httpx.Client, http_server: LocalServer) -> None:
    feed, items = wire_items(client, http_server)
    http_server.clear()
    assert fill_full_text(client, HTTP, feed, items, known={i.key() for i in items}) == (items, 0)
    assert fill_full_text(client, HTTP, feed.model_copy(update={"full_text": "never"}), items) == (items, 0)
    assert not [r for r in http_server.requests if r.path.startswith("/pages/")]


def test_pages_of_one_feed_are_fetched_concurrently_within_the_host_limit(client: httpx.Client,
                                                                          http_server: LocalServer) -> None:
    feed, items = wire_items(client, http_server, "always")
    slow = [replace(items[0], guid=f"g{i}", url=http_server.url(f"/slow?seconds=0.2&page={i}")) for i in range(4)]
    http_server.clear()
    _, pages = fill_full_text(client, HTTP, feed, slow)
    assert pages == 4
    assert http_server.max_concurrent(lambda r: r.path == "/slow") == HTTP.per_host_concurrency


def test_known_structure_fallback() -> None:
    markup = (FIXTURES / "pages" / "known-structure.html").read_text(encoding="utf-8")
    expected = "The ministry confirmed the talks will continue next week in Almaty."
    assert _known_container_text(markup) == expected
    assert extract_main_text(markup, "https://wire.test/a") == expected
    assert extract_main_text("<html><body></body></html>") == ""
