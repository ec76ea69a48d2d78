"""The pipeline's stages as plain library calls: ingest, extract, classify, compare.

Prefect flows (``flows/``) and the CLI call these; they never import Prefect. Each stage
reads its pending work from the store and writes its results in transactions, so every
stage is idempotent and a crash leaves work to be completed by the next run.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from monitor import snapshot, store
from monitor.config import Feed, Settings
from monitor.ingest.fetch import iter_fetch_feeds, make_client
from monitor.ingest.fulltext import fill_full_text, needs_full_text
from monitor.ingest.parse import canonical_url, parse_feed
from monitor.records import FetchResult
from monitor.shifts import alerts
from monitor.shifts.baseline import Point, detect_all
from monitor.stance.classifier import StanceClassifier, load_classifier, mask_text
from monitor.stance.encoder import Encoder
from monitor.stance.relevance import RelevanceScorer
from monitor.statements.actors import ActorIndex
from monitor.statements.extract import extract_statements

log = logging.getLogger(__name__)

GOOD_STATES = ("ok", "not_modified", "empty", "truncated")
BACKOFF_AFTER = 3  # consecutive failures before a feed is polled less often
BACKOFF_MAX = timedelta(hours=24)
FEEDS_PER_COMMIT = 50  # fetches stored per transaction


@dataclass(frozen=True)
class Shard:
    """Worker ``index`` of ``count`` (1-based): it fetches, extracts and classifies its share of the feeds.

    Feeds are dealt out in the order of their ids, so every worker must load the same feed list.
    Shards need a store that several processes write at once (DuckLake); on a DuckDB file the
    writer lock lets one run at a time.
    """

    index: int = 1
    count: int = 1

    @classmethod
    def parse(cls, text: str) -> Shard:
        """``"K/N"``, e.g. ``"2/3"``."""
        k, _, n = text.partition("/")
        if not (k.isdigit() and n.isdigit() and 1 <= int(k) <= int(n)):
            raise ValueError(f"a shard is K/N with 1 <= K <= N, not {text!r}")
        return cls(int(k), int(n))

    def feeds(self, settings: Settings) -> list[Feed]:
        ordered = sorted((f for f in settings.feeds if f.enabled), key=lambda f: f.id)
        return ordered[self.index - 1 :: self.count]

    def feed_ids(self, settings: Settings) -> list[str] | None:
        """This shard's feed ids, None for the whole store."""
        return None if self.count == 1 else [f.id for f in self.feeds(settings)]


WHOLE = Shard()


@dataclass
class RunSummary:
    """What one pipeline run did, for the CLI, the flow's artifact and the tests."""

    feeds: int = 0
    states: Counter[str] = field(default_factory=Counter)
    items_new: int = 0
    items_seen: int = 0
    statements: int = 0
    relevant: int = 0
    stances: int = 0
    alerts_open: int = 0
    alerts_new: int = 0
    deliveries_sent: int = 0
    deliveries_pending: int = 0
    model_id: str = ""
    skipped: str = ""
    compare_deferred: bool = False

    @property
    def reachable(self) -> int:
        return sum(n for s, n in self.states.items() if s in GOOD_STATES)

    def lines(self) -> list[str]:
        if self.skipped:
            return [f"skipped: {self.skipped}"]
        states = ", ".join(f"{k} {v}" for k, v in sorted(self.states.items())) or "none"
        return [
            f"feeds: {self.feeds} ({states})",
            f"items: {self.items_new} new, {self.items_seen} already seen",
            f"statements: {self.statements} new ({self.relevant} relevant)",
            f"stances: {self.stances} new (model {self.model_id or 'not loaded'})",
            "alerts: deferred until no shard has work pending" if self.compare_deferred else
            f"alerts: {self.alerts_new} new, {self.alerts_open} open; deliveries {self.deliveries_sent} sent, {self.deliveries_pending} pending",
        ]


def jsonl_path(settings: Settings, db: str | Path) -> Path:
    p = Path(settings.alerts.jsonl)
    if p.is_absolute() or ":" in str(db):
        return p
    return Path(db).parent / p


# ---------------------------------------------------------------- ingest


