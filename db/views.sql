-- Analyst views. Recreated on every writer connection (they hold no data).
-- Documented column by column with COMMENT ON (see duckdb_columns()) and in the README ("Analyst views").
-- Conventions: dates are publication dates of the items in UTC; score = p_favor - p_against in [-1, 1];
-- "current model" = the most recently registered model (the current_model view).

-- The model whose stance rows analysts see by default: the most recently registered.
CREATE OR REPLACE VIEW current_model AS
SELECT model_id, encoder, head_sha256, trained_at, registered_at
FROM models ORDER BY registered_at DESC, model_id DESC LIMIT 1;
COMMENT ON VIEW current_model IS 'The model version analysts see by default: the most recently registered one.';
COMMENT ON COLUMN current_model.model_id IS 'Model id (models.model_id), stored with every stance row it wrote.';
COMMENT ON COLUMN current_model.encoder IS 'Encoder name or directory.';
COMMENT ON COLUMN current_model.head_sha256 IS 'sha256 of the trained head artefact.';
COMMENT ON COLUMN current_model.trained_at IS 'When the head was trained (UTC).';
COMMENT ON COLUMN current_model.registered_at IS 'When the model was first used against this database (UTC).';

-- Syndicated copies: an item whose content hash was first seen in another item.
CREATE OR REPLACE VIEW item_copies AS
SELECT id AS item_id, feed_id,
       first_value(id) OVER w AS original_id,
       first_value(feed_id) OVER w AS original_feed_id,
       id <> first_value(id) OVER w AS is_copy
FROM items
WINDOW w AS (PARTITION BY content_hash ORDER BY first_seen, published NULLS LAST, id);
COMMENT ON VIEW item_copies IS 'Each item with the first item that carried the same content (syndicated copies).';
COMMENT ON COLUMN item_copies.item_id IS 'Item (items.id).';
COMMENT ON COLUMN item_copies.feed_id IS 'Feed of the item.';
COMMENT ON COLUMN item_copies.original_id IS 'First item stored with the same content hash (itself when it is the original).';
COMMENT ON COLUMN item_copies.original_feed_id IS 'Feed of that first item.';
COMMENT ON COLUMN item_copies.is_copy IS 'TRUE when the item repeats content first seen in another item.';

-- Every statement with its stance (current model), speaker, actor, source and URL.
CREATE OR REPLACE VIEW statement_stances AS
SELECT s.id AS statement_id, i.published, CAST(i.published AS DATE) AS day, s.actor, a.name AS actor_name,
       s.speaker, s.type, s.text, t.label, t.target, t.score, t.p_favor, t.p_against, t.p_none, t.uncertain,
       t.basis AS stance_basis, s.relevant, s.relevance_reason, s.mentions, i.feed_id, src.kind AS feed_kind, i.url, i.title,
       s.item_id, t.model_id, s.content_hash
FROM statements s
JOIN items i ON i.id = s.item_id
LEFT JOIN sources src ON src.feed_id = i.feed_id
LEFT JOIN actors a ON a.id = s.actor
LEFT JOIN stances t ON t.statement_id = s.id AND t.model_id = (SELECT model_id FROM current_model);
COMMENT ON VIEW statement_stances IS 'Every statement with its stance by the current model (NULL stance columns when not scored), speaker, actor, source and URL.';
COMMENT ON COLUMN statement_stances.statement_id IS 'Statement id (statements.id): use it with monitor label.';
COMMENT ON COLUMN statement_stances.published IS 'Publication time of the item (UTC); NULL when the feed gave no usable date.';
COMMENT ON COLUMN statement_stances.day IS 'Publication date (UTC).';
COMMENT ON COLUMN statement_stances.actor IS 'Actor id the speaker stands for (actors.id); NULL when not a configured actor.';
COMMENT ON COLUMN statement_stances.actor_name IS 'Display name of the actor.';
COMMENT ON COLUMN statement_stances.speaker IS 'Speaker name as written in full; NULL for official speech without a named speaker.';
COMMENT ON COLUMN statement_stances.type IS 'official, direct, indirect or mixed.';
COMMENT ON COLUMN statement_stances.text IS 'The statement text, as published (may contain markup: escape it before display).';
COMMENT ON COLUMN statement_stances.label IS 'favor, against or none (current model); NULL when not scored.';
COMMENT ON COLUMN statement_stances.target IS 'EU, US, France, West or none.';
COMMENT ON COLUMN statement_stances.score IS 'p_favor - p_against, in [-1, 1].';
COMMENT ON COLUMN statement_stances.p_favor IS 'Calibrated probability of favor.';
COMMENT ON COLUMN statement_stances.p_against IS 'Calibrated probability of against.';
COMMENT ON COLUMN statement_stances.p_none IS 'Calibrated probability of none.';
COMMENT ON COLUMN statement_stances.uncertain IS 'TRUE when the top probability is below the configured confidence (not counted toward alerts).';
COMMENT ON COLUMN statement_stances.stance_basis IS 'For a long statement read sentence by sentence: the sentence the stance comes from (actor names masked); NULL when read whole.';
COMMENT ON COLUMN statement_stances.relevant IS 'TRUE when about the peace process and Western involvement (only these are scored by default).';
COMMENT ON COLUMN statement_stances.relevance_reason IS 'Why the statement was judged relevant or not.';
COMMENT ON COLUMN statement_stances.mentions IS 'Actor ids named inside the statement.';
COMMENT ON COLUMN statement_stances.feed_id IS 'Feed the item came from (sources.feed_id).';
COMMENT ON COLUMN statement_stances.feed_kind IS 'news or government.';
COMMENT ON COLUMN statement_stances.url IS 'Link to the source article.';
COMMENT ON COLUMN statement_stances.title IS 'Title of the source article.';
COMMENT ON COLUMN statement_stances.item_id IS 'Item the statement comes from (items.id).';
COMMENT ON COLUMN statement_stances.model_id IS 'Model that produced the stance (the current model) or NULL.';
COMMENT ON COLUMN statement_stances.content_hash IS 'Hash of the normalised text: re-quotes and syndicated copies share it.';

