-- Analyst views. Recreated on every writer connection (they hold no data).
-- Documented column by column in the README ("Analyst views").

-- The model whose stance rows analysts see by default: the most recently registered.
CREATE OR REPLACE VIEW current_model AS
SELECT model_id, encoder, head_sha256, trained_at, registered_at
FROM models ORDER BY registered_at DESC, model_id DESC LIMIT 1;

-- Syndicated copies: an item whose content hash was first seen in another item.
CREATE OR REPLACE VIEW item_copies AS
SELECT id AS item_id, feed_id,
       first_value(id) OVER w AS original_id,
       first_value(feed_id) OVER w AS original_feed_id,
       id <> first_value(id) OVER w AS is_copy
FROM items
WINDOW w AS (PARTITION BY content_hash ORDER BY first_seen, published NULLS LAST, id);

-- Every statement with its stance (current model), speaker, actor, source and URL.
CREATE OR REPLACE VIEW statement_stances AS
SELECT s.id AS statement_id, i.published, CAST(i.published AS DATE) AS day, s.actor, a.name AS actor_name,
       s.speaker, s.type, s.text, t.label, t.target, t.score, t.p_favor, t.p_against, t.p_none, t.uncertain,
       s.relevant, s.relevance_reason, s.mentions, i.feed_id, src.kind AS feed_kind, i.url, i.title,
       s.item_id, t.model_id, s.content_hash
FROM statements s
JOIN items i ON i.id = s.item_id
LEFT JOIN sources src ON src.feed_id = i.feed_id
LEFT JOIN actors a ON a.id = s.actor
LEFT JOIN stances t ON t.statement_id = s.id AND t.model_id = (SELECT model_id FROM current_model);

-- What the shift detector counts: relevant, confident, stanced statements of a known actor with a
-- publication date; one row per model, actor and content hash (re-quotes and syndicated copies count once).
CREATE OR REPLACE VIEW stance_observations AS
SELECT statement_id, actor, target, day, score, feed_id, content_hash, model_id FROM (
    SELECT t.statement_id, s.actor, t.target, CAST(i.published AS DATE) AS day, t.score, i.feed_id,
           s.content_hash, t.model_id,
           row_number() OVER (PARTITION BY t.model_id, s.actor, s.content_hash ORDER BY i.published, s.id) AS copy_no
    FROM stances t
    JOIN statements s ON s.id = t.statement_id
    JOIN items i ON i.id = s.item_id
    WHERE s.relevant AND NOT t.uncertain AND t.label IN ('favor', 'against')
      AND s.actor IS NOT NULL AND i.published IS NOT NULL
) WHERE copy_no = 1;

-- Daily and weekly stance per actor x target (current model), counting distinct statements.
CREATE OR REPLACE VIEW stance_daily AS
SELECT o.actor, o.target, o.day, count(*) AS n_statements, count(DISTINCT o.feed_id) AS n_sources,
       avg(o.score) AS mean_score, count(*) FILTER (WHERE o.score > 0) AS n_favor, count(*) FILTER (WHERE o.score < 0) AS n_against
FROM stance_observations o WHERE o.model_id = (SELECT model_id FROM current_model)
GROUP BY ALL;

CREATE OR REPLACE VIEW stance_weekly AS
SELECT o.actor, o.target, CAST(date_trunc('week', o.day) AS DATE) AS week, count(*) AS n_statements,
       count(DISTINCT o.feed_id) AS n_sources, avg(o.score) AS mean_score,
       count(*) FILTER (WHERE o.score > 0) AS n_favor, count(*) FILTER (WHERE o.score < 0) AS n_against
FROM stance_observations o WHERE o.model_id = (SELECT model_id FROM current_model)
GROUP BY ALL;

