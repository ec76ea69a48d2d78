"""Fetching against a real HTTP server on 127.0.0.1: every way a feed server misbehaves."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest

from monitor.config import Feed, HttpSettings
from monitor.ingest.fetch import fetch_feeds, fetch_url, imap_per_host, make_client, map_per_host
from monitor.ingest.parse import parse_feed
from tests.httpserver import FIXED_LAST_MODIFIED, SAMPLE_RSS, LocalServer

HTTP = HttpSettings(
    user_agent="stance-monitor-test/1 (+https://example.test/bot)",
    connect_timeout=1.0,
    read_timeout=0.5,
    retries=2,
    backoff_seconds=0.0,
    max_retry_after=5.0,
    max_bytes=200_000,
)


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    with make_client(HTTP) as c:
        yield c


def get(client: httpx.Client, server: LocalServer, path: str, http: HttpSettings = HTTP, **kw: str | None):
    return fetch_url(client, server.url(path), http, feed_id="t", **kw)  # type: ignore[arg-type]


def test_200_feed_carries_validators_and_body(client: httpx.Client, http_server: LocalServer) -> None:
    r = get(client, http_server, "/feeds/kremlin-atom.xml")
    assert (r.state, r.status, r.error_class, r.transient) == ("ok", 200, None, False)
    assert r.ok and r.etag and r.last_modified
    assert r.bytes == len(r.body) > 1000
    assert r.headers["content-type"] == "application/xml"
    sent = http_server.requests_to("/feeds/kremlin-atom.xml")[-1].headers
    assert sent["user-agent"] == HTTP.user_agent
    assert "application/atom+xml" in sent["accept"]
    assert r.started <= r.finished and r.started.tzinfo is not None


def test_conditional_get_gives_304_with_validators_kept(client: httpx.Client, http_server: LocalServer) -> None:
    first = get(client, http_server, "/not-modified/a")
    assert first.state == "ok" and first.etag == '"nm-v1"' and first.last_modified == FIXED_LAST_MODIFIED
    again = get(client, http_server, "/not-modified/a", etag=first.etag, last_modified=first.last_modified)
    assert (again.state, again.status, again.body, again.bytes) == ("not_modified", 304, b"", 0)
    assert (again.etag, again.last_modified) == (first.etag, first.last_modified)
    assert not again.ok
    sent = http_server.requests_to("/not-modified/a")[-1].headers
    assert sent["if-none-match"] == '"nm-v1"' and sent["if-modified-since"] == FIXED_LAST_MODIFIED


def test_last_modified_alone_and_stale_etag(client: httpx.Client, http_server: LocalServer) -> None:
    assert get(client, http_server, "/not-modified/b", last_modified=FIXED_LAST_MODIFIED).state == "not_modified"
    # If-None-Match wins over If-Modified-Since (RFC 9110): a changed ETag means a full answer.
    assert get(client, http_server, "/not-modified/b", etag='"old"', last_modified=FIXED_LAST_MODIFIED).state == "ok"
    static = get(client, http_server, "/feeds/ukgov-atom.xml")
    assert get(client, http_server, "/feeds/ukgov-atom.xml", etag=static.etag).state == "not_modified"


@pytest.mark.parametrize(("code", "state", "error_class"), [(404, "failed", "HTTP404"), (403, "blocked", "HTTP403"),
                                                             (401, "blocked", "HTTP401"), (410, "failed", "HTTP410")])
def test_client_errors_are_never_retried(client: httpx.Client, http_server: LocalServer, code: int, state: str,
                                         error_class: str) -> None:
    path = f"/status/{code}/never-retried"
    r = get(client, http_server, path)
    assert (r.state, r.status, r.error_class, r.transient) == (state, code, error_class, False)
    assert r.body == b"" and r.error
    assert len(http_server.requests_to(path)) == 1


def test_5xx_is_retried_then_recorded_as_transient(client: httpx.Client, http_server: LocalServer) -> None:
    r = get(client, http_server, "/status/500/always")
    assert (r.state, r.status, r.error_class, r.transient) == ("failed", 500, "HTTP500", True)
    assert len(http_server.requests_to("/status/500/always")) == HTTP.retries + 1


def test_flaky_server_recovers_within_retries(client: httpx.Client, http_server: LocalServer) -> None:
    r = get(client, http_server, "/flaky/recover?n=2&status=503")
    assert r.state == "ok" and r.body == SAMPLE_RSS.encode()
    assert len(http_server.requests_to("/flaky/recover")) == 3


def test_429_waits_for_retry_after(client: httpx.Client, http_server: LocalServer) -> None:
    t0 = time.monotonic()
    r = get(client, http_server, "/retry-after/wait?seconds=1")
    assert r.state == "ok" and r.status == 200
    assert time.monotonic() - t0 >= 0.9
    hits = http_server.requests_to("/retry-after/wait")
    assert len(hits) == 2 and hits[1].start - hits[0].start >= 0.9


def test_429_with_too_long_retry_after_gives_up_politely(client: httpx.Client, http_server: LocalServer) -> None:
    t0 = time.monotonic()
    r = get(client, http_server, "/retry-after/long?seconds=3600")
    assert (r.state, r.status, r.error_class, r.transient) == ("failed", 429, "HTTP429", True)
    assert "Retry-After" in (r.error or "")
    assert time.monotonic() - t0 < 1 and len(http_server.requests_to("/retry-after/long")) == 1


def test_slow_server_times_out(client: httpx.Client, http_server: LocalServer) -> None:
    http = HTTP.model_copy(update={"retries": 0})
    t0 = time.monotonic()
    r = get(client, http_server, "/slow?seconds=2", http)
    assert (r.state, r.error_class, r.transient, r.status) == ("failed", "Timeout", True, None)
    assert time.monotonic() - t0 < 1.5


def test_redirects(client: httpx.Client, http_server: LocalServer) -> None:
    loop = get(client, http_server, "/redirect-loop/a")
    assert (loop.state, loop.error_class, loop.transient) == ("failed", "TooManyRedirects", False)
    assert len(http_server.requests_to("/redirect-loop/a")) + len(http_server.requests_to("/redirect-loop/b")) <= 10
    one = get(client, http_server, "/redirect?to=/feeds/pangea-rss.xml")
    assert one.state == "ok" and b"azatutyun" in one.body


def test_oversized_body_is_cut_and_recorded(client: httpx.Client, http_server: LocalServer) -> None:
    r = get(client, http_server, "/oversized?bytes=3000000")
    assert (r.state, r.error_class) == ("truncated", "TooLarge")
    assert r.ok and r.bytes == len(r.body) == HTTP.max_bytes
    parsed = parse_feed(Feed(id="huge", url="http://127.0.0.1/"), r)
    assert parsed.state == "ok" and len(parsed.items) > 10  # the leading entries survive


def test_gzip_bomb_is_stopped_early(client: httpx.Client, http_server: LocalServer) -> None:
    t0 = time.monotonic()
    r = get(client, http_server, "/gzip-bomb")
    assert (r.state, r.error_class, r.body) == ("failed", "DecompressionBomb", b"")
    assert time.monotonic() - t0 < 5


@pytest.mark.parametrize("path", ["/gzip", "/deflate"])
def test_compressed_feeds_are_inflated(client: httpx.Client, http_server: LocalServer, path: str) -> None:
    r = get(client, http_server, path)
    assert r.state == "ok" and r.body == SAMPLE_RSS.encode()
    assert http_server.requests_to(path)[-1].headers["accept-encoding"] == "gzip, deflate"


def test_html_instead_of_feed_is_fetched_then_refused_by_the_parser(client: httpx.Client,
                                                                    http_server: LocalServer) -> None:
    r = get(client, http_server, "/html")
    assert r.state == "ok"
    parsed = parse_feed(Feed(id="landing", url=r.url), r)
    assert parsed.state == "not_a_feed" and parsed.items == ()


@pytest.mark.parametrize("status", [200, 403, 503])
def test_bot_wall_is_blocked_and_not_retried(client: httpx.Client, http_server: LocalServer, status: int) -> None:
    r = get(client, http_server, f"/botwall?status={status}")
    assert (r.state, r.error_class, r.transient) == ("blocked", "BotWall", False)
    assert len([q for q in http_server.requests_to("/botwall") if q.query == f"status={status}"]) == 1


def test_empty_body(client: httpx.Client, http_server: LocalServer) -> None:
    r = get(client, http_server, "/empty")
    assert (r.state, r.status, r.error_class, r.bytes) == ("empty", 200, "EmptyBody", 0)


@pytest.mark.parametrize("variant", ["cp1251-as-utf8", "utf8-as-cp1251"])
def test_wrong_declared_charset_still_reads_cyrillic(client: httpx.Client, http_server: LocalServer,
                                                     variant: str) -> None:
    r = get(client, http_server, f"/wrong-charset?variant={variant}")
    assert r.state == "ok"
    parsed = parse_feed(Feed(id="ru", url=r.url, language="ru"), r)
    assert parsed.state == "ok" and parsed.bozo
    assert parsed.items[0].title == "Ереван и Баку продолжат переговоры"


def test_connection_refused_is_transient_failure() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again before the request: nothing listens there
    http = HTTP.model_copy(update={"retries": 1})
    with make_client(http) as c:
        r = fetch_url(c, f"http://127.0.0.1:{port}/feed", http)
    assert (r.state, r.error_class, r.transient, r.status) == ("failed", "ConnectError", True, None)


def test_invalid_url_is_a_failure_not_an_exception(client: httpx.Client) -> None:
    r = fetch_url(client, "ftp://127.0.0.1/feed", HTTP)
    assert (r.state, r.error_class, r.transient) == ("failed", "InvalidURL", False)


def test_fetch_feeds_isolates_failures_and_keeps_order(http_server: LocalServer) -> None:
    paths = ["/feeds/rt-rss.xml", "/status/404/mixed", "/slow?seconds=3", "/html", "/empty", "/botwall",
             "/redirect-loop/a", "/feeds/wordpress-rss.xml"]
    feeds = [Feed(id=f"f{i}", url=http_server.url(p)) for i, p in enumerate(paths)]
    http = HTTP.model_copy(update={"retries": 0, "per_host_concurrency": 4})
    results = fetch_feeds(feeds, http, {})
    assert [r.feed_id for r in results] == [f.id for f in feeds]
    assert [r.state for r in results] == ["ok", "failed", "failed", "ok", "empty", "blocked", "failed", "ok"]


def test_fetch_feeds_uses_stored_validators(http_server: LocalServer) -> None:
    feed = Feed(id="nm", url=http_server.url("/not-modified/validators"))
    [first] = fetch_feeds([feed], HTTP)
    [second] = fetch_feeds([feed], HTTP, {"nm": (first.etag, first.last_modified)})
    assert (first.state, second.state) == ("ok", "not_modified")


def test_fetch_feeds_respects_the_per_host_limit(http_server: LocalServer) -> None:
    feeds = [Feed(id=f"s{i}", url=http_server.url(f"/slow?seconds=0.2&n={i}")) for i in range(8)]
    http = HTTP.model_copy(update={"per_host_concurrency": 2, "max_concurrency": 16, "read_timeout": 2.0})
    http_server.clear()
    t0 = time.monotonic()
    results = fetch_feeds(feeds, http)
    elapsed = time.monotonic() - t0
    assert all(r.state == "ok" for r in results)
    assert http_server.max_concurrent(lambda r: r.path == "/slow") == 2
    assert 0.75 <= elapsed < 2.5  # 8 requests, 2 at a time, 0.2 s each


def test_map_per_host_interleaves_hosts_and_bounds_each() -> None:
    http = HTTP.model_copy(update={"per_host_concurrency": 2, "max_concurrency": 6})
    urls = [f"http://host{i % 3}.test/feed/{i}" for i in range(18)]
    lock = threading.Lock()
    running: dict[str, int] = {}
    peak: dict[str, int] = {}
    overall_peak = [0]

    def work(i: int) -> int:
        host = urls[i].split("/")[2]
        with lock:
            running[host] = running.get(host, 0) + 1
            peak[host] = max(peak.get(host, 0), running[host])
            overall_peak[0] = max(overall_peak[0], sum(running.values()))
        time.sleep(0.02)
        with lock:
            running[host] -= 1
        return i * 10

    assert map_per_host(urls, work, http) == [i * 10 for i in range(18)]
    assert peak == {"host0.test": 2, "host1.test": 2, "host2.test": 2}
    assert overall_peak[0] == 6


def test_imap_per_host_streams_results_and_stops_when_the_consumer_stops() -> None:
    """Results arrive as each call ends (not in input order), and closing the iterator early
    lets the running calls finish but starts no new ones."""
    http = HttpSettings(max_concurrency=2, per_host_concurrency=1)
    urls = [f"http://host{i % 2}.test/{i}" for i in range(20)]
    started: list[int] = []

    def work(i: int) -> int:
        started.append(i)
        time.sleep(0.2 if i == 0 else 0.01)  # the first URL is slow: others overtake it
        return i

    stream = imap_per_host(urls, work, http)
    first = [next(stream)[0] for _ in range(3)]
    assert 0 not in first  # not held back behind the slow first call
    stream.close()
    assert len(started) < len(urls)  # the lanes took no new work after the close
    assert sorted(i for i, _ in imap_per_host(urls[:6], work, http)) == list(range(6))
