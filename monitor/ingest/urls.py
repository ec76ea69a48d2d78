"""Canonical URLs, so the same article reached through tracking links dedups to one key.

RT-style feeds put ``utm_*`` parameters in every ``<link>``; newsletters and social shares add
``fbclid``/``gclid``/``yclid``. Those change nothing about the page, so they are dropped, as
are fragments, the default port and upper case in scheme and host. The path and every other
query parameter are kept as they are: ``?id=123`` often *is* the article, and guessing about
trailing slashes or ``www.`` would merge pages that differ on some servers.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

TRACKING_PARAMS = frozenset({
    "fbclid", "gclid", "dclid", "yclid", "msclkid", "igshid", "_ga", "_gl",
    "mc_cid", "mc_eid", "ref", "ref_src", "ref_url", "_hsenc", "_hsmi",
})
TRACKING_PREFIXES = ("utm_",)
DEFAULT_PORTS = {"http": 80, "https": 443}


def is_tracking_param(name: str) -> bool:
    """True for query parameters that only say how a reader arrived, not what they read."""
    lower = name.lower()
    return lower in TRACKING_PARAMS or lower.startswith(TRACKING_PREFIXES)


def canonical_url(url: str) -> str:
    """Normalise ``url`` for dedup; a value that is not an http(s) URL comes back stripped.

    >>> canonical_url("HTTPS://www.RT.com:443/news/1/?utm_source=rss&id=7#top")
    'https://www.rt.com/news/1/?id=7'
    """
    url = url.strip()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return url
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        return url
    host = parts.hostname.lower().rstrip(".")
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    if port is not None and port != DEFAULT_PORTS[scheme]:
        host = f"{host}:{port}"
    userinfo = parts.netloc.rpartition("@")[0]
    netloc = f"{userinfo}@{host}" if userinfo else host
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        kept = [(k, v) for k, v in pairs if not is_tracking_param(k)]
        if len(kept) != len(pairs):
            query = urlencode(kept, doseq=False)
    return urlunsplit((scheme, netloc, parts.path or "/", query, ""))
