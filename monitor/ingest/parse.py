"""Turn a fetched feed body into :class:`Item` records, whatever shape the feed is in.

Bad input is data, as in feedparser's ``bozo``: :func:`parse_feed` never raises for a body and
says what it found in :attr:`ParsedFeed.state`:

- ``ok``: at least one entry; ``bozo`` is true when the XML was broken but feedparser's loose
  parser recovered entries, or when the body was not in its declared encoding.
- ``empty``: a valid feed with no entries, an empty body, or a fetch without a body (304, failed).
- ``not_a_feed``: HTML (a landing page, a "verifying you are human" page) or anything that is
  not RSS/Atom/RDF. Checked by sniffing the root element, not the Content-Type alone, because
  real feeds are served as ``text/html`` too.
- ``malformed``: it looks like a feed but no entry could be recovered.

Encodings: the body is decoded here before feedparser sees it, because feedparser falls back to
windows-1252 when the declared charset is wrong and silently yields mojibake. Order: BOM, strict
UTF-8 (a byte string that is valid UTF-8 and not ASCII is UTF-8 whatever it claims), the
declared charsets (XML declaration, then HTTP), "UTF-8 with a few stray bytes", then
charset-normalizer over the encodings seen in this region. feedparser then gets UTF-8.

Dates become aware UTC datetimes; ``Item.date_status`` says how far to trust them:
``ok`` (had a zone or offset), ``assumed_tz`` (no zone; read in the feed's configured
``timezone``), ``assumed_utc`` (no zone and none configured, read as UTC), ``missing`` (no date;
``published`` is None) and ``unparseable`` (a date we could not read; None). Never "now".
"""

from __future__ import annotations

import codecs
import html
import io
import logging
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import Any
from urllib.parse import urljoin
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import charset_normalizer
import feedparser
import ftfy
import ftfy.badness
from lxml import etree

from monitor.config import Feed, fold
from monitor.ingest.urls import canonical_url
from monitor.records import FetchResult, Item, content_hash

log = logging.getLogger(__name__)

REGIONAL_ENCODINGS = ["cp1251", "koi8_r", "koi8_u", "iso8859_5", "cp866", "cp1252", "cp1254", "iso8859_9", "cp1250"]
FULL_TEXT_MARGIN = 1.25  # content must be this much longer than the summary to count as full text


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """What a feed body held. ``error`` explains any state but a clean ``ok``."""

    items: tuple[Item, ...]
    state: str
    error: str | None = None
    bozo: bool = False
    newest: datetime | None = None
    encoding: str | None = None
    title: str = ""


def parse_feed(feed: Feed, result: FetchResult) -> ParsedFeed:
    """Parse the body of ``result`` (fetched for ``feed``); never raises for a bad body."""
    if not result.body.strip():
        why = "empty body" if result.ok or result.state == "empty" else f"no body (fetch state {result.state})"
        return ParsedFeed((), "empty", why)
    text, encoding, note = decode_body(result.body, result.headers.get("content-type", ""))
    root = _root_element(text)
    if root == "html":
        return ParsedFeed((), "not_a_feed", f"HTML page, not a feed (Content-Type {result.headers.get('content-type')!r})",
                          encoding=encoding)
    # No content-location: feedparser would resolve every non-URL <guid> against it, changing keys
    # whenever a feed moves. Relative links are resolved below instead.
    headers = {"content-type": "application/xml; charset=utf-8"}
    if "content-language" in result.headers:
        headers["content-language"] = result.headers["content-language"]
    base = result.headers.get("content-location") or result.url
    data = _XML_DECL_ENCODING.sub(r"\1utf-8\2", text, count=1).encode("utf-8")
    try:
        parsed = feedparser.parse(io.BytesIO(data), response_headers=headers, sanitize_html=False,
                                  resolve_relative_uris=False)
    except Exception as exc:  # noqa: BLE001 - feedparser bugs on hostile input become data
        log.warning("feed %s: feedparser crashed: %r", feed.id, exc)
        return ParsedFeed((), "malformed", f"feedparser crashed: {exc!r}", True, encoding=encoding)
    bozo_error = f"{type(parsed.bozo_exception).__name__}: {parsed.bozo_exception}" if parsed.bozo else None
    error = "; ".join(e for e in (note, bozo_error) if e) or None
    bozo = bool(parsed.bozo) or note is not None
    title = clean_text(parsed.feed.get("title", ""))
    if not parsed.entries:
        if parsed.get("version") and not parsed.bozo:
            return ParsedFeed((), "empty", error or "feed has no entries", bozo, encoding=encoding, title=title)
        if root is not None and (parsed.bozo or parsed.get("version")):
            return ParsedFeed((), "malformed", error or "no entries recovered", bozo, encoding=encoding, title=title)
        return ParsedFeed((), "not_a_feed", error or f"no RSS/Atom root element (root {root!r})", bozo, encoding=encoding)
    language = feed.language if "language" in feed.model_fields_set else _primary_language(parsed.feed.get("language"))
    tz = _feed_timezone(feed)
    items = tuple(_item(feed, entry, language or feed.language, tz, base) for entry in parsed.entries)
    dates = [i.published for i in items if i.published is not None]
    return ParsedFeed(items, "ok", error, bozo, max(dates) if dates else None, encoding, title)