-- The stanced statements the shift detector may count, before removing copies (internal to the next views).
-- They live in the stance_facts table (migration 002), which store.write_stances keeps up to date: the
-- join of stances, statements and items it replaces cost a second or more per query at 1M statements.
CREATE OR REPLACE VIEW stance_candidates AS
SELECT statement_id, actor, target, day, published, score, feed_id, content_hash, model_id
FROM stance_facts;
COMMENT ON VIEW stance_candidates IS 'Relevant, confident, stanced statements of known actors with a date, copies included (every model).';
COMMENT ON COLUMN stance_candidates.statement_id IS 'Statement id.';
COMMENT ON COLUMN stance_candidates.actor IS 'Actor id.';
COMMENT ON COLUMN stance_candidates.target IS 'EU, US, France or West.';
COMMENT ON COLUMN stance_candidates.day IS 'Publication date (UTC).';
COMMENT ON COLUMN stance_candidates.published IS 'Publication time (UTC).';
COMMENT ON COLUMN stance_candidates.score IS 'p_favor - p_against, in [-1, 1].';
COMMENT ON COLUMN stance_candidates.feed_id IS 'Feed of the item.';
COMMENT ON COLUMN stance_candidates.content_hash IS 'Hash of the normalised statement text.';
COMMENT ON COLUMN stance_candidates.model_id IS 'Model that produced the stance.';

-- What the shift detector counts: one row per model, actor and content hash (the earliest copy), so
-- re-quotes and syndicated copies count once. stance_facts.counted marks that copy.
CREATE OR REPLACE VIEW stance_observations AS
SELECT statement_id, actor, target, day, score, feed_id, content_hash, model_id
FROM stance_facts
WHERE counted;
COMMENT ON VIEW stance_observations IS 'What the shift detector counts, per model: distinct (earliest copy) relevant, confident, stanced statements.';
COMMENT ON COLUMN stance_observations.statement_id IS 'Statement id (the earliest of its copies).';
COMMENT ON COLUMN stance_observations.actor IS 'Actor id.';
COMMENT ON COLUMN stance_observations.target IS 'EU, US, France or West.';
COMMENT ON COLUMN stance_observations.day IS 'Publication date (UTC): series run on statement dates, never on fetch time.';
COMMENT ON COLUMN stance_observations.score IS 'p_favor - p_against, in [-1, 1].';
COMMENT ON COLUMN stance_observations.feed_id IS 'Feed of the item (a source, for minimum-source rules).';
COMMENT ON COLUMN stance_observations.content_hash IS 'Hash of the normalised statement text.';
COMMENT ON COLUMN stance_observations.model_id IS 'Model that produced the stance; filter on it (or use current_observations).';

