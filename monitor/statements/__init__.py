"""Statements: item text -> attributed statements (who said what, for which actor).

Takes an item's text and the configured actors; gives :class:`~monitor.records.Statement`
records: quotes and reported speech found (``quotes``, ``speech``), speakers resolved to people
and actors (``speakers``, ``persons``, ``given_names``, ``actors``), and the statements built (``extract``,
from a unit's attribution cues in ``cues``, several statements in one sentence in ``several``, paragraph turns
in ``turns``). ``extraction_eval`` and ``extraction_errors`` measure extraction against annotated passages.
"""
