"""End-to-end benchmark: ingest, extract, classify and compare on a generated corpus from 127.0.0.1.

    .venv/bin/python bench/pipeline.py [--feeds 200] [--items 20] [--hosts 8] [--threads N] [--profile]

The corpus is N feeds of M items (RSS, full text in ``content:encoded``), written from
templates: quotes and reported speech of the officials in ``config/actors.yaml``, in news feeds
and in government feeds (where the ministry itself speaks), favouring or opposing Western, EU,
US or French mediation mostly as each actor's baseline says, plus context sentences that are
not statements. The feeds are served by ``tests.httpserver`` in another process (see
``bench/ingest.py``) and the stages of ``monitor.pipeline`` run on a fresh DuckDB file with the
model already loaded (load time is reported, not counted).

Run 1 takes the whole corpus. Then a batch of new items is published on four feeds: officials
of an actor whose baseline is "against" now welcome Western mediation. Run 2 (every feed polled
again, the unchanged ones answer 304) must open an alert for that actor; the time from writing
the files to the alert row is the measured publication-to-alert latency. At the default
schedule (every 5 minutes) an item waits up to one interval for the next run, so the worst case
is the interval plus that time, the mean half the interval plus it.

Times are wall clock and CPU seconds of this process (all threads): on a shared machine the
CPU column is the steadier figure. ``--threads 1`` pins torch to one intra-op thread; with
torch's default (one per core) on a busy 2-core machine the OpenMP threads fight the other
processes and small batches run many times slower. ``--profile`` shows where run 1 goes.

Targets (issue 8): >= 100 statements/s end to end, peak RSS < 1.5 GB, latency < 5 minutes.
"""

from __future__ import annotations

import argparse
import cProfile
import multiprocessing as mp
import os
import pstats
import random
import resource
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script from anywhere

from bench.ingest import _serve, machine  # noqa: E402
from monitor import config, pipeline, store  # noqa: E402
from monitor.config import Actor, Feed, Settings  # noqa: E402
from monitor.stance.relevance import RelevanceScorer  # noqa: E402

REFS = {  # ways to name each target of the stance
    "West": ["Western mediation", "the involvement of the West", "mediation by Western capitals", "extra-regional powers"],
    "EU": ["the EU monitoring mission", "the European Union's mediation", "Brussels' role in the talks", "the EU observers"],
    "US": ["Washington's mediation", "the US-brokered talks", "American engagement in the peace process",
           "the role of the United States"],
    "France": ["France's role in the talks", "French mediation", "the position of Paris", "the Élysée's initiatives"],
}
FAVOR = [
    "we welcome {ref} and hope it continues until the peace treaty between Armenia and Azerbaijan is signed",
    "{ref} has been constructive and helped move border delimitation forward",
    "the peace process benefits from {ref}, and we are grateful for it",
    "{ref} gives both sides the confidence to keep negotiating",
]
AGAINST = [
    "{ref} only creates new dividing lines in the South Caucasus and is not welcome",
    "the problems of the region must be solved by its own countries, without {ref}",
    "{ref} is biased and undermines the talks between Baku and Yerevan",
    "{ref} serves outside interests and makes a lasting peace harder to reach",
]
NEUTRAL = [
    "the next round of talks on border delimitation will take place next month",
    "experts will meet again to discuss the opening of transport links",
    "the commissions have exchanged new maps and will continue their work",
]
CONTEXT = [
    "The talks follow months of contacts on {topic}.",
    "Officials did not give a date for the next meeting on {topic}.",
    "Both delegations met in {place} earlier this week to discuss {topic}.",
    "Reporters were not allowed to attend the session on {topic}.",
]
TOPICS = ["border delimitation", "the peace agenda", "transport links", "the draft treaty", "humanitarian demining",
          "the return of detainees", "regional security", "the monitoring mission"]
PLACES = ["Brussels", "Tbilisi", "Geneva", "Washington", "Vienna", "Istanbul", "Moscow", "Almaty"]
OCCASIONS = ["after the meeting in {place}", "during the visit to {place}", "at a press conference in {place}",
             "ahead of the talks in {place}", "in an interview recorded in {place}"]