def due_feeds(settings: Settings, con: store.Connection, now: datetime | None = None,
              shard: Shard = WHOLE) -> tuple[list[Feed], list[tuple[Feed, str]]]:
    """Feeds of ``shard`` to fetch now, and those backed off (with the reason) after repeated failures."""
    now = now or datetime.now(UTC)
    states = store.feed_states(con)
    due, backed_off = [], []
    for feed in shard.feeds(settings):
        st = states.get(feed.id)
        if st and st.last_attempt and feed.min_interval_minutes and now - st.last_attempt < timedelta(minutes=feed.min_interval_minutes):
            continue
        if st and st.consecutive_failures >= BACKOFF_AFTER and st.last_attempt:
            wait = min(BACKOFF_MAX, timedelta(minutes=15) * 2 ** (st.consecutive_failures - BACKOFF_AFTER))
            if now - st.last_attempt < wait:
                backed_off.append((feed, f"{st.consecutive_failures} consecutive failures; next try after {(st.last_attempt + wait).isoformat(timespec='minutes')}"))
                continue
        due.append(feed)
    return due, backed_off


def validators(con: store.Connection) -> dict[str, tuple[str | None, str | None]]:
    return {fid: (st.etag, st.last_modified) for fid, st in store.feed_states(con).items()}


def prepare_fetch(settings: Settings, con: store.Connection, feed: Feed, result: FetchResult,
                  client: httpx.Client | None = None) -> store.FetchRecord:
    """Parse one fetched feed and fill full text where needed: what to store for this fetch."""
    items, state, error, error_class = [], result.state, result.error, result.error_class
    if result.ok:
        parsed = parse_feed(feed, result)
        items = list(parsed.items)
        if parsed.state != "ok" or result.state == "truncated":
            state = result.state if result.state == "truncated" and parsed.state == "ok" else parsed.state
            error = parsed.error or error
            error_class = error_class or {"not_a_feed": "NotAFeed", "malformed": "MalformedFeed"}.get(parsed.state)
        if client is not None and any(needs_full_text(feed, it) for it in items):
            known = store.known_item_ids(con, feed.id, [it.key() for it in items])
            items, _pages = fill_full_text(client, settings.http, feed, items, known=known)
    canonical = {it.key(): canonical_url(it.url) for it in items if it.url}
    return store.FetchRecord(result, items, state, error, error_class, canonical)


def _failed(feed: Feed, result: FetchResult, exc: Exception) -> store.FetchRecord:
    """The record of a fetch whose data could not be processed or stored."""
    failed = FetchResult(feed.id, feed.url, result.started, datetime.now(UTC), "failed", status=result.status,
                         error_class=type(exc).__name__, error=str(exc)[:500])
    return store.FetchRecord(failed)


def _commit(con: store.Connection, records: list[store.FetchRecord], feeds: dict[str, Feed], summary: RunSummary) -> None:
    """Store a batch of fetches in one transaction; if that fails, feed by feed, isolating the bad one."""
    if not records:
        return
    try:
        counts = store.record_fetches(con, records)
    except Exception as exc:  # noqa: BLE001 - the transaction rolled back; nothing of the batch is stored
        if len(records) > 1:
            for rec in records:
                _commit(con, [rec], feeds, summary)
            return
        rec = records[0]
        log.exception("feed %s: could not store fetch", rec.result.feed_id)
        records = [_failed(feeds[rec.result.feed_id], rec.result, exc)]  # recorded, without its items
        counts = store.record_fetches(con, records)
    for rec, (new, seen) in zip(records, counts, strict=True):
        summary.states[rec.state or rec.result.state] += 1
        summary.items_new += new
        summary.items_seen += seen


