"""Ingestion benchmark: N feeds of M items served from 127.0.0.1, ingested twice.

    .venv/bin/python bench/ingest.py [--feeds 200] [--items 20] [--hosts 8] [--profile]

The feeds are generated RSS files (team-written filler text, full text in ``content:encoded``)
served by ``tests.httpserver`` in a separate process (so the server does not compete with the
client for the GIL) on ``--hosts`` loopback addresses (127.0.0.1, 127.0.0.2, ...), with ETag
and Last-Modified. The client runs the production path, ``monitor.pipeline.ingest`` with the
default ``HttpSettings`` (16 concurrent, 2 per host), into a fresh DuckDB file:

- run 1: every feed is new (fetch + parse + store of N*M items);
- run 2: immediately again, so every feed answers 304 to the stored validators.

Times exclude Python start-up, imports and opening the database (migrations). A breakdown
(fetch / parse / store timed separately on another fresh database) says where run 1 spends
its time. Targets (issue 3): run 1 >= 300 feeds/s; run 2 < 20% of run 1's time.
"""

from __future__ import annotations

import argparse
import cProfile
import multiprocessing as mp
import os
import platform
import pstats
import shutil
import sys
import tempfile
import time
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script from anywhere: tests.httpserver and monitor

from monitor import config, pipeline, store  # noqa: E402
from monitor.config import Feed  # noqa: E402
from monitor.ingest.fetch import fetch_feeds  # noqa: E402

ACTORS = ["Baku", "Yerevan", "Moscow", "Ankara", "Tehran", "Paris", "Brussels", "Washington", "Tbilisi"]
TOPICS = ["border delimitation", "the peace agenda", "transport links", "the monitoring mission",
          "the draft treaty", "regional security", "humanitarian demining", "visa facilitation"]


def feed_xml(n: int, items: int) -> str:
    """One generated RSS 2.0 feed with ``items`` entries (summary plus full text)."""
    start = datetime(2026, 6, 1, tzinfo=UTC)
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/">\n<channel>\n'
        f"<title>Bench feed {n}</title><link>https://bench{n}.test/</link><description>Generated</description>\n"
    ]
    for i in range(items):
        a, b = ACTORS[(n + i) % len(ACTORS)], ACTORS[(n + 2 * i + 1) % len(ACTORS)]
        topic = TOPICS[(n * 7 + i) % len(TOPICS)]
        when = (start + timedelta(minutes=37 * i + n)).strftime("%a, %d %b %Y %H:%M:%S +0000")
        summary = f"Officials in {a} commented on {topic} after talks with {b} (feed {n}, item {i})."
        body = "".join(
            f"<p>Paragraph {k} of story {n}-{i}: the spokesperson in {a} said that {topic} needs more work, "
            f"while the delegation from {b} asked for a clearer schedule and for experts to meet again.</p>"
            for k in range(6)
        )
        parts.append(
            f"<item><title>{escape(f'{a} and {b} discuss {topic} ({n}-{i})')}</title>"
            f"<link>https://bench{n}.test/news/{i}?utm_source=rss</link><guid>bench-{n}-{i}</guid>"
            f"<pubDate>{when}</pubDate><description>{escape(summary)}</description>"
            f"<content:encoded><![CDATA[{body}]]></content:encoded></item>\n"
        )
    parts.append("</channel>\n</rss>\n")
    return "".join(parts)


def _serve(directory: str, hosts: list[str], ready: mp.Queue, stop: mp.Event) -> None:  # type: ignore[type-arg]
    from tests.httpserver import serve

    with ExitStack() as stack:
        servers = [stack.enter_context(serve(directory, host)) for host in hosts]
        ready.put([s.base_url for s in servers])
        stop.wait()


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} CPUs ({cpu}), {platform.platform()}, Python {platform.python_version()}"


