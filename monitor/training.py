"""Train the stance head: masked texts -> encoder embeddings -> logistic regression.

Cross-validated (stratified 5-fold) metrics and a temperature fitted on the out-of-fold
logits go into the artefact's model card, with the training data's sha256, so every
stance row's model id leads back to the data and numbers behind it.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from monitor.encoder import Encoder
from monitor.evaluation import reliability, stance_metrics
from monitor.records import LABELS
from monitor.stance import STANCE_TARGETS, softmax

log = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent / "data"


def training_files() -> list[Path]:
    """The team-written training sets shipped with the package."""
    return sorted(DATA_DIR.glob("stance_train*.jsonl"))


def _fit_lr(x: np.ndarray, y: np.ndarray, c: float) -> Any:
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=c, max_iter=2000, class_weight="balanced").fit(x, y)


def fit_temperature(logits: np.ndarray, y: np.ndarray) -> float:
    """Temperature minimising held-out negative log-likelihood (grid + refinement)."""
    def nll(t: float) -> float:
        p = softmax(logits / t)
        return float(-np.log(p[np.arange(len(y)), y] + 1e-12).mean())

    grid = np.exp(np.linspace(np.log(0.05), np.log(10), 200))
    best = min(grid, key=nll)
    return float(best)


def train_head(
    encoder: Encoder,
    rows: Sequence[dict[str, Any]],
    *,
    mask: Callable[[str], str],
    data_sha256: str,
    c: float = 4.0,
    folds: int = 5,
    seed: int = 13,
) -> dict[str, Any]:
    """Fit label and target heads; return the artefact (weights + model card) as a dict."""
    from sklearn.model_selection import StratifiedKFold

    texts = [mask(r["text"]) for r in rows]
    y = np.array([LABELS.index(r["label"]) for r in rows])
    emb = encoder.embed(texts)

    oof_logits = np.zeros((len(rows), len(LABELS)), dtype=np.float64)
    for train, test in StratifiedKFold(folds, shuffle=True, random_state=seed).split(emb, y):
        m = _fit_lr(emb[train], y[train], c)
        oof_logits[test] = m.decision_function(emb[test])
    temperature = fit_temperature(oof_logits, y)
    oof_proba = softmax(oof_logits / temperature)
    oof_pred = [LABELS[i] for i in oof_proba.argmax(1)]
    gold = [r["label"] for r in rows]
    cv = stance_metrics(gold, oof_pred, oof_proba)
    conf = oof_proba.max(1)
    correct = np.array([g == p for g, p in zip(gold, oof_pred, strict=True)], dtype=float)
    cv["reliability"] = reliability(conf, correct)

    label_model = _fit_lr(emb, y, c)
    stanced = [i for i, r in enumerate(rows) if r["label"] != "none"]
    ty = np.array([STANCE_TARGETS.index(rows[i]["target"]) for i in stanced])
    target_model = _fit_lr(emb[stanced], ty, c)
    t_oof = np.zeros(len(stanced), dtype=int)
    for train, test in StratifiedKFold(folds, shuffle=True, random_state=seed).split(emb[stanced], ty):
        t_oof[test] = _fit_lr(emb[stanced][train], ty[train], c).predict(emb[stanced][test])
    cv["target_accuracy"] = float((t_oof == ty).mean())

    return {
        "format": 1,
        "kind": "logistic-regression over masked mean-pooled embeddings",
        "encoder": encoder.name,
        "encoder_sha256": encoder.sha256,
        "labels": list(LABELS),
        "targets": list(STANCE_TARGETS),
        "temperature": temperature,
        "C": c,
        "n_train": len(rows),
        "label_counts": {lab: int((y == i).sum()) for i, lab in enumerate(LABELS)},
        "data_sha256": data_sha256,
        "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "cv_folds": folds,
        "metrics": {"cv": cv},
        "label_coef": label_model.coef_.tolist(),
        "label_intercept": label_model.intercept_.tolist(),
        "target_coef": target_model.coef_.tolist(),
        "target_intercept": target_model.intercept_.tolist(),
    }


def write_head(artefact: dict[str, Any], path: Path) -> Path:
    """Write the head JSON and a human-readable model card beside it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(artefact, separators=(",", ":")) + "\n", encoding="utf-8")
    card = {k: v for k, v in artefact.items() if not k.endswith(("_coef", "_intercept"))}
    path.with_suffix(".card.json").write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")
    return path
