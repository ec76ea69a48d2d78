-- The sentence a stance comes from. Long statements are also read sentence by sentence
-- (monitor.stance, model ids ending in +sentences@N); the row then takes the probabilities of one
-- sentence, and an analyst needs to see which. Rows written before this migration, and rows of
-- statements read whole, have NULL.
ALTER TABLE stances ADD COLUMN basis VARCHAR;
COMMENT ON COLUMN stances.basis IS 'The sentence the probabilities come from, as the classifier read it (actor names masked); NULL when the whole statement was read.';
