-- Alerts since issue 16: the default detector is Bayesian (monitor.shifts.posterior), so the
-- interval and statistic columns no longer come from a bootstrap and a CUSUM; and an alert the
-- current detector and model no longer raise is withdrawn (monitor.store.withdraw_alerts).
-- Comments only; no data changes.
COMMENT ON COLUMN alerts.status IS 'open, acknowledged, resolved (the series came back to its baseline) or withdrawn (the current detector and model no longer raise it).';
COMMENT ON COLUMN alerts.window_start IS 'Date of the first statement of the new regime the detector found (the start of the run it tested).';
COMMENT ON COLUMN alerts.window_end IS 'Date of the last statement of that run when the alert was raised or last updated.';
COMMENT ON COLUMN alerts.observed IS 'Mean score (p_favor - p_against, calibrated) of the distinct statements of the run.';
COMMENT ON COLUMN alerts.ci_low IS 'Lower bound of the 90% interval of the run''s mean score (bayes: posterior interval; cusum: bootstrap).';
COMMENT ON COLUMN alerts.ci_high IS 'Upper bound of the 90% interval of the run''s mean score (bayes: posterior interval; cusum: bootstrap).';
COMMENT ON COLUMN alerts.statistic IS 'Evidence at detection: bayes, log10 Bayes factor of the run against the baseline; cusum, the CUSUM statistic.';
COMMENT ON COLUMN alerts.method IS 'Detector and its parameters, e.g. bayes(beta-binomial,bf>=5,...) or cusum(k=...,h=...)+bootstrap90(...).';
