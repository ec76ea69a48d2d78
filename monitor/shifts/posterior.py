"""Beta-binomial evidence for a change of stance, for sparse and irregular series.

Takes the scores of a run of distinct statements (``P(favor) - P(against)`` in [-1, 1]) and a
baseline score; gives the Bayes factor of "this run comes from a new regime on the favour (or
against) side" over "this run comes from the baseline".

* Each statement is a *soft* favour/against observation: ``x = (1 + score) / 2`` counts as
  ``x`` favour and ``1 - x`` against. A confident reading (score +0.9) weighs almost a full
  statement, a hesitant one (+0.2) little, so the classifier's calibrated confidence is the weight.
* The baseline is a share ``theta0`` of favour among stanced statements, with a floor for
  reading noise: ``theta0 = noise + (1 - 2 noise) (1 + baseline) / 2``. A perfectly consistent
  actor still reads as the opposite side now and then (the classifier's confusion), so even
  a baseline of -1 expects some favourable readings.
* H0: ``theta ~ Beta(k theta0, k (1 - theta0))`` (the baseline, held with strength ``k``
  pseudo-statements). H1 toward favour: ``theta`` uniform on ``[theta0 + delta, 1]``; toward
  against: uniform on ``[0, theta0 - delta]``. ``delta`` is half the score threshold (a share
  moves half as far as a score).
* The marginal likelihoods are sums over a fixed grid of ``theta`` (no special functions),
  so any prior shape works and the numbers are deterministic.

Two or three strong, consistent statements against a strong baseline give a Bayes factor of
tens; the same statements against a mild baseline, or mixed with baseline-like ones, do not.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

GRID = np.linspace(0.0025, 0.9975, 200)
LOG_T = np.log(GRID)
LOG_1MT = np.log1p(-GRID)


def _logsumexp(a: np.ndarray, axis: int) -> np.ndarray:
    top = np.max(a, axis=axis, keepdims=True)
    top = np.where(np.isfinite(top), top, 0.0)
    with np.errstate(divide="ignore"):  # an empty alternative: log 0 = -inf, never an alert
        return np.squeeze(top, axis=axis) + np.log(np.sum(np.exp(a - top), axis=axis))


def soft_favour(scores: Sequence[float] | np.ndarray) -> np.ndarray:
    """Favour share of each statement: ``(1 + score) / 2``, clipped to [0, 1]."""
    return np.clip((1.0 + np.asarray(scores, dtype=float)) / 2.0, 0.0, 1.0)


@dataclass(frozen=True)
class ShiftPrior:
    """Log prior weights on :data:`GRID` for the baseline and the two alternatives."""

    theta0: float
    log_h0: np.ndarray
    log_favor: np.ndarray
    log_against: np.ndarray

    @classmethod
    def build(cls, baseline: float, *, strength: float, noise: float, delta: float) -> ShiftPrior:
        theta0 = noise + (1 - 2 * noise) * (1 + max(-1.0, min(1.0, baseline))) / 2
        a, b = max(strength * theta0, 1e-3), max(strength * (1 - theta0), 1e-3)
        log_h0 = (a - 1) * LOG_T + (b - 1) * LOG_1MT
        log_h0 -= _logsumexp(log_h0[None, :], axis=1)[0]

        def uniform(mask: np.ndarray) -> np.ndarray:
            if not mask.any():  # the alternative lies outside [0, 1]: that direction can never alert
                return np.full(GRID.shape, -np.inf)
            return np.where(mask, -np.log(mask.sum()), -np.inf)

        shares = GRID
        return cls(theta0, log_h0, uniform(shares >= theta0 + delta), uniform(shares <= theta0 - delta))

    def log_bayes_factors(self, favour: np.ndarray, against: np.ndarray) -> dict[str, np.ndarray]:
        """log BF of each alternative over H0 for runs with these soft favour/against counts (arrays), by direction."""
        loglik = favour[:, None] * LOG_T[None, :] + against[:, None] * LOG_1MT[None, :]
        h0 = _logsumexp(loglik + self.log_h0[None, :], axis=1)
        with np.errstate(invalid="ignore"):
            return {"toward_favor": _logsumexp(loglik + self.log_favor[None, :], axis=1) - h0,
                    "toward_against": _logsumexp(loglik + self.log_against[None, :], axis=1) - h0}


def score_interval(favour: float, against: float, *, level: float = 0.9) -> tuple[float, float]:
    """Equal-tailed posterior interval of the run's mean score under a flat prior on the favour share."""
    logp = favour * LOG_T + against * LOG_1MT
    p = np.exp(logp - logp.max())
    cdf = np.cumsum(p) / p.sum()
    lo = GRID[min(int(np.searchsorted(cdf, (1 - level) / 2)), len(GRID) - 1)]
    hi = GRID[min(int(np.searchsorted(cdf, 1 - (1 - level) / 2)), len(GRID) - 1)]
    return float(2 * lo - 1), float(2 * hi - 1)


__all__ = ["GRID", "ShiftPrior", "score_interval", "soft_favour"]
