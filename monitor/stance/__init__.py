"""Stance: statement texts -> stance toward a Western target (favor, against, none) with a confidence.

Takes statement texts; gives a relevance verdict for each (``relevance``: is it about the peace
process and Western involvement at all?) and :class:`~monitor.stance.classifier.Prediction` rows
from the sentence encoder (``encoder``, or its ONNX Runtime twin ``onnx_backend``) and the trained,
calibrated head (``classifier``). ``training`` trains the head from the statements in
``monitor/data``; ``evaluation`` scores it (macro-F1, F_avg, calibration).
"""
