-- Ingest: the batch ledger, quarantined rows, the staging area between parsing and publishing, and freshness.
-- A batch is parsed and validated by the engine into ingest_stage, invalid rows go to quarantine, and valid rows
-- are published to events in buckets of event_id hashes, each INSERT with a deduplication token derived from the
-- batch (ingest/README.md, "Exactly once").

-- A retried INSERT into events with the same token is dropped by events and re-sent to its views
-- (deduplicate_blocks_in_dependent_materialized_views), so each rollup needs a deduplication window of its own.
ALTER TABLE rollup_daily{{local}} {{on_cluster}} MODIFY SETTING non_replicated_deduplication_window = 10000;
ALTER TABLE rollup_monthly{{local}} {{on_cluster}} MODIFY SETTING non_replicated_deduplication_window = 10000;
ALTER TABLE rollup_people_monthly{{local}} {{on_cluster}} MODIFY SETTING non_replicated_deduplication_window = 10000;
ALTER TABLE rollup_service_monthly{{local}} {{on_cluster}} MODIFY SETTING non_replicated_deduplication_window = 10000;
ALTER TABLE rollup_region_service_monthly{{local}} {{on_cluster}} MODIFY SETTING non_replicated_deduplication_window = 10000;

-- The ledger: one row per batch (a file or an HTTP push), a new version of it at every change of state.
CREATE TABLE IF NOT EXISTS ingest_batches {{on_cluster}} (
    batch_id String COMMENT 'derived from the source and the content hash, so the same file is the same batch',
    source LowCardinality(String),
    file String,
    content_sha256 String,
    format LowCardinality(String),
    size_bytes UInt64,
    state Enum8('staging' = 1, 'publishing' = 2, 'done' = 3, 'failed' = 4),
    rows UInt64 COMMENT 'data rows read from the file',
    valid UInt64,
    loaded UInt64 COMMENT 'rows of this batch now in events',
    duplicates_in_batch UInt64,
    duplicates_existing UInt64,
    quarantined UInt64,
    reasons Map(String, UInt64) COMMENT 'quarantined rows by reason',
    buckets UInt32,
    buckets_done UInt32,
    -- The events table's highest block number when the bucket in flight began: tells whether its
    -- deduplication token is still inside the window on resume.
    bucket_block_mark UInt64,
    min_occurred_at Nullable(DateTime64(3, 'UTC')),
    max_occurred_at Nullable(DateTime64(3, 'UTC')),
    error String,
    started_at DateTime64(3, 'UTC'),
    finished_at Nullable(DateTime64(3, 'UTC')),
    updated_at DateTime64(6, 'UTC') DEFAULT now64(6)
) ENGINE = {{everywhere:ReplacingMergeTree(updated_at)}}
ORDER BY batch_id;

-- Rows that failed validation, with every reason; a batch quarantined again collapses on (batch_id, row_number).
CREATE TABLE IF NOT EXISTS quarantine{{local}} {{on_cluster}} (
    batch_id String,
    source LowCardinality(String),
    file String,
    row_number UInt64 COMMENT 'data row in the file, from 1 after the header (NDJSON: the line)',
    raw String COMMENT 'the row as read (fields by column name, or the JSON line), cut at 64 KiB',
    reasons Array(LowCardinality(String)),
    quarantined_at DateTime64(3, 'UTC') DEFAULT now64(3)
) ENGINE = {{sharded:ReplacingMergeTree(quarantined_at)}}
ORDER BY (batch_id, row_number);

{{distributed:quarantine:cityHash64(batch_id)}};

-- Parsed and validated rows of batches in progress, one partition per batch, dropped when the batch is done.
-- (row_number is unique in a batch, so Replacing never collapses anything: it is the engine that has a
-- replicated variant for a cluster, where every node keeps the batches it stages.)
CREATE TABLE IF NOT EXISTS ingest_stage {{on_cluster}} (
    batch_id String,
    row_number UInt64,
    bucket UInt16,
    valid Bool,
    event_id String,
    occurred_at DateTime64(3, 'UTC'),
    service_code LowCardinality(String),
    channel LowCardinality(String),
    assisted_by LowCardinality(String),
    region LowCardinality(String),
    district LowCardinality(String),
    office_id LowCardinality(String),
    status LowCardinality(String),
    processing_seconds Nullable(UInt32),
    age_band LowCardinality(String),
    gender LowCardinality(String),
    applicant_key String,
    satisfaction Nullable(UInt8),
    source LowCardinality(String),
    reasons Array(LowCardinality(String)),
    raw String
) ENGINE = {{everywhere:ReplacingMergeTree}}
PARTITION BY batch_id
ORDER BY (bucket, valid, event_id, row_number);

-- Freshness per source, region and channel (last event, last load) without scanning events.
CREATE TABLE IF NOT EXISTS rollup_ingest_freshness{{local}} {{on_cluster}} (
    source LowCardinality(String),
    region LowCardinality(String),
    channel LowCardinality(String),
    last_event_at SimpleAggregateFunction(max, DateTime64(3, 'UTC')),
    last_loaded_at SimpleAggregateFunction(max, DateTime64(3, 'UTC')),
    events SimpleAggregateFunction(sum, UInt64)
) ENGINE = {{sharded:AggregatingMergeTree}}
ORDER BY (source, region, channel)
SETTINGS non_replicated_deduplication_window = 10000;

CREATE MATERIALIZED VIEW IF NOT EXISTS rollup_ingest_freshness_mv{{local}} {{on_cluster}} TO rollup_ingest_freshness{{local}} AS
SELECT
    source, region, channel,
    max(occurred_at) AS last_event_at,
    max(ingested_at) AS last_loaded_at,
    count() AS events
FROM events{{local}}
GROUP BY source, region, channel;

{{distributed:rollup_ingest_freshness:rand()}};