# ---------------------------------------------------------------- encodings

_XML_DECL_ENCODING = re.compile(r"""^(\s*<\?xml[^>]*?\bencoding\s*=\s*["'])[^"']*(["'])""")
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def decode_body(body: bytes, content_type: str = "") -> tuple[str, str, str | None]:
    """Decode a feed body to text; return (text, encoding used, note when a declaration was wrong)."""
    for bom, name in _BOMS:
        if body.startswith(bom):
            return body.decode(name, errors="replace"), name, None
    declared = _declared_encodings(body, content_type)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        wrong = [d for d in declared if d not in ("utf-8", "us-ascii") and not text.isascii()]
        return text, "utf-8", f"declared {wrong[0]} but the body is UTF-8" if wrong else None
    for name in declared:
        if name not in ("utf-8", "us-ascii"):
            try:
                return body.decode(name), name, None
            except UnicodeDecodeError:
                continue
    shown = declared[0] if declared else "nothing"
    text = body.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    if bad * 20 <= sum(1 for ch in text if ord(ch) > 127) - bad:
        return text, "utf-8", f"declared {shown}; UTF-8 with {bad} invalid byte sequence(s) replaced"
    best = charset_normalizer.from_bytes(body, cp_isolation=REGIONAL_ENCODINGS).best()
    name = codecs.lookup(best.encoding).name if best else "cp1252"
    return body.decode(name, errors="replace"), name, f"declared {shown} but decoded as {name}"


def _declared_encodings(body: bytes, content_type: str) -> list[str]:
    found = []
    decl = re.match(rb"""\s*<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""", body[:512])
    charset = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9._:-]+)", content_type, re.I)
    for raw in (decl.group(1).decode("ascii") if decl else None, charset.group(1) if charset else None):
        if raw:
            try:
                name = codecs.lookup(raw).name
            except LookupError:
                continue
            name = "us-ascii" if name == "ascii" else name
            if name not in found:
                found.append(name)
    return found


def _root_element(text: str) -> str | None:
    """The first element name among the feed roots and ``html``, or None if there is none."""
    m = re.search(r"<(rss|feed|rdf:rdf|channel|html)[\s>/]", text[:8192], re.I)
    return m.group(1).lower() if m else None


# ---------------------------------------------------------------- items


def _item(feed: Feed, entry: Any, language: str, tz: tzinfo | None, base: str) -> Item:
    title = clean_text(entry.get("title", ""))
    raw_summary = entry.get("summary", "") or ""
    contents = [c.get("value", "") or "" for c in entry.get("content", []) or []]
    raw_full = max(contents, key=len) if contents else ""
    summary = clean_text(raw_summary)
    full = clean_text(raw_full) if raw_full and raw_full != raw_summary else ""
    if len(full) < len(summary) * FULL_TEXT_MARGIN:
        full = ""
    link = (entry.get("link") or "").strip()
    url = canonical_url(urljoin(base, link)) if link else ""
    guid = (entry.get("id") or "").strip() or url or "hash:" + content_hash(title + "\n" + summary)
    raw_date = entry.get("published") or entry.get("updated") or entry.get("created") or ""
    published, status = parse_date(raw_date, tz)
    if status == "unparseable":
        parsed = entry.get("published_parsed") or entry.get("updated_parsed")
        if parsed:  # feedparser knows more formats (it reads them as UTC when they carry no zone)
            published, status = datetime(*parsed[:6], tzinfo=UTC), "ok"
    return Item(feed_id=feed.id, guid=guid, url=url, title=title, published=published, summary=summary,
                full_text=full, date_status=status, language=language)


def _primary_language(tag: str | None) -> str | None:
    if not tag:
        return None
    primary = re.split(r"[-_]", tag.strip().lower())[0]
    return primary if re.fullmatch(r"[a-z]{2,3}", primary) else None


def _feed_timezone(feed: Feed) -> tzinfo | None:
    """The feed's configured zone for dates without one (``Feed.timezone`` when it exists)."""
    name = getattr(feed, "timezone", None)
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        log.warning("feed %s: unknown timezone %r, dates without a zone are read as UTC", feed.id, name)
        return None


