-- Alerts (METHODOLOGY.md, "Monitoring"): rules, the alerts they raised (firing, then resolved), the notifications
-- sent, and each evaluation round. Rules and alerts are rows versioned by updated_at: the newest version holds.

CREATE TABLE IF NOT EXISTS monitor_rules {{on_cluster}} (
    id String,
    name String,
    kind Enum8('threshold' = 1, 'change' = 2, 'anomaly' = 3, 'feed' = 4),
    metric LowCardinality(String) COMMENT 'a metric id (threshold, change, anomaly); empty for feed rules',
    scope Map(LowCardinality(String), Array(String)) COMMENT 'filter name -> values, as targets store it',
    window_days UInt16 COMMENT 'threshold and change: the complete days the value is taken over, ending yesterday',
    compare_to Enum8('none' = 0, 'previous' = 1, 'year' = 2) COMMENT 'change: the period before, or the same days a year earlier',
    operator Enum8('above' = 1, 'below' = 2, 'either' = 3),
    value Float64 COMMENT 'threshold: the level; change: the size (relative for counts, absolute for shares)',
    feed_states Array(LowCardinality(String)) COMMENT 'feed rules: the states that raise an alert',
    webhooks Array(String),
    emails Array(String),
    digest Enum8('none' = 0, 'hourly' = 1, 'daily' = 2) COMMENT 'none: a notification each round that changes something',
    repeat_minutes UInt32 COMMENT 'a firing alert not acknowledged is notified again after this long; 0: never',
    lang Enum8('kk' = 1, 'ru' = 2, 'en' = 3) COMMENT 'the language notifications are written in',
    enabled UInt8 DEFAULT 1,
    owner String COMMENT 'the API token whose scope the rule is evaluated in',
    created_at DateTime64(3, 'UTC') DEFAULT now64(3),
    updated_at DateTime64(6, 'UTC') DEFAULT now64(6),
    deleted UInt8 DEFAULT 0
) ENGINE = {{everywhere:ReplacingMergeTree(updated_at, deleted)}}
ORDER BY id;

CREATE TABLE IF NOT EXISTS monitor_alerts {{on_cluster}} (
    id String COMMENT 'the rule, the subject and the moment it started firing',
    rule_id String,
    subject String COMMENT 'what fired: the rule itself, a series (anomaly rules) or a feed (feed rules)',
    labels Map(LowCardinality(String), String) COMMENT 'region, channel, service, source, metric … of the subject',
    state Enum8('firing' = 1, 'resolved' = 2),
    started_at DateTime64(3, 'UTC'),
    resolved_at Nullable(DateTime64(3, 'UTC')),
    resolved_by String COMMENT 'empty when the condition cleared; a token id when a person resolved it',
    day Nullable(Date) COMMENT 'the day the condition is about (anomalies, feed days)',
    value Nullable(Float64),
    expected Nullable(Float64),
    low Nullable(Float64),
    high Nullable(Float64),
    detail String COMMENT 'a sentence on what is wrong, in English (notifications translate from the labels)',
    acknowledged_by String,
    acknowledged_at Nullable(DateTime64(3, 'UTC')),
    silenced_until Nullable(DateTime64(3, 'UTC')),
    notified_at Nullable(DateTime64(3, 'UTC')) COMMENT 'when a notification last named it',
    updated_at DateTime64(6, 'UTC') DEFAULT now64(6)
) ENGINE = {{everywhere:ReplacingMergeTree(updated_at)}}
ORDER BY (rule_id, id);

CREATE TABLE IF NOT EXISTS monitor_deliveries {{on_cluster}} (
    rule_id String,
    via Enum8('webhook' = 1, 'email' = 2),
    target String COMMENT 'the URL or address',
    kind Enum8('alerts' = 1, 'digest' = 2, 'test' = 3),
    alert_ids Array(String),
    ok UInt8,
    error String,
    sent_at DateTime64(3, 'UTC') DEFAULT now64(3)
) ENGINE = {{everywhere:MergeTree}}
ORDER BY (rule_id, sent_at)
TTL toDateTime(sent_at) + INTERVAL 400 DAY;

CREATE TABLE IF NOT EXISTS monitor_rounds {{on_cluster}} (
    started_at DateTime64(3, 'UTC'),
    milliseconds UInt32,
    rules UInt32,
    firing UInt32,
    fired UInt32 COMMENT 'alerts that started firing in the round',
    resolved UInt32,
    errors Array(String) COMMENT 'rules that could not be evaluated, and why',
    worker String COMMENT 'host:pid of the process that evaluated'
) ENGINE = {{everywhere:MergeTree}}
ORDER BY started_at
TTL toDateTime(started_at) + INTERVAL 30 DAY;
