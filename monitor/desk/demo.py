"""The demo: team-written feeds served on 127.0.0.1 so the whole pipeline runs offline."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import yaml

from monitor import config

DEMO_DIR = Path(__file__).resolve().parent.parent / "data" / "demo"


class _QuietHandler(SimpleHTTPRequestHandler):
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".xml": "application/xml"}

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass


@contextmanager
def serve_demo(directory: Path = DEMO_DIR) -> Iterator[str]:
    """Serve ``directory`` on a free loopback port; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def demo_settings(config_dir: str | Path, base_url: str) -> config.Settings:
    """The configured actors and baselines with the demo feeds, pointed at ``base_url``."""
    settings = config.load(config_dir)
    feeds = config.load_feeds_file(DEMO_DIR / "feeds.yaml")
    # the demo items carry their whole text, and their article links point at .invalid hosts
    moved = [f.model_copy(update={"url": base_url + "/" + f.url.split("/", 3)[3], "full_text": "never"}) for f in feeds]
    return settings.with_feeds(moved)


def write_feeds_yaml(feeds: Sequence[config.Feed], path: Path) -> Path:
    """Write feeds in ``feeds.yaml`` form (ids kept), for flows that take a feeds file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"feeds": [f.model_dump(exclude_defaults=True) | {"id": f.id, "url": f.url} for f in feeds]}
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path
