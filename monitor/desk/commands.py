"""The heavier CLI commands (train, eval, eval-extraction, replay), kept out of ``cli``."""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from monitor import config, snapshot, store
from monitor.errors import MonitorError

log = logging.getLogger(__name__)


def _classifier(settings: config.Settings) -> Any:
    from monitor.pipeline import classifier

    return classifier(settings)


def _real_rows(a: argparse.Namespace) -> tuple[list[dict[str, Any]], str | None]:
    """The real statements ``train``/``eval --cv`` learn from: ``--real FILE``, the bundled default
    when it is present (:func:`monitor.stance.evaluation.real_stance_file`), none with ``--no-real``."""
    from monitor.stance.evaluation import load_jsonl, real_stance_file, sha256_of

    if getattr(a, "no_real", False):
        return [], None
    path = Path(a.real) if getattr(a, "real", None) else real_stance_file()
    if path is None:
        print("no real development set found (../shared/real or $MONITOR_REAL_DIR): team data only")
        return [], None
    rows = load_jsonl(path, required=("text", "label", "target"))
    return rows, sha256_of([path])


def _team_rows(data: list[str] | None = None, labels_db: str | None = None) -> tuple[list[dict[str, Any]], str]:
    """Team-written statements (``data`` files, default the bundled slices), plus the analysts'
    corrections from ``labels_db`` when given, and the sha256 of what was read."""
    from monitor.stance.evaluation import load_jsonl, sha256_of
    from monitor.stance.training import training_files

    files = [Path(p) for p in data] if data else training_files()
    rows = [r for p in files for r in load_jsonl(p, required=("text", "label", "target"))]
    digest = sha256_of(files)
    if labels_db:
        import hashlib

        con = store.connect(snapshot.reader_target(labels_db), read_only=True)
        try:
            extra = store.analyst_labels(con)
        finally:
            con.close()
        rows += [{"text": t, "label": lab, "target": tgt} for t, lab, tgt in extra]
        print(f"added {len(extra)} analyst labels")
        digest = hashlib.sha256((digest + json.dumps(rows[-len(extra):] if extra else [])).encode()).hexdigest()
    return rows, digest


def _check_labels(rows: list[dict[str, Any]]) -> None:
    bad = [i for i, r in enumerate(rows) if r["label"] not in ("favor", "against", "none")]
    if bad:
        raise MonitorError(f"row {bad[0] + 1}: unknown label {rows[bad[0]]['label']!r}")


def _train_options(a: argparse.Namespace) -> dict[str, Any]:
    from monitor.stance import training

    return {"c": training.C if a.c is None else a.c,
            "lexical_weight": training.LEXICAL_WEIGHT if a.lexical_weight is None else a.lexical_weight,
            "real_weight": training.REAL_WEIGHT if a.real_weight is None else a.real_weight,
            "frames": a.frames}


def train(a: argparse.Namespace) -> int:
    from monitor.stance.classifier import head_path, mask_text
    from monitor.stance.encoder import load_encoder
    from monitor.stance.training import train_head, write_head
    from monitor.statements.actors import ActorIndex

    settings = config.load(a.config)
    rows, digest = _team_rows(a.data, a.db if a.include_analyst_labels else None)
    real, real_sha = _real_rows(a)
    _check_labels(rows + real)
    index = ActorIndex.from_actors(settings.actors)
    encoder = load_encoder(settings.model.encoder)
    artefact = train_head(encoder, rows, mask=lambda t: mask_text(t, index.find), data_sha256=digest, real=real,
                          real_sha256=real_sha, sentences_min_words=settings.model.sentences_min_words, **_train_options(a))
    out = write_head(artefact, Path(a.out) if a.out else head_path(settings.model.head))
    cv = artefact["metrics"]["cv"]
    on = f"{len(real)} real statements grouped by source" if real else "team statements"
    print(f"trained on {len(rows)} team + {len(real)} real statements; cross-validated over {on}: "
          f"macro-F1 {cv['macro_f1']:.3f}, ECE {cv['ece']:.3f}, target accuracy {cv['target_accuracy']:.3f}")
    print(f"wrote {out} and {out.with_suffix('.card.json')}")
    return 0


