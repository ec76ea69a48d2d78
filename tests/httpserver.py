"""A real HTTP server on 127.0.0.1 for fetch and parse tests: httpx is never mocked.

Use it as a pytest plugin (``pytest_plugins = ["tests.httpserver"]``) for the session fixture
``http_server``, which serves ``tests/fixtures/`` (``/feeds/kremlin-atom.xml``, ``/pages/...``),
or call :func:`serve` for another directory (the benchmark does).

Static files carry an ETag (content hash) and a Last-Modified (file mtime) and answer
conditional requests with 304, like a well-behaved feed server. A sidecar ``NAME.headers``
holds ``Header: value`` lines that override or, with an empty value, remove headers, and an
optional ``Status: 200`` line.

Built-in routes misbehave the way real feed servers do:

=====================================  =====================================================
``/status/{code}``                     that status with a short text body
``/not-modified/{key}``                304 when If-None-Match or If-Modified-Since matches
``/retry-after/{key}?seconds=1``       429 + Retry-After the first time per key, then 200
``/flaky/{key}?n=2&status=500``        ``status`` the first n times per key, then 200
``/slow?seconds=2``                    sleeps, then 200 (for client timeouts)
``/redirect-loop/...``                 302 between two URLs forever
``/redirect?to=/path``                 one 302 to ``to``
``/oversized?bytes=N``                 a streamed RSS body of N bytes (default 20 MB)
``/gzip-bomb``                         ~1 MB of gzip that inflates to 1 GiB of zeros
``/gzip``, ``/deflate``                a small feed, compressed
``/html``                              a 200 text/html landing page
``/empty``                             200 with an empty body
``/botwall?status=200``                a JavaScript challenge page (F5/Cloudflare markers)
``/wrong-charset?variant=...``         ``cp1251-as-utf8`` (default) or ``utf8-as-cp1251``
=====================================  =====================================================

Every request is logged (:attr:`LocalServer.requests`: path, query, headers, start and end
time), so tests can assert which validators were sent, how often a URL was requested and how
many requests overlapped (:meth:`LocalServer.max_concurrent`).
"""

from __future__ import annotations

import gzip
import hashlib
import sys
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
FIXED_LAST_MODIFIED = "Wed, 01 Apr 2026 10:00:00 GMT"
CONTENT_TYPES = {".xml": "application/xml", ".rss": "application/rss+xml", ".atom": "application/atom+xml",
                 ".html": "text/html; charset=utf-8", ".json": "application/json", ".txt": "text/plain"}

SAMPLE_RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Sample wire</title><link>http://example.test/</link>
<item><title>Yerevan and Baku resume border talks</title><link>http://example.test/a/1</link>
<guid>sample-1</guid><pubDate>Tue, 02 Jun 2026 09:00:00 +0000</pubDate>
<description>Delegations met in Tbilisi to discuss delimitation.</description></item>
<item><title>Mediators welcome the meeting</title><link>http://example.test/a/2</link>
<guid>sample-2</guid><pubDate>Tue, 02 Jun 2026 08:00:00 +0000</pubDate>
<description>The EU and the US issued short statements.</description></item>
</channel></rss>
"""
RUSSIAN_RSS = """<?xml version="1.0" encoding="{decl}"?>
<rss version="2.0"><channel><title>Новости Кавказа</title><link>http://example.test/ru/</link>
<language>ru</language>
<item><title>Ереван и Баку продолжат переговоры</title><link>http://example.test/ru/1</link>
<guid>ru-1</guid><pubDate>Tue, 02 Jun 2026 12:00:00 +0300</pubDate>
<description>Министры иностранных дел встретятся в Москве на следующей неделе, сообщили дипломаты.</description></item>
</channel></rss>
"""
LANDING_HTML = b"""<!DOCTYPE html><html lang="en"><head><title>RSS feeds | Ministry</title></head>
<body><h1>RSS services</h1><p>Choose a feed from the list below.</p>
<ul><li><a href="/en.rss.mfa?abc">Press releases</a></li></ul></body></html>"""
BOTWALL_HTML = b"""<!DOCTYPE html><html><head><title>Just a moment...</title>
<script>window.TSPD_101_DID="08a1b2c3"; var bobcmn = "1119";</script></head>
<body><noscript>Please enable JavaScript to pass human verification.</noscript>
<div id="cf-challenge-running"></div></body></html>"""


@dataclass
class Request:
    """One request as the server saw it."""

    method: str
    path: str
    query: str
    headers: dict[str, str]
    start: float
    end: float | None = None


@dataclass
class _State:
    requests: list[Request] = field(default_factory=list)
    counters: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    static: dict[Path, tuple[float, bytes, str]] = field(default_factory=dict)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256

    def handle_error(self, request: object, client_address: object) -> None:
        """Clients that hang up mid-answer (a capped download, a timeout) are normal here."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