def ingest(settings: Settings, con: store.Connection, results: Sequence[FetchResult] | None = None,
           shard: Shard = WHOLE) -> RunSummary:
    """Fetch every due feed of ``shard`` (or take already-fetched ``results``) and store what came back.

    Fetches are stored in batches of :data:`FEEDS_PER_COMMIT`, each batch in one transaction
    (a crash loses at most the uncommitted batch, which the next run fetches again).
    """
    store.sync_config(con, settings)
    summary = RunSummary()
    due, backed_off = due_feeds(settings, con, shard=shard)
    by_id = {f.id: f for f in settings.feeds}
    now = datetime.now(UTC)
    skipped = [store.FetchRecord(FetchResult(feed.id, feed.url, now, now, "backoff", error_class="Backoff", error=reason))
               for feed, reason in backed_off]
    _commit(con, skipped, by_id, summary)
    if results is None:  # parse and store each feed while the others are still downloading
        fetched: Iterable[tuple[Feed, FetchResult]] = iter_fetch_feeds(due, settings.http, validators(con))
    else:
        fetched = ((by_id[r.feed_id], r) for r in results)
    batch: list[store.FetchRecord] = []
    with make_client(settings.http) as client:  # one client (connection pool) for every article page
        for feed, result in fetched:
            try:
                batch.append(prepare_fetch(settings, con, feed, result, client))
            except Exception as exc:  # one feed's bad data never stops the others
                log.exception("feed %s: could not process fetch", feed.id)
                batch.append(_failed(feed, result, exc))
            if len(batch) >= FEEDS_PER_COMMIT:
                _commit(con, batch, by_id, summary)
                batch = []
        _commit(con, batch, by_id, summary)
    summary.feeds = len(due) + len(backed_off)
    return summary


# ---------------------------------------------------------------- extract


def relevance_scorer(settings: Settings, index: ActorIndex | None = None) -> RelevanceScorer:
    """The relevance scorer over masked text, sharing the classifier's encoder and embedding cache."""
    from monitor.stance.encoder import load_encoder

    if settings.model.threads:
        import torch

        torch.set_num_threads(settings.model.threads)
    index = index or ActorIndex.from_actors(settings.actors)
    return RelevanceScorer(load_encoder(settings.model.encoder), threshold=settings.relevance_threshold,
                           mask=lambda text: mask_text(text, index.find))


def extract(settings: Settings, con: store.Connection, *, scorer: RelevanceScorer | None = None, batch: int = 200,
            shard: Shard = WHOLE) -> tuple[int, int]:
    """Statements from every item of ``shard`` not yet extracted. Returns (statements, relevant)."""
    index = ActorIndex.from_actors(settings.actors)
    western = frozenset(a.id for a in settings.actors if a.western)
    scorer = scorer or relevance_scorer(settings, index)
    total = relevant = 0
    pending = store.pending_items(con, feeds=shard.feed_ids(settings))
    for lo in range(0, len(pending), batch):
        chunk = pending[lo : lo + batch]
        stmts = []
        for it in chunk:
            feed_actor = it.feed_actor if it.feed_kind == "government" else None
            stmts += extract_statements(it.id, it.text, index, feed_actor=feed_actor, language=it.language or "en",
                                        reporting_verbs=settings.extraction.reporting_verbs)
        rows = list(zip(stmts, scorer.score(stmts, western), strict=True))  # one embedding batch per chunk
        total += store.write_statements(con, [it.id for it in chunk], rows)
        relevant += sum(r.relevant for _, r in rows)
    return total, relevant


# ---------------------------------------------------------------- classify


def classifier(settings: Settings) -> StanceClassifier:
    m = settings.model
    return load_classifier(m.encoder, m.head, uncertain_below=m.uncertain_below, languages=m.languages,
                           backend=m.backend, threads=m.threads, sentences_min_words=m.sentences_min_words)


@dataclass(frozen=True)
class ClassifyChunk:
    """One batch of unscored statements, masked and ready for the classifier."""

    ids: list[str]
    texts: list[str]
    languages: list[str | None]


def model_card(clf: StanceClassifier) -> dict[str, object]:
    """The ``models`` row of a classifier: exactly which encoder and head, trained on what."""
    return {"model_id": clf.model_id, "encoder": str(clf.encoder.name), "encoder_sha256": clf.encoder.sha256,
            "head_sha256": clf.head.sha256, **{k: clf.head.card.get(k) for k in ("data_sha256", "trained_at", "metrics")}}


