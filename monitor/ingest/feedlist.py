"""Feed lists from outside ``feeds.yaml``: OPML (what every feed reader imports and exports) and
plain text files with one URL a line.

``monitor run --feeds FILE`` reads them through :func:`read_feed_list`. A feed from such a file
is ``kind: news`` with no actor unless its OPML outline says otherwise; the optional outline
attributes ``id``, ``kind``, ``actor``, ``language``, ``country``, ``timezone``, ``full_text``,
``min_interval_minutes`` and ``enabled`` override the defaults (``actor`` is checked against
``actors.yaml`` by :func:`monitor.config.load`). Categories (outlines without ``xmlUrl``) may nest
to any depth; their path is kept in ``notes``.

Feed ids are derived from host and path (``en.kremlin.ru/events/president/news/feed`` becomes
``en-kremlin-ru-events-president-news-feed``) so they stay the same when the file is
reordered; URLs that would share an id get a short hash of the URL appended. The same URL
listed twice (common in OPML exports, once per category) is read once.

:func:`write_opml` writes configured feeds back out with their ids and settings as outline
attributes, so ``read_feed_list`` of the result gives the same feeds.
"""

from __future__ import annotations

import logging
import os
import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from lxml import etree
from pydantic import ValidationError

from monitor import config
from monitor.config import Feed, Settings
from monitor.errors import ConfigError
from monitor.records import stable_id

log = logging.getLogger(__name__)

OVERRIDES = ("id", "kind", "actor", "language", "country", "timezone", "full_text", "min_interval_minutes", "enabled")
MAX_SLUG = 80


def load_settings(config_dir: str | os.PathLike[str] = "config", *, feeds_file: str | os.PathLike[str] | None = None) -> Settings:
    """:func:`monitor.config.load`, with ``feeds_file`` (replacing ``feeds.yaml``) a YAML feeds file,
    an OPML file or a plain URL list."""
    if feeds_file is not None and Path(feeds_file).suffix not in (".yaml", ".yml"):
        return config.load(config_dir, feeds_file=feeds_file, feeds=read_feed_list(Path(feeds_file)))
    return config.load(config_dir, feeds_file=feeds_file)


