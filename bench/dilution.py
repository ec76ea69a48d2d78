"""Long-statement benchmark (not a test): does a stance survive the sentences around it?

Real statements are often readouts and briefing answers in which one sentence carries the
stance and the rest is procedure. This takes the labelled evaluation sets, places each
statement among k other sentences, and compares macro-F1 when statements are read whole
(mean pooling over all words) with the sentence reading of ``StanceClassifier``
(``model.sentences_min_words``):

- ``procedural``: k sentences of readout boilerplate (team-written, below);
- ``none rows``: k ``none`` statements of the same set (the conflict without a stance on
  Western involvement: harder, since they speak of the same talks and places).

    python bench/dilution.py                     # held-out and news sets, k = 0, 1, 2, 4
    python bench/dilution.py --data tests/data/stance_long.jsonl --k 0
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from monitor import config  # noqa: E402
from monitor.stance.classifier import BUNDLED_HEAD, Head, StanceClassifier, mask_text  # noqa: E402
from monitor.stance.encoder import load_encoder  # noqa: E402
from monitor.stance.evaluation import load_jsonl, stance_metrics  # noqa: E402
from monitor.statements.actors import ActorIndex  # noqa: E402

PROCEDURAL = (
    "The minister also discussed bilateral trade, energy projects and cooperation in education.",
    "The talks took place at the ministry and lasted about two hours.",
    "Both sides agreed to keep in contact at the level of deputy ministers.",
    "He also congratulated his counterpart on the national holiday and wished the people prosperity.",
    "The delegation later visited an industrial park and met with business leaders.",
    "Questions about the budget and the upcoming elections were also raised during the briefing.",
)
DEFAULT_DATA = (ROOT / "tests" / "data" / "stance_heldout.jsonl", ROOT / "tests" / "data" / "stance_news_demo.jsonl")


def padded(rows: list[dict], pool: list[str], k: int, rng: random.Random) -> list[str]:
    """Each row's text with k sentences from ``pool`` around it, at a random position."""
    out = []
    for r in rows:
        extra = rng.sample([p for p in pool if p != r["text"]], k)
        at = rng.randint(0, k)
        out.append(" ".join([*extra[:at], r["text"], *extra[at:]]))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, nargs="+", default=list(DEFAULT_DATA))
    ap.add_argument("--k", type=int, nargs="+", default=[0, 1, 2, 4], help="sentences added around each statement")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--config", type=Path, default=ROOT / "config")
    a = ap.parse_args(argv)

    settings = config.load(a.config)
    index = ActorIndex.from_actors(settings.actors)
    encoder, head = load_encoder("bundled"), Head.load(BUNDLED_HEAD)
    readings = {
        "whole": StanceClassifier(encoder, head, sentences_min_words=None),
        f"sentences@{settings.model.sentences_min_words}": StanceClassifier(
            encoder, head, sentences_min_words=settings.model.sentences_min_words),
    }
    print("| set | added sentences | k | " + " | ".join(f"macro-F1, {r}" for r in readings) + " |")
    print("|---|---|---|" + "---|" * len(readings))
    rng = random.Random(a.seed)
    for path in a.data:
        rows = load_jsonl(path, required=("text", "label"))
        gold = [r["label"] for r in rows]
        nones = [r["text"] for r in rows if r["label"] == "none"]
        for kind, pool in (("procedural", list(PROCEDURAL)), ("none rows", nones)):
            for k in a.k:
                if (k == 0 and kind != "procedural") or k > len(pool) - 1:
                    continue
                texts = [mask_text(t, index.find) for t in padded(rows, pool, k, rng)]
                f1 = [stance_metrics(gold, [p.label for p in clf.predict(texts)], None)["macro_f1"] for clf in readings.values()]
                print(f"| {path.name} ({len(rows)}) | {kind if k else '-'} | {k} | " + " | ".join(f"{x:.3f}" for x in f1) + " |",
                      flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
