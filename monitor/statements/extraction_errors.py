"""Error analysis of statement extraction: why each gold statement was missed, per class.

Takes the annotated rows of :mod:`monitor.statements.extraction_eval` and gives, for every passage, the
one-to-one attribution matching plus a class for each gold statement that was not attributed
and each prediction that matched nothing:

- ``missed direct`` / ``missed indirect`` / ``missed mixed`` (…): no prediction overlaps the span;
- ``wrong actor``: an unused prediction overlaps the span but names another actor;
- ``wrong speaker``: the actor agrees but the speaker does not;
- ``wrong span``: the only overlapping predictions were already matched to another gold
  statement (one prediction swallowed two statements);
- ``spurious``: a prediction that overlaps no gold statement.

Rows can be split into halves by the first letter of their ``id`` (``a…``/``b…``), so that one
half is studied and the other only measured.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from monitor.records import Statement
from monitor.statements.actors import ActorIndex
from monitor.statements.extract import extract_statements
from monitor.statements.extraction_eval import _gold_actor, _overlaps, _prf, same_speaker

CLASSES = ("missed direct", "missed indirect", "missed mixed", "missed official", "wrong actor", "wrong speaker",
           "wrong span", "spurious")


@dataclass(slots=True)
class Error:
    """One error: its class, the passage id, the gold span text (or predicted) and both attributions."""

    kind: str
    row_id: str
    text: str
    gold: str = ""
    pred: str = ""


@dataclass(slots=True)
class Analysis:
    """Counts of one set of rows: per type gold/attributed, overlap-matched pairs with right actor, errors."""

    n_passages: int = 0
    n_gold: int = 0
    n_pred: int = 0
    attributed: int = 0
    gold_by_type: Counter[str] = field(default_factory=Counter)
    hit_by_type: Counter[str] = field(default_factory=Counter)
    overlapped: int = 0
    actor_right: int = 0
    errors: list[Error] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> dict[str, Any]:
        """Plain figures: attribution P/R/F1, recall per type, actor accuracy, error counts, passages/s."""
        counts = Counter(e.kind for e in self.errors)
        return {
            "n_passages": self.n_passages,
            "n_gold": self.n_gold,
            "n_pred": self.n_pred,
            "attribution": _prf(self.attributed, self.n_gold, self.n_pred),
            "recall_by_type": {t: round(self.hit_by_type[t] / n, 4) for t, n in sorted(self.gold_by_type.items())},
            "actor_accuracy": round(self.actor_right / self.overlapped, 4) if self.overlapped else 1.0,
            "errors": {k: counts[k] for k in CLASSES if counts[k]},
            "passages_per_s": round(self.n_passages / self.seconds, 1) if self.seconds else 0.0,
        }


def _who(speaker: str | None, actor: str | None) -> str:
    return f"{speaker or '-'} / {actor or 'other'}"


def analyse_row(row: dict[str, Any], row_id: str, pred: Sequence[Statement], index: ActorIndex, out: Analysis) -> None:
    """Match one passage's predictions to its gold statements and record the outcome in ``out``."""
    text = row["text"]
    gold = [g for g in row["statements"] if isinstance(g, dict)]
    out.n_passages += 1
    out.n_gold += len(gold)
    out.n_pred += len(pred)
    used: set[int] = set()
    missed: list[dict[str, Any]] = []
    for g in gold:
        span = (int(g["start"]), int(g["end"]))
        actor = _gold_actor(g.get("actor"), index)
        out.gold_by_type[g.get("type", "?")] += 1
        hit = next((i for i, p in enumerate(pred) if i not in used and _overlaps(span, (p.start, p.end), text)
                    and actor == p.actor and same_speaker(g.get("speaker"), p.speaker, index)), None)
        if hit is None:
            missed.append(g)
            continue
        used.add(hit)
        out.attributed += 1
        out.hit_by_type[g.get("type", "?")] += 1
    for g in missed:
        span = (int(g["start"]), int(g["end"]))
        actor = _gold_actor(g.get("actor"), index)
        near = [i for i, p in enumerate(pred) if _overlaps(span, (p.start, p.end), text)]
        free = [i for i in near if i not in used]
        who = _who(g.get("speaker"), actor)
        if not near:
            kind = f"missed {g.get('type', '?')}"
            out.errors.append(Error(kind, row_id, g["text"], who))
            continue
        if not free:
            p = pred[near[0]]
            out.errors.append(Error("wrong span", row_id, g["text"], who, _who(p.speaker, p.actor)))
            continue
        i = free[0]
        used.add(i)
        p = pred[i]
        kind = "wrong actor" if p.actor != actor else "wrong speaker"
        out.errors.append(Error(kind, row_id, g["text"], who, _who(p.speaker, p.actor)))
    for i, p in enumerate(pred):
        if i not in used and not any(_overlaps((int(g["start"]), int(g["end"])), (p.start, p.end), text) for g in gold):
            out.errors.append(Error("spurious", row_id, p.text, "", _who(p.speaker, p.actor)))
    # actor accuracy on statements found at all: greedy overlap pairs, actor compared
    taken: set[int] = set()
    for g in gold:
        span = (int(g["start"]), int(g["end"]))
        j = next((i for i, p in enumerate(pred) if i not in taken and _overlaps(span, (p.start, p.end), text)), None)
        if j is not None:
            taken.add(j)
            out.overlapped += 1
            out.actor_right += _gold_actor(g.get("actor"), index) == pred[j].actor


