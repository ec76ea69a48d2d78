"""The heavier CLI commands (train, eval, eval-extraction, replay), kept out of ``cli``."""

from __future__ import annotations

import argparse
import json
import logging
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from monitor import config, store
from monitor.errors import MonitorError

log = logging.getLogger(__name__)


def _classifier(settings: config.Settings) -> Any:
    from monitor.pipeline import classifier

    return classifier(settings)


def train(a: argparse.Namespace) -> int:
    from monitor.actors import ActorIndex
    from monitor.encoder import load_encoder
    from monitor.evaluation import load_jsonl, sha256_of
    from monitor.stance import head_path, mask_text
    from monitor.training import LEXICAL_WEIGHT, train_head, training_files, write_head

    settings = config.load(a.config)
    files = [Path(p) for p in a.data] if a.data else training_files()
    rows = [r for p in files for r in load_jsonl(p, required=("text", "label", "target"))]
    if a.include_analyst_labels:
        con = store.connect(a.db, read_only=True)
        try:
            extra = store.analyst_labels(con)
        finally:
            con.close()
        rows += [{"text": t, "label": lab, "target": tgt} for t, lab, tgt in extra]
        print(f"added {len(extra)} analyst labels")
    bad = [i for i, r in enumerate(rows) if r["label"] not in ("favor", "against", "none")]
    if bad:
        raise MonitorError(f"row {bad[0] + 1}: unknown label {rows[bad[0]]['label']!r}")
    index = ActorIndex.from_actors(settings.actors)
    encoder = load_encoder(settings.model.encoder)
    digest = sha256_of(files)
    if a.include_analyst_labels:
        import hashlib

        digest = hashlib.sha256((digest + json.dumps(rows[-len(extra):] if extra else [])).encode()).hexdigest()
    artefact = train_head(encoder, rows, mask=lambda t: mask_text(t, index.find), data_sha256=digest, c=a.c,
                          lexical_weight=LEXICAL_WEIGHT if a.lexical_weight is None else a.lexical_weight,
                          frames=a.frames)
    out = write_head(artefact, Path(a.out) if a.out else head_path(settings.model.head))
    cv = artefact["metrics"]["cv"]
    print(f"trained on {len(rows)} statements; cross-validated macro-F1 {cv['macro_f1']:.3f}, ECE {cv['ece']:.3f}")
    print(f"wrote {out} and {out.with_suffix('.card.json')}")
    return 0


def evaluate(a: argparse.Namespace) -> int:
    from monitor.actors import ActorIndex
    from monitor.evaluation import format_metrics, load_jsonl, stance_metrics
    from monitor.stance import mask_text

    settings = config.load(a.config)
    rows = load_jsonl(Path(a.data), required=("text", "label"))
    clf = _classifier(settings)
    index = ActorIndex.from_actors(settings.actors)
    preds = clf.predict([mask_text(r["text"], index.find) for r in rows])
    proba = np.array([[p.p_favor, p.p_against, p.p_none] for p in preds])
    actors = [index.resolve(str(r["actor"])) or str(r["actor"]) if r.get("actor") else None for r in rows]
    m = stance_metrics([r["label"] for r in rows], [p.label for p in preds], proba, actors)
    m["model_id"] = clf.model_id
    print(json.dumps(m, indent=2) if a.json else f"model {clf.model_id}\n" + format_metrics(m))
    return 0


def eval_extraction(a: argparse.Namespace) -> int:
    from monitor.actors import ActorIndex
    from monitor.extraction_eval import evaluate_extraction, format_report, load_rows

    settings = config.load(a.config)
    rows, index = load_rows(Path(a.data)), ActorIndex.from_actors(settings.actors)
    if a.errors:
        from monitor.extraction_errors import analyse, format_errors

        groups = analyse(rows, index)
        if a.json:
            print(json.dumps({k: g.summary() for k, g in groups.items()}, indent=2))
        else:
            print(format_errors(groups, examples=a.examples))
        return 0
    result = evaluate_extraction(rows, index)
    print(json.dumps(result, indent=2) if a.json else format_report(result))
    return 0


def replay(a: argparse.Namespace) -> int:
    from monitor.replay import replay_file

    settings = config.load(a.config)
    result = replay_file(Path(a.statements), settings, _classifier(settings), db=a.db)
    if a.json:
        print(json.dumps(result.alerts, indent=2, default=lambda o: o.isoformat() if isinstance(o, date) else str(o)))
    else:
        print(f"{result.used} statements replayed; skipped: {result.skipped_actor} unknown actor, {result.skipped_date} without date")
        for al in result.alerts:
            print(f"{al['opened_on']}  {al['actor']:<4} {al['target']:<7} {al['direction']:<15} observed {al['observed']:+.2f} "
                  f"baseline {al['baseline']:+.2f}  n={al['n_statements']}  evidence {', '.join(al['evidence_ids'][:5])}")
    return 0
