"""Stance monitor: who says what about Western mediation of the Armenia-Azerbaijan conflict.

The library, one module per step of the data flow (see ARCHITECTURE.md). It never imports
Prefect; ``flows/`` orchestrates it.
"""

import logging

__version__ = "0.1.0"
__all__ = [
    "actors", "alerts", "baseline", "cli", "config", "encoder", "errors", "evaluation", "extract", "extraction_errors",
    "extraction_eval", "feedlist", "fetch", "fulltext", "parse", "persons", "pipeline", "posterior", "quotes", "records",
    "relevance", "speakers", "speech", "stance", "store", "training",
]

logging.getLogger(__name__).addHandler(logging.NullHandler())
