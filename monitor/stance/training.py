"""Train the stance head: masked texts -> embeddings + word n-gram TF-IDF + referent flag -> logistic regression.

The head learns from the team-written statements and, when it is there, the real development
set (``../shared/real/stance_dev.jsonl``: real officials' statements, read in place, never
copied). Real speech is the measure: the model card's metrics are cross-validated over the
real statements with folds grouped by source page, the team data in every training fold, and
the temperature that calibrates the probabilities is fitted on those out-of-fold logits. The
TF-IDF vocabulary is refitted inside each fold, so no fold sees its test texts' n-grams. The
card keeps the sha256 of both data sets, so every stance row's model id leads back to the data
and numbers behind it.

Every training statement is also learnt once more inside a reporting frame ("[ACTOR] Foreign
Ministry spokeswoman [PERSON] said ...", "..., the ministry said in a statement."). Masking hides
who speaks, but not that someone does: without the copies, a frame around "the EU observers
were doing important work" pulled it from favour (0.92) to against (0.75), because the training
data's hostile briefings are more often reported speech. With them the frame carries no stance.
Copies stay in their original's cross-validation fold and are never scored, so the CV metrics
are over the written statements only.
"""

from __future__ import annotations

import gzip
import json
import logging
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from monitor.config import SENTENCES_MIN_WORDS
from monitor.records import LABELS
from monitor.stance.classifier import (
    STANCE_TARGETS,
    Lexical,
    chosen_readings,
    head_features,
    model_card,
    named_target,
    readings,
    softmax,
)
from monitor.stance.encoder import Encoder
from monitor.stance.evaluation import reliability, stance_metrics
from monitor.stance.wording import QUOTE_MIN_WORDS, plain_polarity

log = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


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


def _fit_lr(x: Any, y: np.ndarray, c: float, weights: np.ndarray | None = None) -> Any:
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=c, max_iter=3000, class_weight="balanced").fit(x, y, sample_weight=weights)


def fit_temperature(logits: np.ndarray, y: np.ndarray) -> float:
    """Temperature minimising held-out negative log-likelihood (grid + refinement)."""
    def nll(t: float) -> float:
        p = softmax(logits / t)
        return float(-np.log(p[np.arange(len(y)), y] + 1e-12).mean())

    grid = np.exp(np.linspace(np.log(0.05), np.log(10), 200))
    best = min(grid, key=nll)
    return float(best)


# Chosen by grouped cross-validation on the real development set (docs/stance.md): a real
# statement weighs 32 team-written ones (team rows 0.5 each, real 16), C 0.25, TF-IDF 1, the
# referent flag 1. The lexical weight was first chosen on the news-register set.
LEXICAL_WEIGHT = 1.0
REFERENT_WEIGHT = 1.0
C = 0.25
TEAM_WEIGHT = 0.5
REAL_WEIGHT = 16.0


@dataclass
class _Corpus:
    """Every text the head learns from or is scored on, masked and embedded once.

    Rows: the ``n`` team statements, their framed copies (copy k of row i at ``(k + 1) * n + i``),
    the real statements, then the sentence readings of every scored row.
    """

    texts: list[str]
    emb: np.ndarray
    y: np.ndarray  # label index per text (-1 for readings)
    target: np.ndarray  # target index per text (-1: none or a reading)
    weight: np.ndarray
    n_team: int
    frames: int
    real: np.ndarray  # row indices of the real statements
    readings: dict[int, list[int]]  # scored row -> rows of its sentence readings

    def team_rows(self, idx: np.ndarray) -> np.ndarray:
        """Rows ``idx`` of the written team statements plus their framed copies."""
        return np.concatenate([idx + k * self.n_team for k in range(self.frames + 1)])