VERBS = ["said", "stressed", "told reporters", "noted", "added", "declared"]


@dataclass(frozen=True)
class Speaker:
    actor: str
    name: str
    role: str
    country: str


def speakers(actors: tuple[Actor, ...]) -> dict[str, list[Speaker]]:
    return {a.id: [Speaker(a.id, o.name, o.role, a.name) for o in a.officials] for a in actors if a.officials}


def stance_clause(rng: random.Random, label: str, target: str) -> str:
    """One stance sentence; occasion and round make most texts distinct (copies count once)."""
    templates = {"favor": FAVOR, "against": AGAINST, "none": NEUTRAL}[label]
    occasion = rng.choice(OCCASIONS).format(place=rng.choice(PLACES))
    return (rng.choice(templates).format(ref=rng.choice(REFS[target]))
            + f", {occasion} before round {rng.randrange(2, 60)} of the talks")


def pick_label(rng: random.Random, baseline: str | None) -> str:
    """Mostly the actor's baseline label, sometimes nothing or (rarely) the other side."""
    r = rng.random()
    usual = baseline or rng.choice(["favor", "against"])
    if r < 0.85:
        return usual
    return "none" if r < 0.95 else ("against" if usual == "favor" else "favor")


def news_body(rng: random.Random, who: list[Speaker], labels: list[tuple[str, str]]) -> str:
    """Paragraphs with a quote and reported speech per speaker, and a context sentence."""
    paras = []
    for sp, (label, target) in zip(who, labels, strict=True):
        clause = stance_clause(rng, label, target)
        surname = sp.name.split()[-1]
        if rng.random() < 0.5:
            quote = clause[0].upper() + clause[1:]
            paras.append(f"\u201c{quote},\u201d {sp.name}, {sp.role} of {sp.country}, {rng.choice(VERBS)}.")
        else:
            paras.append(f"{sp.name}, {sp.role} of {sp.country}, said that {clause}.")
        second = stance_clause(rng, label, target)
        paras.append(f"{surname} also said that {second}.")
    paras.append(rng.choice(CONTEXT).format(topic=rng.choice(TOPICS), place=rng.choice(PLACES)))
    rng.shuffle(paras[:-1])
    return "".join(f"<p>{escape(p)}</p>" for p in paras)


def government_body(rng: random.Random, label: str, target: str) -> str:
    """A ministry release: the ministry speaks, then its spokesperson is quoted."""
    first, second = stance_clause(rng, label, target), stance_clause(rng, label, target)
    paras = [f"The Ministry of Foreign Affairs stated that {first}.",
             f"\u201c{second[0].upper() + second[1:]},\u201d the spokesperson {rng.choice(VERBS)}.",
             rng.choice(CONTEXT).format(topic=rng.choice(TOPICS), place=rng.choice(PLACES))]
    return "".join(f"<p>{escape(p)}</p>" for p in paras)


def item_xml(feed: int, guid: str, title: str, body: str, when: datetime) -> str:
    return (f"<item><title>{escape(title)}</title><link>https://bench{feed}.test/news/{guid}</link>"
            f"<guid isPermaLink=\"false\">{guid}</guid><pubDate>{when.strftime('%a, %d %b %Y %H:%M:%S +0000')}</pubDate>"
            f"<description>{escape(title)}</description><content:encoded><![CDATA[{body}]]></content:encoded></item>\n")


def feed_xml(n: int, items: list[str]) -> str:
    return ('<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/">\n<channel>\n'
            f"<title>Bench feed {n}</title><link>https://bench{n}.test/</link><description>Generated</description>\n"
            + "".join(items) + "</channel>\n</rss>\n")