def cross_validated(a: argparse.Namespace, settings: config.Settings) -> dict[str, Any]:
    """``monitor eval --cv``: grouped cross-validation over the labelled file ``a.data`` (real
    statements, folds grouped by ``source``) with the team data in every training fold."""
    from monitor.stance.classifier import mask_text
    from monitor.stance.encoder import load_encoder
    from monitor.stance.evaluation import load_jsonl
    from monitor.stance.training import grouped_cv
    from monitor.statements.actors import ActorIndex

    real = load_jsonl(Path(a.data), required=("text", "label", "target"))
    rows, _ = _team_rows()
    _check_labels(rows + real)
    index = ActorIndex.from_actors(settings.actors)
    return grouped_cv(load_encoder(settings.model.encoder), rows, real, mask=lambda t: mask_text(t, index.find),
                      folds=a.folds, sentences_min_words=settings.model.sentences_min_words, **_train_options(a)).metrics


def evaluate(a: argparse.Namespace) -> int:
    from monitor.stance.classifier import mask_text
    from monitor.stance.evaluation import format_metrics, load_jsonl, stance_metrics
    from monitor.statements.actors import ActorIndex

    settings = config.load(a.config)
    if a.cv:
        m = cross_validated(a, settings)
        m["model_id"] = f"{a.folds}-fold cross-validation grouped by source, team data in every training fold"
    else:
        rows = load_jsonl(Path(a.data), required=("text", "label"))
        clf = _classifier(settings)
        index = ActorIndex.from_actors(settings.actors)
        preds = clf.predict([mask_text(r["text"], index.find) for r in rows])
        proba = np.array([[p.p_favor, p.p_against, p.p_none] for p in preds])
        actors = [index.resolve(str(r["actor"])) or str(r["actor"]) if r.get("actor") else None for r in rows]
        m = stance_metrics([r["label"] for r in rows], [p.label for p in preds], proba, actors)
        stanced = [(r["target"], p.target) for r, p in zip(rows, preds, strict=True) if r["label"] != "none" and r.get("target")]
        m["target_accuracy"] = float(np.mean([g == t for g, t in stanced])) if stanced else None
        m["model_id"] = clf.model_id
    print(json.dumps(m, indent=2) if a.json else f"model {m['model_id']}\n" + format_metrics(m))
    return 0


def eval_extraction(a: argparse.Namespace) -> int:
    from monitor.statements.actors import ActorIndex
    from monitor.statements.extraction_eval import evaluate_extraction, format_report, load_rows

    settings = config.load(a.config)
    rows, index = load_rows(Path(a.data)), ActorIndex.from_actors(settings.actors)
    if a.errors:
        from monitor.statements.extraction_errors import analyse, format_errors

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
    from monitor.shifts.replay import replay_file

    settings = config.load(a.config)
    with snapshot.writing(a.db, "replay") if a.db else contextlib.nullcontext():
        result = replay_file(Path(a.statements), settings, _classifier(settings), db=a.db)
    if a.json:
        print(json.dumps(result.document(), indent=2, default=lambda o: o.isoformat() if isinstance(o, date) else str(o)))
    else:
        print(f"{result.used} statements replayed; skipped: {result.skipped_actor} unknown actor, {result.skipped_date} without date")
        for al in result.alerts:
            target = f"{al['target']}({al['dominant_target']})" if al.get("dominant_target") else al["target"]
            print(f"{al['opened_on']}  {al['actor']:<4} {target:<11} {al['direction']:<15} observed {al['observed']:+.2f} "
                  f"baseline {al['baseline']:+.2f}  n={al['n_statements']}  regime from {al['regime_start']} "
                  f"(+{al['delay_days']} d)  evidence {', '.join(al['evidence_ids'][:5])}")
    return 0