-- The same for the current model only.
CREATE OR REPLACE VIEW current_observations AS
SELECT statement_id, actor, target, day, score, feed_id, content_hash, model_id
FROM stance_facts
WHERE counted AND model_id = (SELECT model_id FROM current_model);
COMMENT ON VIEW current_observations IS 'stance_observations of the current model only.';
COMMENT ON COLUMN current_observations.statement_id IS 'Statement id (the earliest of its copies).';
COMMENT ON COLUMN current_observations.actor IS 'Actor id.';
COMMENT ON COLUMN current_observations.target IS 'EU, US, France or West.';
COMMENT ON COLUMN current_observations.day IS 'Publication date (UTC).';
COMMENT ON COLUMN current_observations.score IS 'p_favor - p_against, in [-1, 1].';
COMMENT ON COLUMN current_observations.feed_id IS 'Feed of the item.';
COMMENT ON COLUMN current_observations.content_hash IS 'Hash of the normalised statement text.';
COMMENT ON COLUMN current_observations.model_id IS 'The current model.';

-- Daily and weekly stance per actor x target (current model), counting distinct statements.
CREATE OR REPLACE VIEW stance_daily AS
SELECT o.actor, o.target, o.day, count(*) AS n_statements, count(DISTINCT o.feed_id) AS n_sources,
       avg(o.score) AS mean_score, count(*) FILTER (WHERE o.score > 0) AS n_favor, count(*) FILTER (WHERE o.score < 0) AS n_against
FROM current_observations o
GROUP BY ALL;
COMMENT ON VIEW stance_daily IS 'Stance per actor, target and publication day (current model, distinct statements).';
COMMENT ON COLUMN stance_daily.actor IS 'Actor id.';
COMMENT ON COLUMN stance_daily.target IS 'EU, US, France or West.';
COMMENT ON COLUMN stance_daily.day IS 'Publication date (UTC).';
COMMENT ON COLUMN stance_daily.n_statements IS 'Distinct statements that day (copies count once).';
COMMENT ON COLUMN stance_daily.n_sources IS 'Distinct feeds among them.';
COMMENT ON COLUMN stance_daily.mean_score IS 'Mean score of those statements, in [-1, 1].';
COMMENT ON COLUMN stance_daily.n_favor IS 'Statements with a positive score.';
COMMENT ON COLUMN stance_daily.n_against IS 'Statements with a negative score.';

CREATE OR REPLACE VIEW stance_weekly AS
SELECT o.actor, o.target, CAST(date_trunc('week', o.day) AS DATE) AS week, count(*) AS n_statements,
       count(DISTINCT o.feed_id) AS n_sources, avg(o.score) AS mean_score,
       count(*) FILTER (WHERE o.score > 0) AS n_favor, count(*) FILTER (WHERE o.score < 0) AS n_against
FROM current_observations o
GROUP BY ALL;
COMMENT ON VIEW stance_weekly IS 'Stance per actor, target and ISO week (current model, distinct statements).';
COMMENT ON COLUMN stance_weekly.actor IS 'Actor id.';
COMMENT ON COLUMN stance_weekly.target IS 'EU, US, France or West.';
COMMENT ON COLUMN stance_weekly.week IS 'Monday of the publication week.';
COMMENT ON COLUMN stance_weekly.n_statements IS 'Distinct statements that week (copies count once).';
COMMENT ON COLUMN stance_weekly.n_sources IS 'Distinct feeds among them.';
COMMENT ON COLUMN stance_weekly.mean_score IS 'Mean score of those statements, in [-1, 1].';
COMMENT ON COLUMN stance_weekly.n_favor IS 'Statements with a positive score.';
COMMENT ON COLUMN stance_weekly.n_against IS 'Statements with a negative score.';

-- Each actor x target against its baseline, over the last 90 days of statements (current model).
CREATE OR REPLACE VIEW actor_vs_baseline AS
WITH obs AS (
    SELECT actor, target, day, score, feed_id, max(day) OVER () AS newest FROM current_observations
), recent AS (
    SELECT actor, target, count(*) AS n_statements, count(DISTINCT feed_id) AS n_sources,
           avg(score) AS observed, stddev_samp(score) AS sd, min(day) AS first_day, max(day) AS last_day
    FROM obs WHERE day >= newest - INTERVAL 90 DAY
    GROUP BY ALL
)
SELECT coalesce(r.actor, b.actor) AS actor, coalesce(r.target, b.target) AS target, b.label AS baseline_label,
       b.score AS baseline, r.observed, r.observed - b.score AS difference,
       r.observed - 1.645 * coalesce(r.sd, 0) / sqrt(r.n_statements) AS ci_low,
       r.observed + 1.645 * coalesce(r.sd, 0) / sqrt(r.n_statements) AS ci_high,
       coalesce(r.n_statements, 0) AS n_statements, coalesce(r.n_sources, 0) AS n_sources, r.first_day, r.last_day,
       b.evidence AS baseline_evidence