class Corpus:
    """The generated feeds: their files, their settings, and a shift batch published later."""

    def __init__(self, settings: Settings, site: Path, feeds: int, items: int, seed: int = 8):
        self.site, self.now = site, datetime.now(UTC).replace(microsecond=0)
        self.speakers = speakers(settings.actors)
        self.baseline = {(b.actor, b.target): b.label for b in settings.baselines}
        self.items: dict[int, list[str]] = {}
        self.specs: list[tuple[str, str | None]] = []  # (kind, actor) per feed
        gov_actors = sorted(self.speakers)
        for n in range(feeds):
            rng = random.Random(seed * 1_000_003 + n)
            kind, actor = ("government", gov_actors[n % len(gov_actors)]) if n % 4 == 0 else ("news", None)
            self.specs.append((kind, actor))
            self.items[n] = [self.base_item(rng, n, i, kind, actor) for i in range(items)]
            (site / f"feed-{n}.xml").write_text(feed_xml(n, self.items[n]), encoding="utf-8")

    def base_item(self, rng: random.Random, n: int, i: int, kind: str, actor: str | None) -> str:
        when = self.now - timedelta(days=45) + timedelta(minutes=rng.randrange(45 * 24 * 60))
        target = rng.choice(list(REFS))
        if kind == "government" and actor:
            label = pick_label(rng, self.baseline.get((actor, target)))
            return item_xml(n, f"bench-{n}-{i}", f"Ministry statement on {rng.choice(TOPICS)} ({n}-{i})",
                            government_body(rng, label, target), when)
        who = rng.sample([s for group in self.speakers.values() for s in group], k=rng.choice([1, 1, 2]))
        labels = [(pick_label(rng, self.baseline.get((s.actor, target))), target) for s in who]
        title = f"{who[0].name} on {rng.choice(TOPICS)} ({n}-{i})"
        return item_xml(n, f"bench-{n}-{i}", title, news_body(rng, who, labels), when)

    def publish_shift(self, actor: str, per_feed: int = 3) -> tuple[list[str], float]:
        """Add items where ``actor``'s officials welcome Western mediation to four news feeds."""
        rng = random.Random(99)
        news = [n for n, (kind, _) in enumerate(self.specs) if kind == "news"][:4]
        guids = []
        for k, n in enumerate(news):
            for j in range(per_feed):
                sp = self.speakers[actor][(k + j) % len(self.speakers[actor])]
                guid = f"bench-shift-{n}-{j}"
                when = datetime.now(UTC) - timedelta(minutes=5 - j)
                self.items[n].insert(0, item_xml(n, guid, f"{sp.name} welcomes mediation ({guid})",
                                                 news_body(rng, [sp], [("favor", "West")]), when))
                guids.append(guid)
        t = time.perf_counter()
        for n in news:
            (self.site / f"feed-{n}.xml").write_text(feed_xml(n, self.items[n]), encoding="utf-8")
        return guids, t


class PeakRss:
    """Samples this process's RSS on a thread; ``ru_maxrss`` gives the kernel's own peak."""

    def __init__(self, every: float = 0.05):
        self.peak, self.every, self._stop = 0, every, threading.Event()
        self._proc = psutil.Process()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._proc.memory_info().rss)
            self._stop.wait(self.every)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def timed(stages: dict[str, tuple[float, float]], name: str, fn: Callable[[], Any]) -> Any:
    """Run ``fn``; record (wall seconds, CPU seconds of this process, all threads)."""
    t, c = time.perf_counter(), time.process_time()
    out = fn()
    stages[name] = (time.perf_counter() - t, time.process_time() - c)
    return out


def run_stages(settings: Settings, con: store.Connection, scorer: RelevanceScorer, clf: Any,
               jsonl: Path) -> tuple[dict[str, tuple[float, float]], dict[str, int]]:
    """The four stages of ``pipeline.run`` with the warm model, each timed."""
    t: dict[str, tuple[float, float]] = {}
    summary = timed(t, "ingest", lambda: pipeline.ingest(settings, con))
    statements, relevant = timed(t, "extract", lambda: pipeline.extract(settings, con, scorer=scorer))
    stances, model_id = timed(t, "classify", lambda: pipeline.classify(settings, con, clf))
    new, open_, _sent, _pending = timed(t, "compare", lambda: pipeline.compare(settings, con, model_id, jsonl=jsonl))
    return t, {"items": summary.items_new, "statements": statements, "relevant": relevant, "stances": stances,
               "alerts_new": new, "alerts_open": open_}


