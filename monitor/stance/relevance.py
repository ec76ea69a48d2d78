"""Is a statement about the Armenia-Azerbaijan peace process and Western involvement?

Four signals, each recorded in the reason so an analyst sees why: conflict keywords, the
actors mentioned, whether the text names a possible target of a stance (a Western actor,
mediator, format or outsiders: :data:`monitor.stance.classifier.REFERENT`), and the embedding similarity
to a few prototype sentences of the topic. All statements are kept; only relevant ones go on
to the stance classifier.

The gate is built for recall: a statement is relevant when it is anchored in the conflict
(a conflict term or a mention of one of the parties), or names a referent in connection with
talks, peace or war (:data:`TALKS_TERMS`: "credited the US President with pushing the process
forward", "the co-chairs can help with the status issues"), or names a referent and is at least
loosely on topic (similarity >= ``threshold - 0.1``), or is close to the topic by similarity
alone. Deciding whether an on-topic statement takes a stance on Western mediation is the
stance head's job (its ``none`` class learnt from real statements), not the gate's. On the real
development set this gate keeps 0.99 of the favor/against statements (the earlier gate, which
also required a Western term or a similarity of 0.35, kept 0.77) and passes 0.91 of the
none statements to the classifier (docs/stance.md).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import cached_property

import numpy as np

from monitor.records import Relevance, Statement
from monitor.stance.classifier import REFERENT
from monitor.stance.encoder import Encoder

CONFLICT_TERMS = (
    "armenia", "azerbaijan", "karabakh", "artsakh", "south caucasus", "caucasus", "zangezur", "syunik", "nakhchivan",
    "lachin", "delimitation", "demarcation", "peace treaty", "peace agreement", "peace process", "peace deal",
    "normalization", "normalisation", "border", "corridor", "trump route", "tripp", "3+3", "euma", "monitoring mission",
    "monitors", "observers", "minsk group", "granada", "prague", "yerevan", "baku", "mediation", "mediator",
    "crossroads of peace", "ceasefire", "enclave", "peacekeep", "peace talks", "negotiations", "mission", "co-chair",
)
# Words that put a named referent "in connection with the talks": a Western actor or format named
# next to one of them is never dropped (a stance on Western mediation needs no conflict name).
TALKS_TERMS = re.compile(
    r"(?i)\b(?:peace\w*|process(?:es)?|talks|negotiat\w*|agreements?|accords?|deals?|treat(?:y|ies)|settlement|wars?"
    r"|conflicts?|ceasefire|truce|status|summits?|reconcil\w*)\b"
)
WESTERN_TERMS = (
    "west", "western", "european", "eu", "brussels", "united states", "washington", "america", "france", "french",
    "paris", "élysée", "elysee", "extra-regional", "non-regional", "outside powers", "third parties", "nato",
)
PROTOTYPES = (
    "Western mediation of the peace talks between Armenia and Azerbaijan.",
    "The EU monitoring mission on the Armenian border with Azerbaijan.",
    "Washington hosts talks on a peace treaty between Baku and Yerevan.",
    "France's role in the Armenia Azerbaijan conflict is biased.",
    "Regional problems of the South Caucasus should be solved by regional countries without extra-regional powers.",
    "Border delimitation and the peace agreement between Armenia and Azerbaijan.",
)
_WORD = re.compile(r"[\w+-]+(?:\s+[\w+-]+)?", re.UNICODE)


def _hits(text: str, terms: Sequence[str]) -> list[str]:
    low = text.casefold()
    return [t for t in terms if re.search(rf"(?<![\w]){re.escape(t)}", low)]


class RelevanceScorer:
    """Scores statements; the encoder is optional (keywords and mentions alone still work)."""

    def __init__(self, encoder: Encoder | None = None, *, threshold: float = 0.35, mask: Callable[[str], str] | None = None,
                 parties: frozenset[str] = frozenset({"AM", "AZ"})):
        """``mask``: the classifier's actor masking; when given, similarity is computed on masked
        texts (prototypes included) and the embeddings are cached for the stance step to reuse.
        ``parties``: the actor ids whose mention anchors a statement in the conflict."""
        self.encoder = encoder
        self.threshold = threshold
        self.mask = mask
        self.parties = parties

    @cached_property
    def _prototypes(self) -> np.ndarray | None:
        if self.encoder is None:
            return None
        return self.encoder.embed([self.mask(p) if self.mask else p for p in PROTOTYPES])

    def score(self, statements: Sequence[Statement], western_actors: frozenset[str] = frozenset({"EU", "US", "FR"})) -> list[Relevance]:
        sims = np.zeros(len(statements))
        masked = [self.mask(s.text) for s in statements] if self.mask else [s.text for s in statements]
        if self.encoder is not None and statements and self._prototypes is not None:
            emb = self.encoder.embed(masked, cache=True) if self.mask else self.encoder.embed(masked)
            sims = (emb @ self._prototypes.T).max(axis=1)
        out = []
        for s, text, sim in zip(statements, masked, sims, strict=True):
            conflict = _hits(s.text, CONFLICT_TERMS)
            party = sorted(a for a in s.mentions if a in self.parties)
            western = _hits(s.text, WESTERN_TERMS) + sorted(a for a in s.mentions if a in western_actors)
            referent = REFERENT.search(text)
            talks = bool(referent and TALKS_TERMS.search(s.text))
            score = min(1.0, 0.4 * bool(conflict or party) + 0.3 * bool(western or referent) + 0.5 * max(0.0, float(sim)))
            relevant = bool(conflict or party or talks or (referent and sim >= self.threshold - 0.1) or sim >= self.threshold)
            parts = []
            if conflict:
                parts.append("conflict terms: " + ", ".join(conflict[:4]))
            if referent:
                parts.append(f"names {referent.group()!r}" + (" with talks terms" if talks else ""))
            if western:
                parts.append("western: " + ", ".join(dict.fromkeys(western[:4])))
            if s.mentions:
                parts.append("mentions: " + ", ".join(s.mentions))
            parts.append(f"similarity {float(sim):.2f}")
            out.append(Relevance(s.key(), relevant, round(float(score), 4), "; ".join(parts)))
        return out
