"""Issue 4's acceptance on both annotated sets: the tuning set and the independent held-out set."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.statements.actors import ActorIndex
from monitor.statements.extraction_eval import evaluate_extraction, load_rows

DATA = Path(__file__).resolve().parent / "data"


@pytest.mark.parametrize("name", ["extraction_gold.jsonl", "extraction_heldout.jsonl"])
def test_attribution_and_span_f1_meet_the_bar(name: str, settings) -> None:  # type: ignore[no-untyped-def]
    result = evaluate_extraction(load_rows(DATA / name), ActorIndex.from_actors(settings.actors))
    assert result["n_passages"] >= 100
    assert result["attribution"]["f1"] >= 0.90, result["attribution"]
    assert result["span_overlap"]["f1"] >= 0.85, result["span_overlap"]
