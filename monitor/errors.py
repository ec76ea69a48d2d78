"""The monitor's error tree.

``MonitorError`` is the root. ``ConfigError`` is terminal (fix the file and rerun);
``FetchError.transient`` tells the orchestrator whether a retry can help.
"""

from __future__ import annotations


class MonitorError(Exception):
    """Base class of every error the monitor raises on purpose."""


class ConfigError(MonitorError):
    """A configuration file is missing or invalid. The message names file, key and line."""


class FetchError(MonitorError):
    """A feed or page could not be fetched."""

    def __init__(self, message: str, *, transient: bool = False, status: int | None = None) -> None:
        super().__init__(message)
        self.transient = transient
        self.status = status


class ParseError(MonitorError):
    """A body could not be read as a feed (or is not a feed at all)."""


class StoreError(MonitorError):
    """The database could not be opened, migrated or written."""


class ModelError(MonitorError):
    """The encoder or the trained head could not be loaded or does not match."""


def is_transient(exc: BaseException) -> bool:
    """True when retrying the same call later may succeed."""
    return bool(getattr(exc, "transient", False))
