"""Score statement extraction against an annotated JSONL file.

Each row holds ``text`` and ``statements[]`` (``text``, ``speaker``, ``actor``, ``type``,
``start``, ``end``); an optional ``feed_actor`` marks a government-feed passage and ``id``
names the row. Extra fields are ignored.

Three scores, each precision / recall / F1 over a one-to-one matching of gold and predicted
statements (a prediction is used at most once):

- ``attribution``: the spans overlap and speaker and actor agree. Actors are compared after
  resolving aliases (``US``/``United States``); gold actor ``other`` (or empty) is a speaker
  outside the configured actors and matches a predicted ``None``. Speakers are compared
  case- and diacritic-insensitively, without titles before the name or initials inside it ("President
  Putin", "Antony J. Blinken"); a surname matches the full name, an official matches
  under any of its spellings (transliteration variants included: "Pashinian"), and two
  institutional speakers ("Baku", "Azerbaijan's Foreign Ministry") match when they name the
  same actor.
- ``span_exact``: the same ``start`` and ``end``.
- ``span_overlap``: the spans share at least one character.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from monitor.config import fold
from monitor.errors import ConfigError
from monitor.records import Statement, load_jsonl
from monitor.statements.actors import ActorIndex
from monitor.statements.extract import extract_statements
from monitor.statements.second_opinion import SecondOpinion
from monitor.statements.speech import TITLE_WORDS as _TITLE_WORDS

OTHER = "other"


def load_rows(path: Path) -> list[dict[str, Any]]:
    """Rows of an annotated JSONL file; a malformed row raises an error naming file and row."""
    rows = load_jsonl(path, required=("text", "statements"))
    for n, row in enumerate(rows, start=1):
        if not isinstance(row["text"], str) or not isinstance(row["statements"], list):
            raise ConfigError(f"{path}: row {n}: 'text' must be a string and 'statements' a list")
    return rows


def _norm_name(name: str | None) -> str:
    out = fold(name or "").replace("’", "'")
    out = re.sub(r"^(the|a|an)\s+", "", out.strip())
    return re.sub(r"'s$", "", out).strip(" .,")


def same_speaker(gold: str | None, pred: str | None, index: ActorIndex) -> bool:
    """Whether two speaker names denote the same speaker (see the module docstring); titles before a name and
    middle initials are left out ("President Putin", "Ayatollah Khamenei", "Antony J. Blinken")."""
    if _same_speaker(gold, pred, index):
        return True
    g, p = _core_name(gold), _core_name(pred)
    return (g, p) != (gold, pred) and _same_speaker(g, p, index)


_HONORIFICS = frozenset({"mr", "mrs", "ms", "dr", "ayatollah", "grand", "sheikh", "seyed", "seyyed", "sayyid", "hr/vp",
                         "sir", "madam", "dame", "lord", "prof", "professor", "general", "gen", "colonel", "admiral"})


_INITIALS = re.compile(r"^(?:[A-Z][a-z]?\.\s*)+(?=[A-Z][a-z])")


def _core_name(name: str | None) -> str | None:
    """The name without titles or initials before it or initials inside it: "President Putin" -> "Putin"."""
    if not name:
        return name
    words = _INITIALS.sub("", name.replace("’", "'")).split()  # "M.Yu. Galuzin", "A.Mirzoyan": the surname
    while len(words) > 1 and (w := fold(words[0]).strip(".,")) and (
            w in _HONORIFICS or w in _TITLE_WORDS or "/" in w or w.removesuffix("'s") in _TITLE_WORDS):
        words = words[1:]
    words = [w for n, w in enumerate(words) if not (0 < n < len(words) - 1 and re.fullmatch(r"[A-Z]\.", w))]
    return " ".join(words)


def _same_speaker(gold: str | None, pred: str | None, index: ActorIndex) -> bool:
    g, p = _norm_name(gold), _norm_name(pred)
    if g == p:
        return True
    if not g or not p:
        return False
    gp, pp = index.person(g, variants=True), index.person(p, variants=True)
    gt, pt = g.split(), p.split()
    if gp or pp:
        if gp is not None and gp == pp:
            return True
        # a bare surname is the surname of the full name on the other side even when a configured official
        # shares it: "Kilic" in a passage about Hulusi Kilic is not the configured Serdar Kılıç
        bare, full, known = (gt, pt, pp) if len(gt) == 1 else (pt, gt, gp)
        return known is None and len(bare) == 1 and len(full) > 1 and full[-1] == bare[0]
    short, long_ = (gt, pt) if len(gt) <= len(pt) else (pt, gt)
    if long_[-len(short) :] == short and len(long_) > 1:
        return True
    ga, pa = _institution(gold or g, index), _institution(pred or p, index)  # as printed: "EU" is an acronym
    return ga is not None and ga == pa


def _institution(name: str, index: ActorIndex) -> str | None:
    """The one actor an institutional speaker phrase names (``None``: a person or no actor)."""
    found = index.find(name)
    if not found or any(m.kind == "official" for m in found) or len({m.actor_id for m in found}) != 1:
        return None
    return found[0].actor_id


def _gold_actor(value: Any, index: ActorIndex) -> str | None:
    if value is None or str(value).strip().lower() in ("", OTHER, "none"):
        return None
    return index.resolve(str(value)) or str(value)


def _overlaps(a: tuple[int, int], b: tuple[int, int], text: str) -> bool:
    lo, hi = max(a[0], b[0]), min(a[1], b[1])
    return lo < hi and bool(text[lo:hi].strip())


def _prf(matched: int, n_gold: int, n_pred: int) -> dict[str, float]:
    p = matched / n_pred if n_pred else (1.0 if not n_gold else 0.0)
    r = matched / n_gold if n_gold else (1.0 if not n_pred else 0.0)
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def _match(gold: Sequence[dict[str, Any]], pred: Sequence[Statement], ok: Callable[[dict[str, Any], Statement], bool]) -> int:
    """Greedy one-to-one matching; each gold takes the first unused prediction that fits."""
    used: set[int] = set()
    for g in gold:
        for i, p in enumerate(pred):
            if i not in used and ok(g, p):
                used.add(i)
                break
    return len(used)


def evaluate_extraction(rows: Sequence[dict[str, Any]], index: ActorIndex, *,
                        second_opinion: SecondOpinion | bool = True) -> dict[str, Any]:
    """Attribution and span scores of :func:`extract_statements` on annotated rows (``second_opinion`` as there)."""
    n_gold = n_pred = attributed = exact = overlap = 0
    for n, row in enumerate(rows):
        text = row["text"]
        gold = [g for g in row["statements"] if isinstance(g, dict)]
        pred = extract_statements(str(row.get("id", n)), text, index, feed_actor=row.get("feed_actor"),
                                  second_opinion=second_opinion)
        n_gold += len(gold)
        n_pred += len(pred)

        def span(g: dict[str, Any]) -> tuple[int, int]:
            return int(g["start"]), int(g["end"])

        def attr_ok(g: dict[str, Any], p: Statement, text: str = text) -> bool:
            return (_overlaps(span(g), (p.start, p.end), text) and _gold_actor(g.get("actor"), index) == p.actor
                    and same_speaker(g.get("speaker"), p.speaker, index))

        attributed += _match(gold, pred, attr_ok)
        exact += _match(gold, pred, lambda g, p: span(g) == (p.start, p.end))
        overlap += _match(gold, pred, lambda g, p, text=text: _overlaps(span(g), (p.start, p.end), text))
    return {
        "n_passages": len(rows),
        "n_gold": n_gold,
        "n_pred": n_pred,
        "attribution": _prf(attributed, n_gold, n_pred),
        "span_exact": _prf(exact, n_gold, n_pred),
        "span_overlap": _prf(overlap, n_gold, n_pred),
    }


def format_report(result: dict[str, Any]) -> str:
    """A small human-readable table of an :func:`evaluate_extraction` result."""
    lines = [
        f"passages {result['n_passages']}   gold statements {result['n_gold']}   predicted {result['n_pred']}",
        f"{'':14}{'precision':>10}{'recall':>10}{'F1':>10}",
    ]
    for key in ("attribution", "span_exact", "span_overlap"):
        m = result[key]
        lines.append(f"{key:14}{m['precision']:>10.3f}{m['recall']:>10.3f}{m['f1']:>10.3f}")
    return "\n".join(lines)
