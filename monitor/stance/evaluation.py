"""Classifier metrics: macro-F1, F_avg (SemEval-2016), per-class P/R/F1, confusion, ECE."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from monitor.records import LABELS, load_jsonl  # noqa: F401 - load_jsonl is part of this module's interface

REAL_ENV = "MONITOR_REAL_DIR"


def real_dir() -> Path:
    """Where the real development corpus lives: ``$MONITOR_REAL_DIR`` or ``../shared/real``
    beside the project. It is read in place, never copied into the repository."""
    return Path(os.environ.get(REAL_ENV) or Path(__file__).resolve().parents[2].parent / "shared" / "real")


def real_stance_file() -> Path | None:
    """The real stance development set, or ``None`` when it is absent (callers skip, saying so)."""
    path = real_dir() / "stance_dev.jsonl"
    return path if path.is_file() else None


def prf(gold: Sequence[str], pred: Sequence[str], label: str) -> dict[str, float]:
    tp = sum(g == label and p == label for g, p in zip(gold, pred, strict=True))
    fp = sum(g != label and p == label for g, p in zip(gold, pred, strict=True))
    fn = sum(g == label and p != label for g, p in zip(gold, pred, strict=True))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "support": float(tp + fn)}


def expected_calibration_error(confidence: np.ndarray, correct: np.ndarray, bins: int = 10) -> float:
    """ECE over equal-width confidence bins of the top-class probability."""
    if len(confidence) == 0:
        return 0.0
    edges = np.linspace(0.0, 1.0, bins + 1)
    ece = 0.0
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        sel = (confidence > lo) & (confidence <= hi)
        if sel.any():
            ece += sel.mean() * abs(confidence[sel].mean() - correct[sel].mean())
    return float(ece)


def reliability(confidence: np.ndarray, correct: np.ndarray, bins: int = 10) -> list[dict[str, float]]:
    edges = np.linspace(0.0, 1.0, bins + 1)
    out = []
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        sel = (confidence > lo) & (confidence <= hi)
        if sel.any():
            out.append({"bin": f"{lo:.1f}-{hi:.1f}", "n": int(sel.sum()), "confidence": float(confidence[sel].mean()),
                        "accuracy": float(correct[sel].mean())})
    return out


def stance_metrics(
    gold: Sequence[str], pred: Sequence[str], proba: np.ndarray | None = None, actors: Sequence[str | None] | None = None
) -> dict[str, Any]:
    """The `monitor eval` report: n, macro_f1, f_avg, accuracy, ece, per_class, confusion, per_actor."""
    per_class = {lab: prf(gold, pred, lab) for lab in LABELS}
    macro = float(np.mean([per_class[lab]["f1"] for lab in LABELS]))
    f_avg = (per_class["favor"]["f1"] + per_class["against"]["f1"]) / 2
    acc = float(np.mean([g == p for g, p in zip(gold, pred, strict=True)])) if gold else 0.0
    confusion = {g: {p: sum(1 for a, b in zip(gold, pred, strict=True) if a == g and b == p) for p in LABELS} for g in LABELS}
    ece = None
    if proba is not None and len(gold):
        conf = proba.max(axis=1)
        correct = np.array([g == p for g, p in zip(gold, pred, strict=True)], dtype=float)
        ece = expected_calibration_error(conf, correct)
    per_actor: dict[str, Any] = {}
    if actors is not None and any(a for a in actors):
        for actor in sorted({a for a in actors if a}):
            idx = [i for i, a in enumerate(actors) if a == actor]
            g = [gold[i] for i in idx]
            p = [pred[i] for i in idx]
            present = [lab for lab in LABELS if lab in g]  # the labels this actor has: an empty cell is real
            per_actor[actor] = {
                "n": len(idx),
                "labels": present,
                "macro_f1": float(np.mean([prf(g, p, lab)["f1"] for lab in present])) if present else 0.0,
                "accuracy": float(np.mean([a == b for a, b in zip(g, p, strict=True)])),
            }
    return {"n": len(gold), "macro_f1": macro, "f_avg": f_avg, "accuracy": acc, "ece": ece, "per_class": per_class,
            "confusion": confusion, "per_actor": per_actor}


def format_metrics(m: dict[str, Any]) -> str:
    lines = [
        f"n={m['n']}  macro-F1={m['macro_f1']:.3f}  F_avg={m['f_avg']:.3f}  accuracy={m['accuracy']:.3f}"
        + (f"  ECE={m['ece']:.3f}" if m.get("ece") is not None else "")
        + (f"  target accuracy={m['target_accuracy']:.3f}" if m.get("target_accuracy") is not None else ""),
        "",
        f"{'class':<10}{'precision':>10}{'recall':>10}{'f1':>10}{'support':>10}",
    ]
    for lab, v in m["per_class"].items():
        lines.append(f"{lab:<10}{v['precision']:>10.3f}{v['recall']:>10.3f}{v['f1']:>10.3f}{int(v['support']):>10}")
    lines += ["", "confusion (rows gold, columns predicted)", f"{'':<10}" + "".join(f"{p:>10}" for p in LABELS)]
    for g, row in m["confusion"].items():
        lines.append(f"{g:<10}" + "".join(f"{row[p]:>10}" for p in LABELS))
    if m.get("per_actor"):
        lines += ["", f"{'actor':<16}{'n':>6}{'macro-F1':>10}{'accuracy':>10}  labels (macro-F1 over the labels it has)"]
        for a, v in m["per_actor"].items():
            lines.append(f"{a:<16}{v['n']:>6}{v['macro_f1']:>10.3f}{v['accuracy']:>10.3f}  {'/'.join(v.get('labels', []))}")
    return "\n".join(lines)


def sha256_of(paths: Iterable[Path]) -> str:
    import hashlib

    h = hashlib.sha256()
    for p in sorted(paths):
        h.update(p.read_bytes())
    return h.hexdigest()
