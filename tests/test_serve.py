"""`monitor serve`: the scheduled deployment, its mirror in prefect.yaml, and the skip path.

The schedule really firing on a real Prefect server is covered by ``test_prefect_server.py``;
these tests are fast checks of what ``serve`` is given and of a run that meets another one.
"""

from __future__ import annotations

import inspect
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from prefect.client.schemas.objects import ConcurrencyLimitStrategy
from prefect.client.schemas.schedules import CronSchedule, IntervalSchedule

from flows.pipeline import run_pipeline
from flows.serve import deployment, schedule_for
from monitor.desk import cli

ROOT = Path(__file__).resolve().parent.parent
CONFIG = str(ROOT / "config")


def test_default_deployment_runs_every_five_minutes_one_at_a_time() -> None:
    dep = deployment(CONFIG, "db/monitor.duckdb")
    assert dep.name == "pipeline" and dep.entrypoint == "flows/pipeline.py:run_pipeline"
    [sched] = dep.schedules  # type: ignore[misc]
    assert isinstance(sched.schedule, CronSchedule) and sched.schedule.cron == "*/5 * * * *" and sched.active
    assert dep.concurrency_limit == 1
    assert dep.concurrency_options is not None
    assert dep.concurrency_options.collision_strategy == ConcurrencyLimitStrategy.CANCEL_NEW
    assert dep.parameters == {"config_dir": CONFIG, "db": "db/monitor.duckdb"}


@pytest.mark.parametrize(("minutes", "cron", "seconds"), [(1, "*/1 * * * *", None), (15, "*/15 * * * *", None),
                                                           (7, None, 420), (60, None, 3600), (90, None, 5400)])
def test_schedule_is_a_cron_on_the_clock_where_it_can_be(minutes: int, cron: str | None, seconds: int | None) -> None:
    assert schedule_for(minutes) == ({"cron": cron} if cron else {"interval": seconds})
    [sched] = deployment(CONFIG, "x.duckdb", minutes, feeds_file="feeds.opml").schedules  # type: ignore[misc]
    if cron:
        assert isinstance(sched.schedule, CronSchedule) and sched.schedule.cron == cron
    else:
        assert isinstance(sched.schedule, IntervalSchedule) and sched.schedule.interval.total_seconds() == seconds


def test_prefect_yaml_mirrors_the_served_deployment() -> None:
    served = deployment("config", "db/monitor.duckdb")
    [declared] = yaml.safe_load((ROOT / "prefect.yaml").read_text(encoding="utf-8"))["deployments"]
    assert declared["name"] == served.name and declared["entrypoint"] == served.entrypoint
    assert [s["cron"] for s in declared["schedules"]] == ["*/5 * * * *"]
    assert declared["concurrency_limit"] == {"limit": 1, "collision_strategy": "CANCEL_NEW"}
    assert declared["parameters"] == served.parameters
    assert set(declared["parameters"]) <= set(inspect.signature(run_pipeline.fn).parameters)


def test_a_run_that_finds_another_writing_is_skipped_and_writes_nothing(tmp_path: Path, prefect_home: Path,
                                                                        no_network: None) -> None:
    db = tmp_path / "monitor.duckdb"
    holder = subprocess.Popen(  # another process in the middle of a run: it holds the writer lock
        [sys.executable, "-c", "import sys; from monitor import store\n"
         "with store.writer_lock(sys.argv[1]):\n    print('locked', flush=True); sys.stdin.read()", str(db)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        summary = run_pipeline(config_dir=CONFIG, db=str(db))
    finally:
        holder.communicate("", timeout=30)
    assert "another run is still writing" in summary.skipped
    assert summary.lines() == [f"skipped: {summary.skipped}"]
    assert summary.stances == 0 and summary.items_new == 0
    assert not db.exists()


def test_serve_rejects_a_schedule_under_a_minute(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["serve", "--config", CONFIG, "--every", "0"]) == 1
    assert capsys.readouterr().err.strip() == "Error: --every must be at least 1 minute, not 0"