def _corpus(encoder: Encoder, team: Sequence[dict[str, Any]], real: Sequence[dict[str, Any]], mask: Callable[[str], str],
            *, frames: int, seed: int, team_weight: float, real_weight: float, min_words: int | None) -> _Corpus:
    n = len(team)
    rng = random.Random(seed)
    texts = [mask(r["text"]) for r in team]
    texts += [framed(texts[i], rng) for _ in range(frames) for i in range(n)]
    texts += [mask(r["text"]) for r in real]
    labelled = list(team) * (frames + 1) + list(real)
    real_idx = np.arange(n * (frames + 1), len(texts))
    scored = real_idx if len(real) else np.arange(n)  # rows cross-validation scores
    extra: dict[int, list[int]] = {}
    for i in scored:
        parts = readings(texts[i], min_words)
        extra[int(i)] = list(range(len(texts), len(texts) + len(parts)))
        texts += parts
    y = np.full(len(texts), -1)
    y[: len(labelled)] = [LABELS.index(r["label"]) for r in labelled]
    target = np.full(len(texts), -1)
    target[: len(labelled)] = [STANCE_TARGETS.index(r["target"]) if r["label"] != "none" else -1 for r in labelled]
    weight = np.zeros(len(texts))
    weight[: n * (frames + 1)] = team_weight
    weight[real_idx] = real_weight
    texts = [plain_polarity(t) for t in texts]  # read as the classifier reads them
    return _Corpus(texts, encoder.embed(texts), y, target, weight, n, frames, real_idx, extra)


@dataclass
class _Fit:
    label: Any
    target: Any
    lexical: Lexical | None
    referent: float

    def features(self, c: _Corpus, rows: Sequence[int]) -> Any:
        return head_features(c.emb[list(rows)], [c.texts[i] for i in rows], self.lexical, self.referent)


def _fit(c: _Corpus, rows: np.ndarray, *, cost: float, lexical_weight: float, referent_weight: float) -> _Fit:
    """Label and target models on ``rows``, the lexical vocabulary fitted on those rows only."""
    lexical = Lexical.fit([c.texts[i] for i in rows], weight=lexical_weight) if lexical_weight > 0 else None
    fit = _Fit(None, None, lexical, referent_weight)
    x = fit.features(c, rows)
    fit.label = _fit_lr(x, c.y[rows], cost, c.weight[rows])
    stanced = np.flatnonzero(c.target[rows] >= 0)
    fit.target = _fit_lr(x[stanced], c.target[rows][stanced], cost, c.weight[rows][stanced])
    return fit


