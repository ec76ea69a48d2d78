"""Full text for summary-only feeds: fetch the article page and extract its main text.

APA, Trend, AZERTAC and the Turkish wires carry a one-sentence summary (FEEDS.md section 2);
the statement is on the article page. Per feed, ``full_text`` says when to go there:

- ``never``: keep what the feed gave.
- ``always``: fetch every item's page (unless the feed already carried the full text).
- ``auto``: fetch when the summary looks cut: shorter than :data:`SHORT_SUMMARY` characters or
  ending in an excerpt marker ("...", "[…]", "Read more").

Pages go through :func:`monitor.ingest.fetch.fetch_page` with the same client and limits as feeds
(byte cap, timeouts, per-host concurrency). Extraction is trafilatura first (the reference
extractor), then beautifulsoup4 over containers that known CMSs use for the article body.
A page that fails or yields no text leaves the summary in place and is logged; nothing here
raises for a page.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Collection, Sequence
from dataclasses import replace

import httpx
import trafilatura
from bs4 import BeautifulSoup

from monitor.config import Feed, HttpSettings
from monitor.ingest.fetch import fetch_page, map_per_host
from monitor.ingest.parse import clean_text, decode_body
from monitor.records import Item

log = logging.getLogger(__name__)

SHORT_SUMMARY = 400
EXCERPT_MARKERS = ("...", "…", "[…]", "[...]", "read more", "read more.", "continue reading", "more»", "more »")
# Article containers of CMSs seen in the source list (wire agencies, WordPress, Pangea, Drupal).
KNOWN_CONTAINERS = (
    "[itemprop=articleBody]",
    "div.news-text",
    "div.article-body",
    "div.article__text",
    "div.entry-content",
    "div.wsw",
    "div.field--name-body",
    "article",
)
_PAGE_TYPES = ("html", "xml", "text/plain")


def needs_full_text(feed: Feed, item: Item) -> bool:
    """Whether the article page should be fetched for ``item`` under the feed's setting."""
    if feed.full_text == "never" or item.full_text or not item.url.startswith(("http://", "https://")):
        return False
    if feed.full_text == "always":
        return True
    summary = item.summary.strip().lower()
    return len(summary) < SHORT_SUMMARY or summary.endswith(EXCERPT_MARKERS)


def fill_full_text(
    client: httpx.Client,
    http: HttpSettings,
    feed: Feed,
    items: Sequence[Item],
    *,
    known: Collection[str] = (),
) -> tuple[list[Item], int]:
    """Items with ``full_text`` from their article pages where needed; and the pages fetched.

    ``known`` holds keys of items already stored; their pages are not fetched again. Pages are
    fetched concurrently (bounded overall and per host, like feeds).
    """
    todo = [i for i, it in enumerate(items) if it.key() not in known and needs_full_text(feed, it)]
    out = list(items)
    if not todo:
        return out, 0
    texts = map_per_host([items[i].url for i in todo], lambda k: _page_text(client, http, feed, items[todo[k]]), http)
    for i, text in zip(todo, texts, strict=True):
        if text:
            out[i] = replace(items[i], full_text=text)
    return out, len(todo)


def _page_text(client: httpx.Client, http: HttpSettings, feed: Feed, item: Item) -> str:
    """The extracted text of one item's page, or "" (logged) when there is none."""
    try:
        result = fetch_page(client, item.url, http, feed_id=feed.id)
        if not result.ok:
            log.info("full text %s: page %s (%s: %s)", item.url, result.state, result.error_class, result.error)
            return ""
        content_type = result.headers.get("content-type", "text/html").lower()
        if not any(t in content_type for t in _PAGE_TYPES):
            log.info("full text %s: not a page (Content-Type %r)", item.url, content_type)
            return ""
        markup, _, _ = decode_body(result.body, content_type)
        text = extract_main_text(markup, item.url)
    except Exception:  # noqa: BLE001 - a page never stops the feed; extractor bugs included
        log.exception("full text %s: extraction failed", item.url)
        return ""
    head, _, rest = text.partition("\n\n")
    if rest and head.strip().casefold() == item.title.strip().casefold():
        text = rest  # the page's own <h1>; the title is stored separately
    if len(text) <= len(item.summary):
        log.info("full text %s: extracted %d chars, not more than the summary; kept the summary", item.url, len(text))
        return ""
    return text


def extract_main_text(markup: str, url: str | None = None) -> str:
    """Main text of an article page: trafilatura, else a known article container, else ""."""
    extracted = trafilatura.extract(
        markup, url=url, include_comments=False, include_tables=False, include_images=False, favor_precision=True
    )
    text = _normalise(extracted or "")
    if text:
        return text
    return _known_container_text(markup)


def _known_container_text(markup: str) -> str:
    soup = BeautifulSoup(markup, "lxml")
    for selector in KNOWN_CONTAINERS:
        node = soup.select_one(selector)
        if node is None:
            continue
        paragraphs = [clean_text(p.decode_contents()) for p in node.find_all("p")]
        text = "\n\n".join(p for p in paragraphs if p) or clean_text(node.decode_contents())
        if text:
            return text
    return ""


def _normalise(text: str) -> str:
    """trafilatura's lines as paragraphs separated by a blank line, whitespace collapsed."""
    lines = (re.sub(r"\s+", " ", line).strip() for line in text.splitlines())
    return "\n\n".join(line for line in lines if line)
