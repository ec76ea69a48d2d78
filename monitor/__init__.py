"""Stance monitor: who says what about Western mediation of the Armenia-Azerbaijan conflict.

The library, one subpackage per stage of the data flow: ``ingest`` (feeds -> items),
``statements`` (items -> attributed statements), ``stance`` (statements -> stance), ``shifts``
(stance over time -> shifts and alerts) and ``desk`` (CLI, report, exports). ``config``,
``records``, ``errors``, ``progress``, ``store`` (the only module that knows SQL, with ``lake``, its
DuckLake dialect), ``snapshot`` (the copy analysts read) and ``pipeline`` (the stages as library
calls) stay at the top. It never imports Prefect; ``flows/`` orchestrates it.
"""

import logging

__version__ = "0.1.0"
__all__ = [
    "config", "desk", "errors", "ingest", "lake", "pipeline", "progress", "records", "shifts", "snapshot", "stance", "statements",
    "store",
]

logging.getLogger(__name__).addHandler(logging.NullHandler())
