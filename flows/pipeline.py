"""The monitor's Prefect flows: ``ingest``, ``classify``, ``compare`` and the parent ``pipeline``.

Each task is a few lines around one ``monitor`` call. Tasks receive settings and plain
values, never clients or connections; DuckDB is the record of truth, so result
persistence stays off and idempotency comes from the store's upserts.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from prefect import flow, get_run_logger, task, unmapped
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NONE
from prefect.task_runners import TaskRunner

from monitor import config, pipeline, snapshot, store
from monitor.config import Feed, HttpSettings, Settings
from monitor.errors import is_transient
from monitor.ingest.feedlist import load_settings
from monitor.records import FetchResult, Stance

log = logging.getLogger(__name__)


def _retry_transient(task, task_run, state) -> bool:  # type: ignore[no-untyped-def]
    try:
        state.result()
    except Exception as exc:
        return is_transient(exc)
    return False


@task(name="fetch-host", retries=3, retry_delay_seconds=[2, 10, 30], retry_condition_fn=_retry_transient)
def fetch_host(feeds: list[Feed], http: HttpSettings, validators: dict[str, tuple[str | None, str | None]]) -> list[FetchResult]:
    """Fetch the feeds of one host (the library limits per-host concurrency and retries)."""
    from monitor.ingest.fetch import fetch_feeds

    return fetch_feeds(feeds, http, validators)


def _by_host(feeds: list[Feed]) -> list[list[Feed]]:
    groups: dict[str, list[Feed]] = defaultdict(list)
    for f in feeds:
        groups[urlsplit(f.url).netloc.lower()].append(f)
    return list(groups.values())


@flow(name="ingest")
def ingest(config_dir: str = "config", db: str = "db/monitor.duckdb", feeds_file: str | None = None,
           shard: str = "1/1") -> dict[str, object]:
    """Feeds (of ``shard``) -> items -> statements (with relevance)."""
    settings = load_settings(config_dir, feeds_file=feeds_file)
    part = pipeline.Shard.parse(shard)
    con = store.connect(db)
    try:
        due, _ = pipeline.due_feeds(settings, con, shard=part)
        known = pipeline.validators(con)
    finally:
        con.close()
    groups = _by_host(due)
    futures = fetch_host.map(groups, http=unmapped(settings.http), validators=unmapped(known))  # type: ignore[call-arg]
    results: list[FetchResult] = []
    for group, fut in zip(groups, futures, strict=True):
        got = fut.result(raise_on_failure=False)
        if isinstance(got, BaseException) or got is None:  # the task crashed: each feed becomes a failure row
            now = datetime.now(UTC)
            results += [FetchResult(f.id, f.url, now, now, "failed", error_class=type(got).__name__, error=str(got)[:500]) for f in group]
        else:
            results += got
    con = store.connect(db)
    try:
        summary = pipeline.ingest(settings, con, results, part)
        summary.statements, summary.relevant = pipeline.extract(settings, con, shard=part)
    finally:
        con.close()
    return {"states": dict(summary.states), "feeds": summary.feeds, "items_new": summary.items_new,
            "items_seen": summary.items_seen, "statements": summary.statements, "relevant": summary.relevant}


@flow(name="classify")
def classify(config_dir: str = "config", db: str = "db/monitor.duckdb", dask_workers: int = 0, dask_address: str = "",
             chunk_size: int = 256, shard: str = "1/1", feeds_file: str | None = None) -> dict[str, object]:
    """Relevant statements -> stance rows of the current model.

    By default the model runs in this process. With ``dask_workers`` (a local Dask cluster of
    that many worker processes) or ``dask_address`` (an existing Dask scheduler, e.g. on other
    machines) the statements are classified in chunks on Dask; the rows still come back here
    and are written by this one process, DuckDB's single writer. A ``shard`` is dealt from the
    feeds of ``feeds_file`` when given, as in ``ingest``.
    """
    if dask_workers > 0 or dask_address:
        return classify_chunked.with_options(task_runner=dask_runner(dask_workers, dask_address))(
            config_dir, db, chunk_size, shard, feeds_file)
    settings = load_settings(config_dir, feeds_file=feeds_file)
    con = store.connect(db)
    try:
        n, model_id = pipeline.classify(settings, con, shard=pipeline.Shard.parse(shard))
    finally:
        con.close()
    return {"stances": n, "model_id": model_id}


def dask_runner(workers: int, address: str = "") -> TaskRunner[Any]:
    """A Dask task runner: the scheduler at ``address``, else a local cluster of ``workers`` processes."""
    from prefect_dask import DaskTaskRunner

    if address:
        return DaskTaskRunner(address=address)
    # one thread a worker: torch already spreads one batch over the cores it is given
    return DaskTaskRunner(cluster_kwargs={"n_workers": workers, "threads_per_worker": 1, "processes": True, "host": "127.0.0.1",
                                          "dashboard_address": None})


@task(name="classify-chunk", cache_policy=NONE)
def classify_chunk(settings: Settings, ids: list[str], texts: list[str], languages: list[str | None]) -> list[Stance]:
    """Stance rows for one chunk of masked statements; the model loads once per worker process."""
    return pipeline.classifier(settings).classify(ids, texts, languages, batch_size=settings.model.batch_size)


@flow(name="classify-chunked")
def classify_chunked(config_dir: str = "config", db: str = "db/monitor.duckdb", chunk_size: int = 256,
                     shard: str = "1/1", feeds_file: str | None = None) -> dict[str, object]:
    """Like ``classify``, with the unscored statements split into chunks classified by the task runner."""
    settings = load_settings(config_dir, feeds_file=feeds_file)
    clf = pipeline.classifier(settings)  # here only for the model id and card; the chunks load their own
    con = store.connect(db)
    try:
        chunks = pipeline.classify_plan(settings, con, clf, batch=chunk_size, shard=pipeline.Shard.parse(shard))
    finally:
        con.close()
    futures = [classify_chunk.submit(settings, c.ids, c.texts, c.languages) for c in chunks]
    con = store.connect(db)
    try:
        written = sum(store.write_stances(con, f.result()) for f in futures)  # one transaction a chunk, in this process
    finally:
        con.close()
    return {"stances": written, "model_id": clf.model_id}


@flow(name="compare")
def compare(config_dir: str = "config", db: str = "db/monitor.duckdb", model_id: str = "") -> dict[str, object]:
    """Stance series -> comparison with baselines -> alerts delivered."""
    settings = config.load(config_dir)
    con = store.connect(db)
    try:
        if not model_id:
            row = con.execute("SELECT model_id FROM current_model").fetchone()
            model_id = row[0] if row else ""
        new, open_, sent, pending = pipeline.compare(settings, con, model_id, jsonl=pipeline.jsonl_path(settings, db))
        rows = store.open_alerts(con)
    finally:
        con.close()
    if rows:
        create_table_artifact(
            key="open-alerts",
            table=[{k: str(r[k]) for k in ("actor", "target", "direction", "opened_on", "baseline", "observed", "n_statements", "id")} for r in rows],
            description="Open stance-shift alerts",
        )
    return {"alerts_new": new, "alerts_open": open_, "deliveries_sent": sent, "deliveries_pending": pending}


@flow(name="pipeline")
def run_pipeline(config_dir: str = "config", db: str = "db/monitor.duckdb", feeds_file: str | None = None,
                 dask_workers: int = 0, dask_address: str = "", shard: str = "1/1") -> pipeline.RunSummary:
    """ingest -> classify -> compare, once; skipped cleanly while another run holds the database.

    A completed run publishes the analysts' snapshot of the database (``monitor.snapshot``).
    ``dask_workers`` / ``dask_address`` move the classification onto Dask (see ``classify``).
    ``shard`` "K/N" takes the K-th of N shares of the feeds (``monitor.pipeline.Shard``).
    """
    logger = get_run_logger()
    try:
        with snapshot.writing(db, "run"):
            return _run_pipeline(config_dir, db, feeds_file, logger, dask_workers, dask_address, shard)
    except store.RunInProgress as exc:
        logger.warning("%s", exc)
        return pipeline.RunSummary(skipped=str(exc))


def _run_pipeline(config_dir: str, db: str, feeds_file: str | None, logger: logging.Logger | logging.LoggerAdapter,  # type: ignore[type-arg]
                  dask_workers: int, dask_address: str, shard: str) -> pipeline.RunSummary:
    i = ingest(config_dir, db, feeds_file, shard)
    c = classify(config_dir, db, dask_workers, dask_address, shard=shard, feeds_file=feeds_file)
    settings = load_settings(config_dir, feeds_file=feeds_file)
    con = store.connect(db)
    try:
        due = pipeline.compare_due(settings, con, str(c["model_id"]), pipeline.Shard.parse(shard))
    finally:
        con.close()
    a = compare(config_dir, db, str(c["model_id"])) if due else dict.fromkeys(
        ("alerts_new", "alerts_open", "deliveries_sent", "deliveries_pending"), 0)
    s = pipeline.RunSummary(
        feeds=int(i["feeds"]), items_new=int(i["items_new"]), items_seen=int(i["items_seen"]),  # type: ignore[call-overload]
        statements=int(i["statements"]), relevant=int(i["relevant"]), stances=int(c["stances"]),  # type: ignore[call-overload]
        model_id=str(c["model_id"]), alerts_new=int(a["alerts_new"]), alerts_open=int(a["alerts_open"]),  # type: ignore[call-overload]
        deliveries_sent=int(a["deliveries_sent"]), deliveries_pending=int(a["deliveries_pending"]),  # type: ignore[call-overload]
        compare_deferred=not due,
    )
    s.states.update(i["states"])  # type: ignore[arg-type]
    for line in s.lines():
        logger.info(line)
    create_markdown_artifact(key="run-summary", markdown="## Stance monitor run\n\n" + "\n".join(f"- {x}" for x in s.lines()),
                             description=f"database {Path(db).name}")
    return s
