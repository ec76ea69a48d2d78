"""Fetch feeds and article pages politely, and turn every outcome into a :class:`FetchResult`.

Long on purpose (over 400 lines): every way a fetch can fail is handled in one place, so each outcome is one ``fetches`` row.

Real feeds time out, redirect in loops, answer 403 to scripts, rate-limit with 429, serve
JavaScript challenges with status 200, and occasionally send a gzip bomb. None of that may
stop a run, so nothing here raises for a per-URL problem: a failure is data (``state``,
``error_class``, ``error``, ``transient``) that becomes a ``fetches`` row.

States emitted by :func:`fetch_url`:

- ``ok``: a 2xx answer with a body, read in full.
- ``not_modified``: 304 to a conditional GET; ``body`` is empty, the validators are kept.
- ``empty``: a 2xx answer with an empty body (UN News does this).
- ``truncated``: the decoded body passed ``max_bytes``; the first ``max_bytes`` are kept so the
  parser can still recover the leading entries (``FetchResult.ok`` is true for it).
- ``blocked``: 401/403/451, or a bot wall (a JavaScript or "human verification" challenge) with
  any status. Never retried: spoofing or hammering is out of scope (FEEDS.md section 4).
- ``failed``: everything else, with ``error_class`` one of ``Timeout``, ``ConnectError``,
  ``NetworkError``, ``TooManyRedirects``, ``InvalidURL``, ``HTTP<status>``, ``DecodeError``,
  ``DecompressionBomb`` (the decoded body outgrew ``max_bytes`` at a ratio no real feed has,
  so the leading zeros are dropped rather than handed to the parser) or ``UnexpectedError``.

Only transient failures (timeouts, connect and network errors, 408/425/429 and 5xx) are retried,
``http.retries`` times with exponential backoff; a ``Retry-After`` header sets the wait, and one
longer than ``http.max_retry_after`` ends the retries (waiting less than asked would be rude).

Bodies are read with ``iter_raw`` and inflated here with a bounded ``zlib`` output size per
step, because httpx's own decoder inflates a whole network chunk at once (up to ~1000x).
"""

from __future__ import annotations

import functools
import logging
import queue
import ssl
import threading
import time
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TypeVar
from urllib.parse import urlsplit

import certifi
import httpx

from monitor.config import Feed, HttpSettings
from monitor.records import FetchResult

log = logging.getLogger(__name__)
T = TypeVar("T")

ACCEPT_FEED = (
    "application/atom+xml, application/rss+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5"
)
ACCEPT_PAGE = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
BLOCKED_STATUS = frozenset({401, 403, 451})
TRANSIENT_STATUS = frozenset({408, 425, 429})
BOT_WALL_MARKERS = (
    "tspd_101",  # F5/Shape (mid.ru)
    "bobcmn",
    "cf-challenge",  # Cloudflare
    "cf_chl_",
    "/cdn-cgi/challenge-platform/",
    "_incapsula_resource",  # Imperva
    "human verification",
    "verify you are human",
    "verifying you are human",
    "<title>just a moment...</title>",
)
_SNIFF_BYTES = 32_768
_BOMB_RATIO = 200  # decoded/compressed; XML feeds compress 5-30x, a zero-filled bomb ~1000x


@dataclass(slots=True)
class _Outcome:
    """What one attempt produced; turned into a FetchResult once retries are over."""

    state: str
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    error_class: str | None = None
    error: str | None = None
    transient: bool = False
    retry_after: float | None = None


class _DeadlineError(Exception):
    """The whole response took longer than the per-fetch deadline (slow-drip servers)."""


def make_client(http: HttpSettings) -> httpx.Client:
    """The one shared client: polite User-Agent, timeouts, redirect cap, pooled keep-alive.

    httpx.Client is thread-safe, so :func:`fetch_feeds` shares one across its workers and
    reuses connections per host. Only gzip/deflate are offered because only those are
    inflated here with a size cap. The TLS context is built once per process: loading the CA
    bundle costs ~10 ms, which would otherwise dominate a client made per feed.
    """
    timeout = httpx.Timeout(
        connect=http.connect_timeout, read=http.read_timeout, write=http.read_timeout, pool=None
    )
    pool = http.max_concurrency * 2
    return httpx.Client(
        headers={"User-Agent": http.user_agent, "Accept-Encoding": "gzip, deflate"},
        timeout=timeout,
        follow_redirects=True,
        max_redirects=http.max_redirects,
        limits=httpx.Limits(max_connections=pool, max_keepalive_connections=pool),
        verify=_tls_context(),
    )


@functools.cache
def _tls_context() -> ssl.SSLContext:
    return ssl.create_default_context(cafile=certifi.where())