FROM recent r FULL OUTER JOIN baselines b ON b.actor = r.actor AND b.target = r.target;
COMMENT ON VIEW actor_vs_baseline IS 'Each actor x target: the mean of the last 90 days of statements (up to the newest statement date) against its baseline.';
COMMENT ON COLUMN actor_vs_baseline.actor IS 'Actor id.';
COMMENT ON COLUMN actor_vs_baseline.target IS 'EU, US, France or West.';
COMMENT ON COLUMN actor_vs_baseline.baseline_label IS 'favor, against or none from config/baselines.yaml; NULL without a baseline.';
COMMENT ON COLUMN actor_vs_baseline.baseline IS 'Baseline score in [-1, 1]; NULL without a baseline.';
COMMENT ON COLUMN actor_vs_baseline.observed IS 'Mean score of the distinct statements in the 90 days; NULL without statements.';
COMMENT ON COLUMN actor_vs_baseline.difference IS 'observed - baseline (positive: more favourable to Western mediation than the baseline).';
COMMENT ON COLUMN actor_vs_baseline.ci_low IS 'Lower bound of a 90% normal interval of the observed mean.';
COMMENT ON COLUMN actor_vs_baseline.ci_high IS 'Upper bound of a 90% normal interval of the observed mean.';
COMMENT ON COLUMN actor_vs_baseline.n_statements IS 'Distinct statements in the 90 days.';
COMMENT ON COLUMN actor_vs_baseline.n_sources IS 'Distinct feeds among them.';
COMMENT ON COLUMN actor_vs_baseline.first_day IS 'First statement date in the window.';
COMMENT ON COLUMN actor_vs_baseline.last_day IS 'Last statement date in the window.';
COMMENT ON COLUMN actor_vs_baseline.baseline_evidence IS 'Evidence phrase from the source article.';

-- Open and recent alerts with their evidence statements.
CREATE OR REPLACE VIEW alert_evidence AS
SELECT a.id AS alert_id, a.actor, a.target, a.direction, a.status, a.opened_on, a.baseline, a.observed,
       a.n_statements, a.severity, a.model_id, s.id AS statement_id, s.text, s.speaker, i.url, i.feed_id, i.published,
       t.label, t.score, t.basis AS stance_basis
FROM (SELECT *, unnest(evidence_ids) AS evidence_id FROM alerts) a  -- unnested apart: DuckDB 1.5 (lake extra) has no lateral outer join
JOIN statements s ON s.id = a.evidence_id
JOIN items i ON i.id = s.item_id
LEFT JOIN stances t ON t.statement_id = s.id AND t.model_id = a.model_id;
COMMENT ON VIEW alert_evidence IS 'Every alert (any status) with one row per evidence statement.';
COMMENT ON COLUMN alert_evidence.alert_id IS 'Alert id (alerts.id): use it with monitor ack.';
COMMENT ON COLUMN alert_evidence.actor IS 'Actor id whose stance shifted.';
COMMENT ON COLUMN alert_evidence.target IS 'EU, US, France or West.';
COMMENT ON COLUMN alert_evidence.direction IS 'toward_favor or toward_against.';
COMMENT ON COLUMN alert_evidence.status IS 'open, acknowledged, resolved or withdrawn (see alerts.status).';
COMMENT ON COLUMN alert_evidence.opened_on IS 'Statement date at which the shift was detected.';
COMMENT ON COLUMN alert_evidence.baseline IS 'Baseline score compared against.';
COMMENT ON COLUMN alert_evidence.observed IS 'Mean score of the window.';
COMMENT ON COLUMN alert_evidence.n_statements IS 'Distinct statements in the window.';
COMMENT ON COLUMN alert_evidence.severity IS 'low, medium or high.';
COMMENT ON COLUMN alert_evidence.model_id IS 'Model whose stance rows the alert rests on.';
COMMENT ON COLUMN alert_evidence.statement_id IS 'Evidence statement id.';
COMMENT ON COLUMN alert_evidence.text IS 'Evidence statement text, as published (escape before display).';
COMMENT ON COLUMN alert_evidence.speaker IS 'Speaker of the evidence statement.';
COMMENT ON COLUMN alert_evidence.url IS 'Link to the source article.';
COMMENT ON COLUMN alert_evidence.feed_id IS 'Feed of the source article.';
COMMENT ON COLUMN alert_evidence.published IS 'Publication time of the source article (UTC).';
COMMENT ON COLUMN alert_evidence.label IS 'The evidence statement''s stance label by the alert''s model.';
COMMENT ON COLUMN alert_evidence.score IS 'Its score (p_favor - p_against) by the alert''s model: what the alert averaged.';
COMMENT ON COLUMN alert_evidence.stance_basis IS 'For a long statement read sentence by sentence: the sentence the stance comes from (actor names masked); NULL when read whole.';

