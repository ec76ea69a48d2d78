"""Operating curve of the shift detector on simulated sparse series at real rates and real label noise.

    .venv/bin/python bench/shift_sim.py                     # the default candidates, 4 rates, table on stdout
    .venv/bin/python bench/shift_sim.py --runs 200 --rates 1 4 --candidate method=bayes,bayes_factor=8,min_statements=2

Each simulated actor x target series is a Poisson stream of statements (``--rates``, per month)
about one Western target. A statement's true stance is the regime's (favour or against) or,
with probability ``--none-share``, no stance. The classifier reads it through a confusion matrix
(``--confusion``, rows true favor/against/none, columns read favor/against/none; default the
figures the issue gives for the current head); read ``none`` never reaches the detector. A read
stance gets a score ``+-m``: ``m`` uniform on [0.45, 0.95] for a correct reading and, with
``--error-confidence same`` (the default, the pessimistic choice), for a wrong one too; ``lower``
draws wrong readings from [0.2, 0.7] as a calibrated classifier would. Each statement comes
from one of ``--sources`` outlets.

* **Stable series** (``--stable-years`` long): every alert is false. Reported per actor x target
  per year.
* **Shift series**: ``--before-months`` in the baseline regime, then the opposite stance. Delay =
  alert date - date of the third statement whose true stance is the new one (a negative delay: the
  alert came before the third). An alert before the change counts as false; no alert within
  ``--horizon-days`` of the change is a miss (and an infinite delay in the median).

Baselines are those of ``config/baselines.yaml`` in kind: a mild ``against`` (-0.5, Azerbaijan on
the US), a strong ``against`` (-0.8) and a ``favor`` (+0.7, Armenia), each with its sign as the
stable stance. Deterministic for a given ``--seed``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from monitor.config import ShiftSettings  # noqa: E402
from monitor.shifts.baseline import Point, detect  # noqa: E402

LABELS = ("favor", "against", "none")
DEFAULT_CONFUSION = "0.80,0.05,0.15;0.07,0.80,0.13;0.15,0.10,0.75"
D0 = date(2020, 1, 1)
CANDIDATES = [
    "method=cusum,min_statements=4,window_days=60",  # the detector before issue 16
    "method=cusum,min_statements=3,window_days=120",
    "method=bayes,bayes_factor=5,min_statements=2,window_days=180",
    "method=bayes,bayes_factor=8,min_statements=2,window_days=180",
    "method=bayes,bayes_factor=15,min_statements=2,window_days=180",
    "method=bayes,bayes_factor=8,min_statements=3,window_days=180",
    "method=bayes,bayes_factor=15,min_statements=3,window_days=180",
    "method=bayes,bayes_factor=8,min_statements=2,window_days=365",
]


def parse_confusion(text: str) -> np.ndarray:
    m = np.array([[float(v) for v in row.split(",")] for row in text.split(";")])
    if m.shape != (3, 3) or not np.allclose(m.sum(axis=1), 1.0, atol=1e-6):
        raise SystemExit(f"--confusion needs 3 rows of 3 probabilities summing to 1, got {text!r}")
    return m


def parse_candidate(text: str) -> ShiftSettings:
    fields = dict(kv.split("=", 1) for kv in text.split(",") if kv)
    return ShiftSettings.model_validate(fields)


@dataclass
class Sim:
    confusion: np.ndarray
    none_share: float
    sources: int
    error_confidence: str

    def series(self, rng: np.random.Generator, rate: float, days: int, regimes: list[tuple[int, str]],
               *, tag: str) -> tuple[list[Point], list[tuple[int, str]]]:
        """Statements over ``days`` (regimes: (first day, stance)); returns points and (day, true stance) of each."""
        t, pts, truth = 0.0, [], []
        mean_gap = 30.44 / rate
        n = 0
        while True:
            t += rng.exponential(mean_gap)
            day = int(t)
            if day >= days:
                return pts, truth
            stance = next(s for start, s in reversed(regimes) if day >= start)
            true = "none" if rng.random() < self.none_share else stance
            truth.append((day, true))
            read = LABELS[int(rng.choice(3, p=self.confusion[LABELS.index(true)]))]
            n += 1
            if read == "none":
                continue
            wrong = read != true
            m = rng.uniform(0.2, 0.7) if wrong and self.error_confidence == "lower" else rng.uniform(0.45, 0.95)
            pts.append(Point(f"{tag}-{n}", "XX", "US", D0 + timedelta(days=day), m if read == "favor" else -m,
                             f"outlet{int(rng.integers(self.sources))}"))


def run_candidate(s: ShiftSettings, sim: Sim, rate: float, baseline: float, a: argparse.Namespace) -> dict[str, float]:
    stance = "favor" if baseline > 0 else "against"
    other = "against" if stance == "favor" else "favor"
    direction = f"toward_{other}"
    rng = np.random.default_rng([a.seed, int(rate * 100), int((baseline + 1) * 100)])
    false_alerts, years = 0, 0.0
    for r in range(a.runs):
        pts, _ = sim.series(rng, rate, int(a.stable_years * 365), [(0, stance)], tag=f"s{r}")
        false_alerts += len(detect(pts, baseline, "article", s))
        years += a.stable_years
    delays: list[float] = []
    change = int(a.before_months * 30.44)
    for r in range(a.runs):
        pts, truth = sim.series(rng, rate, change + a.horizon_days, [(0, stance), (change, other)], tag=f"c{r}")
        alerts = detect(pts, baseline, "article", s)
        false_alerts += sum(al.opened_on < D0 + timedelta(days=change) for al in alerts)
        years += a.before_months / 12
        new = [d for d, t in truth if d >= change and t == other]
        hits = [al for al in alerts if al.direction == direction and al.opened_on >= D0 + timedelta(days=change)]
        if len(new) < 3 or not hits:
            delays.append(float("inf"))
            continue
        delays.append(float((hits[0].opened_on - (D0 + timedelta(days=new[2]))).days))
    finite = [d for d in delays if d != float("inf")]
    return {"median_delay": statistics.median(delays), "detected": len(finite) / len(delays),
            "false_per_year": false_alerts / years}


def label(s: ShiftSettings) -> str:
    if s.method == "cusum":
        return f"cusum min_n={s.min_statements} window={s.window_days}d"
    extra = "".join(f" {k}={getattr(s, k):g}" for k in ("bayes_strength", "bayes_noise")
                    if getattr(s, k) != ShiftSettings.model_fields[k].default)
    return f"bayes bf={s.bayes_factor:g} min_n={s.min_statements} window={s.window_days}d{extra}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--candidate", action="append", help="key=value,... of shift settings (repeatable)")
    ap.add_argument("--rates", type=float, nargs="+", default=[1, 2, 4, 10], help="statements per month")
    ap.add_argument("--baselines", type=float, nargs="+", default=[-0.5, -0.8, 0.7])
    ap.add_argument("--runs", type=int, default=60, help="series per cell (stable and shift each)")
    ap.add_argument("--stable-years", type=float, default=3.0)
    ap.add_argument("--before-months", type=float, default=12.0)
    ap.add_argument("--horizon-days", type=int, default=365)
    ap.add_argument("--none-share", type=float, default=0.3)
    ap.add_argument("--sources", type=int, default=5)
    ap.add_argument("--confusion", default=DEFAULT_CONFUSION)
    ap.add_argument("--error-confidence", choices=("same", "lower"), default="same")
    ap.add_argument("--seed", type=int, default=16)
    a = ap.parse_args()
    sim = Sim(parse_confusion(a.confusion), a.none_share, a.sources, a.error_confidence)
    cands = [parse_candidate(c) for c in (a.candidate or CANDIDATES)]
    print(f"runs={a.runs} per cell, stable {a.stable_years} y, shift after {a.before_months} months, none share "
          f"{a.none_share}, {a.sources} sources, error confidence {a.error_confidence}, confusion {a.confusion}")
    head = " | ".join(f"{r:g}/mo delay · FA/y" for r in a.rates)
    print(f"\n| candidate | baseline | {head} |\n|---|---|" + "---|" * len(a.rates))
    t0 = time.perf_counter()
    for s in cands:
        for b in a.baselines:
            cells = []
            for rate in a.rates:
                m = run_candidate(s, sim, rate, b, a)
                delay = "miss" if m["median_delay"] == float("inf") else f"{m['median_delay']:+.0f} d"
                cells.append(f"{delay} ({m['detected']:.0%}) · {m['false_per_year']:.2f}")
            print(f"| {label(s)} | {b:+.1f} | " + " | ".join(cells) + " |", flush=True)
    print(f"\n{time.perf_counter() - t0:.0f} s. Cell: median delay after the third statement of the new regime "
          "(share of shifts detected within the horizon) · false alerts per actor x target per year.")


if __name__ == "__main__":
    main()
