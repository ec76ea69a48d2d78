"""Scheduled operation against a real Prefect server (not the test harness).

The test starts ``prefect server start`` on a free loopback port with its own home directory,
runs ``monitor serve --every 1`` against it as a subprocess (the command an operator runs),
triggers the ``pipeline`` deployment on the demo feeds served from 127.0.0.1, and then waits
for the next run that the server's scheduler starts on its own. Everything is checked through
the API (deployment schedule and concurrency limit, flow run states, ``run-summary``
artifacts) and in the DuckDB file. Both subprocesses are stopped by their process group.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

import httpx
import pytest

from monitor import store
from monitor.desk.demo import demo_settings, serve_demo, write_feeds_yaml

ROOT = Path(__file__).resolve().parent.parent
PYTHON = Path(sys.executable)
T = TypeVar("T")

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env(home: Path, **extra: str) -> dict[str, str]:
    """The test's environment with Prefect pointed at ``home``, offline, without telemetry."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(PREFECT_HOME=str(home), PREFECT_SERVER_ANALYTICS_ENABLED="false", DO_NOT_TRACK="1",
               HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", PREFECT_LOGGING_EXTRA_LOGGERS="monitor", **extra)
    return env


def _start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """Start a subprocess in its own session (process group), output to ``log``."""
    with log.open("wb") as out:
        return subprocess.Popen(args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop the process group led by ``proc``: SIGTERM, then SIGKILL after 20 s."""
    if proc.poll() is not None:
        return
    pgid = os.getpgid(proc.pid)
    os.killpg(pgid, signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(pgid, signal.SIGKILL)
        proc.wait(timeout=10)


def _tail(log: Path, n: int = 3000) -> str:
    return log.read_text(errors="replace")[-n:] if log.exists() else ""


def _wait_for(what: str, check: Callable[[], T | None], timeout: float, *, log: Path | None = None) -> T:
    """Poll ``check`` every half second until it returns something, or fail after ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = check()
        if got is not None:
            return got
        time.sleep(0.5)
    pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}\n{_tail(log) if log else ''}")


@pytest.fixture
def prefect_server(tmp_path: Path) -> Iterator[str]:
    """A real ``prefect server start`` on a free loopback port; yields its API URL."""
    port = _free_port()
    log = tmp_path / "server.log"
    env = _env(tmp_path / "server-home", PREFECT_SERVER_UI_ENABLED="false")
    proc = _start([str(PYTHON), "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)], env, log)
    url = f"http://127.0.0.1:{port}/api"
    try:

        def healthy() -> bool | None:
            if proc.poll() is not None:
                pytest.fail(f"prefect server exited with {proc.returncode}\n{_tail(log)}")
            try:
                return httpx.get(f"{url}/health", timeout=2).status_code == 200 or None
            except httpx.TransportError:
                return None

        _wait_for("the Prefect server's /api/health", healthy, 120, log=log)
        yield url
    finally:
        _stop(proc)


def _summary(client, flow_run_id) -> str:  # type: ignore[no-untyped-def]
    """The markdown of the ``run-summary`` artifact of one flow run."""
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId, ArtifactFilterKey

    found = client.read_artifacts(artifact_filter=ArtifactFilter(
        key=ArtifactFilterKey(any_=["run-summary"]), flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id])))
    assert len(found) == 1, f"flow run {flow_run_id}: {len(found)} run-summary artifacts"
    assert found[0].type == "markdown"
    return str(found[0].data)


def _count(summary: str, what: str) -> int:
    m = re.search(rf"{what}: (\d+) new", summary)
    assert m, f"no '{what}: N new' in the run summary:\n{summary}"
    return int(m.group(1))


