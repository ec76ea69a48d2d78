"""Long-running scheduled operation: `monitor serve` (Prefect ``serve``).

Runs the ``pipeline`` deployment every ``--every`` minutes (default 5). The deployment's
concurrency limit is 1 with CANCEL_NEW, and the pipeline itself takes the database's writer
lock, so two runs never write at once; a run that finds the previous one still going is
skipped cleanly. ``prefect.yaml`` declares the same deployment for a work pool.
"""

from __future__ import annotations

from prefect import serve
from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy

from flows.pipeline import run_pipeline


def deployment(config_dir: str, db: str, every_minutes: int = 5, name: str = "pipeline"):  # type: ignore[no-untyped-def]
    return run_pipeline.to_deployment(
        name=name,
        cron=f"*/{every_minutes} * * * *" if 60 % every_minutes == 0 and every_minutes < 60 else None,
        interval=None if 60 % every_minutes == 0 and every_minutes < 60 else every_minutes * 60,
        parameters={"config_dir": config_dir, "db": db},
        concurrency_limit=ConcurrencyLimitConfig(limit=1, collision_strategy=ConcurrencyLimitStrategy.CANCEL_NEW),
        description="Poll feeds, classify statements, compare with baselines, deliver alerts.",
        tags=["stance-monitor"],
    )


def serve_pipeline(config_dir: str = "config", db: str = "db/monitor.duckdb", every_minutes: int = 5) -> None:
    """Block and run the pipeline on schedule until interrupted."""
    serve(deployment(config_dir, db, every_minutes), pause_on_shutdown=False)