def read_feed_list(path: Path) -> list[Feed]:
    """Feeds from an OPML file or a one-URL-a-line text file; :class:`ConfigError` names file and line."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    entries = _read_opml(path, data) if head == b"<" else _read_text(path, data)
    feeds = _build(path, entries)
    if not feeds:
        raise ConfigError(f"{path}: no feed URLs found")
    return feeds


# ---------------------------------------------------------------- reading

# (line, attributes) per feed entry before validation; attributes use Feed field names.
_Entry = tuple[int, dict[str, Any]]


def _read_text(path: Path, data: bytes) -> list[_Entry]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text: {exc}") from None
    entries = []
    for no, line in enumerate(text.splitlines(), 1):
        url = line.split("#", 1)[0].strip() if line.lstrip().startswith("#") or " #" in line else line.strip()
        if url:
            entries.append((no, {"url": url}))
    return entries


def _read_opml(path: Path, data: bytes) -> list[_Entry]:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if exc.lineno else "?"
        raise ConfigError(f"{path}:{line}: not well-formed OPML: {exc.msg}") from None
    if etree.QName(root).localname.lower() != "opml":
        raise ConfigError(f"{path}:{root.sourceline}: root element is <{root.tag}>, not <opml>")
    body = next((el for el in root if isinstance(el.tag, str) and el.tag.lower() == "body"), None)
    if body is None:
        raise ConfigError(f"{path}: OPML without a <body>")
    entries: list[_Entry] = []
    _walk(body, [], entries)
    return entries


def _walk(node: Any, categories: list[str], out: list[_Entry]) -> None:
    for el in node:
        if not isinstance(el.tag, str) or el.tag.lower() != "outline":
            continue
        attrs = {k.lower(): v.strip() for k, v in el.attrib.items()}
        name = attrs["title"] if "title" in attrs else attrs.get("text", "")
        url = attrs.get("xmlurl", "")
        if not url:
            _walk(el, [*categories, name] if name else categories, out)
            continue
        entry: dict[str, Any] = {"url": url, "title": name}
        for key in OVERRIDES:
            value = attrs.get(key.lower()) or attrs.get(key.replace("_", "").lower())
            if value:
                entry[key] = value
        notes = attrs.get("description", "")
        if categories:
            notes = f"category: {' / '.join(categories)}" + (f"; {notes}" if notes else "")
        if notes:
            entry["notes"] = notes
        out.append((el.sourceline or 0, entry))


def _build(path: Path, entries: Sequence[_Entry]) -> list[Feed]:
    seen: set[str] = set()
    unique: list[_Entry] = []
    for line, entry in entries:
        if entry["url"] in seen:
            log.info("%s:%d: %s listed again; read once", path, line, entry["url"])
            continue
        seen.add(entry["url"])
        unique.append((line, entry))
    slugs = {e["url"]: feed_slug(e["url"]) for _, e in unique if "id" not in e}
    taken = Counter([*slugs.values(), *(e["id"] for _, e in unique if "id" in e)])
    feeds = []
    for line, entry in unique:
        if "id" not in entry:
            slug = slugs[entry["url"]]
            entry["id"] = slug if taken[slug] == 1 else f"{slug[: MAX_SLUG - 7]}-{stable_id(entry['url'])[:6]}"
        try:
            feeds.append(Feed.model_validate(entry))
        except ValidationError as exc:
            err = exc.errors()[0]
            where = ".".join(str(p) for p in err["loc"]) or "feed"
            msg = err["msg"].removeprefix("Value error, ")
            raise ConfigError(f"{path}:{line}: {where}: {msg} ({entry['url']!r})") from None
    dup = [fid for fid, n in Counter(f.id for f in feeds).items() if n > 1]
    if dup:
        raise ConfigError(f"{path}: duplicate feed id {dup[0]!r}")
    return feeds


def feed_slug(url: str) -> str:
    """A feed id from host, path and query: lower case, runs of other characters as ``-``."""
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").removeprefix("www.")
    except ValueError:
        return "feed-" + stable_id(url)[:8]
    raw = "-".join(p for p in (host, parts.path, parts.query) if p)
    slug = re.sub(r"[^a-z0-9]+", "-", raw.lower()).strip("-")
    if len(slug) > MAX_SLUG:
        slug = f"{slug[: MAX_SLUG - 9].rstrip('-')}-{stable_id(url)[:8]}"
    return slug or "feed-" + stable_id(url)[:8]


# ---------------------------------------------------------------- writing


def write_opml(feeds: Iterable[Feed], title: str = "stance monitor feeds") -> str:
    """OPML 2.0 for ``feeds``, one flat outline each with its settings as attributes.

    Flat rather than grouped: the reader keeps a category path in ``notes``, so a grouped file
    would not read back as the same feeds.
    """
    opml = ET.Element("opml", version="2.0")
    head = ET.SubElement(opml, "head")
    ET.SubElement(head, "title").text = title
    ET.SubElement(head, "dateCreated").text = format_datetime(datetime.now(UTC), usegmt=True)
    body = ET.SubElement(opml, "body")
    defaults = Feed.model_fields
    for feed in feeds:
        name = feed.title or feed.id
        attrs = {"type": "rss", "text": name, "title": feed.title, "xmlUrl": feed.url, "id": feed.id, "kind": feed.kind}
        for key in ("actor", "language", "country", "timezone", "full_text", "min_interval_minutes", "enabled"):
            value = getattr(feed, key)
            if value is not None and value != defaults[key].default:
                attrs[key] = str(value).lower() if isinstance(value, bool) else str(value)
        if feed.notes:
            attrs["description"] = feed.notes
        ET.SubElement(body, "outline", attrs)
    ET.indent(opml)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(opml, encoding="unicode")