def classify_plan(settings: Settings, con: store.Connection, clf: StanceClassifier, *, batch: int = 512,
                  shard: Shard = WHOLE) -> list[ClassifyChunk]:
    """Register the model and split the statements of ``shard`` it has not scored yet into masked chunks."""
    store.register_model(con, model_card(clf))
    index = ActorIndex.from_actors(settings.actors)
    pending = store.unscored_statements(con, clf.model_id, feeds=shard.feed_ids(settings))
    return [
        ClassifyChunk([s.id for s in c], [mask_text(s.text, index.find) for s in c], [s.language for s in c])
        for c in (pending[lo : lo + batch] for lo in range(0, len(pending), batch))
    ]


def classify(settings: Settings, con: store.Connection, clf: StanceClassifier | None = None, *, batch: int = 512,
             shard: Shard = WHOLE) -> tuple[int, str]:
    """Stance rows for every relevant statement (of ``shard``) without one from the current model."""
    clf = clf or classifier(settings)
    written = 0
    for chunk in classify_plan(settings, con, clf, batch=batch, shard=shard):
        rows = clf.classify(chunk.ids, chunk.texts, chunk.languages, batch_size=settings.model.batch_size,
                            cache=isinstance(clf.encoder, Encoder))  # reuse the relevance step's embeddings
        written += store.write_stances(con, rows)
    return written, clf.model_id


# ---------------------------------------------------------------- compare


def compare(settings: Settings, con: store.Connection, model_id: str, *, jsonl: Path) -> tuple[int, int, int, int]:
    """Detect shifts on the stored series, upsert alerts, deliver pending events.

    Returns (new alerts, open alerts, deliveries sent, deliveries pending).
    """
    obs = store.observations(con, model_id)
    points = [Point(o.statement_id, o.actor, o.target, o.day, o.score, o.source, key=o.content_hash) for o in obs]
    found = detect_all(points, settings.baselines, settings.shift, model_id=model_id)
    known = {r[0] for r in con.execute("SELECT id FROM alerts").fetchall()}
    chans = alerts.channels(settings.alerts)
    events = [(a.id, "opened", ch) for a in found for ch in chans]
    events += [(a.id, "resolved", ch) for a in found if a.status == "resolved" for ch in chans]
    store.upsert_alerts(con, [a.as_row() for a in found], events)
    withdrawn = store.withdraw_alerts(con, [a.id for a in found], chans)
    if withdrawn:
        log.info("%d alert(s) withdrawn: the current detector and model no longer raise them", len(withdrawn))
    sent, pending = alerts.deliver_pending(con, settings.alerts, jsonl_path=jsonl)
    new = sum(a.id not in known for a in found)
    return new, sum(a.status == "open" for a in found), sent, pending


def compare_due(settings: Settings, con: store.Connection, model_id: str, shard: Shard) -> bool:
    """Whether ``shard``'s run compares: always for the whole store; for a shard, once no shard has
    work left (every feed fetched, every item extracted, every relevant statement scored), so that
    alerts are never drawn from part of the data. The last shard to finish compares."""
    return shard.count == 1 or not store.work_pending(con, model_id, [f.id for f in settings.feeds if f.enabled])


def run(settings: Settings, db: str | Path, results: Sequence[FetchResult] | None = None, shard: Shard = WHOLE) -> RunSummary:
    """The whole pipeline once, without Prefect (the CLI's `--no-prefect` path and tests).

    Raises :class:`monitor.store.RunInProgress` while another run writes ``db``; once the run
    completed, its analyst snapshot is published (:mod:`monitor.snapshot`).
    """
    with snapshot.writing(db, "run"):
        return _run(settings, db, results, shard)


def _run(settings: Settings, db: str | Path, results: Sequence[FetchResult] | None, shard: Shard) -> RunSummary:
    con = store.connect(db)
    try:
        summary = ingest(settings, con, results, shard)
        summary.statements, summary.relevant = extract(settings, con, shard=shard)
        summary.stances, summary.model_id = classify(settings, con, shard=shard)
        if not compare_due(settings, con, summary.model_id, shard):
            summary.compare_deferred = True
            return summary
        summary.alerts_new, summary.alerts_open, summary.deliveries_sent, summary.deliveries_pending = compare(
            settings, con, summary.model_id, jsonl=jsonl_path(settings, db)
        )
        return summary
    finally:
        con.close()
