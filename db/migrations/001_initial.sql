-- 001: the core records of ARCHITECTURE.md. Never edit this file once shipped; add 002_*.sql.

CREATE TABLE sources (
    feed_id      VARCHAR PRIMARY KEY,
    url          VARCHAR NOT NULL,
    title        VARCHAR,
    kind         VARCHAR NOT NULL,
    country      VARCHAR,
    language     VARCHAR,
    actor        VARCHAR,
    full_text    VARCHAR,
    enabled      BOOLEAN NOT NULL DEFAULT TRUE,
    updated_at   TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE sources IS 'Feeds the monitor polls, as last configured (config/feeds.yaml or a --feeds list).';
COMMENT ON COLUMN sources.feed_id IS 'Stable feed id from the configuration.';
COMMENT ON COLUMN sources.url IS 'Feed URL as configured.';
COMMENT ON COLUMN sources.title IS 'Human name of the feed.';
COMMENT ON COLUMN sources.kind IS 'news or government (government feeds speak for their actor).';
COMMENT ON COLUMN sources.country IS 'Country code of the publisher, if known.';
COMMENT ON COLUMN sources.language IS 'Declared language of the feed (ISO 639-1).';
COMMENT ON COLUMN sources.actor IS 'For government feeds: the actor id that speaks in the feed; NULL for news.';
COMMENT ON COLUMN sources.full_text IS 'auto, always or never: whether article pages are fetched for full text.';
COMMENT ON COLUMN sources.enabled IS 'FALSE when the feed was removed or disabled in the configuration.';
COMMENT ON COLUMN sources.updated_at IS 'When this row was last written from the configuration (UTC).';

CREATE TABLE fetches (
    id             VARCHAR PRIMARY KEY,
    feed_id        VARCHAR NOT NULL,
    url            VARCHAR NOT NULL,
    started        TIMESTAMPTZ NOT NULL,
    finished       TIMESTAMPTZ NOT NULL,
    state          VARCHAR NOT NULL,
    http_status    INTEGER,
    etag           VARCHAR,
    last_modified  VARCHAR,
    bytes          BIGINT NOT NULL DEFAULT 0,
    items_total    INTEGER NOT NULL DEFAULT 0,
    items_new      INTEGER NOT NULL DEFAULT 0,
    items_seen     INTEGER NOT NULL DEFAULT 0,
    newest_item    TIMESTAMPTZ,
    error_class    VARCHAR,
    error          VARCHAR,
    transient      BOOLEAN NOT NULL DEFAULT FALSE
);
COMMENT ON TABLE fetches IS 'One row per attempt to fetch a feed: the feed health log. A failure is a row, never a silence.';
COMMENT ON COLUMN fetches.id IS 'Hash of feed id and start time.';
COMMENT ON COLUMN fetches.feed_id IS 'Feed fetched (sources.feed_id).';
COMMENT ON COLUMN fetches.url IS 'URL requested.';
COMMENT ON COLUMN fetches.started IS 'When the request started (UTC).';
COMMENT ON COLUMN fetches.finished IS 'When the response was read and parsed (UTC).';
COMMENT ON COLUMN fetches.state IS 'ok, not_modified (304), empty, truncated, not_a_feed, malformed, blocked (401/403/bot wall), failed, backoff (skipped after repeated failures).';
COMMENT ON COLUMN fetches.http_status IS 'HTTP status of the final response; NULL when no response arrived.';
COMMENT ON COLUMN fetches.etag IS 'ETag validator sent by the server, reused for conditional GET.';
COMMENT ON COLUMN fetches.last_modified IS 'Last-Modified validator sent by the server, reused for conditional GET.';
COMMENT ON COLUMN fetches.bytes IS 'Bytes of body read (after the cap).';
COMMENT ON COLUMN fetches.items_total IS 'Entries parsed from the body.';
COMMENT ON COLUMN fetches.items_new IS 'Entries not seen before (new rows in items).';
COMMENT ON COLUMN fetches.items_seen IS 'Entries already stored (same guid, canonical URL or content).';
COMMENT ON COLUMN fetches.newest_item IS 'Publication date of the newest entry in this fetch (UTC).';
COMMENT ON COLUMN fetches.error_class IS 'Short error class, e.g. Timeout, HTTP404, NotAFeed; NULL on success.';
COMMENT ON COLUMN fetches.error IS 'Error message for the analyst; NULL on success.';
COMMENT ON COLUMN fetches.transient IS 'TRUE when a retry later may succeed (timeouts, 429, 5xx).';

CREATE TABLE items (
    id             VARCHAR PRIMARY KEY,
    feed_id        VARCHAR NOT NULL,
    guid           VARCHAR NOT NULL,
    url            VARCHAR,
    canonical_url  VARCHAR,
    title          VARCHAR,
    published      TIMESTAMPTZ,
    date_status    VARCHAR NOT NULL,
    summary        VARCHAR,
    full_text      VARCHAR,
    content_hash   VARCHAR NOT NULL,
    language       VARCHAR,
    first_seen     TIMESTAMPTZ NOT NULL,
    fetch_id       VARCHAR,
    extracted_at   TIMESTAMPTZ
);
COMMENT ON TABLE items IS 'Feed entries, deduplicated per feed by guid, canonical URL and content hash.';
COMMENT ON COLUMN items.id IS 'Hash of feed id and guid (or URL when there is no guid).';
COMMENT ON COLUMN items.feed_id IS 'Feed the entry came from.';
COMMENT ON COLUMN items.guid IS 'Entry guid / Atom id as published (the link when absent).';
COMMENT ON COLUMN items.url IS 'Entry link as published.';
COMMENT ON COLUMN items.canonical_url IS 'Link without tracking parameters or fragment, used for dedup.';
COMMENT ON COLUMN items.title IS 'Entry title, HTML stripped.';
COMMENT ON COLUMN items.published IS 'Publication (or update) date in UTC; NULL when missing or unparseable, never a guess.';
COMMENT ON COLUMN items.date_status IS 'How published was obtained: ok (dated with a zone), assumed_tz (no zone, read in the feed''s configured timezone), assumed_utc (no zone and none configured, read as UTC), missing (no date; published is NULL) or unparseable (published is NULL).';
COMMENT ON COLUMN items.summary IS 'Description / summary text, HTML stripped and entities unescaped.';
COMMENT ON COLUMN items.full_text IS 'Full text from the feed content or the article page; empty when unavailable.';
COMMENT ON COLUMN items.content_hash IS 'Hash of normalised title and text: equal hashes across feeds mark syndicated copies.';
COMMENT ON COLUMN items.language IS 'Language of the text (ISO 639-1).';
COMMENT ON COLUMN items.first_seen IS 'When the monitor first stored the entry (UTC).';
COMMENT ON COLUMN items.fetch_id IS 'The fetch that first brought the entry (fetches.id).';
COMMENT ON COLUMN items.extracted_at IS 'When statements were extracted from the entry (UTC); NULL while pending.';

CREATE TABLE statements (
    id                VARCHAR PRIMARY KEY,
    item_id           VARCHAR NOT NULL,
    text              VARCHAR NOT NULL,
    start_offset      INTEGER NOT NULL,
    end_offset        INTEGER NOT NULL,
    speaker           VARCHAR,
    actor             VARCHAR,
    type              VARCHAR NOT NULL,
    rule              VARCHAR NOT NULL,
    mentions          VARCHAR[],
    language          VARCHAR,
    content_hash      VARCHAR NOT NULL,
    relevant          BOOLEAN NOT NULL,
    relevance_score   DOUBLE NOT NULL,
    relevance_reason  VARCHAR NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE statements IS 'What was said: spans of item text with their speaker and the actor the speaker stands for.';
COMMENT ON COLUMN statements.id IS 'Hash of item id and offsets.';
COMMENT ON COLUMN statements.item_id IS 'Item the statement comes from (items.id).';
COMMENT ON COLUMN statements.text IS 'The statement text, exactly items text[start_offset:end_offset].';
COMMENT ON COLUMN statements.start_offset IS 'Start character offset (Python, 0-based) in the item text (full_text if present, else summary).';
COMMENT ON COLUMN statements.end_offset IS 'End character offset (exclusive) in the item text.';
COMMENT ON COLUMN statements.speaker IS 'Speaker name as written in full (pronouns and roles resolved); NULL for official speech without a named speaker.';
COMMENT ON COLUMN statements.actor IS 'Actor id the speaker stands for (config/actors.yaml); NULL when the speaker is not a configured actor.';
COMMENT ON COLUMN statements.type IS 'official, direct, indirect or mixed.';
COMMENT ON COLUMN statements.rule IS 'Extraction rule that produced the statement, for checking it in one look.';
COMMENT ON COLUMN statements.mentions IS 'Actor ids named inside the statement (stored apart from the speaker).';
COMMENT ON COLUMN statements.language IS 'Language of the statement (ISO 639-1); statements outside the encoder''s languages stay unclassified.';
COMMENT ON COLUMN statements.content_hash IS 'Hash of the normalised text: re-quotes and syndicated copies share it and count once.';
COMMENT ON COLUMN statements.relevant IS 'TRUE when about the Armenia-Azerbaijan peace process and Western involvement; only these feed stance comparison.';
COMMENT ON COLUMN statements.relevance_score IS 'Relevance score in [0, 1].';
COMMENT ON COLUMN statements.relevance_reason IS 'Why: matched keywords, mentioned actors, embedding similarity.';
COMMENT ON COLUMN statements.created_at IS 'When the statement was extracted (UTC).';

CREATE TABLE stances (
    id           VARCHAR PRIMARY KEY,
    statement_id VARCHAR NOT NULL,
    model_id     VARCHAR NOT NULL,
    label        VARCHAR NOT NULL,
    target       VARCHAR NOT NULL,
    p_favor      DOUBLE NOT NULL,
    p_against    DOUBLE NOT NULL,
    p_none       DOUBLE NOT NULL,
    score        DOUBLE NOT NULL,
    uncertain    BOOLEAN NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE stances IS 'The classifier''s judgement of a statement, one row per statement and model version (old versions are kept).';
COMMENT ON COLUMN stances.id IS 'Hash of statement id and model id.';
COMMENT ON COLUMN stances.statement_id IS 'Statement classified (statements.id).';
COMMENT ON COLUMN stances.model_id IS 'Encoder and head that produced the row (models.model_id).';
COMMENT ON COLUMN stances.label IS 'favor, against or none: stance toward Western mediation; unclassified when the language is not supported.';
COMMENT ON COLUMN stances.target IS 'EU, US, France, West, or none.';
COMMENT ON COLUMN stances.p_favor IS 'Calibrated probability of favor.';
COMMENT ON COLUMN stances.p_against IS 'Calibrated probability of against.';
COMMENT ON COLUMN stances.p_none IS 'Calibrated probability of none.';
COMMENT ON COLUMN stances.score IS 'p_favor - p_against, in [-1, 1].';
COMMENT ON COLUMN stances.uncertain IS 'TRUE when the top probability is below the configured confidence; such rows do not count toward alerts.';
COMMENT ON COLUMN stances.created_at IS 'When the row was written (UTC).';

CREATE TABLE models (
    model_id        VARCHAR PRIMARY KEY,
    encoder         VARCHAR NOT NULL,
    encoder_sha256  VARCHAR NOT NULL,
    head_sha256     VARCHAR NOT NULL,
    data_sha256     VARCHAR,
    trained_at      TIMESTAMPTZ,
    metrics         JSON,
    registered_at   TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE models IS 'Every model version that wrote stance rows: encoder plus trained head.';
COMMENT ON COLUMN models.model_id IS 'Model id stored with every stance row.';
COMMENT ON COLUMN models.encoder IS 'Encoder name or directory.';
COMMENT ON COLUMN models.encoder_sha256 IS 'sha256 of the encoder weights file.';
COMMENT ON COLUMN models.head_sha256 IS 'sha256 of the head artefact.';
COMMENT ON COLUMN models.data_sha256 IS 'sha256 of the training data the head was fitted on.';
COMMENT ON COLUMN models.trained_at IS 'When the head was trained (UTC).';
COMMENT ON COLUMN models.metrics IS 'Cross-validated metrics from the model card (JSON).';
COMMENT ON COLUMN models.registered_at IS 'When the model was first used against this database (UTC).';

CREATE TABLE actors (
    id        VARCHAR PRIMARY KEY,
    name      VARCHAR NOT NULL,
    country   VARCHAR,
    role      VARCHAR NOT NULL,
    western   BOOLEAN NOT NULL,
    aliases   VARCHAR[] NOT NULL
);
COMMENT ON TABLE actors IS 'Actors from config/actors.yaml, as last loaded.';
COMMENT ON COLUMN actors.id IS 'Actor id (e.g. AZ, RU, EU).';
COMMENT ON COLUMN actors.name IS 'Display name.';
COMMENT ON COLUMN actors.country IS 'Country or bloc code.';
COMMENT ON COLUMN actors.role IS 'state, bloc, organisation or other.';
COMMENT ON COLUMN actors.western IS 'TRUE for Western mediators (pooled into the West target).';
COMMENT ON COLUMN actors.aliases IS 'Aliases, metonyms and official names that resolve to this actor.';

CREATE TABLE baselines (
    actor      VARCHAR NOT NULL,
    target     VARCHAR NOT NULL,
    label      VARCHAR NOT NULL,
    score      DOUBLE NOT NULL,
    evidence   VARCHAR NOT NULL,
    paragraph  INTEGER NOT NULL,
    source     VARCHAR NOT NULL,
    date       DATE NOT NULL,
    PRIMARY KEY (actor, target)
);
COMMENT ON TABLE baselines IS 'Baseline position per actor and target, recorded from the source article (config/baselines.yaml).';
COMMENT ON COLUMN baselines.actor IS 'Actor id.';
COMMENT ON COLUMN baselines.target IS 'EU, US, France or West.';
COMMENT ON COLUMN baselines.label IS 'favor, against or none.';
COMMENT ON COLUMN baselines.score IS 'Expected mean score (p_favor - p_against) in [-1, 1].';
COMMENT ON COLUMN baselines.evidence IS 'Evidence phrase from the article.';
COMMENT ON COLUMN baselines.paragraph IS 'Paragraph number of the evidence in the article.';
COMMENT ON COLUMN baselines.source IS 'The article the baseline is recorded from.';
COMMENT ON COLUMN baselines.date IS 'Date of the article (the baseline''s as-of date).';

CREATE TABLE alerts (
    id            VARCHAR PRIMARY KEY,
    actor         VARCHAR NOT NULL,
    target        VARCHAR NOT NULL,
    direction     VARCHAR NOT NULL,
    status        VARCHAR NOT NULL,
    opened_on     DATE NOT NULL,
    window_start  DATE NOT NULL,
    window_end    DATE NOT NULL,
    baseline      DOUBLE NOT NULL,
    baseline_kind VARCHAR NOT NULL,
    observed      DOUBLE NOT NULL,
    ci_low        DOUBLE,
    ci_high       DOUBLE,
    n_statements  INTEGER NOT NULL,
    n_sources     INTEGER NOT NULL,
    statistic     DOUBLE NOT NULL,
    method        VARCHAR NOT NULL,
    severity      VARCHAR NOT NULL,
    model_id      VARCHAR NOT NULL,
    evidence_ids  VARCHAR[] NOT NULL,
    resolved_on   DATE,
    acknowledged_at TIMESTAMPTZ,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE alerts IS 'Shifts of an actor''s stance away from its baseline, with their evidence and lifecycle.';
COMMENT ON COLUMN alerts.id IS 'Hash of actor, target, direction and opening date.';
COMMENT ON COLUMN alerts.actor IS 'Actor id whose stance shifted.';
COMMENT ON COLUMN alerts.target IS 'EU, US, France or West.';
COMMENT ON COLUMN alerts.direction IS 'toward_favor or toward_against.';
COMMENT ON COLUMN alerts.status IS 'open, acknowledged or resolved; at most one open alert per actor, target and direction.';
COMMENT ON COLUMN alerts.opened_on IS 'Statement date (publication date) at which the shift was detected.';
COMMENT ON COLUMN alerts.window_start IS 'First statement date of the window compared with the baseline.';
COMMENT ON COLUMN alerts.window_end IS 'Last statement date of the window.';
COMMENT ON COLUMN alerts.baseline IS 'Baseline score compared against.';
COMMENT ON COLUMN alerts.baseline_kind IS 'article (config/baselines.yaml) or history (the actor''s own earlier statements).';
COMMENT ON COLUMN alerts.observed IS 'Mean score of the distinct statements in the window.';
COMMENT ON COLUMN alerts.ci_low IS 'Lower bound of the 90% bootstrap interval of the observed mean.';
COMMENT ON COLUMN alerts.ci_high IS 'Upper bound of the 90% bootstrap interval of the observed mean.';
COMMENT ON COLUMN alerts.n_statements IS 'Distinct statements in the window.';
COMMENT ON COLUMN alerts.n_sources IS 'Distinct feeds (sources) among them.';
COMMENT ON COLUMN alerts.statistic IS 'CUSUM statistic at detection.';
COMMENT ON COLUMN alerts.method IS 'Detector and its parameters.';
COMMENT ON COLUMN alerts.severity IS 'low, medium or high, from the magnitude of the shift.';
COMMENT ON COLUMN alerts.model_id IS 'Model version whose stance rows the alert rests on.';
COMMENT ON COLUMN alerts.evidence_ids IS 'Statement ids behind the alert (statements.id).';
COMMENT ON COLUMN alerts.resolved_on IS 'Statement date at which the series returned to baseline.';
COMMENT ON COLUMN alerts.acknowledged_at IS 'When an analyst acknowledged the alert.';
COMMENT ON COLUMN alerts.created_at IS 'When the row was first written (UTC).';
COMMENT ON COLUMN alerts.updated_at IS 'When the row was last changed (UTC).';

CREATE TABLE alert_deliveries (
    alert_id    VARCHAR NOT NULL,
    event       VARCHAR NOT NULL,
    channel     VARCHAR NOT NULL,
    status      VARCHAR NOT NULL,
    attempts    INTEGER NOT NULL,
    last_error  VARCHAR,
    updated_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (alert_id, event, channel)
);
COMMENT ON TABLE alert_deliveries IS 'Delivery of each alert event to each channel; pending rows are retried on the next run.';
COMMENT ON COLUMN alert_deliveries.alert_id IS 'Alert delivered (alerts.id).';
COMMENT ON COLUMN alert_deliveries.event IS 'opened or resolved.';
COMMENT ON COLUMN alert_deliveries.channel IS 'Channel name: log, jsonl, webhook:<url>, email:<recipients>, apprise:<scheme>; digest deliveries batch one day per channel.';
COMMENT ON COLUMN alert_deliveries.status IS 'pending or sent.';
COMMENT ON COLUMN alert_deliveries.attempts IS 'Delivery attempts so far.';
COMMENT ON COLUMN alert_deliveries.last_error IS 'Last delivery error, if any.';
COMMENT ON COLUMN alert_deliveries.updated_at IS 'When the row last changed (UTC).';

CREATE TABLE labels (
    statement_id VARCHAR NOT NULL,
    label        VARCHAR NOT NULL,
    target       VARCHAR NOT NULL,
    analyst      VARCHAR,
    note         VARCHAR,
    created_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (statement_id)
);
COMMENT ON TABLE labels IS 'Analyst corrections of stance labels, used by monitor train --include-analyst-labels.';
COMMENT ON COLUMN labels.statement_id IS 'Statement corrected (statements.id).';
COMMENT ON COLUMN labels.label IS 'favor, against or none.';
COMMENT ON COLUMN labels.target IS 'EU, US, France, West or none.';
COMMENT ON COLUMN labels.analyst IS 'Who made the correction.';
COMMENT ON COLUMN labels.note IS 'Free-text reason.';
COMMENT ON COLUMN labels.created_at IS 'When the correction was made (UTC).';