def test_serve_on_a_real_server(prefect_server: str, tmp_path: Path, no_network: None) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterDeploymentId
    from prefect.client.schemas.objects import ConcurrencyLimitStrategy, StateType
    from prefect.deployments import run_deployment
    from prefect.settings import PREFECT_API_URL, temporary_settings

    db = tmp_path / "monitor.duckdb"
    serve_log = tmp_path / "serve.log"
    env = _env(tmp_path / "serve-home", PREFECT_API_URL=prefect_server, PREFECT_RUNNER_POLL_FREQUENCY="1")
    with serve_demo() as base_url, temporary_settings({PREFECT_API_URL: prefect_server}):
        feeds = write_feeds_yaml(demo_settings(ROOT / "config", base_url).feeds, tmp_path / "feeds.yaml")
        serve = _start([str(PYTHON), "-m", "monitor", "serve", "--config", str(ROOT / "config"), "--db", str(db),
                        "--feeds", str(feeds), "--every", "1"], env, serve_log)
        try:
            with get_client(sync_client=True) as client:

                def served():  # type: ignore[no-untyped-def]
                    if serve.poll() is not None:
                        pytest.fail(f"monitor serve exited with {serve.returncode}\n{_tail(serve_log)}")
                    try:
                        return client.read_deployment_by_name("pipeline/pipeline")
                    except Exception:  # ObjectNotFound until serve has registered it
                        return None

                dep = _wait_for("monitor serve to register the deployment", served, 90, log=serve_log)
                assert [s.schedule.cron for s in dep.schedules] == ["*/1 * * * *"]  # type: ignore[union-attr]
                assert dep.global_concurrency_limit is not None and dep.global_concurrency_limit.limit == 1
                assert dep.concurrency_options is not None
                assert dep.concurrency_options.collision_strategy == ConcurrencyLimitStrategy.CANCEL_NEW
                assert dep.parameters == {"config_dir": str(ROOT / "config"), "db": str(db), "feeds_file": str(feeds)}
                by_deployment = FlowRunFilter(deployment_id=FlowRunFilterDeploymentId(any_=[dep.id]))

                def runs():  # type: ignore[no-untyped-def]
                    return client.read_flow_runs(flow_run_filter=by_deployment, limit=200)

                # The server's scheduler fills the next slots of the cron on its own.
                upcoming = _wait_for("scheduled runs", lambda: [r for r in runs() if r.auto_scheduled] or None, 60)
                assert all(r.expected_start_time.second == 0 for r in upcoming)  # type: ignore[union-attr]

                # Trigger one run, away from a slot, so that it is not the run that a collision cancels.
                def busy(current: list) -> bool:  # type: ignore[type-arg]
                    return any(r.state_type in (StateType.PENDING, StateType.RUNNING) for r in current)

                def quiet_moment() -> bool | None:
                    now, current = datetime.now(UTC), runs()
                    near = any(timedelta(seconds=-5) < r.expected_start_time - now < timedelta(seconds=15)  # type: ignore[operator]
                               for r in current if r.state_type == StateType.SCHEDULED)
                    return (not busy(current) and not near) or None

                _wait_for("a moment without a run starting", quiet_moment, 150, log=serve_log)
                triggered = run_deployment("pipeline/pipeline", timeout=240, poll_interval=1)
                assert triggered.state is not None and triggered.state.is_completed(), (triggered.state, _tail(serve_log))

                # The scheduler starts runs on its own (before or after the triggered one).
                def scheduled_done() -> bool | None:
                    return any(r.auto_scheduled and r.state_type == StateType.COMPLETED for r in runs()) or None

                _wait_for("a scheduled run to complete", scheduled_done, 150, log=serve_log)
                # stop between runs, not in the middle of one
                _wait_for("the runs to finish", lambda: (not busy(runs())) or None, 150, log=serve_log)
                ran = sorted((r for r in runs() if r.state_type == StateType.COMPLETED), key=lambda r: r.start_time)  # type: ignore[arg-type, return-value]
                summaries = [_summary(client, r.id) for r in ran]
        finally:
            _stop(serve)

    # No two runs overlapped (a run that collided with another was cancelled, not started);
    # the first run did the work and the later ones found nothing new.
    for a, b in zip(ran, ran[1:], strict=False):
        assert a.end_time is not None and b.start_time is not None and a.end_time <= b.start_time
    assert _count(summaries[0], "items") == 96 and _count(summaries[0], "stances") > 0, summaries[0]
    for later in summaries[1:]:
        assert _count(later, "items") == 0 and _count(later, "stances") == 0, later

    con = store.connect(db, read_only=True)
    try:
        counts = store.table_counts(con)
    finally:
        con.close()
    assert counts["items"] == 96
    assert counts["statements"] > 0 and counts["alerts"] > 0
    assert counts["stances"] == _count(summaries[0], "stances")