# ---------------------------------------------------------------- dates

_TR_MONTHS = ["ocak", "subat", "mart", "nisan", "mayis", "haziran", "temmuz", "agustos", "eylul", "ekim", "kasim", "aralik"]
_RU_MONTHS_NOM = ["январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь"]
_RU_MONTHS_GEN = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"]
_EN_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
MONTHS: dict[str, int] = {}
for _names in (_TR_MONTHS, _RU_MONTHS_NOM, _RU_MONTHS_GEN):
    for _n, _name in enumerate(_names, 1):
        MONTHS[fold(_name)] = _n
        MONTHS.setdefault(fold(_name)[:3], _n)
MONTHS.update({"сент": 9, "нояб": 11, "ara": 12, "eki": 10, "eyl": 9})
for _n, _name in enumerate(_EN_MONTHS, 1):
    MONTHS[_name] = _n
ZONES = {"z": 0, "gmt": 0, "ut": 0, "utc": 0, "msk": 180, "trt": 180, "azt": 240, "amt": 240, "get": 240,
         "irst": 210, "eet": 120, "eest": 180, "cet": 60, "cest": 120, "bst": 60, "est": -300, "edt": -240,
         "cst": -360, "cdt": -300, "mst": -420, "mdt": -360, "pst": -480, "pdt": -420}

_TIME = r"(?:[ tT,]+(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2}))?(?:[.,]\d+)?)?\s*(?P<zone>[+-]\d{2}(?::?\d{2})?|[^\W\d_]{1,5})?"
_DATE_PATTERNS = [
    re.compile(r"(?P<y>\d{4})-(?P<mo>\d{1,2})-(?P<d>\d{1,2})" + _TIME),
    re.compile(r"(?P<d>\d{1,2})[ .-](?P<mon>[^\W\d_]{3,})\.?[ .-]+(?P<y>\d{4}|\d{2})" + _TIME),
    re.compile(r"(?P<mon>[^\W\d_]{3,})\.? (?P<d>\d{1,2}),? (?P<y>\d{4})" + _TIME),
    re.compile(r"(?P<d>\d{1,2})[./](?P<mo>\d{1,2})[./](?P<y>\d{4})" + _TIME),
]


def parse_date(raw: str, tz: tzinfo | None = None) -> tuple[datetime | None, str]:
    """Read a feed date in RFC 822, ISO 8601 or a Turkish/Russian localized form.

    Returns (aware UTC datetime or None, date_status). A date without a zone is read in ``tz``
    (status ``assumed_tz``) or in UTC (``assumed_utc``); ``-0000`` means "zone unknown" (RFC 5322).
    """
    text = " ".join(raw.split())
    if not text:
        return None, "missing"
    folded = fold(text)
    folded = re.sub(r"^[^\W\d_]+\.?,\s*", "", folded)  # weekday in any language
    folded = re.sub(r"\s*\b(?:гг?\.|года)(?=[\s,]|$)", "", folded)  # "29 апреля 2026 г."
    for pattern in _DATE_PATTERNS:
        m = pattern.fullmatch(folded)
        if m:
            break
    else:
        return None, "unparseable"
    g = m.groupdict()
    month = int(g["mo"]) if g.get("mo") else MONTHS.get(g["mon"][:4], MONTHS.get(g["mon"][:3], 0))
    year = int(g["y"]) + (2000 if len(g["y"]) == 2 else 0)
    try:
        naive = datetime(year, month, int(g["d"]), int(g["h"] or 0), int(g["mi"] or 0), int(g["s"] or 0))
    except ValueError:
        return None, "unparseable"
    if not 1990 <= year <= 2100:
        return None, "unparseable"
    offset = _zone_offset(g["zone"])
    if offset is not None:
        return naive.replace(tzinfo=timezone(offset)).astimezone(UTC), "ok"
    if tz is not None:
        return naive.replace(tzinfo=tz).astimezone(UTC), "assumed_tz"
    return naive.replace(tzinfo=UTC), "assumed_utc"


def _zone_offset(zone: str | None) -> timedelta | None:
    if not zone or zone == "-0000" or zone == "-00:00":
        return None
    if zone[0] in "+-":
        digits = zone[1:].replace(":", "")
        minutes = int(digits[:2]) * 60 + (int(digits[2:4]) if len(digits) >= 4 else 0)
        return timedelta(minutes=-minutes if zone[0] == "-" else minutes) if minutes < 24 * 60 else None
    known = ZONES.get(zone.lower())
    return timedelta(minutes=known) if known is not None else None


