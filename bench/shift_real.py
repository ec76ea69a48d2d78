"""Shift detection on the real record: the dated rows of ../shared/real/stance_dev.jsonl.

    .venv/bin/python bench/shift_real.py                      # the configured detector and the bundled head
    .venv/bin/python bench/shift_real.py --compare method=cusum,min_statements=4,window_days=60
    .venv/bin/python bench/shift_real.py --json out.json      # the replay document as well

Runs ``monitor.shifts.replay.replay_file`` over the file: the relevance gate and the classifier that
``monitor.pipeline.classifier(settings)`` builds, then the detector of ``settings.shift``. The
bundled head learnt the real dev set, so by default each statement is read out of fold instead:
by the head of the grouped cross-validation fold (``monitor.stance.training.grouped_cv``, folds by source
page) that did not see it (``--in-sample`` uses the bundled head as it is; it flatters). ``--compare`` runs other detector settings on the same
classified statements.

The regime changes are read from the gold labels, with the same series the detector uses
(actor x target, ``West`` pooling EU, US and France; baselines of ``config/baselines.yaml`` as
``monitor.shifts.baseline.baseline_scores`` rolls them up and down, so only article baselines): a regime
change is three or more consecutive distinct gold-stanced statements on the other side of the
baseline (``none`` rows in between do not break it); it ends at the next statement on the
baseline's side. Two such statements are listed as an *episode*: an alert on one is neither
required nor false. Every other alert is false. Only statement ids and dates are printed,
never text (the corpus's rules of use).

``--no-gate`` lets statements the relevance gate rejects count when the classifier gives them a
stance: what the detector would do with a gate that lost nothing (a diagnostic, not a product
setting). Exits 0 with the reason when the folder is absent (``--real`` moves it).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from monitor import config  # noqa: E402
from monitor.records import LABELS, content_hash  # noqa: E402
from monitor.shifts.baseline import WESTERN_TARGETS, baseline_scores, detect_all  # noqa: E402
from monitor.shifts.replay import ReplayResult, alert_document, parse_day, replay_file  # noqa: E402
from monitor.stance.classifier import Prediction, mask_text  # noqa: E402
from monitor.statements.actors import ActorIndex  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
ON_TIME_DAYS = 30
FAVOURABLE_TO_WEST = ("AM", "US", "EU", "FR")  # no toward_against alert is wanted for these


@dataclass
class Regime:
    actor: str
    target: str
    direction: str
    ids: list[str]
    days: list[date]
    end: date | None  # first statement back on the baseline's side

    @property
    def kind(self) -> str:
        return "regime" if len(self.ids) >= 3 else "episode"


def gold_regimes(rows: list[dict[str, Any]], index: ActorIndex, baselines: dict[tuple[str, str], float]) -> list[Regime]:
    """Runs of gold labels on the other side of the configured baseline (module docstring)."""
    series: dict[tuple[str, str], list[tuple[date, str, str]]] = {}
    seen: set[tuple[str, str]] = set()
    for r in sorted(rows, key=lambda r: (str(r.get("date")), str(r["id"]))):
        actor, day = index.resolve(str(r.get("actor") or "")), parse_day(r.get("date"))
        if actor is None or day is None or r["label"] == "none":
            continue
        if (actor, content_hash(r["text"])) in seen:
            continue
        seen.add((actor, content_hash(r["text"])))
        targets = [r["target"]] + (["West"] if r["target"] in WESTERN_TARGETS else [])
        for t in targets:
            series.setdefault((actor, t), []).append((day, str(r["id"]), r["label"]))
    out = []
    for (actor, target), pts in sorted(series.items()):
        if (actor, target) not in baselines:
            continue
        home = "favor" if baselines[(actor, target)] > 0 else "against"
        run: list[tuple[date, str, str]] = []
        for k, (day, rid, label) in enumerate([*pts, (date.max, "", home)]):
            if label != home:
                run.append((day, rid, label))
                continue
            if len(run) >= 2:
                out.append(Regime(actor, target, "toward_" + ("against" if home == "favor" else "favor"),
                                  [x[1] for x in run], [x[0] for x in run], day if k < len(pts) else None))
            run = []
    return out


def match(alert: dict[str, Any], regimes: list[Regime]) -> Regime | None:
    """The regime (or episode) an alert belongs to: same series and direction, opened while it lasted.

    An alert opened after the first statement back on the baseline's side supports nothing.
    """
    opened = date.fromisoformat(alert["opened_on"])
    for g in regimes:
        if (g.actor, g.target, g.direction) != (alert["actor"], alert["target"], alert["direction"]):
            continue
        if g.days[0] <= opened and (g.end is None or opened <= g.end):
            return g
    return None


def report(title: str, alerts: list[dict[str, Any]], regimes: list[Regime]) -> dict[str, Any]:
    print(f"\n## {title}\n")
    print("| actor | target | direction | opened | regime start (detected) | delay | evidence | gold |")
    print("|---|---|---|---|---|---|---|---|")
    found: dict[int, dict[str, Any]] = {}
    false = []
    for a in alerts:
        g = match(a, regimes)
        if g is None:
            false.append(a)
            verdict = "false"
        else:
            found.setdefault(id(g), a)
            third = g.days[2] if len(g.days) >= 3 else None
            verdict = f"{g.kind} {g.ids[0]}" + (f", {(date.fromisoformat(a['opened_on']) - third).days:+d} d after 3rd" if third else "")
        target = f"{a['target']} ({a['dominant_target']})" if a.get("dominant_target") else a["target"]
        print(f"| {a['actor']} | {target} | {a['direction']} | {a['opened_on']} | {a['regime_start']} | {a['delay_days']} d "
              f"| {' '.join(a['evidence_ids'][:6])}{' …' if len(a['evidence_ids']) > 6 else ''} | {verdict} |")
    print("\n| gold change | statements (ids) | third statement | first alert | days after third | on time |")
    print("|---|---|---|---|---|---|")
    on_time = 0
    listed = [g for g in regimes if g.kind == "regime"]
    for g in regimes:
        a = found.get(id(g))
        third = g.days[2] if len(g.days) >= 3 else None
        late = (date.fromisoformat(a["opened_on"]) - third).days if a and third else None
        ok = g.kind == "regime" and late is not None and late <= ON_TIME_DAYS
        on_time += ok
        print(f"| {g.actor} × {g.target} {g.direction} ({g.kind}, {g.days[0]}–{g.end or 'open'}) | {' '.join(g.ids)} "
              f"| {third or '—'} | {a['opened_on'] if a else 'none'} | {late if late is not None else '—'} "
              f"| {'yes' if ok else ('n/a' if g.kind == 'episode' else 'NO')} |")
    bad_against = [a for a in alerts if a["actor"] in FAVOURABLE_TO_WEST and a["direction"] == "toward_against"]
    print(f"\nregime changes detected within {ON_TIME_DAYS} days of the third statement: {on_time}/{len(listed)}; "
          f"false alerts: {len(false)}; toward_against alerts for AM/US/EU/FR: {len(bad_against)}")
    return {"on_time": on_time, "regimes": len(listed), "false": len(false), "against_for_favourable": len(bad_against)}


def why_not_counted(result: ReplayResult, regimes: list[Regime]) -> None:
    """How the classifier and the gate read each statement of each gold change (ids only)."""
    why = dict(result.not_counted)
    scores = {p.id: (p.score, p.target) for p in result.points}
    print("\n| gold change | how each statement was read |\n|---|---|")
    for g in regimes:
        cells = []
        for rid in g.ids:
            if rid in scores:
                sc, tg = scores[rid]
                cells.append(f"{rid} {sc:+.2f} {tg}")
            else:
                cells.append(f"{rid} {why.get(rid, 'copy')}")
        print(f"| {g.actor} × {g.target} {g.direction} {g.days[0]} | {'; '.join(cells)} |")


class OutOfFold:
    """The bundled classifier, except that each real statement is read by the head of the grouped
    cross-validation fold that did not learn it (``monitor.stance.training.grouped_cv``): the bundled head
    learnt these very statements, and replaying them through it would be an in-sample score."""

    def __init__(self, clf: Any, rows: list[dict[str, Any]], settings: config.Settings, index: ActorIndex):
        from monitor.records import load_jsonl
        from monitor.stance.training import grouped_cv, training_files

        team = [r for p in training_files() for r in load_jsonl(p, required=("text", "label", "target"))]
        mask = lambda t: mask_text(t, index.find)  # noqa: E731
        oof = grouped_cv(clf.encoder, team, rows, mask=mask, sentences_min_words=settings.model.sentences_min_words)
        self.encoder, self.head = clf.encoder, clf.head
        self.model_id = clf.model_id + "+grouped-oof"
        self.uncertain_below = clf.uncertain_below
        self._by_text: dict[str, tuple[list[float], str]] = {}
        for r, p, t in zip(rows, oof.proba.tolist(), oof.targets, strict=True):
            self._by_text[mask(r["text"])] = (p, t)

    def predict(self, texts: Sequence[str], **_: Any) -> list[Prediction]:
        out = []
        for text in texts:
            p, target = self._by_text[text]
            k = int(np.argmax(p))
            label = LABELS[k]
            out.append(Prediction(label, target if label != "none" else "none", p[0], p[1], p[2], p[k] < self.uncertain_below))
        return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--real", default=str(ROOT.parent / "shared" / "real"), help="folder with stance_dev.jsonl")
    ap.add_argument("--config", default=str(ROOT / "config"))
    ap.add_argument("--compare", action="append", default=[], help="other shift settings, key=value,... (repeatable)")
    ap.add_argument("--json", help="write the replay document (ids, dates, scores; no text) here")
    ap.add_argument("--in-sample", action="store_true",
                    help="read every statement with the bundled head, which learnt the real dev set (flatters the replay)")
    ap.add_argument("--no-gate", action="store_true",
                    help="diagnostic: count statements the relevance gate rejects when the classifier gives them a stance")
    a = ap.parse_args()
    path = Path(a.real) / "stance_dev.jsonl"
    if not path.is_file():
        print(f"skipped: {path} is absent (the real development corpus lives in ../shared/real; --real moves it)")
        return 0
    from monitor.pipeline import classifier

    settings = config.load(a.config)
    clf = classifier(settings)
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    index = ActorIndex.from_actors(settings.actors)
    if not a.in_sample:
        clf = OutOfFold(clf, rows, settings, index)
    baselines = baseline_scores(settings.baselines)
    regimes = gold_regimes(rows, index, baselines)
    result = replay_file(path, settings, clf, gate=not a.no_gate)
    print(f"model {clf.model_id}{' (relevance gate off)' if a.no_gate else ''}; {result.used} dated rows of known actors, {result.counted} distinct statements counted "
          f"(irrelevant {result.irrelevant}, none {result.no_stance}, uncertain {result.uncertain}, copies {result.duplicates})")
    s = settings.shift
    summary = {"model_id": clf.model_id, "configured": report(f"configured detector: {result.alerts[0]['method'] if result.alerts else s.method}",
                                                             result.alerts, regimes)}
    for spec in a.compare:
        other = type(s).model_validate({**s.model_dump(), **dict(kv.split("=", 1) for kv in spec.split(",") if kv)})
        alerts = [alert_document(x) for x in detect_all(result.points, settings.baselines, other, model_id=clf.model_id)]
        summary[spec] = report(f"compare: {spec}", alerts, regimes)
    why_not_counted(result, regimes)
    if a.json:
        Path(a.json).write_text(json.dumps({**result.document(), "summary": summary}, indent=1), encoding="utf-8")
        print(f"\nwrote {a.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