def total_deadline(http: HttpSettings) -> float:
    """Seconds one response may take in all: a server dripping a byte per read timeout is cut off."""
    return http.connect_timeout + 2 * http.read_timeout


def fetch_url(
    client: httpx.Client,
    url: str,
    http: HttpSettings,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    feed_id: str = "",
    accept: str = ACCEPT_FEED,
) -> FetchResult:
    """GET ``url`` with conditional validators, caps and bounded retries; never raises for the URL."""
    started = datetime.now(UTC)
    request_headers = {"Accept": accept}
    if etag:
        request_headers["If-None-Match"] = etag
    if last_modified:
        request_headers["If-Modified-Since"] = last_modified
    attempts = http.retries + 1
    for attempt in range(attempts):
        outcome = _attempt(client, url, request_headers, http)
        if not outcome.transient or attempt == attempts - 1:
            break
        delay = http.backoff_seconds * 2**attempt
        if outcome.retry_after is not None:
            if outcome.retry_after > http.max_retry_after:
                outcome.error = (
                    f"{outcome.error}; Retry-After {outcome.retry_after:.0f}s exceeds "
                    f"max_retry_after {http.max_retry_after:.0f}s, not retried now"
                )
                break
            delay = max(delay, outcome.retry_after)
        log.info("fetch %s: %s, retry %d/%d in %.1fs", url, outcome.error, attempt + 1, attempts - 1, delay)
        time.sleep(delay)
    if outcome.state not in ("ok", "not_modified", "empty", "truncated"):
        log.info("fetch %s: %s (%s) %s", url, outcome.state, outcome.error_class, outcome.error)
    got = outcome.headers
    keep = outcome.state == "not_modified"
    return FetchResult(
        feed_id=feed_id,
        url=url,
        started=started,
        finished=datetime.now(UTC),
        state=outcome.state,
        status=outcome.status,
        etag=got.get("etag") or (etag if keep else None),
        last_modified=got.get("last-modified") or (last_modified if keep else None),
        bytes=len(outcome.body),
        body=outcome.body,
        headers=got,
        error_class=outcome.error_class,
        error=outcome.error,
        transient=outcome.transient,
    )


def fetch_page(client: httpx.Client, url: str, http: HttpSettings, *, feed_id: str = "") -> FetchResult:
    """Fetch an article page (for full text) under the same limits as a feed."""
    return fetch_url(client, url, http, feed_id=feed_id, accept=ACCEPT_PAGE)


def fetch_feeds(
    feeds: Iterable[Feed],
    http: HttpSettings,
    validators: dict[str, tuple[str | None, str | None]] | None = None,
    *,
    client: httpx.Client | None = None,
) -> list[FetchResult]:
    """Fetch many feeds concurrently; results come back in the order of ``feeds``.

    ``validators`` maps feed id to the (ETag, Last-Modified) stored from the previous fetch.
    Concurrency is bounded overall and per host (:func:`imap_per_host`).
    """
    feeds = list(feeds)
    results: list[FetchResult | None] = [None] * len(feeds)
    for i, result in _fetch_each(feeds, http, validators or {}, client):
        results[i] = result
    return results  # type: ignore[return-value]


def iter_fetch_feeds(
    feeds: Iterable[Feed],
    http: HttpSettings,
    validators: dict[str, tuple[str | None, str | None]] | None = None,
    *,
    client: httpx.Client | None = None,
) -> Iterator[tuple[Feed, FetchResult]]:
    """As :func:`fetch_feeds`, but yield ``(feed, result)`` as each fetch completes, so the
    caller parses and stores one feed while the others are still downloading."""
    feeds = list(feeds)
    for i, result in _fetch_each(feeds, http, validators or {}, client):
        yield feeds[i], result


def _fetch_each(
    feeds: list[Feed], http: HttpSettings, validators: dict[str, tuple[str | None, str | None]], client: httpx.Client | None
) -> Iterator[tuple[int, FetchResult]]:
    active = client or make_client(http)
    try:
        yield from imap_per_host(
            [f.url for f in feeds], lambda i: _fetch_one(active, feeds[i], http, validators.get(feeds[i].id, (None, None))), http
        )
    finally:
        if client is None:
            active.close()


def map_per_host(urls: Sequence[str], work: Callable[[int], T], http: HttpSettings) -> list[T]:
    """``work(i)`` for every ``urls[i]``, concurrently (:func:`imap_per_host`); results in order."""
    results: list[T | None] = [None] * len(urls)
    for i, result in imap_per_host(urls, work, http):
        results[i] = result
    return results  # type: ignore[return-value]