class LocalServer:
    """A ThreadingHTTPServer on an ephemeral loopback port, run in a daemon thread."""

    def __init__(self, directory: Path | str | None = None, host: str = "127.0.0.1") -> None:
        self.directory = Path(directory).resolve() if directory else None
        self.state = _State()
        self.httpd = _Server((host, 0), _Handler)
        self.httpd.owner = self  # type: ignore[attr-defined]
        self.host, self.port = self.httpd.server_address[:2]
        self._thread = threading.Thread(target=self.httpd.serve_forever, name="httpserver", daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def url(self, path: str) -> str:
        return self.base_url + ("" if path.startswith("/") else "/") + path

    @property
    def requests(self) -> list[Request]:
        with self.state.lock:
            return list(self.state.requests)

    def requests_to(self, path: str) -> list[Request]:
        """Requests whose path (query excluded) equals ``path``."""
        return [r for r in self.requests if r.path == path]

    def clear(self) -> None:
        with self.state.lock:
            self.state.requests.clear()

    def max_concurrent(self, predicate: Callable[[Request], bool] | None = None) -> int:
        """Most requests (matching ``predicate``) that were in flight at the same moment."""
        events: list[tuple[float, int]] = []
        for r in self.requests:
            if predicate is None or predicate(r):
                events += [(r.start, 1), (r.end if r.end is not None else float("inf"), -1)]
        current = best = 0
        for _, delta in sorted(events, key=lambda e: (e[0], e[1])):
            current += delta
            best = max(best, current)
        return best

    def start(self) -> LocalServer:
        self._thread.start()
        return self

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@contextmanager
def serve(directory: Path | str | None = None, host: str = "127.0.0.1") -> Iterator[LocalServer]:
    """Run a :class:`LocalServer` for the duration of the ``with`` block."""
    server = LocalServer(directory, host).start()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture(scope="session")
def http_server() -> Iterator[LocalServer]:
    """The session's server over ``tests/fixtures``; tests use unique keys or ``requests_to``."""
    with serve(FIXTURES) as server:
        yield server


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, like real servers; every answer has a length
    server_version = "monitor-test/1"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - quiet test output
        pass

    @property
    def owner(self) -> LocalServer:
        return self.server.owner  # type: ignore[attr-defined,no-any-return]

    def do_GET(self) -> None:  # noqa: N802 - http.server API
        parts = urlsplit(self.path)
        record = Request(self.command, parts.path, parts.query, {k.lower(): v for k, v in self.headers.items()},
                         time.monotonic())
        with self.owner.state.lock:
            self.owner.state.requests.append(record)
        try:
            self._route(parts.path, {k: v[-1] for k, v in parse_qs(parts.query).items()})
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        finally:
            record.end = time.monotonic()

    def _send(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        merged = {"Content-Type": "text/plain; charset=utf-8", **(headers or {})}
        for name, value in merged.items():
            if value != "":
                self.send_header(name, value)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if status != 304:
            self.wfile.write(body)

    def _count(self, key: str) -> int:
        with self.owner.state.lock:
            n = self.owner.state.counters.get(key, 0) + 1
            self.owner.state.counters[key] = n
        return n

    def _route(self, path: str, q: dict[str, str]) -> None:
        head, _, rest = path.strip("/").partition("/")
        feed = SAMPLE_RSS.encode()
        rss = {"Content-Type": "application/rss+xml; charset=utf-8"}
        if head == "status":
            code = int(rest.split("/")[0])
            self._send(code, f"status {code}\n".encode())
        elif head == "not-modified":
            self._not_modified(feed, rss)
        elif head == "retry-after":
            if self._count(path) == 1:
                self._send(429, b"slow down\n", {"Retry-After": q.get("seconds", "1")})
            else:
                self._send(200, feed, rss)
        elif head == "flaky":
            if self._count(path) <= int(q.get("n", "2")):
                self._send(int(q.get("status", "500")), b"try again\n")
            else:
                self._send(200, feed, rss)
        elif head == "slow":
            time.sleep(float(q.get("seconds", "2")))
            self._send(200, feed, rss)
        elif head == "redirect-loop":
            self._send(302, b"", {"Location": "/redirect-loop/" + ("b" if rest.endswith("a") else "a")})
        elif head == "redirect":
            self._send(302, b"", {"Location": q.get("to", "/html")})
        elif head == "oversized":
            self._oversized(int(q.get("bytes", str(20 * 1024 * 1024))))
        elif head == "gzip-bomb":
            self._send(200, _gzip_bomb(), {**rss, "Content-Encoding": "gzip"})
        elif head == "gzip":
            self._send(200, gzip.compress(feed), {**rss, "Content-Encoding": "gzip"})
        elif head == "deflate":
            self._send(200, zlib.compress(feed), {**rss, "Content-Encoding": "deflate"})
        elif head == "html":
            self._send(200, LANDING_HTML, {"Content-Type": "text/html; charset=utf-8"})
        elif head == "empty":
            self._send(200, b"", rss)
        elif head == "botwall":
            self._send(int(q.get("status", "200")), BOTWALL_HTML, {"Content-Type": "text/html"})
        elif head == "wrong-charset":
            if q.get("variant", "cp1251-as-utf8") == "cp1251-as-utf8":
                body = RUSSIAN_RSS.format(decl="utf-8").encode("cp1251")
                self._send(200, body, rss)
            else:
                body = RUSSIAN_RSS.format(decl="windows-1251").encode("utf-8")
                self._send(200, body, {"Content-Type": "application/rss+xml; charset=windows-1251"})
        else:
            self._static(path)

    def _not_modified(self, body: bytes, headers: dict[str, str]) -> None:
        etag = '"nm-v1"'
        validators = {"ETag": etag, "Last-Modified": FIXED_LAST_MODIFIED}
        if _conditional_match(self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since"),
                              etag, FIXED_LAST_MODIFIED):
            self._send(304, b"", validators)
        else:
            self._send(200, body, {**headers, **validators})

    def _oversized(self, size: int) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", str(size))
        self.end_headers()
        item = (b"<item><title>Filler item</title><guid>x</guid><description>" + b"padding " * 100
                + b"</description></item>\n")
        chunk = b'<?xml version="1.0"?><rss version="2.0"><channel><title>Huge</title>\n'
        chunk += item * (65_536 // len(item))
        sent = 0
        while sent < size:
            piece = chunk[: size - sent]
            self.wfile.write(piece)
            sent += len(piece)
            chunk = item * (65_536 // len(item))

    def _static(self, path: str) -> None:
        root = self.owner.directory
        target = (root / path.lstrip("/")).resolve() if root else None
        if root is None or target is None or not target.is_relative_to(root) or not target.is_file():
            self._send(404, b"not found\n")
            return
        mtime, body, etag = _load_static(self.owner.state, target)
        headers = {"Content-Type": CONTENT_TYPES.get(target.suffix, "application/octet-stream"), "ETag": etag,
                   "Last-Modified": formatdate(mtime, usegmt=True)}
        status = 200
        sidecar = target.with_name(target.name + ".headers")
        if sidecar.is_file():
            for line in sidecar.read_text(encoding="utf-8").splitlines():
                name, sep, value = line.partition(":")
                if not sep or line.startswith("#"):
                    continue
                if name.strip().lower() == "status":
                    status = int(value)
                else:
                    headers = {k: v for k, v in headers.items() if k.lower() != name.strip().lower()}
                    headers[name.strip()] = value.strip()
        inm, ims = self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since")
        if status == 200 and _conditional_match(inm, ims, headers.get("ETag", ""), headers.get("Last-Modified", "")):
            self._send(304, b"", {k: v for k, v in headers.items() if k in ("ETag", "Last-Modified")})
        else:
            self._send(status, body, headers)


def _load_static(state: _State, target: Path) -> tuple[float, bytes, str]:
    mtime = target.stat().st_mtime
    with state.lock:
        cached = state.static.get(target)
    if cached is None or cached[0] != mtime:
        body = target.read_bytes()
        cached = (mtime, body, '"' + hashlib.sha1(body).hexdigest()[:16] + '"')
        with state.lock:
            state.static[target] = cached
    return cached


def _conditional_match(inm: str | None, ims: str | None, etag: str, last_modified: str) -> bool:
    """RFC 9110: If-None-Match wins when present; else If-Modified-Since against Last-Modified."""
    if inm:
        return bool(etag) and (inm.strip() == "*" or etag in [t.strip() for t in inm.split(",")])
    if ims and last_modified:
        try:
            return parsedate_to_datetime(ims) >= parsedate_to_datetime(last_modified)
        except (TypeError, ValueError):
            return False
    return False


_BOMB: list[bytes] = []
_BOMB_LOCK = threading.Lock()


def _gzip_bomb(gib: int = 1) -> bytes:
    """A valid gzip stream of ``gib`` GiB of zeros, ~1 MB long, built once.

    Each 1 MiB of zeros is compressed with a full flush, which resets the dictionary, so every
    segment is byte-identical and the stream is one segment repeated (no 1 GiB buffer needed).
    """
    with _BOMB_LOCK:
        if not _BOMB:
            zeros = bytes(1 << 20)
            comp = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
            segment = comp.compress(zeros) + comp.flush(zlib.Z_FULL_FLUSH)
            crc = 0
            for _ in range(1024 * gib):
                crc = zlib.crc32(zeros, crc)
            header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
            trailer = crc.to_bytes(4, "little") + ((1 << 30) * gib % (1 << 32)).to_bytes(4, "little")
            _BOMB.append(header + segment * (1024 * gib) + comp.flush(zlib.Z_FINISH) + trailer)
        return _BOMB[0]
