"""Train the stance head: masked texts -> embeddings + word n-gram TF-IDF -> logistic regression.

Cross-validated (stratified 5-fold) metrics and a temperature fitted on the out-of-fold
logits go into the artefact's model card (the TF-IDF vocabulary is refitted inside each fold,
so no fold sees its test texts' n-grams), with the training data's sha256, so every
stance row's model id leads back to the data and numbers behind it.

Every training statement is also learnt once more inside a reporting frame ("[ACTOR] Foreign
Ministry spokeswoman [PERSON] said ...", "..., the ministry said in a statement."). Masking hides
who speaks, but not that someone does: without the copies, a frame around "the EU observers
were doing important work" pulled it from favour (0.92) to against (0.75), because the training
data's hostile briefings are more often reported speech. With them the frame carries no stance.
Copies stay in their original's cross-validation fold and are never scored, so the CV metrics
are over the written statements only.
"""

from __future__ import annotations

import json
import logging
import random
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from monitor.encoder import Encoder
from monitor.evaluation import reliability, stance_metrics
from monitor.records import LABELS
from monitor.stance import STANCE_TARGETS, Lexical, head_features, model_card, softmax

log = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent / "data"


def training_files() -> list[Path]:
    """The team-written training sets shipped with the package."""
    return sorted(DATA_DIR.glob("stance_train*.jsonl"))


# Reporting frames, already masked as mask_text masks (non-Western speakers [ACTOR]/[PERSON],
# Western ones by name): prefixes take the statement after them, suffixes close it.
FRAME_PREFIXES = (
    "[PERSON] said ", "[PERSON] said that ", "[ACTOR] Foreign Ministry spokeswoman [PERSON] said ",
    "[ACTOR] Foreign Ministry spokesman [PERSON] told reporters that ", "The ministry's spokeswoman said ",
    "[ACTOR]'s foreign minister said ", "Speaking at a press conference, [PERSON] said ",
    "[ACTOR] President [PERSON] said in a speech that ", "According to [PERSON], ", "In an interview, [PERSON] said ",
    "[ACTOR] said in a statement that ", "A senior [ACTOR] diplomat said ", "The presidential aide told journalists that ",
    "A State Department spokesperson said ", "The EU's foreign policy chief said ",
)
FRAME_SUFFIXES = (", [PERSON] said.", ", the spokeswoman told reporters.", ", [ACTOR]'s foreign minister said.",
                  ", the ministry said in a statement.", ", he added.")


def framed(text: str, rng: random.Random) -> str:
    """``text`` as reported speech: after a frame prefix (7 in 10) or before a frame suffix."""
    if rng.random() < 0.7:
        body = text[0].lower() + text[1:] if len(text) > 1 and text[1].islower() else text  # "We" -> "we", "EU" stays
        return rng.choice(FRAME_PREFIXES) + body
    return text.rstrip().removesuffix(".") + rng.choice(FRAME_SUFFIXES)


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


LEXICAL_WEIGHT = 1.0  # chosen on the news-register validation set, not CV (README, "Quality and benchmarks")