def analyse(rows: Sequence[dict[str, Any]], index: ActorIndex) -> dict[str, Analysis]:
    """Analyses of all rows and of each id half (``a``, ``b``, … by the id's first letter)."""
    groups: dict[str, Analysis] = {"all": Analysis()}
    for n, row in enumerate(rows):
        row_id = str(row.get("id", n))
        t0 = time.perf_counter()
        pred = extract_statements(row_id, row["text"], index, feed_actor=row.get("feed_actor"))
        spent = time.perf_counter() - t0
        half = f"{row_id[:1]}-half" if row_id[:1].isalpha() and "id" in row else None
        for key in ("all", half):
            if key is None:
                continue
            a = groups.setdefault(key, Analysis())
            a.seconds += spent
            analyse_row(row, row_id, pred, index, a)
    return groups


def format_errors(groups: dict[str, Analysis], examples: int = 0) -> str:
    """Tables of the analyses: scores and recall per type per group, then the error classes."""
    names = list(groups)
    sums = {k: a.summary() for k, a in groups.items()}
    types = sorted({t for s in sums.values() for t in s["recall_by_type"]})
    head = f"{'':18}" + "".join(f"{k:>10}" for k in names)
    lines = [head]

    def row(label: str, values: list[str]) -> None:
        lines.append(f"{label:18}" + "".join(f"{v:>10}" for v in values))

    row("passages", [str(s["n_passages"]) for s in sums.values()])
    row("gold / predicted", [f"{s['n_gold']}/{s['n_pred']}" for s in sums.values()])
    for key, label in (("precision", "P"), ("recall", "R"), ("f1", "F1")):
        row(f"attribution {label}", [f"{s['attribution'][key]:.3f}" for s in sums.values()])
    for t in types:
        row(f"recall {t}", [f"{s['recall_by_type'].get(t, float('nan')):.3f}" for s in sums.values()])
    row("actor accuracy", [f"{s['actor_accuracy']:.3f}" for s in sums.values()])
    row("passages/s (wall)", [f"{s['passages_per_s']:.0f}" for s in sums.values()])
    lines.append("errors")
    for kind in CLASSES:
        if any(kind in s["errors"] for s in sums.values()):
            row(f"  {kind}", [str(s["errors"].get(kind, 0)) for s in sums.values()])
    if examples:
        # examples come from the studied half only, so that the held-out half stays unread
        source = "a-half" if "a-half" in groups and "b-half" in groups else "all"
        lines.append(f"\nexamples from {source}" + (" (the b half is held out)" if source == "a-half" else ""))
        for kind in CLASSES:
            found = [e for e in groups[source].errors if e.kind == kind][:examples]
            if found:
                lines.append(f"\n{kind}:")
            for e in found:
                lines.append(f"  [{e.row_id}] {e.text[:110]!r}\n      gold {e.gold or '-'}   predicted {e.pred or '-'}")
    return "\n".join(lines)
