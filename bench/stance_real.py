"""Stance and relevance on real speech: the figures the project steers by (not a test).

Reads the real development set in place (``../shared/real/stance_dev.jsonl`` or
``$MONITOR_REAL_DIR``; never copied into the repository) and prints, in one run:

1. the shipped method cross-validated on it: 5 folds grouped by ``source`` page (no page in
   training and test at once), stratified by label, with every team-written statement in
   every training fold; macro-F1, per class, per actor (over the labels each actor has), ECE
   with each fold calibrated by a temperature fitted on the other folds, the confusion matrix,
   target accuracy on the favor/against rows, and the reliability table;
2. the same head method trained on team data only, scored on every real statement (what the
   real data adds);
3. the relevance gate on the real statements: the share of favor/against statements it keeps
   (target >= 0.97) and the share of none statements it passes to the classifier.

``--svg docs/stance-reliability.svg`` also draws the reliability diagram. Exits 0 with a
"skipped" line when the real set is absent.

    python bench/stance_real.py                       # ~3 minutes on 2 cores
    python bench/stance_real.py --json --svg docs/stance-reliability.svg
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from monitor import config  # noqa: E402
from monitor.records import LABELS, Statement  # noqa: E402
from monitor.stance.classifier import Head, StanceClassifier, mask_text  # noqa: E402
from monitor.stance.encoder import load_encoder  # noqa: E402
from monitor.stance.evaluation import format_metrics, load_jsonl, real_stance_file, stance_metrics  # noqa: E402
from monitor.stance.training import grouped_cv, train_head, training_files  # noqa: E402
from monitor.statements.actors import ActorIndex  # noqa: E402

TARGETS = {"macro_f1": 0.80, "none_recall": 0.70, "actor_macro_f1": 0.65, "ece": 0.06, "target_accuracy": 0.85,
           "gate_keeps": 0.97}


def gate(settings: config.Settings, index: ActorIndex, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Relevance of each real statement, scored as the pipeline scores an extracted one."""
    from monitor.pipeline import relevance_scorer

    western = frozenset(a.id for a in settings.actors if a.western)
    stmts = [Statement(f"real-{r.get('id', i)}", r["text"], 0, len(r["text"]), r.get("speaker"), None, "direct", "real",
                       tuple(sorted({m.actor_id for m in index.find(r["text"])}))) for i, r in enumerate(rows)]
    kept = [x.relevant for x in relevance_scorer(settings, index).score(stmts, western)]
    stanced = [k for k, r in zip(kept, rows, strict=True) if r["label"] != "none"]
    none = [k for k, r in zip(kept, rows, strict=True) if r["label"] == "none"]
    return {"stanced": len(stanced), "stanced_kept": sum(stanced), "keeps": sum(stanced) / len(stanced),
            "none": len(none), "none_passed": sum(none), "passes_none": sum(none) / len(none)}


