"""Progress for long work (training, replay, rescoring, backfills), drawn with rich.

The library reports progress through :func:`task`; nothing is drawn unless the CLI has
called :func:`enable` and standard error is a terminal, so flows, tests and pipes stay quiet.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

_enabled = False
MIN_TOTAL = 200  # smaller jobs finish before a bar would help


def enable(on: bool = True) -> None:
    """Show progress bars from now on (when standard error is a terminal)."""
    global _enabled
    _enabled = on


def _noop(_: int = 1) -> None:
    pass


@contextmanager
def task(description: str, total: int) -> Iterator[Callable[[int], None]]:
    """Yield ``advance(n)``; draws a bar for ``total`` units when progress is enabled."""
    if not (_enabled and total >= MIN_TOTAL and sys.stderr.isatty()):
        yield _noop
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  transient=True) as bar:
        tid = bar.add_task(description, total=total)
        yield lambda n=1: bar.advance(tid, n)
