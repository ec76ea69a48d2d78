"""A learned second opinion beside the extraction rules: is a sentence the rules left unattributed a statement?

Takes one sentence unit the rules attributed to nobody and gives the probability that it holds a
statement, from a logistic regression over cheap features of the unit (a reporting verb and where
it stands, quotation marks, an official named near its start, a pronoun or role opening it, how far
back the last attributed unit is, …; see :data:`FEATURES`). Above the bundled threshold the unit
becomes a statement (``rule="learned"``) of the official named at its start or else of the last
speaker before it: the model says *whether*, the existing resolver's state says *who*.

The weights are a small JSON artefact (``monitor/data/heads/extraction-second-opinion.json``, no
pickle), fitted by ``bench/train_second_opinion.py`` on the team's annotated passages and the real
development passages, never at run time. Its card records the data, the real file's sha256 and the
cross-validated scores.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from monitor.errors import ConfigError
from monitor.statements.actors import Mention
from monitor.statements.quotes import Quote

ARTEFACT = Path(__file__).resolve().parent.parent / "data" / "heads" / "extraction-second-opinion.json"
FEATURES = (
    "reporting_verb", "verb_position", "quoted", "quoted_share", "official", "official_position", "actors",
    "pronoun_or_role_first", "units_since_statement", "previous_attributed", "that", "length",
    "first_in_paragraph", "first_person", "speech_noun", "next_attributed",
)
_OPENER = re.compile(
    r"\W*(?:he|she|they|it|the\s+(?:minister|spokes\w+|president|ministry|deputy\s+\w+|ambassador|official|envoy))\b",
    re.IGNORECASE)
_THAT = re.compile(r"\sthat\s")
_FIRST_PERSON = re.compile(r"\b(?:we|our|us|I)\b")
# a noun or phrase of speech or stance in the unit: "expressed hope/concern/readiness", "assurances", "position"
_SPEECH_NOUN = re.compile(
    r"\b(?:express(?:ed|es)\s+(?:\w+\s+){0,2}?(?:hope|concern|readiness|confidence|regret|support|satisfaction)"
    r"|assurances?|position|stance|view|called\s+for|calls\s+for|readiness|willingness|insist\w*)\b",
    re.IGNORECASE)
_NEAR_START = 60  # an official named this many characters into the unit is its subject


@dataclass(frozen=True, slots=True)
class Unit:
    """One sentence unit as the second opinion sees it: offsets, its quotes, and the rules' verdict."""

    start: int
    end: int
    quotes: tuple[Quote, ...]
    attributed: bool
    first_in_paragraph: bool


@dataclass(frozen=True, slots=True)
class SecondOpinion:
    """A fitted model: one weight per name in :data:`FEATURES`, a bias and the acceptance threshold."""

    weights: tuple[float, ...]
    bias: float
    threshold: float

    def probability(self, features: Sequence[float]) -> float:
        """The probability that a unit with these features holds a statement."""
        z = self.bias + sum(w * x for w, x in zip(self.weights, features, strict=True))
        return 1.0 / (1.0 + math.exp(-z)) if z > -60 else 0.0

    def to_json(self) -> dict[str, Any]:
        return {"features": list(FEATURES), "weights": list(self.weights), "bias": self.bias,
                "threshold": self.threshold}

    @classmethod
    def from_json(cls, data: dict[str, Any], where: str = "second opinion") -> SecondOpinion:
        if data.get("features") != list(FEATURES):
            raise ConfigError(f"{where}: features {data.get('features')!r} differ from this code's {list(FEATURES)!r}")
        return cls(tuple(float(w) for w in data["weights"]), float(data["bias"]), float(data["threshold"]))


@cache
def bundled() -> SecondOpinion:
    """The bundled model, loaded once per process."""
    return SecondOpinion.from_json(json.loads(ARTEFACT.read_text(encoding="utf-8")), str(ARTEFACT))


def unit_features(text: str, units: Sequence[Unit], k: int, mentions: Sequence[Mention],
                  verbs: re.Pattern[str]) -> list[float]:
    """The features of ``units[k]`` (in the order of :data:`FEATURES`), given the rules' verdict on every unit."""
    u = units[k]
    s = text[u.start : u.end]
    size = max(1, len(s))
    verb = verbs.search(s)
    n_words = max(1, len(s.split()))
    quoted = sum(len(text[q.inner_start : q.inner_end].split()) for q in u.quotes)
    inside = [m for m in mentions if u.start <= m.start < u.end]
    officials = [m for m in inside if m.kind == "official"]
    last = max((j for j in range(k) if units[j].attributed), default=k - 10)
    return [
        1.0 if verb else 0.0, verb.start() / size if verb else 0.0, 1.0 if u.quotes else 0.0, quoted / n_words,
        1.0 if officials else 0.0, (officials[0].start - u.start) / size if officials else 1.0,
        min(len(inside) - len(officials), 4) / 4, 1.0 if _OPENER.match(s) else 0.0, min(k - last, 6) / 6,
        1.0 if k and units[k - 1].attributed else 0.0, 1.0 if _THAT.search(s) else 0.0, min(n_words, 60) / 60,
        1.0 if u.first_in_paragraph else 0.0, 1.0 if _FIRST_PERSON.search(s) else 0.0,
        1.0 if _SPEECH_NOUN.search(s) else 0.0, 1.0 if k + 1 < len(units) and units[k + 1].attributed else 0.0,
    ]


def subject_official(text: str, unit: Unit, mentions: Sequence[Mention]) -> Mention | None:
    """The official named first in the unit when that is near its start (a candidate subject)."""
    first = next((m for m in mentions if unit.start <= m.start < unit.end and m.kind == "official"), None)
    return first if first is not None and first.start - unit.start < _NEAR_START else None


def fit(features: Sequence[Sequence[float]], labels: Sequence[int], threshold: float, c: float = 1.0) -> SecondOpinion:
    """Fit the logistic regression (balanced classes) on unit features and labels (1: the unit holds a statement)."""
    from sklearn.linear_model import LogisticRegression  # training only: not imported at run time

    clf = LogisticRegression(C=c, max_iter=2000, class_weight="balanced").fit([list(f) for f in features],
                                                                              list(labels))
    return SecondOpinion(tuple(float(w) for w in clf.coef_[0]), float(clf.intercept_[0]), threshold)