def imap_per_host(urls: Sequence[str], work: Callable[[int], T], http: HttpSettings) -> Iterator[tuple[int, T]]:
    """Run ``work(i)`` for every ``urls[i]`` in a thread pool; yield ``(i, result)`` as each ends.

    At most ``max_concurrency`` calls run at once and at most ``per_host_concurrency`` per
    host. Instead of workers blocking on a per-host semaphore (head-of-line blocking when one
    host has many URLs), each host gets ``per_host_concurrency`` lanes that pull from that
    host's queue, and lanes of different hosts are interleaved in the pool. ``work`` must not
    raise; an exception is raised here once the other lanes have finished. When the consumer
    stops early (an exception, ``close()``), lanes take no new work and the pool winds down.
    """
    if not urls:
        return
    queues: dict[str, deque[int]] = {}
    for i, url in enumerate(urls):
        queues.setdefault(_host_key(url), deque()).append(i)
    lanes = _interleave_lanes(queues, http.per_host_concurrency)
    done: queue.SimpleQueue[tuple[int, T] | None] = queue.SimpleQueue()
    stop = threading.Event()

    def run_lane(lane: deque[int]) -> None:
        try:
            while not stop.is_set():
                try:
                    i = lane.popleft()
                except IndexError:
                    return
                done.put((i, work(i)))
        finally:
            done.put(None)  # this lane is over

    with ThreadPoolExecutor(max_workers=min(http.max_concurrency, len(lanes)), thread_name_prefix="fetch") as pool:
        futures = [pool.submit(run_lane, lane) for lane in lanes]
        try:
            open_lanes = len(lanes)
            while open_lanes:
                item = done.get()
                if item is None:
                    open_lanes -= 1
                else:
                    yield item
        finally:
            stop.set()
        for future in futures:
            future.result()  # re-raise a lane's exception


def _fetch_one(client: httpx.Client, feed: Feed, http: HttpSettings, valid: tuple[str | None, str | None]) -> FetchResult:
    """One feed, isolated: even a bug surfaces as a failed row, never stops the other feeds."""
    started = datetime.now(UTC)
    try:
        return fetch_url(client, feed.url, http, etag=valid[0], last_modified=valid[1], feed_id=feed.id)
    except Exception as exc:  # noqa: BLE001 - isolation boundary, logged with traceback
        log.exception("fetch %s: unexpected error", feed.url)
        return FetchResult(
            feed_id=feed.id, url=feed.url, started=started, finished=datetime.now(UTC), state="failed",
            error_class="UnexpectedError", error=f"{type(exc).__name__}: {exc}",
        )


def _interleave_lanes(queues: dict[str, deque[int]], per_host: int) -> list[deque[int]]:
    """The same host queue listed up to ``per_host`` times, round-robin over hosts."""
    lanes: list[deque[int]] = []
    for lane_no in range(per_host):
        lanes.extend(q for q in queues.values() if lane_no < len(q))
    return lanes


def _host_key(url: str) -> str:
    try:
        return (urlsplit(url).hostname or url).lower()
    except ValueError:
        return url


def _attempt(client: httpx.Client, url: str, headers: dict[str, str], http: HttpSettings) -> _Outcome:
    """One GET, classified. Exceptions of httpx become failed outcomes here."""
    deadline = time.monotonic() + total_deadline(http)
    try:
        with client.stream("GET", url, headers=headers) as resp:
            return _classify(resp, http, deadline)
    except httpx.TooManyRedirects as exc:
        return _Outcome("failed", error_class="TooManyRedirects", error=f"more than {http.max_redirects} redirects: {exc}")
    except httpx.TimeoutException as exc:
        return _Outcome("failed", error_class="Timeout", error=f"{type(exc).__name__}: {exc or 'timed out'}", transient=True)
    except _DeadlineError as exc:
        return _Outcome("failed", error_class="Timeout", error=str(exc), transient=True)
    except httpx.ConnectError as exc:
        return _Outcome("failed", error_class="ConnectError", error=str(exc) or "connection failed", transient=True)
    except (httpx.UnsupportedProtocol, httpx.InvalidURL, httpx.LocalProtocolError) as exc:
        return _Outcome("failed", error_class="InvalidURL", error=f"{type(exc).__name__}: {exc}")
    except (httpx.NetworkError, httpx.RemoteProtocolError) as exc:
        return _Outcome("failed", error_class="NetworkError", error=f"{type(exc).__name__}: {exc}", transient=True)
    except zlib.error as exc:
        return _Outcome("failed", error_class="DecodeError", error=f"cannot inflate body: {exc}")
    except httpx.HTTPError as exc:
        return _Outcome("failed", error_class=type(exc).__name__, error=str(exc))


