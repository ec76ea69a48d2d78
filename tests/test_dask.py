"""Classification on a Dask task runner gives the same stance rows as the in-process classifier.

A database is filled once from two demo feeds (real fetch from 127.0.0.1, real extraction);
each test classifies a copy of it. The Dask path splits the statements into chunks, classifies
them on the cluster's workers and writes the rows in the flow's own process.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from monitor import pipeline, store
from monitor.desk.demo import demo_settings, serve_demo

ROOT = Path(__file__).resolve().parent.parent
CONFIG = str(ROOT / "config")
CHUNK = 8


@pytest.fixture(scope="module")
def extracted_db(tmp_path_factory: pytest.TempPathFactory, classifier: Any) -> Path:
    """A database with the statements of two demo feeds, extracted but not yet classified."""
    db = tmp_path_factory.mktemp("dask") / "extracted.duckdb"
    with serve_demo() as base_url:
        settings = demo_settings(CONFIG, base_url)
        settings = settings.with_feeds(settings.feeds[:2])
        con = store.connect(db)
        try:
            pipeline.ingest(settings, con)
            pipeline.extract(settings, con)
        finally:
            con.close()
    return db


def _copy(src: Path, dst: Path) -> str:
    shutil.copy(src, dst)
    return str(dst)


def _stances(db: str) -> list[tuple[Any, ...]]:
    cols, rows = store.query(db, """SELECT statement_id, model_id, label, target, uncertain, p_favor, p_against, p_none
                                    FROM stances ORDER BY statement_id, model_id""")
    return rows


def _reference(extracted_db: Path, tmp_path: Path, settings: Any, classifier: Any) -> list[tuple[Any, ...]]:
    """The stance rows of the default path: the library's in-process classification."""
    db = _copy(extracted_db, tmp_path / "in-process.duckdb")
    con = store.connect(db)
    try:
        pipeline.classify(settings, con, classifier)
    finally:
        con.close()
    return _stances(db)


def _assert_same(got: list[tuple[Any, ...]], want: list[tuple[Any, ...]]) -> None:
    assert len(want) > CHUNK  # more than one chunk
    assert [r[:5] for r in got] == [r[:5] for r in want]  # ids, model, label, target, uncertain
    for g, w in zip(got, want, strict=True):
        assert g[5:] == pytest.approx(w[5:], abs=1e-5)


def _chunk_runs(state: Any) -> int:
    """How many ``classify-chunk`` task runs the flow run behind ``state`` and its subflows made."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId, FlowRunFilterParentFlowRunId

    with get_client(sync_client=True) as client:
        parent = state.state_details.flow_run_id
        subflows = client.read_flow_runs(flow_run_filter=FlowRunFilter(parent_flow_run_id=FlowRunFilterParentFlowRunId(any_=[parent])))
        runs = client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[parent, *(f.id for f in subflows)])))
    # a subflow shows up as a task run named after it ("classify-chunked-..."): count the chunks only
    return sum(re.fullmatch(r"classify-chunk-[0-9a-f]+", r.name) is not None for r in runs)


def test_dask_threads_match_in_process(extracted_db: Path, tmp_path: Path, settings: Any, classifier: Any,
                                       prefect_home: Path, no_network: None) -> None:
    from prefect_dask import DaskTaskRunner

    from flows.pipeline import classify_chunked

    want = _reference(extracted_db, tmp_path, settings, classifier)
    db = _copy(extracted_db, tmp_path / "dask.duckdb")
    runner = DaskTaskRunner(cluster_kwargs={"n_workers": 2, "processes": False, "protocol": "tcp", "host": "127.0.0.1",
                                                  "dashboard_address": None})
    state = classify_chunked.with_options(task_runner=runner)(CONFIG, db, chunk_size=CHUNK, return_state=True)
    out = state.result()
    assert out == {"stances": len(want), "model_id": classifier.model_id}
    _assert_same(_stances(db), want)
    assert _chunk_runs(state) == -(-len(want) // CHUNK)
    assert store.query(db, "SELECT model_id FROM models")[1] == store.query(str(tmp_path / "in-process.duckdb"), "SELECT model_id FROM models")[1]


@pytest.mark.slow
def test_dask_worker_processes_match_in_process(extracted_db: Path, tmp_path: Path, settings: Any, classifier: Any,
                                                prefect_home: Path, no_network: None) -> None:
    """The flow parameter path: a local cluster of two worker processes, each loading the model once."""
    from flows.pipeline import classify

    want = _reference(extracted_db, tmp_path, settings, classifier)
    db = _copy(extracted_db, tmp_path / "dask.duckdb")
    state = classify(CONFIG, db, dask_workers=2, chunk_size=CHUNK, return_state=True)
    assert state.result() == {"stances": len(want), "model_id": classifier.model_id}
    _assert_same(_stances(db), want)
    assert _chunk_runs(state) == -(-len(want) // CHUNK)
    # a second run finds nothing left to classify
    assert classify(CONFIG, db, dask_workers=2, chunk_size=CHUNK)["stances"] == 0