def train_head(
    encoder: Encoder,
    rows: Sequence[dict[str, Any]],
    *,
    mask: Callable[[str], str],
    data_sha256: str,
    c: float = 4.0,
    lexical_weight: float = LEXICAL_WEIGHT,
    folds: int = 5,
    seed: int = 13,
    frames: int = 1,
) -> dict[str, Any]:
    """Fit label and target heads; return the artefact (weights + model card) as a dict.

    ``lexical_weight`` scales the TF-IDF features against the unit-length embedding; 0 trains
    on the embedding alone (a format-1 head). ``frames``: how many times each statement is also
    learnt inside a reporting frame (module docstring).
    """
    from sklearn.model_selection import StratifiedKFold

    n = len(rows)
    texts = [mask(r["text"]) for r in rows]
    rng = random.Random(seed)
    texts += [framed(texts[i], rng) for _ in range(frames) for i in range(n)]  # copy k of row i at (k + 1) * n + i
    y = np.array([LABELS.index(r["label"]) for r in rows] * (frames + 1))
    emb = encoder.embed(texts)

    def with_copies(idx: np.ndarray) -> np.ndarray:
        """Rows ``idx`` of the written statements plus their framed copies."""
        return np.concatenate([idx + k * n for k in range(frames + 1)])

    def fit_lexical(idx: Sequence[int]) -> Lexical | None:
        return Lexical.fit([texts[i] for i in idx], weight=lexical_weight) if lexical_weight > 0 else None

    def fit_predict(train: np.ndarray, test: np.ndarray, labels: np.ndarray) -> np.ndarray:
        """Out-of-fold decision values, with the lexical vocabulary fitted on the training fold only."""
        lexical = fit_lexical(train)
        m = _fit_lr(head_features(emb[train], [texts[i] for i in train], lexical), labels, c)
        return m.decision_function(head_features(emb[test], [texts[i] for i in test], lexical))  # type: ignore[no-any-return]

    oof_logits = np.zeros((n, len(LABELS)), dtype=np.float64)
    for train, test in StratifiedKFold(folds, shuffle=True, random_state=seed).split(emb[:n], y[:n]):
        train = with_copies(train)
        oof_logits[test] = fit_predict(train, test, y[train])
    temperature = fit_temperature(oof_logits, y[:n])
    oof_proba = softmax(oof_logits / temperature)
    oof_pred = [LABELS[i] for i in oof_proba.argmax(1)]
    gold = [r["label"] for r in rows]
    cv = stance_metrics(gold, oof_pred, oof_proba)
    conf = oof_proba.max(1)
    correct = np.array([g == p for g, p in zip(gold, oof_pred, strict=True)], dtype=float)
    cv["reliability"] = reliability(conf, correct)

    lexical = fit_lexical(range(len(texts)))
    x_all = head_features(emb, texts, lexical)
    label_model = _fit_lr(x_all, y, c)
    # target index per text (copies included); -1 for `none` rows, which have no target
    targets = np.array([STANCE_TARGETS.index(r["target"]) if r["label"] != "none" else -1 for r in rows] * (frames + 1))
    stanced = np.flatnonzero(targets[:n] >= 0)
    target_model = _fit_lr(x_all[with_copies(stanced)], targets[with_copies(stanced)], c)
    t_oof = np.zeros(len(stanced), dtype=int)
    for train, test in StratifiedKFold(folds, shuffle=True, random_state=seed).split(stanced, targets[stanced]):
        train_rows = with_copies(stanced[train])
        t_oof[test] = fit_predict(train_rows, stanced[test], targets[train_rows]).argmax(1)
    cv["target_accuracy"] = float((t_oof == targets[stanced]).mean())

    kind = "logistic regression over masked mean-pooled embeddings"
    return {
        "format": 2 if lexical else 1,
        "kind": kind + (f" + word 1-2-gram tf-idf (weight {lexical_weight:g}, {len(lexical)} terms)" if lexical else "")
        + (f"; each statement also learnt in {frames} reporting frame(s)" if frames else ""),
        "encoder": encoder.name,
        "encoder_sha256": encoder.sha256,
        "labels": list(LABELS),
        "targets": list(STANCE_TARGETS),
        "embedding_dim": int(emb.shape[1]),
        "temperature": temperature,
        "C": c,
        "lexical_weight": lexical_weight,
        "framed_copies": frames,
        "n_train": len(rows),
        "label_counts": {lab: int((y[:n] == i).sum()) for i, lab in enumerate(LABELS)},
        "data_sha256": data_sha256,
        "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "cv_folds": folds,
        "metrics": {"cv": cv},
        **({"lexical": lexical.to_artefact()} if lexical else {}),
        "label_coef": _rounded(label_model.coef_),
        "label_intercept": label_model.intercept_.tolist(),
        "target_coef": _rounded(target_model.coef_),
        "target_intercept": target_model.intercept_.tolist(),
    }


def _rounded(coef: np.ndarray) -> list[list[float]]:
    """Weights with 6 significant digits: the artefact stays small and diffable, predictions unchanged."""
    return [[float(f"{x:.6g}") for x in row] for row in coef]


def write_head(artefact: dict[str, Any], path: Path) -> Path:
    """Write the head JSON and a human-readable model card beside it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(artefact, separators=(",", ":")) + "\n", encoding="utf-8")
    card = model_card(artefact)
    path.with_suffix(".card.json").write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")
    return path