def team_only(settings: config.Settings, index: ActorIndex, team: list[dict[str, Any]], rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The head method without real data, scored on every real statement."""
    encoder = load_encoder(settings.model.encoder)
    mask = lambda t: mask_text(t, index.find)  # noqa: E731
    head = Head.from_artefact(train_head(encoder, team, mask=mask, data_sha256="bench", folds=2))
    clf = StanceClassifier(encoder, head, sentences_min_words=settings.model.sentences_min_words)
    preds = clf.predict([mask(r["text"]) for r in rows])
    proba = np.array([[p.p_favor, p.p_against, p.p_none] for p in preds])
    return stance_metrics([r["label"] for r in rows], [p.label for p in preds], proba, [r["actor"] for r in rows])


def reliability_svg(bins: list[dict[str, float]], title: str) -> str:
    """A reliability diagram: mean confidence against accuracy per bin, bar width by count."""
    w, h, pad = 360, 360, 40
    side = w - 2 * pad
    total = sum(b["n"] for b in bins) or 1
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h + 20}" font-family="sans-serif" font-size="11">',
           f'<text x="{w / 2}" y="16" text-anchor="middle">{title}</text>',
           f'<rect x="{pad}" y="{pad}" width="{side}" height="{side}" fill="none" stroke="#888"/>',
           f'<line x1="{pad}" y1="{pad + side}" x2="{pad + side}" y2="{pad}" stroke="#bbb" stroke-dasharray="4 3"/>']
    for b in bins:
        lo = float(b["bin"].split("-")[0])
        x = pad + lo * side
        bh = b["accuracy"] * side
        opacity = 0.25 + 0.75 * b["n"] / total
        out.append(f'<rect x="{x + 2:.1f}" y="{pad + side - bh:.1f}" width="{side / 10 - 4:.1f}" height="{bh:.1f}" '
                   f'fill="#3b6ea8" fill-opacity="{opacity:.2f}"><title>{b["bin"]}: n={b["n"]}, confidence '
                   f'{b["confidence"]:.2f}, accuracy {b["accuracy"]:.2f}</title></rect>')
        cx, cy = pad + b["confidence"] * side, pad + side - b["accuracy"] * side
        out.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="3" fill="#c0392b"/>')
        out.append(f'<text x="{x + side / 20:.1f}" y="{pad + side + 12}" text-anchor="middle" font-size="9">{b["n"]}</text>')
    for t in (0, 0.5, 1):
        out.append(f'<text x="{pad + t * side}" y="{pad + side + 26}" text-anchor="middle">{t:g}</text>')
        out.append(f'<text x="{pad - 6}" y="{pad + side - t * side + 4}" text-anchor="end">{t:g}</text>')
    out.append(f'<text x="{w / 2}" y="{h + 14}" text-anchor="middle">confidence (top-class probability); bars: accuracy, '
               f'dots: mean confidence; numbers: statements</text></svg>')
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--config", default=str(ROOT / "config"))
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--svg", help="write the reliability diagram here")
    a = ap.parse_args(argv)
    path = real_stance_file()
    if path is None:
        print("skipped: the real development set is absent (../shared/real/stance_dev.jsonl or $MONITOR_REAL_DIR)")
        return 0
    settings = config.load(a.config)
    index = ActorIndex.from_actors(settings.actors)
    rows = load_jsonl(path, required=("text", "label", "target", "source"))
    team = [r for p in training_files() for r in load_jsonl(p, required=("text", "label", "target"))]
    t0 = time.perf_counter()
    cv = grouped_cv(load_encoder(settings.model.encoder), team, rows, mask=lambda t: mask_text(t, index.find),
                    sentences_min_words=settings.model.sentences_min_words).metrics
    base = team_only(settings, index, team, rows)
    g = gate(settings, index, rows)
    result = {"n": len(rows), "cv": cv, "team_only": base, "gate": g, "seconds": round(time.perf_counter() - t0, 1)}
    if a.svg:
        Path(a.svg).write_text(reliability_svg(cv["reliability"], f"Real dev set, grouped 5-fold CV (n={len(rows)}, "
                                                                    f"ECE {cv['ece']:.3f})"), encoding="utf-8")
    if a.json:
        print(json.dumps(result, indent=2))
        return 0
    worst = min(cv["per_actor"].items(), key=lambda kv: kv[1]["macro_f1"])
    checks = [
        ("macro-F1 (grouped 5-fold CV)", cv["macro_f1"], TARGETS["macro_f1"], True),
        ("none recall", cv["per_class"]["none"]["recall"], TARGETS["none_recall"], True),
        (f"lowest actor macro-F1 ({worst[0]})", worst[1]["macro_f1"], TARGETS["actor_macro_f1"], True),
        ("ECE", cv["ece"], TARGETS["ece"], False),
        ("target accuracy on favor/against", cv["target_accuracy"], TARGETS["target_accuracy"], True),
        ("relevance gate keeps favor/against", g["keeps"], TARGETS["gate_keeps"], True),
    ]
    print(f"Real development set: {path} ({len(rows)} statements)\n")
    print("| measure | value | target | met |\n|---|---|---|---|")
    for name, value, target, higher in checks:
        met = value >= target if higher else value <= target
        print(f"| {name} | {value:.3f} | {'>=' if higher else '<='} {target} | {'yes' if met else 'NO'} |")
    print(f"| relevance gate passes none (to the classifier) | {g['passes_none']:.3f} | reported | |")
    print(f"| team data only, scored on all real statements: macro-F1 | {base['macro_f1']:.3f} | (no real data) | |")
    print("\nGrouped cross-validation, each fold calibrated on the others:\n")
    print(format_metrics(cv))
    print("\nreliability (confidence bin, n, mean confidence, accuracy):")
    for b in cv["reliability"]:
        print(f"  {b['bin']}  {b['n']:>4}  {b['confidence']:.3f}  {b['accuracy']:.3f}")
    print(f"\nlabels: {', '.join(LABELS)}; {result['seconds']} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
