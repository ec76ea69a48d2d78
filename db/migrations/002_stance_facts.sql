-- Stance facts: the stanced statements the shift detector and the analyst series count, kept as a table.
-- The views used to find them with a join of stances, statements and items on every query (a second or
-- more at a million statements); store.write_stances now adds the rows of each batch in the same
-- transaction and re-ranks the copies of the groups it touched. The rows are the former stance_candidates
-- view: relevant, confident, favor/against stances of known actors with a publication date, every model.
-- counted marks the copy that counts: the earliest (published, statement_id) per model, actor and content hash.
CREATE TABLE stance_facts (
    stance_id     VARCHAR PRIMARY KEY,
    statement_id  VARCHAR NOT NULL,
    model_id      VARCHAR NOT NULL,
    actor         VARCHAR NOT NULL,
    target        VARCHAR NOT NULL,
    score         DOUBLE NOT NULL,
    published     TIMESTAMPTZ NOT NULL,
    day           DATE NOT NULL,
    feed_id       VARCHAR NOT NULL,
    content_hash  VARCHAR NOT NULL,
    counted       BOOLEAN NOT NULL
);
COMMENT ON TABLE stance_facts IS 'Relevant, confident, stanced statements of known actors with a date (every model), maintained by store.write_stances; counted marks the copy the detector counts.';
COMMENT ON COLUMN stance_facts.stance_id IS 'Stance row (stances.id).';
COMMENT ON COLUMN stance_facts.statement_id IS 'Statement id (statements.id).';
COMMENT ON COLUMN stance_facts.model_id IS 'Model that produced the stance (models.model_id).';
COMMENT ON COLUMN stance_facts.actor IS 'Actor id the speaker stands for (statements.actor).';
COMMENT ON COLUMN stance_facts.target IS 'EU, US, France or West.';
COMMENT ON COLUMN stance_facts.score IS 'p_favor - p_against, in [-1, 1].';
COMMENT ON COLUMN stance_facts.published IS 'Publication time of the item (UTC).';
COMMENT ON COLUMN stance_facts.day IS 'Publication date (UTC).';
COMMENT ON COLUMN stance_facts.feed_id IS 'Feed of the item.';
COMMENT ON COLUMN stance_facts.content_hash IS 'Hash of the normalised statement text (statements.content_hash).';
COMMENT ON COLUMN stance_facts.counted IS 'TRUE for the earliest copy (published, then statement id) per model, actor and content hash: re-quotes and syndicated copies count once.';

-- Backfill from the rows already stored, sorted by model and day so that the series views scan
-- contiguous blocks.
INSERT INTO stance_facts
SELECT t.id, t.statement_id, t.model_id, s.actor, t.target, t.score, i.published, CAST(i.published AS DATE),
       i.feed_id, s.content_hash,
       row_number() OVER (PARTITION BY t.model_id, s.actor, s.content_hash ORDER BY i.published, t.statement_id) = 1
FROM stances t
JOIN statements s ON s.id = t.statement_id
JOIN items i ON i.id = s.item_id
WHERE s.relevant AND NOT t.uncertain AND t.label IN ('favor', 'against')
  AND s.actor IS NOT NULL AND i.published IS NOT NULL
ORDER BY t.model_id, CAST(i.published AS DATE), t.statement_id;
