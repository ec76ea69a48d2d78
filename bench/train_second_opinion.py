"""Fit the extraction second opinion (:mod:`monitor.statements.second_opinion`) and write it with its card.

Training data: the team's annotated passages (``tests/data/extraction_gold.jsonl``,
``tests/data/extraction_heldout.jsonl`` and, since the seventh pass, the register sets
``tests/data/extraction_registers.jsonl`` and ``tests/data/extraction_registers_hard.jsonl``) and the studied ``a…`` half of the real
``passages_dev.jsonl``, read in place (``--real DIR`` / ``MONITOR_REAL_DIR`` / ``../shared/real``). A
unit is a positive when a gold statement overlaps it; every unit of every passage is a row. The
threshold is chosen by 5-fold cross-validation on the ``a`` half grouped by ``source``, with the
team's passages in every training fold: the end-to-end attribution F1 of rules plus model on the
held-out fold. The ``b…`` half is not used here; score it afterwards with ``bench/extraction_real.py``.

    python bench/train_second_opinion.py            # CV table, then writes the artefact and card
    python bench/train_second_opinion.py --dry-run  # CV table only
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.extraction_real import real_dir  # noqa: E402
from monitor import config  # noqa: E402
from monitor.statements.actors import ActorIndex  # noqa: E402
from monitor.statements.extract import unit_table  # noqa: E402
from monitor.statements.extraction_eval import _overlaps, evaluate_extraction, load_rows  # noqa: E402
from monitor.statements.second_opinion import ARTEFACT, FEATURES, fit  # noqa: E402

TEAM = tuple(ROOT / "tests" / "data" / f"{name}.jsonl" for name in (
    "extraction_gold", "extraction_heldout", "extraction_registers", "extraction_registers_hard"))
THRESHOLDS = (0.5, 0.7, 0.8, 0.9, 0.95, 0.97, 0.98, 0.99)
FOLDS = 5


def table(rows: list[dict[str, Any]], index: ActorIndex) -> tuple[list[list[float]], list[int]]:
    """Features and labels of every unit of ``rows``."""
    xs: list[list[float]] = []
    ys: list[int] = []
    for n, row in enumerate(rows):
        _, units, feats = unit_table(str(row.get("id", n)), row["text"], index, feed_actor=row.get("feed_actor"))
        for u, f in zip(units, feats, strict=True):
            xs.append(f)
            ys.append(int(any(_overlaps((int(g["start"]), int(g["end"])), (u.start, u.end), row["text"])
                              for g in row["statements"])))
    return xs, ys


def folds(rows: list[dict[str, Any]], k: int = FOLDS) -> list[list[int]]:
    """Row indices in ``k`` folds grouped by ``source`` (largest groups first, each to the smallest fold)."""
    groups: dict[str, list[int]] = {}
    for i, row in enumerate(rows):
        groups.setdefault(str(row.get("source", i)), []).append(i)
    out: list[list[int]] = [[] for _ in range(k)]
    for members in sorted(groups.values(), key=len, reverse=True):
        min(out, key=len).extend(members)
    return out


def cross_validate(team: list[dict[str, Any]], studied: list[dict[str, Any]], index: ActorIndex) -> dict[str, Any]:
    """Attribution F1 on the studied rows by grouped CV, for the rules alone and each threshold."""
    team_x, team_y = table(team, index)
    hits = {t: 0.0 for t in THRESHOLDS}
    preds = {t: 0 for t in THRESHOLDS}
    for fold in folds(studied):
        test = [studied[i] for i in fold]
        train = [r for i, r in enumerate(studied) if i not in set(fold)]
        xs, ys = table(train, index)
        for t in THRESHOLDS:
            res = evaluate_extraction(test, index, second_opinion=fit(team_x + xs, team_y + ys, t))
            hits[t] += res["attribution"]["recall"] * res["n_gold"]
            preds[t] += res["n_pred"]
    n_gold = sum(len(r["statements"]) for r in studied)
    rules = evaluate_extraction(studied, index, second_opinion=False)["attribution"]
    out: dict[str, Any] = {"rules": rules}
    for t in THRESHOLDS:
        p, r = hits[t] / preds[t] if preds[t] else 0.0, hits[t] / n_gold
        out[str(t)] = {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r), 4)}
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--real", help="folder of the real corpus (default ../shared/real or MONITOR_REAL_DIR)")
    p.add_argument("--threshold", type=float, default=0.95, help="threshold to ship (chosen from the CV table)")
    p.add_argument("--dry-run", action="store_true")
    a = p.parse_args(argv)
    path = real_dir(a.real) / "passages_dev.jsonl"
    if not path.exists():
        print(f"no real corpus at {path}", file=sys.stderr)
        return 2
    index = ActorIndex.from_actors(config.load(ROOT / "config").actors)
    team = [row for f in TEAM for row in load_rows(f)]
    studied = [r for r in load_rows(path) if str(r.get("id", "")).startswith("a")]
    cv = cross_validate(team, studied, index)
    for key, m in cv.items():
        print(f"{key:>6}  P {m['precision']:.3f}  R {m['recall']:.3f}  F1 {m['f1']:.3f}")
    if a.dry_run:
        return 0
    xs, ys = table(team + studied, index)
    model = fit(xs, ys, a.threshold)
    ARTEFACT.write_text(json.dumps(model.to_json(), indent=1) + "\n", encoding="utf-8")
    card = {
        "kind": "logistic regression (balanced classes, C=1) over the unit features below",
        "features": list(FEATURES),
        "threshold": a.threshold,
        "train": {"team_passages": len(team), "real_a_passages": len(studied), "units": len(ys),
                  "positive_units": sum(ys)},
        "real_file": "passages_dev.jsonl",
        "real_sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "cv": {"folds": FOLDS, "grouped_by": "source", "on": "real a half, team passages in every training fold",
               "attribution": cv},
        "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    ARTEFACT.with_suffix(".card.json").write_text(json.dumps(card, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {ARTEFACT} and its card")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