def table(title: str, t: dict[str, tuple[float, float]], n: dict[str, int]) -> list[str]:
    rows = {"ingest": ("items", n["items"]), "extract": ("statements", n["statements"]),
            "classify": ("stances", n["stances"]), "compare": ("alerts (new)", n["alerts_new"])}
    wall, cpu = sum(w for w, _ in t.values()), sum(c for _, c in t.values())
    out = [f"\n### {title}\n", "| stage | wall s | CPU s | share | rows | rows/s (wall) |",
           "| --- | ---: | ---: | ---: | --- | ---: |"]
    for stage, (w, c) in t.items():
        what, count = rows[stage]
        out.append(f"| {stage} | {w:.2f} | {c:.2f} | {w / wall:.0%} | {count} {what} | {count / w if w else 0:.0f} |")
    out.append(f"| **total** | **{wall:.2f}** | **{cpu:.2f}** | | {n['statements']} statements ({n['relevant']} relevant) | "
               f"**{n['statements'] / wall:.1f} statements/s** |")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--feeds", type=int, default=200)
    ap.add_argument("--items", type=int, default=20)
    ap.add_argument("--hosts", type=int, default=8, help="loopback addresses to spread the feeds over")
    ap.add_argument("--threads", type=int, default=0, help="torch intra-op threads (default: torch's own choice)")
    ap.add_argument("--interval", type=float, default=5.0, help="schedule interval in minutes (default 5)")
    ap.add_argument("--profile", action="store_true", help="profile run 1 (cProfile) and print the top functions")
    a = ap.parse_args(argv)

    import torch

    if a.threads:
        torch.set_num_threads(a.threads)
    load_before = os.getloadavg()
    work = Path(tempfile.mkdtemp(prefix="bench-pipeline-"))
    ctx = mp.get_context("spawn")
    stop, ready = ctx.Event(), ctx.Queue()
    try:
        site = work / "site"
        site.mkdir()
        cfg = work / "config"
        cfg.mkdir()
        for name in ("actors.yaml", "baselines.yaml", "feeds.yaml"):
            shutil.copy(ROOT / "config" / name, cfg / name)
        base_settings = config.load(cfg)
        t = time.perf_counter()
        corpus = Corpus(base_settings, site, a.feeds, a.items)
        gen_s = time.perf_counter() - t
        hosts = [f"127.0.0.{h + 1}" for h in range(a.hosts)]
        server = ctx.Process(target=_serve, args=(str(site), hosts, ready, stop), daemon=True)
        server.start()
        bases = ready.get(timeout=60)
        feeds = [Feed(id=f"bench-{n}", url=f"{bases[n % len(bases)]}/feed-{n}.xml", kind=kind, actor=actor,  # type: ignore[arg-type]
                      full_text="never") for n, (kind, actor) in enumerate(corpus.specs)]
        settings = base_settings.with_feeds(feeds)

        t = time.perf_counter()
        clf = pipeline.classifier(settings)
        scorer = pipeline.relevance_scorer(settings)
        _ = scorer._prototypes  # embed the topic prototypes now, outside the timings
        load_s = time.perf_counter() - t
        rss_loaded = psutil.Process().memory_info().rss

        db, jsonl = work / "bench.duckdb", work / "alerts.jsonl"
        con = store.connect(db)
        profiler = cProfile.Profile() if a.profile else None
        try:
            with PeakRss() as peak:
                if profiler:
                    profiler.enable()
                t1, n1 = run_stages(settings, con, scorer, clf, jsonl)
                if profiler:
                    profiler.disable()
                # an actor with no West alert yet (an open one hides the new one, a recent one its cooldown)
                alerted = {r[0]: r[1] for r in con.execute(
                    "SELECT actor, bool_or(status = 'open') FROM alerts WHERE target = 'West' GROUP BY actor").fetchall()}
                against = [b.actor for b in settings.baselines if b.target == "West" and b.label == "against"
                           and b.actor in corpus.speakers]
                actor = next((x for x in against if x not in alerted), None) or next(x for x in against if not alerted[x])
                guids, published = corpus.publish_shift(actor)
                t2, n2 = run_stages(settings, con, scorer, clf, jsonl)
                alert_at = time.perf_counter()
                opened = con.execute(
                    "SELECT id, target, observed, baseline, n_statements FROM alerts WHERE actor = ? AND status = 'open'"
                    " AND target = 'West'", [actor]).fetchall()
                shift = con.execute(
                    """SELECT s.actor, coalesce(t.label, 'not relevant'), coalesce(t.target, '-'), t.uncertain, count(*)
                       FROM statements s JOIN items i ON i.id = s.item_id LEFT JOIN stances t ON t.statement_id = s.id
                       WHERE i.guid IN (SELECT unnest(?)) GROUP BY ALL ORDER BY ALL""", [guids]).fetchall()
                shift_stmts = sum(r[-1] for r in shift)
        finally:
            con.close()
        maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    finally:
        stop.set()
        shutil.rmtree(work, ignore_errors=True)

    load_after = os.getloadavg()
    rate = n1["statements"] / sum(w for w, _ in t1.values())
    latency = alert_at - published
    worst, mean = a.interval * 60 + latency, a.interval * 30 + latency
    lines = [
        "## Pipeline benchmark",
        f"\nmachine: {machine()}; nproc {os.cpu_count()}, usable {len(os.sched_getaffinity(0))}; "
        f"torch {torch.__version__}, {torch.get_num_threads()} intra-op threads",
        f"load average before {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}, "
        f"after {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f}",
        f"corpus: {a.feeds} feeds x {a.items} items ({sum(k == 'government' for k, _ in corpus.specs)} government feeds) "
        f"on {a.hosts} loopback hosts, generated in {gen_s:.1f}s; model load (not timed below) {load_s:.1f}s",
    ]
    lines += table("Run 1: the whole corpus, fresh database", t1, n1)
    lines += table(f"Run 2: {len(guids)} new items on 4 feeds (the other {a.feeds - 4} answer 304)", t2, n2)
    lines += [
        "\n### Targets\n",
        "| measure | value | target | |", "| --- | ---: | ---: | --- |",
        f"| statements/s end to end (run 1, model warm) | {rate:.1f} | >= 100 | {'met' if rate >= 100 else 'MISSED'} |",
        f"| peak RSS (ru_maxrss) | {maxrss / 2**20:.0f} MiB | < 1536 MiB | {'met' if maxrss < 1.5 * 2**30 else 'MISSED'} |",
        f"| peak RSS (psutil, sampled every 50 ms) | {peak.peak / 2**20:.0f} MiB | | after model load: {rss_loaded / 2**20:.0f} MiB |",
        f"| publication to alert, measured (write files -> alert row, run 2) | {latency:.1f} s | | "
        f"{shift_stmts} shift statements; alert {'opened' if opened else 'NOT opened'} for {actor} |",
        f"| publication to alert, worst case at every {a.interval:g} min | {worst / 60:.2f} min | < 5 min | "
        f"{'met' if worst < 300 else 'MISSED'} |",
        f"| publication to alert, mean at every {a.interval:g} min | {mean / 60:.2f} min | < 5 min | "
        f"{'met' if mean < 300 else 'MISSED'} |",
    ]
    lines.append("\nshift statements (actor, label, target, uncertain, count): "
                 + "; ".join(" ".join(str(v) for v in r) for r in shift))
    for alert_id, target, observed, baseline, count in opened:
        lines.append(f"\nalert {alert_id}: {actor} x {target} observed {observed:+.2f} vs baseline {baseline:+.2f} "
                     f"({count} statements)")
    print("\n".join(lines))
    if profiler:
        print("\n### Profile of run 1 (top 25 by internal time)\n")
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
