"""Prefect flows: thin orchestration over ``monitor`` (retries, fan-out, artifacts)."""
