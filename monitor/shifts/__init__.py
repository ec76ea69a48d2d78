"""Shifts: dated stance scores -> detected shifts of an actor's stance, and alerts.

Takes stance scores per actor x target over time and the configured baselines; gives shifts
with their evidence (``baseline``: CUSUM and bootstrap intervals; ``posterior``: beta-binomial
evidence for sparse series) and delivers alerts (``alerts``). ``replay`` runs dated statements
through the classifier and the detector offline.
"""