def _classify(resp: httpx.Response, http: HttpSettings, deadline: float) -> _Outcome:
    status = resp.status_code
    headers = dict(resp.headers.items())
    if status == 304:
        return _Outcome("not_modified", status, headers)
    if not 200 <= status < 300:
        head, _, _ = _read_capped(resp, min(_SNIFF_BYTES, http.max_bytes), deadline)
        reason = f"HTTP {status} {resp.reason_phrase}".strip()
        if _is_bot_wall(head, headers):
            return _Outcome("blocked", status, headers, error_class="BotWall", error=f"{reason}: bot-wall challenge page")
        if status in BLOCKED_STATUS:
            return _Outcome("blocked", status, headers, error_class=f"HTTP{status}", error=f"{reason}: refused, not retried")
        transient = status in TRANSIENT_STATUS or status >= 500
        return _Outcome(
            "failed", status, headers, error_class=f"HTTP{status}", error=reason, transient=transient,
            retry_after=_retry_after(headers.get("retry-after")) if transient else None,
        )
    body, truncated, raw = _read_capped(resp, http.max_bytes, deadline)
    if _is_bot_wall(body[:_SNIFF_BYTES], headers):
        return _Outcome("blocked", status, headers, error_class="BotWall", error="bot-wall challenge page with HTTP 200")
    if truncated and raw and len(body) / raw > _BOMB_RATIO:
        return _Outcome(
            "failed", status, headers, error_class="DecompressionBomb",
            error=f"body inflates past {http.max_bytes} bytes from {raw} compressed bytes; dropped",
        )
    if truncated:
        return _Outcome(
            "truncated", status, headers, body, error_class="TooLarge",
            error=f"body larger than max_bytes={http.max_bytes}; first {len(body)} bytes kept",
        )
    if not body.strip():
        return _Outcome("empty", status, headers, body, error_class="EmptyBody", error=f"HTTP {status} with an empty body")
    return _Outcome("ok", status, headers, body)


def _read_capped(resp: httpx.Response, cap: int, deadline: float) -> tuple[bytes, bool, int]:
    """Read and inflate at most ``cap`` bytes; return (body, truncated, compressed bytes used)."""
    encoding = resp.headers.get("content-encoding", "identity").strip().lower()
    inflater = _Inflater.for_encoding(encoding)
    buf = bytearray()
    raw = 0
    for chunk in resp.iter_raw(65_536):
        raw += len(chunk)
        buf += inflater.feed(chunk, cap - len(buf)) if inflater else chunk
        used = inflater.consumed if inflater else raw
        if len(buf) > cap or raw > cap:
            del buf[cap:]
            return bytes(buf), True, used
        if time.monotonic() > deadline:
            raise _DeadlineError(f"response not complete after the per-fetch deadline ({raw} bytes read)")
    return bytes(buf), False, inflater.consumed if inflater else raw


class _Inflater:
    """gzip/deflate decoder that never produces more than ``limit + 1`` bytes per call."""

    def __init__(self, wbits: int) -> None:
        self._wbits = wbits
        self._z = zlib.decompressobj(wbits)
        self._started = False
        self.consumed = 0  # compressed bytes actually inflated so far (for the bomb ratio)

    @classmethod
    def for_encoding(cls, encoding: str) -> _Inflater | None:
        if encoding in ("gzip", "x-gzip"):
            return cls(16 + zlib.MAX_WBITS)
        if encoding == "deflate":
            return cls(zlib.MAX_WBITS)
        if encoding in ("", "identity"):
            return None
        raise zlib.error(f"unsupported Content-Encoding {encoding!r}")

    def feed(self, data: bytes, limit: int) -> bytes:
        out = bytearray()
        while data and len(out) <= limit:
            try:
                out += self._z.decompress(data, limit + 1 - len(out))
                self.consumed += len(data) - len(self._z.unconsumed_tail) - len(self._z.unused_data)
            except zlib.error:
                if self._started or self._wbits != zlib.MAX_WBITS:
                    raise
                self._wbits = -zlib.MAX_WBITS  # "deflate" sent as a raw stream, no zlib header
                self._z = zlib.decompressobj(self._wbits)
                continue
            self._started = True
            if self._z.eof:  # concatenated gzip members; trailing junk is ignored
                data = self._z.unused_data
                if not data.startswith(b"\x1f\x8b"):
                    break
                self._z = zlib.decompressobj(self._wbits)
            else:
                data = self._z.unconsumed_tail
        return bytes(out)


def _is_bot_wall(head: bytes, headers: dict[str, str]) -> bool:
    """An HTML challenge page (never a feed body, whose items may quote these words)."""
    start = head[:512].lstrip().lower()
    html = "html" in headers.get("content-type", "").lower() or start.startswith((b"<!doctype html", b"<html"))
    if not html or start.startswith(b"<?xml") or b"<rss" in start or b"<feed" in start:
        return False
    text = head.decode("latin-1").lower()
    return any(marker in text for marker in BOT_WALL_MARKERS)


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date); None if absent/bad."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())