# ---------------------------------------------------------------- text

_PARA, _LINE = "\ue000", "\ue001"  # private-use sentinels that survive whitespace collapsing
_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9:-]*(?:\s[^<>]*)?/?>")
_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});")
_DROP = ["script", "style", "noscript", "template", "iframe", "svg", "head", "object"]
_BLOCKS = ["p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "table", "pre",
           "section", "article", "header", "footer", "figure", "figcaption", "hr", "dd", "dt", "aside", "main"]
_DROP_SET, _BLOCKS_SET = frozenset(_DROP), frozenset(_BLOCKS)
# soft hyphen, zero-width characters, BOM, C0 controls but \t \n \r, DEL: regex, not str.translate
# (4x faster on the mostly clean text of real feeds)
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"\s{2,}|[^\S ]")  # runs to collapse; a lone " " is left alone (fast)
_HTML_PARSER_OPTIONS = dict(encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True, recover=True,
                            default_doctype=False)
_BOILERPLATE = re.compile(r"\s+(?:read|continue reading)(?: the)? (?:full|more)(?: article| story)?(?: (?:at|on) \S+)?\s*$", re.I)


def clean_text(value: str) -> str:
    """Plain text from feed HTML: tags stripped, entities (even double-escaped) decoded,
    mojibake repaired where ftfy can tell, whitespace normalised, paragraphs as ``"\\n\\n"``."""
    if not value:
        return ""
    text = value.replace(_PARA, "").replace(_LINE, "")
    if not _TAG.search(text):
        text = re.sub(r"\n[ \t\r\f\v]*\n\s*", _PARA, text)
    stripped = False
    for _ in range(3):  # ArmInfo escapes twice: "&amp;nbsp;" is "&nbsp;" after the XML pass
        before = text
        if not stripped and _TAG.search(text):
            # markup is stripped once; a tag that only appears after unescaping is text the
            # source meant literally (a quoted "<script>" stays visible, and escaped downstream)
            text, stripped = _html_to_text(text), True
        elif _ENTITY.search(text):
            text = html.unescape(text)
        if text == before:
            break
    text = _INVISIBLE.sub("", text)
    # before whitespace is collapsed: mojibake such as "Ã\xa0" (for "à") holds a no-break space.
    # It needs non-ASCII characters, so the sentinels (private-use, non-ASCII) are not counted.
    if not text.replace(_PARA, "").replace(_LINE, "").isascii() and ftfy.badness.is_bad(text):
        text = ftfy.fix_encoding(text)
    text = _SPACES.sub(" ", text)
    paragraphs = []
    for para in text.split(_PARA):
        lines = [ln.strip() for ln in para.split(_LINE)]
        joined = "\n".join(ln for ln in lines if ln)
        if joined:
            paragraphs.append(joined)
    text = "\n\n".join(paragraphs)
    text = unicodedata.normalize("NFC", text)
    tail = _BOILERPLATE.search(text, max(0, len(text) - 200))  # RT's trailing "Read Full Article at RT.com"
    return text[: tail.start()] if tail else text


def _html_to_text(markup: str) -> str:
    """Text of an HTML fragment, with block boundaries and ``<br>`` marked by the sentinels.

    libxml2's HTML parser (the one beautifulsoup4 drives with its ``lxml`` builder) walked
    directly: building bs4's Python tree cost ten times the parse on feed-sized fragments.
    The bytes go in as UTF-8 with the encoding fixed, so a ``<meta charset>`` in the fragment
    cannot re-decode text that is already decoded.
    """
    try:
        root = etree.fromstring(markup.encode("utf-8", "replace"), etree.HTMLParser(**_HTML_PARSER_OPTIONS))
    except (etree.LxmlError, ValueError):
        root = None
    if root is None:  # nothing libxml2 could read as markup (e.g. only a stray "<b/>")
        return _TAG.sub(" ", markup)
    parts: list[str] = []
    dropped = 0  # depth inside <script>, <style>, ...: their text is not content
    for event, el in etree.iterwalk(root, events=("start", "end")):
        tag = el.tag if isinstance(el.tag, str) else ""
        if event == "start":
            if tag in _DROP_SET:
                dropped += 1
            elif dropped:
                continue
            elif tag == "br":
                parts.append(_LINE)
            elif tag in _BLOCKS_SET:
                parts.append(_PARA)
            if not dropped and el.text:
                parts.append(el.text)
            continue
        if tag in _DROP_SET:
            dropped -= 1
        elif dropped:
            continue
        elif tag in _BLOCKS_SET:
            parts.append(_PARA)
        if not dropped and el.tail:
            parts.append(el.tail)
    return "".join(parts)