def _score(c: _Corpus, fit: _Fit, rows: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """Label logits and predicted targets of ``rows``, each read as the classifier reads it
    (whole or by its most stance-bearing sentence, the target named in that reading first)."""
    every = list(rows) + [r for i in rows for r in c.readings.get(int(i), [])]
    x = fit.features(c, every)
    z = fit.label.decision_function(x)
    target_p = fit.target.predict_proba(x)
    best = chosen_readings(softmax(z), [len(c.readings.get(int(i), [])) for i in rows])
    targets = [named_target(c.texts[every[b]]) or STANCE_TARGETS[int(target_p[b].argmax())] for b in best]
    return z[best], targets


class CrossValidation(NamedTuple):
    """Out-of-fold results, one row per scored statement in input order."""

    metrics: dict[str, Any]
    logits: np.ndarray  # uncalibrated label logits
    proba: np.ndarray  # label probabilities, each fold calibrated on the others
    targets: list[str]  # predicted target of each statement's chosen reading


def cross_validate(c: _Corpus, real: Sequence[dict[str, Any]], *, folds: int, seed: int, cost: float, lexical_weight: float,
                   referent_weight: float) -> CrossValidation:
    """Out-of-fold metrics and logits.

    With real statements: folds grouped by ``source`` page (no page in training and test at
    once), stratified by label, with every team statement in every training fold; metrics over
    the real statements, calibrated with a temperature fitted on the other folds' logits.
    Without: stratified folds over the team statements, framed copies in their original's fold.
    """
    from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold

    if len(real):
        scored = c.real
        split = StratifiedGroupKFold(folds, shuffle=True, random_state=seed).split(
            scored, c.y[scored], [r.get("source") or r.get("id") or i for i, r in enumerate(real)])
        train_of = lambda tr: np.concatenate([c.team_rows(np.arange(c.n_team)), scored[tr]])  # noqa: E731
    else:
        scored = np.arange(c.n_team)
        split = StratifiedKFold(folds, shuffle=True, random_state=seed).split(scored, c.y[scored])
        train_of = lambda tr: c.team_rows(scored[tr])  # noqa: E731
    logits = np.zeros((len(scored), len(LABELS)))
    targets = [""] * len(scored)
    fold = np.zeros(len(scored), dtype=int)
    for k, (tr, te) in enumerate(split):
        fit = _fit(c, train_of(tr), cost=cost, lexical_weight=lexical_weight, referent_weight=referent_weight)
        logits[te], fold_targets = _score(c, fit, scored[te])
        fold[te] = k
        for i, t in zip(te, fold_targets, strict=True):
            targets[i] = t
    y = c.y[scored]
    proba = np.zeros_like(logits)
    for k in range(folds):  # each fold calibrated by a temperature it did not help fit
        proba[fold == k] = softmax(logits[fold == k] / fit_temperature(logits[fold != k], y[fold != k]))
    pred = [LABELS[i] for i in proba.argmax(1)]
    gold = [LABELS[i] for i in y]
    m = stance_metrics(gold, pred, proba, [r.get("actor") for r in real] if len(real) else None)
    correct = np.array([g == p for g, p in zip(gold, pred, strict=True)], dtype=float)
    m["reliability"] = reliability(proba.max(1), correct)
    stanced = [i for i in range(len(scored)) if c.target[scored[i]] >= 0]
    m["target_accuracy"] = float(np.mean([targets[i] == STANCE_TARGETS[c.target[scored[i]]] for i in stanced]))
    m["folds"] = folds
    m["grouped_by"] = "source" if len(real) else "row"
    return CrossValidation(m, logits, proba, targets)


def grouped_cv(encoder: Encoder, team: Sequence[dict[str, Any]], real: Sequence[dict[str, Any]], *,
               mask: Callable[[str], str], c: float = C, lexical_weight: float = LEXICAL_WEIGHT,
               referent_weight: float = REFERENT_WEIGHT, team_weight: float = TEAM_WEIGHT, real_weight: float = REAL_WEIGHT,
               folds: int = 5, seed: int = 13, frames: int = 1,
               sentences_min_words: int | None = SENTENCES_MIN_WORDS) -> CrossValidation:
    """The figure the project steers by: the head's method over ``real`` statements,
    cross-validated with folds grouped by source and the team data in every training fold."""
    corpus = _corpus(encoder, team, real, mask, frames=frames, seed=seed, team_weight=team_weight,
                     real_weight=real_weight, min_words=sentences_min_words)
    return cross_validate(corpus, real, folds=folds, seed=seed, cost=c, lexical_weight=lexical_weight,
                          referent_weight=referent_weight)


def train_head(
    encoder: Encoder,
    rows: Sequence[dict[str, Any]],
    *,
    mask: Callable[[str], str],
    data_sha256: str,
    real: Sequence[dict[str, Any]] = (),
    real_sha256: str | None = None,
    c: float = C,
    lexical_weight: float = LEXICAL_WEIGHT,
    referent_weight: float = REFERENT_WEIGHT,
    team_weight: float = TEAM_WEIGHT,
    real_weight: float = REAL_WEIGHT,
    folds: int = 5,
    seed: int = 13,
    frames: int = 1,
    sentences_min_words: int | None = SENTENCES_MIN_WORDS,
) -> dict[str, Any]:
    """Fit label and target heads; return the artefact (weights + model card) as a dict.

    ``rows``: team-written statements; ``real``: labelled real statements (with ``source`` and
    ``actor``), learnt with ``real_weight`` against ``team_weight``. With real statements the
    model card's cross-validated metrics and the temperature come from folds grouped by source
    over them (:func:`cross_validate`); without, from the team statements. ``lexical_weight``
    and ``referent_weight`` scale the TF-IDF features and the referent flag against the
    unit-length embedding (0: left out). ``frames``: how many times each team statement is also
    learnt inside a reporting frame (module docstring).
    """
    corpus = _corpus(encoder, rows, real, mask, frames=frames, seed=seed, team_weight=team_weight,
                     real_weight=real_weight, min_words=sentences_min_words)
    cv, oof_logits, _, _ = cross_validate(corpus, real, folds=folds, seed=seed, cost=c, lexical_weight=lexical_weight,
                                          referent_weight=referent_weight)
    scored = corpus.real if len(real) else np.arange(corpus.n_team)
    temperature = fit_temperature(oof_logits, corpus.y[scored])
    learnt = np.flatnonzero(corpus.y >= 0)
    final = _fit(corpus, learnt, cost=c, lexical_weight=lexical_weight, referent_weight=referent_weight)
    lexical = final.lexical
    kind = "logistic regression over masked mean-pooled embeddings"
    return {
        "format": 3 if referent_weight else (2 if lexical else 1),
        "kind": kind + (f" + word 1-2-gram tf-idf (weight {lexical_weight:g}, {len(lexical)} terms)" if lexical else "")
        + (f" + referent flag (weight {referent_weight:g})" if referent_weight else "")
        + (f"; each team statement also learnt in {frames} reporting frame(s)" if frames else "")
        + (f"; {len(real)} real statements weighted {real_weight:g} against {team_weight:g}" if len(real) else ""),
        "encoder": encoder.name,
        "encoder_sha256": encoder.sha256,
        "labels": list(LABELS),
        "targets": list(STANCE_TARGETS),
        "embedding_dim": int(corpus.emb.shape[1]),
        "temperature": temperature,
        "C": c,
        "lexical_weight": lexical_weight,
        "referent_weight": referent_weight,
        "team_weight": team_weight,
        "real_weight": real_weight,
        "framed_copies": frames,
        "sentences_min_words": sentences_min_words,
        "quote_readings_min_words": QUOTE_MIN_WORDS,
        "model_input": "masked text, negated stance verbs made plain (monitor/stance/wording.py)",
        "n_train": len(rows) + len(real),
        "n_team": len(rows),
        "n_real": len(real),
        "label_counts": {lab: int((corpus.y[learnt[: len(rows)]] == i).sum() + sum(r["label"] == lab for r in real))
                         for i, lab in enumerate(LABELS)},
        "data_sha256": data_sha256,
        "real_data_sha256": real_sha256,
        "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "cv_folds": folds,
        "metrics": {"cv": cv},
        **({"lexical": lexical.to_artefact()} if lexical else {}),
        "label_coef": _rounded(final.label.coef_),
        "label_intercept": final.label.intercept_.tolist(),
        "target_coef": _rounded(final.target.coef_),
        "target_intercept": final.target.intercept_.tolist(),
    }


def _rounded(coef: np.ndarray) -> list[list[float]]:
    """Weights with 6 significant digits: the artefact stays small and diffable, predictions unchanged."""
    return [[float(f"{x:.6g}") for x in row] for row in coef]


def write_head(artefact: dict[str, Any], path: Path) -> Path:
    """Write the head JSON (gzipped when ``path`` ends in ``.gz``) and a human-readable model card beside it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = (json.dumps(artefact, separators=(",", ":")) + "\n").encode()
    path.write_bytes(gzip.compress(data, compresslevel=9, mtime=0) if path.suffix == ".gz" else data)
    card = model_card(artefact)
    stem = path.name.removesuffix(".gz").removesuffix(".json")
    path.with_name(f"{stem}.card.json").write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")
    return path
