"""Issue 15's floors on the real news passages (read in place from ../shared/real; skipped without it).

The floors sit a little under what the extractor reached when they were set (see
docs/extraction.md), so that a regression fails and noise does not. Only the ``a…`` half was
studied while tuning; the ``b…`` half is held out and only measured.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from monitor.statements.actors import ActorIndex
from monitor.statements.extraction_errors import analyse
from monitor.statements.extraction_eval import load_rows

ROOT = Path(__file__).resolve().parent.parent
REAL = Path(os.environ.get("MONITOR_REAL_DIR") or ROOT.parent / "shared" / "real") / "passages_dev.jsonl"

# reached (ninth pass): all 0.906 (P 0.921, R 0.891), a 0.967, b 0.842; recall direct 0.942, indirect 0.860,
# mixed 0.857; actor accuracy 0.982 (rules with the learned second opinion). Issue 15's bars: F1 >= 0.90, recall >=
# 0.85, each type >= 0.80, actor accuracy >= 0.95 (met); b >= 0.85 not met yet. The floors sit a little under what
# was reached, so that a regression fails.
FLOORS = {"f1": 0.895, "recall": 0.875, "a_f1": 0.95, "b_f1": 0.83, "actor_accuracy": 0.97,
          "recall_direct": 0.92, "recall_indirect": 0.82, "recall_mixed": 0.82}


@pytest.fixture(scope="module")
def summary(settings) -> dict[str, dict]:  # type: ignore[no-untyped-def]
    if not REAL.exists():
        pytest.skip(f"real passages not found at {REAL} (set MONITOR_REAL_DIR to the shared real corpus)")
    groups = analyse(load_rows(REAL), ActorIndex.from_actors(settings.actors))
    return {k: g.summary() for k, g in groups.items()}


def test_attribution_floors_on_real_passages(summary: dict[str, dict]) -> None:
    every, a, b = summary["all"], summary["a-half"], summary["b-half"]
    assert every["attribution"]["f1"] >= FLOORS["f1"], every["attribution"]
    assert every["attribution"]["recall"] >= FLOORS["recall"], every["attribution"]
    assert a["attribution"]["f1"] >= FLOORS["a_f1"], a["attribution"]
    assert b["attribution"]["f1"] >= FLOORS["b_f1"], b["attribution"]


def test_recall_per_type_and_actor_accuracy(summary: dict[str, dict]) -> None:
    every = summary["all"]
    for kind in ("direct", "indirect", "mixed"):
        assert every["recall_by_type"][kind] >= FLOORS[f"recall_{kind}"], (kind, every["recall_by_type"])
    assert every["actor_accuracy"] >= FLOORS["actor_accuracy"], every["actor_accuracy"]
