"""Stance monitor: who says what about Western mediation of the Armenia-Azerbaijan conflict.

The library, one module per step of the data flow (see ARCHITECTURE.md). It never imports
Prefect; ``flows/`` orchestrates it.
"""

import logging

__version__ = "0.1.0"
__all__ = [
    "config", "desk", "errors", "ingest", "pipeline", "progress", "records", "shifts", "stance", "statements", "store",
]

logging.getLogger(__name__).addHandler(logging.NullHandler())
