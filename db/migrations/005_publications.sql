-- The analyst snapshot (monitor.snapshot): after each completed run the writer records a row here,
-- checkpoints and publishes a copy of the database that analysts open read-only. The snapshot's
-- newest row therefore says when it was published and what it holds.
CREATE TABLE publications (
    published_at TIMESTAMPTZ NOT NULL,
    reason       VARCHAR NOT NULL,
    items        BIGINT NOT NULL,
    statements   BIGINT NOT NULL,
    stances      BIGINT NOT NULL,
    alerts       BIGINT NOT NULL
);
COMMENT ON TABLE publications IS 'One row per analyst snapshot published from this database; in a snapshot, its newest row describes the snapshot itself.';
COMMENT ON COLUMN publications.published_at IS 'When the snapshot was taken (UTC), after the run or command named in reason had committed everything.';
COMMENT ON COLUMN publications.reason IS 'What completed before the snapshot: run, migrate, label, ack, rescore, replay (generate: bench/gen_db.py).';
COMMENT ON COLUMN publications.items IS 'Rows in items when the snapshot was taken.';
COMMENT ON COLUMN publications.statements IS 'Rows in statements when the snapshot was taken.';
COMMENT ON COLUMN publications.stances IS 'Rows in stances when the snapshot was taken.';
COMMENT ON COLUMN publications.alerts IS 'Rows in alerts when the snapshot was taken.';
