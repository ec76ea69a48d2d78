"""Long-running scheduled operation: `monitor serve` (Prefect ``serve``).

Runs the ``pipeline`` deployment every ``every_minutes`` (default 5). The deployment's
concurrency limit is 1 with CANCEL_NEW, and the pipeline itself takes the database's writer
lock, so two runs never write at once; a run that finds the previous one still going is
skipped cleanly. ``prefect.yaml`` declares the same deployment for a work pool.
"""

from __future__ import annotations

from prefect import serve
from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy
from prefect.deployments.runner import RunnerDeployment

from flows.pipeline import run_pipeline

DESCRIPTION = "Poll feeds, classify statements, compare with baselines, deliver alerts."


def schedule_for(every_minutes: int) -> dict[str, str | int]:
    """``to_deployment`` schedule arguments: a cron on the clock where minutes divide an hour, else an interval.

    ``*/5`` starts runs at :00, :05, ... so two monitors (or a monitor and its logs) agree on
    the slots; 7 or 90 minutes cannot be written as a cron step and become an interval.
    """
    if every_minutes < 1:
        raise ValueError(f"every_minutes must be at least 1, not {every_minutes}")
    if every_minutes < 60 and 60 % every_minutes == 0:
        return {"cron": f"*/{every_minutes} * * * *"}
    return {"interval": every_minutes * 60}


def deployment(config_dir: str, db: str, every_minutes: int = 5, *, feeds_file: str | None = None,
               name: str = "pipeline", shard: str = "1/1") -> RunnerDeployment:
    """The scheduled ``pipeline`` deployment: one run at a time, a colliding run is cancelled.

    A ``shard`` "K/N" other than the whole store is its own deployment, ``pipeline-shard-K-of-N``.
    """
    parameters: dict[str, str] = {"config_dir": config_dir, "db": db}
    if feeds_file:
        parameters["feeds_file"] = feeds_file
    if shard != "1/1":
        parameters["shard"] = shard
        name = f"{name}-shard-{shard.replace('/', '-of-')}"
    return run_pipeline.to_deployment(
        name=name,
        **schedule_for(every_minutes),  # type: ignore[arg-type]
        parameters=parameters,
        concurrency_limit=ConcurrencyLimitConfig(limit=1, collision_strategy=ConcurrencyLimitStrategy.CANCEL_NEW),
        description=DESCRIPTION,
        tags=["stance-monitor"],
    )


def serve_pipeline(config_dir: str = "config", db: str = "db/monitor.duckdb", every_minutes: int = 5,
                   feeds_file: str | None = None, shard: str = "1/1") -> None:
    """Block and run the pipeline on schedule until interrupted."""
    serve(deployment(config_dir, db, every_minutes, feeds_file=feeds_file, shard=shard), pause_on_shutdown=False)