-- Each actor x target against its baseline, over the last 90 days of statements.
CREATE OR REPLACE VIEW actor_vs_baseline AS
WITH recent AS (
    SELECT o.actor, o.target, count(*) AS n_statements, count(DISTINCT o.feed_id) AS n_sources,
           avg(o.score) AS observed, stddev_samp(o.score) AS sd, min(o.day) AS first_day, max(o.day) AS last_day
    FROM stance_observations o
    WHERE o.model_id = (SELECT model_id FROM current_model)
      AND o.day >= (SELECT max(day) FROM stance_observations) - INTERVAL 90 DAY
    GROUP BY ALL
)
SELECT coalesce(r.actor, b.actor) AS actor, coalesce(r.target, b.target) AS target, b.label AS baseline_label,
       b.score AS baseline, r.observed, r.observed - b.score AS difference,
       r.observed - 1.645 * coalesce(r.sd, 0) / sqrt(r.n_statements) AS ci_low,
       r.observed + 1.645 * coalesce(r.sd, 0) / sqrt(r.n_statements) AS ci_high,
       coalesce(r.n_statements, 0) AS n_statements, coalesce(r.n_sources, 0) AS n_sources, r.first_day, r.last_day,
       b.evidence AS baseline_evidence
FROM recent r FULL OUTER JOIN baselines b ON b.actor = r.actor AND b.target = r.target;

-- Open and recent alerts with their evidence statements.
CREATE OR REPLACE VIEW alert_evidence AS
SELECT a.id AS alert_id, a.actor, a.target, a.direction, a.status, a.opened_on, a.baseline, a.observed,
       a.n_statements, a.severity, a.model_id, s.id AS statement_id, s.text, s.speaker, i.url, i.feed_id, i.published
FROM alerts a, unnest(a.evidence_ids) AS e(statement_id)
JOIN statements s ON s.id = e.statement_id
JOIN items i ON i.id = s.item_id;

-- Feed health: per feed, last success, last new item, failure streak, 304 rate and a state.
CREATE OR REPLACE VIEW feed_health AS
WITH f AS (
    SELECT *, state IN ('ok', 'not_modified', 'empty', 'truncated') AS good,
           row_number() OVER (PARTITION BY feed_id ORDER BY started DESC) AS rn
    FROM fetches WHERE state <> 'backoff'
), agg AS (
    SELECT feed_id, count(*) AS fetches, max(started) FILTER (WHERE good) AS last_success,
           max(started) AS last_attempt, avg(CASE WHEN state = 'not_modified' THEN 1.0 ELSE 0.0 END) AS not_modified_rate,
           max(newest_item) AS newest_item_seen, sum(items_new) AS items_new_total
    FROM f GROUP BY feed_id
), last AS (
    SELECT feed_id, state AS last_state, http_status AS last_status, error_class AS last_error_class, error AS last_error
    FROM f WHERE rn = 1
)
SELECT s.feed_id, s.title, s.kind, s.url, s.enabled, agg.fetches, agg.last_attempt, agg.last_success,
       (SELECT max(i.published) FROM items i WHERE i.feed_id = s.feed_id) AS last_item_date,
       (SELECT count(*) FROM f WHERE f.feed_id = s.feed_id AND NOT f.good
            AND (agg.last_success IS NULL OR f.started > agg.last_success)) AS consecutive_failures,
       agg.not_modified_rate, agg.items_new_total, last.last_state, last.last_status, last.last_error_class, last.last_error,
       CASE
           WHEN agg.fetches IS NULL THEN 'never_fetched'
           WHEN last.last_state = 'not_a_feed' THEN 'not-a-feed'
           WHEN last.last_state = 'blocked' THEN 'blocked'
           WHEN last.last_state IN ('failed', 'malformed') THEN 'failing'
           WHEN (SELECT max(i.published) FROM items i WHERE i.feed_id = s.feed_id) < now() - INTERVAL 14 DAY THEN 'stale'
           ELSE 'ok'
       END AS health
FROM sources s LEFT JOIN agg USING (feed_id) LEFT JOIN last USING (feed_id);