-- Feed health: per feed, last success, last new item, failure streak, 304 rate and a state.
CREATE OR REPLACE VIEW feed_health AS
WITH f AS (
    SELECT feed_id, started, state, http_status, error_class, error, newest_item, items_new,
           state IN ('ok', 'not_modified', 'empty', 'truncated') AS good,
           row_number() OVER (PARTITION BY feed_id ORDER BY started DESC) AS rn
    FROM fetches WHERE state <> 'backoff'
), agg AS (
    SELECT feed_id, count(*) AS fetches, max(started) FILTER (WHERE good) AS last_success,
           max(started) AS last_attempt, avg(CASE WHEN state = 'not_modified' THEN 1.0 ELSE 0.0 END) AS not_modified_rate,
           max(newest_item) AS newest_item_seen, sum(items_new) AS items_new_total
    FROM f GROUP BY feed_id
), streak AS (
    SELECT f.feed_id, count(*) AS consecutive_failures
    FROM f JOIN agg USING (feed_id)
    WHERE NOT f.good AND (agg.last_success IS NULL OR f.started > agg.last_success)
    GROUP BY f.feed_id
), last AS (
    SELECT feed_id, state AS last_state, http_status AS last_status, error_class AS last_error_class, error AS last_error
    FROM f WHERE rn = 1
), newest AS (
    SELECT feed_id, max(published) AS last_item_date FROM items GROUP BY feed_id
)
SELECT s.feed_id, s.title, s.kind, s.url, s.enabled, agg.fetches, agg.last_attempt, agg.last_success,
       newest.last_item_date, coalesce(streak.consecutive_failures, 0) AS consecutive_failures,
       agg.not_modified_rate, agg.items_new_total, last.last_state, last.last_status, last.last_error_class, last.last_error,
       CASE
           WHEN agg.fetches IS NULL THEN 'never_fetched'
           WHEN last.last_state = 'not_a_feed' THEN 'not-a-feed'
           WHEN last.last_state = 'blocked' THEN 'blocked'
           WHEN last.last_state IN ('failed', 'malformed') THEN 'failing'
           WHEN newest.last_item_date < now() - INTERVAL 14 DAY THEN 'stale'
           ELSE 'ok'
       END AS health
FROM sources s LEFT JOIN agg USING (feed_id) LEFT JOIN last USING (feed_id)
LEFT JOIN streak USING (feed_id) LEFT JOIN newest USING (feed_id);
COMMENT ON VIEW feed_health IS 'One row per configured feed: is it fetched, does it bring new items, what went wrong last.';
COMMENT ON COLUMN feed_health.feed_id IS 'Feed id (sources.feed_id).';
COMMENT ON COLUMN feed_health.title IS 'Human name of the feed.';
COMMENT ON COLUMN feed_health.kind IS 'news or government.';
COMMENT ON COLUMN feed_health.url IS 'Feed URL.';
COMMENT ON COLUMN feed_health.enabled IS 'FALSE when removed or disabled in the configuration.';
COMMENT ON COLUMN feed_health.fetches IS 'Fetch attempts recorded (backoff skips excluded); NULL when never fetched.';
COMMENT ON COLUMN feed_health.last_attempt IS 'Start of the last fetch attempt (UTC).';
COMMENT ON COLUMN feed_health.last_success IS 'Start of the last successful fetch, 304 included (UTC).';
COMMENT ON COLUMN feed_health.last_item_date IS 'Newest publication date among the feed''s stored items (UTC).';
COMMENT ON COLUMN feed_health.consecutive_failures IS 'Failed attempts since the last success.';
COMMENT ON COLUMN feed_health.not_modified_rate IS 'Share of attempts answered 304 Not Modified, in [0, 1].';
COMMENT ON COLUMN feed_health.items_new_total IS 'New items brought by all fetches.';
COMMENT ON COLUMN feed_health.last_state IS 'State of the last attempt (fetches.state).';
COMMENT ON COLUMN feed_health.last_status IS 'HTTP status of the last attempt.';
COMMENT ON COLUMN feed_health.last_error_class IS 'Error class of the last attempt, e.g. Timeout, HTTP404.';
COMMENT ON COLUMN feed_health.last_error IS 'Error message of the last attempt.';
COMMENT ON COLUMN feed_health.health IS 'ok, stale (no new item for 14 days), failing, blocked, not-a-feed or never_fetched.';
