"""Parsing the fixture corpus (one file per shape in FEEDS.md section 2), served over real HTTP.

Each fixture in ``tests/fixtures/feeds/`` says in its header comment what it tests; the table
below pins what the parser must make of it. A new case is a new file plus a row here.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monitor.config import Feed, HttpSettings
from monitor.ingest.fetch import fetch_url, make_client
from monitor.ingest.parse import ParsedFeed, canonical_url, clean_text, decode_body, parse_date, parse_feed
from monitor.records import FetchResult
from tests.httpserver import FIXTURES, LocalServer

HTTP = HttpSettings(connect_timeout=1.0, read_timeout=2.0, retries=0)

# name: (state, items, first item's published (ISO, UTC) or None, first item's date_status, bozo)
EXPECTED: dict[str, tuple[str, int, str | None, str | None, bool]] = {
    "arminfo-rss.xml": ("ok", 2, "2026-06-06T03:08:29", "assumed_utc", False),
    "baku-offsets-rss.xml": ("ok", 3, "2026-06-05T06:15:00", "ok", False),
    "cp1251-rss.xml": ("ok", 2, "2026-06-05T12:00:00", "ok", False),
    "empty-channel-rss.xml": ("empty", 0, None, None, False),
    "html-landing.xml": ("not_a_feed", 0, None, None, False),
    "illformed-broken-rss.xml": ("malformed", 0, None, None, True),
    "illformed-recoverable-rss.xml": ("ok", 2, "2026-06-03T08:00:00", "ok", True),
    "image-enclosure-rss.xml": ("ok", 2, "2026-06-01T07:00:00", "ok", False),
    "koi8r-rss.xml": ("ok", 2, "2026-06-05T12:00:00", "ok", True),
    "kremlin-atom.xml": ("ok", 3, "2026-06-05T09:30:00", "ok", False),
    "missing-dates-rss.xml": ("ok", 2, None, "missing", False),
    "mojibake-rss.xml": ("ok", 1, "2026-06-04T10:00:00", "ok", False),
    "pangea-rss.xml": ("ok", 2, "2026-06-05T14:55:00", "ok", False),
    "rt-rss.xml": ("ok", 2, "2026-06-05T11:20:00", "ok", False),
    "stale-rss.xml": ("ok", 2, "2025-11-14T10:00:00", "ok", False),
    "summary-only-wire-rss.xml": ("ok", 2, "2026-06-05T09:40:00", "ok", False),
    "syndicated-a-rss.xml": ("ok", 1, "2026-06-05T06:00:00", "ok", False),
    "syndicated-b-rss.xml": ("ok", 1, "2026-06-05T06:30:00", "ok", False),
    "turkish-dates-rss.xml": ("ok", 3, "2026-04-29T11:05:00", "ok", False),
    "ukgov-atom.xml": ("ok", 2, "2026-05-28T14:10:02", "ok", False),
    "utf8-stray-bytes-rss.xml": ("ok", 2, "2026-06-05T12:00:00", "ok", True),
    "wordpress-rss.xml": ("ok", 2, "2026-06-04T16:45:12", "ok", False),
    "wrong-charset-rss.xml": ("ok", 2, "2026-06-05T12:00:00", "ok", True),
}


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    with make_client(HTTP) as c:
        yield c


def fetch_and_parse(client: httpx.Client, server: LocalServer, name: str, **feed: str) -> tuple[FetchResult, ParsedFeed]:
    url = server.url(f"/feeds/{name}")
    result = fetch_url(client, url, HTTP, feed_id="fx")
    assert result.state == "ok", result.error
    return result, parse_feed(Feed(id="fx", url=url, **feed), result)  # type: ignore[arg-type]


def test_every_fixture_has_an_expectation() -> None:
    assert sorted(p.name for p in (FIXTURES / "feeds").glob("*.xml")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_corpus(client: httpx.Client, http_server: LocalServer, name: str) -> None:
    state, n, first, date_status, bozo = EXPECTED[name]
    _, parsed = fetch_and_parse(client, http_server, name)
    assert (parsed.state, len(parsed.items), parsed.bozo) == (state, n, bozo), parsed.error
    if state != "ok":
        assert parsed.error
    if n:
        it = parsed.items[0]
        assert it.date_status == date_status
        assert (it.published.replace(tzinfo=None).isoformat() if it.published else None) == first
    for it in parsed.items:  # shared invariants
        assert it.published is None or it.published.utcoffset() is not None and it.published.tzinfo == UTC
        assert it.published is not None or it.date_status in ("missing", "unparseable")
        assert isinstance(it.title, str) and isinstance(it.summary, str) and it.title
        assert it.key() and it.guid and it.url.startswith("http")
        for text in (it.title, it.summary, it.full_text):
            assert "<" not in text and "&amp;" not in text and "&nbsp;" not in text and "&#" not in text
            assert "Ã" not in text and "â€" not in text and "Â«" not in text
            assert ("\ufffd" in text) == (name == "utf8-stray-bytes-rss.xml" and text == it.summary and it is
                                          parsed.items[0])
    dated = [i.published for i in parsed.items if i.published]
    assert parsed.newest == (max(dated) if dated else None)


def test_rt_links_are_canonical_and_full_text_comes_from_content(client: httpx.Client,
                                                                 http_server: LocalServer) -> None:
    _, parsed = fetch_and_parse(client, http_server, "rt-rss.xml")
    first = parsed.items[0]
    assert "utm_" not in first.url and first.url == "https://www.rt.com/russia/612345-west-mediation-caucasus/"
    assert first.guid == "https://www.rt.com/russia/612345-west-mediation-caucasus/"  # as published: the dedup key
    assert len(first.full_text) > len(first.summary) and "\n\n" in first.full_text
    assert "Read Full Article" not in first.summary + first.full_text


def test_arminfo_double_escaped_entities(client: httpx.Client, http_server: LocalServer) -> None:
    _, parsed = fetch_and_parse(client, http_server, "arminfo-rss.xml")
    first = parsed.items[0]
    assert first.title == "Pashinyan's office: \"No third-party guarantees needed\""
    assert "office said that the peace agenda — including the border —" in first.summary
    assert parsed.items[1].title == "Dram steady against the dollar"


def test_configured_timezone_reads_zoneless_dates() -> None:
    assert parse_date("2026-06-06 03:08:29", None)[1] == "assumed_utc"
    got, status = parse_date("2026-06-06 03:08:29", __import__("zoneinfo").ZoneInfo("Asia/Yerevan"))
    assert (got, status) == (datetime(2026, 6, 5, 23, 8, 29, tzinfo=UTC), "assumed_tz")


@pytest.mark.parametrize(("raw", "expected", "status"), [
    ("Çar, 29 Nis 2026 14:05:00 +0300", "2026-04-29T11:05:00", "ok"),
    ("Cum, 01 May 2026 18:30:00 +0300", "2026-05-01T15:30:00", "ok"),
    ("Cmt, 05 Ara 2026 09:00:00 +0300", "2026-12-05T06:00:00", "ok"),
    ("29 апреля 2026 г. 12:00 MSK", "2026-04-29T09:00:00", "ok"),
    ("2026-06-05T12:30:00+03:00", "2026-06-05T09:30:00", "ok"),
    ("Fri, 05 Jun 2026 10:00:00 +0500", "2026-06-05T05:00:00", "ok"),
    ("Thu, 21 Oct 2021 14:55:00 -0000", "2021-10-21T14:55:00", "assumed_utc"),
    ("", None, "missing"),
    ("   ", None, "missing"),
    ("yesterday", None, "unparseable"),
    ("31 Şub 2026 10:00", None, "unparseable"),
    ("Mon, 01 Jan 0001 00:00:00 GMT", None, "unparseable"),
])
def test_parse_date(raw: str, expected: str | None, status: str) -> None:
    got, got_status = parse_date(raw)
    assert got_status == status
    assert (got.astimezone(UTC).replace(tzinfo=None).isoformat() if got else None) == expected
    assert got is None or got.tzinfo == UTC


def test_turkish_feed_dates_never_fall_back_to_now(client: httpx.Client, http_server: LocalServer) -> None:
    _, parsed = fetch_and_parse(client, http_server, "turkish-dates-rss.xml", language="tr")
    assert [i.published.isoformat() for i in parsed.items if i.published] == [
        "2026-04-29T11:05:00+00:00", "2026-04-30T06:00:00+00:00", "2026-05-01T15:30:00+00:00"]
    assert parsed.items[0].language == "tr"


def test_syndicated_copies_share_a_content_hash(client: httpx.Client, http_server: LocalServer) -> None:
    _, a = fetch_and_parse(client, http_server, "syndicated-a-rss.xml")
    _, b = fetch_and_parse(client, http_server, "syndicated-b-rss.xml")
    assert a.items[0].key() != b.items[0].key() and a.items[0].url != b.items[0].url
    assert a.items[0].hash == b.items[0].hash
    assert "utm_" not in b.items[0].url


def test_mojibake_is_repaired(client: httpx.Client, http_server: LocalServer) -> None:
    _, parsed = fetch_and_parse(client, http_server, "mojibake-rss.xml")
    assert "Élysée" in parsed.items[0].summary and "«dialogue must continue»" in parsed.items[0].summary


def test_summary_only_links_resolve_against_the_feed_url(client: httpx.Client, http_server: LocalServer) -> None:
    _, parsed = fetch_and_parse(client, http_server, "summary-only-wire-rss.xml")
    assert parsed.items[0].url == http_server.url("/pages/wire-article-1.html")
    assert all(not i.full_text and len(i.summary) < 400 for i in parsed.items)


@pytest.mark.parametrize(("url", "expected"), [
    ("HTTPS://www.RT.com:443/news/1/?utm_source=rss&id=7#top", "https://www.rt.com/news/1/?id=7"),
    ("https://ex.test/a?fbclid=abc&gclid=1", "https://ex.test/a"),
    ("https://ex.test:8443/a?b=2&a=1", "https://ex.test:8443/a?b=2&a=1"),
    ("https://ex.test", "https://ex.test/"),
    ("mailto:someone@ex.test", "mailto:someone@ex.test"),
    ("  http://ex.test/x  ", "http://ex.test/x"),
    ("http://[::1]:80/x", "http://[::1]/x"),
    ("http://ex.test:99999/x", "http://ex.test:99999/x"),
])
def test_canonical_url(url: str, expected: str) -> None:
    assert canonical_url(url) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("<p>One</p><p>Two &amp; three</p>", "One\n\nTwo & three"),
    ("Line<br>break", "Line\nbreak"),
    ("&amp;quot;quoted&amp;quot; &amp;#39;x&amp;#39;", "\"quoted\" 'x'"),
    ("<script>alert(1)</script>Text", "Text"),
    ("Soft\u00adhyphen and zero\u200bwidth", "Softhyphen and zerowidth"),
    ("Story text. Read Full Article at RT.com", "Story text."),
    ("", ""),
])
def test_clean_text(raw: str, expected: str) -> None:
    assert clean_text(raw) == expected


def test_decode_body_prefers_the_bytes_over_a_wrong_declaration() -> None:
    body = '<?xml version="1.0" encoding="windows-1251"?><rss><title>Привет</title></rss>'.encode()
    text, encoding, note = decode_body(body, "text/xml; charset=windows-1251")
    assert "Привет" in text and encoding == "utf-8" and note and "UTF-8" in note
    assert decode_body(b"\xef\xbb\xbf<rss/>")[1] == "utf-8-sig"


# ---------------------------------------------------------------- hostile bytes

_NOW = datetime(2026, 6, 1, tzinfo=UTC)
_FEED = Feed(id="fuzz", url="http://127.0.0.1/feed")
_PREFIXES = [b"", b'<?xml version="1.0" encoding="koi8-r"?>', b'<rss version="2.0"><channel><item><title>',
             b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><updated>', b"<html><body>", b"\xef\xbb\xbf<rss>"]


def _check_never_crashes(body: bytes, content_type: str) -> None:
    result = FetchResult("fuzz", _FEED.url, _NOW, _NOW, "ok", 200, body=body, headers={"content-type": content_type})
    parsed = parse_feed(_FEED, result)
    assert parsed.state in ("ok", "empty", "not_a_feed", "malformed")
    for it in parsed.items:
        assert isinstance(it.title, str) and isinstance(it.summary, str) and it.key()
        assert it.published is None or it.published.tzinfo == UTC


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2048), st.sampled_from(["", "application/rss+xml", "text/html; charset=koi8-r",
                                                  "text/xml; charset=bogus-charset"]))
def test_arbitrary_bytes_never_crash_the_parser(body: bytes, content_type: str) -> None:
    _check_never_crashes(body, content_type)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(_PREFIXES), st.text(max_size=400), st.binary(max_size=200))
def test_feed_like_garbage_never_crashes_the_parser(prefix: bytes, text: str, tail: bytes) -> None:
    _check_never_crashes(prefix + text.encode("utf-8", "surrogatepass") + tail, "application/xml")


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=60))
def test_arbitrary_dates_are_aware_or_none(raw: str) -> None:
    got, status = parse_date(raw)
    assert (got is None) == (status in ("missing", "unparseable"))
    assert got is None or got.tzinfo == UTC
