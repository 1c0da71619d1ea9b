-- API tokens (stored as hashes, never in clear) and published indicators with their frozen, versioned values.

CREATE TABLE IF NOT EXISTS api_tokens {{on_cluster}} (
    id String,
    name String,
    role Enum8('analyst' = 1, 'regional' = 2, 'ingest' = 3),
    regions Array(LowCardinality(String)) COMMENT 'KATO codes a regional token sees in full detail',
    token_sha256 String COMMENT 'hex SHA-256 of the secret; the secret itself is shown once and not kept',
    created_at DateTime64(3, 'UTC') DEFAULT now64(3),
    revoked UInt8 DEFAULT 0,
    updated_at DateTime64(3, 'UTC') DEFAULT now64(3)
) ENGINE = {{everywhere:ReplacingMergeTree(updated_at)}}
ORDER BY id;

CREATE TABLE IF NOT EXISTS indicators {{on_cluster}} (
    id String,
    metric LowCardinality(String),
    filters String COMMENT 'the scope, in the API filter language (JSON)',
    interval LowCardinality(String),
    title_kk String,
    title_ru String,
    title_en String,
    methodology_kk String,
    methodology_ru String,
    methodology_en String,
    created_by String,
    updated_at DateTime64(3, 'UTC') DEFAULT now64(3),
    deleted UInt8 DEFAULT 0
) ENGINE = {{everywhere:ReplacingMergeTree(updated_at, deleted)}}
ORDER BY id;

-- Publishing freezes the indicator's definition and values as a new version; versions are never changed.
CREATE TABLE IF NOT EXISTS indicator_versions {{on_cluster}} (
    indicator_id String,
    version UInt32,
    published_at DateTime64(3, 'UTC') DEFAULT now64(3),
    published_by String,
    definition String COMMENT 'the indicator as published (JSON)',
    note_kk String COMMENT 'what changed since the previous version',
    note_ru String,
    note_en String
) ENGINE = {{everywhere:ReplacingMergeTree(published_at)}}
ORDER BY (indicator_id, version);

CREATE TABLE IF NOT EXISTS indicator_values {{on_cluster}} (
    indicator_id String,
    version UInt32,
    period Date,
    value Nullable(Float64),
    ci_low Nullable(Float64),
    ci_high Nullable(Float64),
    transactions UInt64,
    suppressed UInt8
) ENGINE = {{everywhere:ReplacingMergeTree}}
ORDER BY (indicator_id, version, period);
