"""SetFit-style trial: does contrastive fine-tuning of the encoder beat LR on frozen embeddings?

The SetFit recipe, written directly in torch (the ``setfit`` package is not a dependency):

1. sample sentence pairs from the labelled training data, half of them same-label
   (target cosine 1) and half different-label (target cosine 0), anchors class-balanced;
2. fine-tune the encoder body for one epoch with CosineSimilarityLoss (MSE between the
   pair's cosine and its target) on mean-pooled embeddings, AdamW with linear warm-up/decay;
3. fit the same logistic-regression head as ``monitor train`` on the fine-tuned embeddings.

Both arms see the same masked texts (``monitor.stance.mask_text`` with the actor index
when ``monitor.actors`` exists) and are scored on the held-out set
(``tests/data/stance_heldout.jsonl``), which neither arm trains on. The fine-tuned model
is saved under ``/tmp`` only; nothing in ``monitor/data`` is touched.

    python bench/setfit_trial.py --pairs 8000            # about 1 min on a GPU, far longer on 2 CPUs
    python bench/setfit_trial.py --pairs 1600 --json     # a smaller CPU run
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from monitor.encoder import Encoder, load_encoder  # noqa: E402
from monitor.evaluation import load_jsonl, stance_metrics  # noqa: E402
from monitor.records import LABELS  # noqa: E402
from monitor.training import _fit_lr, training_files  # noqa: E402

HELDOUT = ROOT / "tests" / "data" / "stance_heldout.jsonl"


def actor_mask(config_dir: Path) -> tuple[Callable[[str], str], str]:
    """The production masking function, or the identity when ``monitor.actors`` is not there yet."""
    try:
        from monitor.actors import ActorIndex
    except ImportError:
        return (lambda t: t), "raw text (monitor.actors not available: no masking)"
    from monitor import config
    from monitor.stance import mask_text

    index = ActorIndex.from_actors(config.load(config_dir).actors)
    return (lambda t: mask_text(t, index.find)), "masked with monitor.stance.mask_text + ActorIndex"


def sample_pairs(labels: Sequence[int], n_pairs: int, rng: random.Random) -> list[tuple[int, int, float]]:
    """``n_pairs`` (i, j, target) pairs: half same-label (1.0), half different-label (0.0)."""
    by_label: dict[int, list[int]] = {}
    for i, y in enumerate(labels):
        by_label.setdefault(y, []).append(i)
    classes = sorted(by_label)
    pairs = []
    for k in range(n_pairs):
        y = classes[k % len(classes)]
        i = rng.choice(by_label[y])
        if k % 2 == 0:
            j = rng.choice(by_label[y])
            while j == i and len(by_label[y]) > 1:
                j = rng.choice(by_label[y])
            pairs.append((i, j, 1.0))
        else:
            other = rng.choice([c for c in classes if c != y])
            pairs.append((i, rng.choice(by_label[other]), 0.0))
    rng.shuffle(pairs)
    return pairs


def fine_tune(encoder: Encoder, texts: Sequence[str], labels: Sequence[int], *, n_pairs: int, batch_size: int,
              lr: float, seed: int, device: str, max_length: int = 128) -> Any:
    """One epoch of CosineSimilarityLoss over sampled pairs; returns the fine-tuned model (eval mode, CPU)."""
    import torch
    from transformers import AutoModel, get_linear_schedule_with_warmup

    torch.manual_seed(seed)
    model = AutoModel.from_pretrained(encoder.path, local_files_only=True).to(device)
    model.train()
    pairs = sample_pairs(labels, n_pairs, random.Random(seed))
    steps = (len(pairs) + batch_size - 1) // batch_size
    opt = torch.optim.AdamW(model.parameters(), lr=lr)
    sched = get_linear_schedule_with_warmup(opt, int(0.1 * steps), steps)

    def pooled(batch_texts: list[str]) -> torch.Tensor:
        b = encoder.tokenizer(batch_texts, padding=True, truncation=True, max_length=max_length, return_tensors="pt").to(device)
        hidden = model(**b).last_hidden_state
        mask = b["attention_mask"].unsqueeze(-1).to(hidden.dtype)
        return (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)

    start = time.perf_counter()
    for step in range(steps):
        chunk = pairs[step * batch_size : (step + 1) * batch_size]
        left = pooled([texts[i] for i, _, _ in chunk])
        right = pooled([texts[j] for _, j, _ in chunk])
        target = torch.tensor([t for _, _, t in chunk], device=device)
        loss = torch.nn.functional.mse_loss(torch.nn.functional.cosine_similarity(left, right), target)
        loss.backward()
        opt.step()
        sched.step()
        opt.zero_grad()
        if step % 20 == 0 or step == steps - 1:
            print(f"  step {step + 1}/{steps} loss {loss.item():.4f} ({time.perf_counter() - start:.0f} s)", flush=True)
    return model.eval().to("cpu")


def head_f1(train_emb: np.ndarray, y: np.ndarray, test_emb: np.ndarray, gold: list[str], c: float) -> dict[str, Any]:
    """Held-out metrics of the production LR head fitted on ``train_emb``."""
    model = _fit_lr(train_emb, y, c)
    pred = [LABELS[i] for i in model.predict(test_emb)]
    m = stance_metrics(gold, pred, model.predict_proba(test_emb))
    return {k: m[k] for k in ("n", "macro_f1", "f_avg", "accuracy", "confusion")}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pairs", type=int, default=8000, help="sentence pairs for the one contrastive epoch")
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--lr", type=float, default=2e-5)
    ap.add_argument("--c", type=float, default=4.0, help="LR head regularisation (as monitor train)")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--device", default="cuda" if _cuda() else "cpu")
    ap.add_argument("--config", type=Path, default=ROOT / "config")
    ap.add_argument("--heldout", type=Path, default=HELDOUT)
    ap.add_argument("--save", type=Path, default=Path("/tmp/setfit-minilm"), help="where the fine-tuned model goes (under /tmp)")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args(argv)

    mask, masking = actor_mask(a.config)
    rows = [r for p in training_files() for r in load_jsonl(p, required=("text", "label"))]
    test = load_jsonl(a.heldout, required=("text", "label"))
    texts = [mask(r["text"]) for r in rows]
    test_texts = [mask(r["text"]) for r in test]
    y = np.array([LABELS.index(r["label"]) for r in rows])
    gold = [r["label"] for r in test]
    print(f"{len(rows)} training rows, {len(test)} held-out rows; {masking}", flush=True)

    encoder = load_encoder()
    baseline = head_f1(encoder.embed(texts), y, encoder.embed(test_texts), gold, a.c)
    print(f"frozen encoder + LR: held-out macro-F1 {baseline['macro_f1']:.4f}", flush=True)

    t0 = time.perf_counter()
    model = fine_tune(encoder, texts, y.tolist(), n_pairs=a.pairs, batch_size=a.batch_size, lr=a.lr, seed=a.seed,
                      device=a.device)
    train_s = time.perf_counter() - t0
    tuned_encoder = replace(encoder, name=f"{encoder.name}-setfit", model=model)
    tuned = head_f1(tuned_encoder.embed(texts), y, tuned_encoder.embed(test_texts), gold, a.c)
    print(f"SetFit-tuned encoder + LR: held-out macro-F1 {tuned['macro_f1']:.4f} (fine-tuning {train_s:.0f} s)")

    if not str(a.save.resolve()).startswith("/tmp/"):
        raise SystemExit(f"refusing to save outside /tmp: {a.save}")
    model.save_pretrained(a.save)
    encoder.tokenizer.save_pretrained(a.save)

    result = {"masking": masking, "n_train": len(rows), "pairs": a.pairs, "batch_size": a.batch_size, "lr": a.lr,
              "seed": a.seed, "device": a.device, "fine_tune_seconds": round(train_s, 1), "saved_to": str(a.save),
              "frozen_lr": baseline, "setfit_lr": tuned,
              "delta_macro_f1": round(tuned["macro_f1"] - baseline["macro_f1"], 4)}
    if a.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"\n| encoder | held-out macro-F1 | F_avg | accuracy |\n|---|---|---|---|\n"
              f"| frozen all-MiniLM-L6-v2 + LR | {baseline['macro_f1']:.4f} | {baseline['f_avg']:.4f} | {baseline['accuracy']:.4f} |\n"
              f"| SetFit-tuned ({a.pairs} pairs, 1 epoch) + LR | {tuned['macro_f1']:.4f} | {tuned['f_avg']:.4f} | {tuned['accuracy']:.4f} |")
    return 0


def _cuda() -> bool:
    import torch

    return bool(torch.cuda.is_available())


if __name__ == "__main__":
    raise SystemExit(main())
