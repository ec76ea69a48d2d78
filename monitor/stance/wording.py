"""Wording the encoder misreads, made plain before it reads it.

Sentence encoders such as MiniLM barely register negation: "does not oppose the mission"
embeds next to "opposes the mission", and the head then reads the opposite stance. Diplomats
say yes this way all the time ("we have no objection to", "we are not against"). So before
embedding, :func:`plain_polarity` rewrites a negated stance verb into its plain counterpart
("does not oppose" -> "accept", "does not support" -> "oppose"). Only the text the model reads
changes; the statement, and the sentence shown as a prediction's basis, stay as written.

:func:`quotes` finds the quoted words inside a news sentence: a wire sentence often wraps a
short quote in a long frame (who, where, at which forum), and the stance sits in the quote.
The classifier reads such a quote on its own as one more reading of the statement.
"""

from __future__ import annotations

import re

_AUX = r"(?:do|does|did|will|would|shall|should|can|could|may|might|must)"
_AUX_NOT = rf"(?:{_AUX}\s*(?:not|n't)|cannot|can't|won't)"
_AGAINST = r"(?:oppose|object\s+to|reject|resist|rule\s+out)"
_FOR = r"(?:support|welcome|accept|endorse|back)"

# (pattern, plain wording), applied in order; case-insensitive.
NEGATED_STANCE: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(rf"\b{_AUX_NOT}\s+{_AGAINST}\b", re.I), "accept"),
    (re.compile(r"\b(?:is|are|was|were|am)\s*(?:not|n't)\s+(?:opposed\s+to|against)\b", re.I), "accepts"),
    (re.compile(r"\b(?:has|have|had)\s+no\s+(?:objections?|problem)\s+(?:to|with)\b", re.I), "accepts"),
    (re.compile(r"\bno\s+objections?\s+to\b", re.I), "acceptance of"),
    (re.compile(rf"\b{_AUX_NOT}\s+{_FOR}\b", re.I), "oppose"),
    (re.compile(r"\b(?:is|are|was|were|am)\s*(?:not|n't)\s+in\s+favou?r\s+of\b", re.I), "opposes"),
)

QUOTE = re.compile(r"[“\"]([^”\"]{20,}?)[”\"]")
QUOTE_MIN_WORDS = 8


def plain_polarity(text: str) -> str:
    """``text`` with negated stance verbs rewritten plainly (module docstring)."""
    for pattern, plain in NEGATED_STANCE:
        text = pattern.sub(plain, text)
    return text


def quotes(text: str, min_words: int = QUOTE_MIN_WORDS) -> list[str]:
    """Quoted passages of at least ``min_words`` words that are clearly shorter than ``text``."""
    out = []
    for m in QUOTE.finditer(text):
        q = m.group(1).strip()
        if len(q.split()) >= min_words and len(q) < 0.8 * len(text) and q not in out:
            out.append(q)
    return out