def breakdown(settings: config.Settings, db: Path) -> dict[str, float]:
    """Run 1's work again on a fresh database, each step timed on its own."""
    con = store.connect(db)
    try:
        store.sync_config(con, settings)
        t0 = time.perf_counter()
        results = fetch_feeds(settings.feeds, settings.http, {})
        t1 = time.perf_counter()
        by_id = {f.id: f for f in settings.feeds}
        records = [pipeline.prepare_fetch(settings, con, by_id[r.feed_id], r) for r in results]
        t2 = time.perf_counter()
        step = pipeline.FEEDS_PER_COMMIT
        for lo in range(0, len(records), step):
            store.record_fetches(con, records[lo : lo + step])
        t3 = time.perf_counter()
    finally:
        con.close()
    return {"fetch": t1 - t0, "parse": t2 - t1, "store": t3 - t2}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--feeds", type=int, default=200)
    ap.add_argument("--items", type=int, default=20)
    ap.add_argument("--hosts", type=int, default=8, help="loopback addresses to spread the feeds over")
    ap.add_argument("--profile", action="store_true", help="print the top functions of run 1 (cProfile)")
    a = ap.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    ctx = mp.get_context("spawn")
    stop = ctx.Event()
    ready: mp.Queue = ctx.Queue()  # type: ignore[type-arg]
    try:
        site = work / "site"
        site.mkdir()
        for n in range(a.feeds):
            (site / f"feed-{n}.xml").write_text(feed_xml(n, a.items), encoding="utf-8")
        hosts = [f"127.0.0.{h + 1}" for h in range(a.hosts)]
        server = ctx.Process(target=_serve, args=(str(site), hosts, ready, stop), daemon=True)
        server.start()
        bases = ready.get(timeout=60)

        cfg = work / "config"
        cfg.mkdir()
        for name in ("actors.yaml", "baselines.yaml", "feeds.yaml"):
            shutil.copy(ROOT / "config" / name, cfg / name)
        feeds = [Feed(id=f"bench-{n}", url=f"{bases[n % len(bases)]}/feed-{n}.xml") for n in range(a.feeds)]
        settings = config.load(cfg).with_feeds(feeds)

        con = store.connect(work / "bench.duckdb")
        try:
            profiler = cProfile.Profile() if a.profile else None
            t0 = time.perf_counter()
            if profiler:
                profiler.enable()
            first = pipeline.ingest(settings, con)
            if profiler:
                profiler.disable()
            t1 = time.perf_counter()
            second = pipeline.ingest(settings, con)
            t2 = time.perf_counter()
            stored = con.execute("SELECT count(*) FROM items").fetchone()[0]  # type: ignore[index]
        finally:
            con.close()
        parts = breakdown(settings, work / "breakdown.duckdb")
    finally:
        stop.set()
        shutil.rmtree(work, ignore_errors=True)

    run1, run2 = t1 - t0, t2 - t1
    print(f"machine: {machine()}")
    print(f"feeds: {a.feeds} x {a.items} items on {a.hosts} loopback hosts; HttpSettings defaults "
          f"(max_concurrency {settings.http.max_concurrency}, per host {settings.http.per_host_concurrency})")
    print(f"{'run':<14}{'seconds':>9}{'feeds/s':>10}{'items/s':>10}  states")
    for name, secs, summary in (("1 (new)", run1, first), ("2 (all 304)", run2, second)):
        states = ", ".join(f"{k} {v}" for k, v in sorted(summary.states.items()))
        print(f"{name:<14}{secs:9.3f}{a.feeds / secs:10.0f}{summary.items_new / secs:10.0f}  {states}")
    print(f"items stored: {stored}; run 2 / run 1 time: {run2 / run1:.1%}")
    print("run 1 breakdown (fresh database): " + ", ".join(f"{k} {v:.3f}s" for k, v in parts.items()))
    ok1 = a.feeds / run1 >= 300
    ok2 = run2 < 0.2 * run1
    print(f"targets: run 1 >= 300 feeds/s: {'met' if ok1 else 'MISSED'}; run 2 < 20% of run 1: "
          f"{'met' if ok2 else 'MISSED'}")
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
