-- Reference tables: regions, channels, the service register and its categories and agencies.
-- Reference tables are small and read by every query, so in a cluster each node keeps a full replica.

CREATE TABLE IF NOT EXISTS regions {{on_cluster}} (
    kato LowCardinality(String) COMMENT 'first-level KATO code, the region code used in events',
    iso String,
    name_en String,
    name_ru String,
    name_kk String,
    kind LowCardinality(String) COMMENT 'region or city',
    centre_en String,
    valid_from Nullable(Date) COMMENT 'the day the region began; events before it belong to split_from_kato',
    valid_to Nullable(Date) COMMENT 'the last day of a region that was abolished',
    split_from_kato LowCardinality(String) DEFAULT '',
    population UInt32,
    population_as_of Date,
    population_source String,
    updated_at DateTime64(3, 'UTC') DEFAULT now64(3)
) ENGINE = {{everywhere:ReplacingMergeTree(updated_at)}}
ORDER BY kato;

CREATE TABLE IF NOT EXISTS channels {{on_cluster}} (
    code LowCardinality(String),
    kind Enum8('online' = 1, 'offline' = 2),
    name_en String,
    name_ru String,
    name_kk String,
    sort_order UInt8,
    updated_at DateTime64(3, 'UTC') DEFAULT now64(3)
) ENGINE = {{everywhere:ReplacingMergeTree(updated_at)}}
ORDER BY code;

CREATE TABLE IF NOT EXISTS service_categories {{on_cluster}} (
    code LowCardinality(String),
    name_kk String,
    name_ru String,
    name_en String,
    updated_at DateTime64(3, 'UTC') DEFAULT now64(3)
) ENGINE = {{everywhere:ReplacingMergeTree(updated_at)}}
ORDER BY code;

CREATE TABLE IF NOT EXISTS agencies {{on_cluster}} (
    code LowCardinality(String),
    name_kk String,
    name_ru String,
    name_en String,
    updated_at DateTime64(3, 'UTC') DEFAULT now64(3)
) ENGINE = {{everywhere:ReplacingMergeTree(updated_at)}}
ORDER BY code;

CREATE TABLE IF NOT EXISTS services {{on_cluster}} (
    code LowCardinality(String),
    name_kk String,
    name_ru String,
    name_en String,
    category LowCardinality(String),
    agency LowCardinality(String),
    online_since Nullable(Date) COMMENT 'first day the service could be received online; NULL while it cannot',
    updated_at DateTime64(3, 'UTC') DEFAULT now64(3)
) ENGINE = {{everywhere:ReplacingMergeTree(updated_at)}}
ORDER BY code;

CREATE TABLE IF NOT EXISTS targets {{on_cluster}} (
    id String,
    metric LowCardinality(String),
    filters String DEFAULT '{}' COMMENT 'the scope, in the API filter language (JSON)',
    value Float64,
    due_date Date,
    title_kk String,
    title_ru String,
    title_en String,
    created_by String DEFAULT '',
    updated_at DateTime64(3, 'UTC') DEFAULT now64(3),
    deleted UInt8 DEFAULT 0
) ENGINE = {{everywhere:ReplacingMergeTree(updated_at, deleted)}}
ORDER BY id;
