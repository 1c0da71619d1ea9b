-- Events: one row per public service delivered or attempted (DESIGN.md, "Data").
-- Dashboard filters are region, channel, service and a date range, so the key leads with them; months
-- partition the data so a date range prunes whole parts. A retried insert of the same rows is dropped by
-- block deduplication (the window below, and insert deduplication tokens from ingest); identical rows that
-- slip past it collapse on merge because event_id ends the sorting key.

CREATE TABLE IF NOT EXISTS events{{local}} {{on_cluster}} (
    event_id String,
    occurred_at DateTime64(3, 'UTC'),
    occurred_on Date MATERIALIZED toDate(occurred_at, '{{timezone}}') COMMENT 'calendar day of the request where it was made',
    service_code LowCardinality(String),
    channel LowCardinality(String),
    assisted_by Enum8('self' = 1, 'staff' = 2, 'volunteer' = 3),
    region LowCardinality(String),
    district LowCardinality(String) DEFAULT '',
    office_id LowCardinality(String) DEFAULT '',
    status Enum8('completed' = 1, 'rejected' = 2, 'cancelled' = 3, 'in_progress' = 4),
    processing_seconds Nullable(UInt32),
    -- Processing time to two significant figures: rollups keep a histogram of these values, so medians
    -- from rollups and from raw events are the same number.
    processing_bucket UInt32 MATERIALIZED multiIf(
        processing_seconds IS NULL, 0,
        processing_seconds < 100, assumeNotNull(processing_seconds),
        processing_seconds < 1000, intDiv(assumeNotNull(processing_seconds) + 5, 10) * 10,
        processing_seconds < 10000, intDiv(assumeNotNull(processing_seconds) + 50, 100) * 100,
        processing_seconds < 100000, intDiv(assumeNotNull(processing_seconds) + 500, 1000) * 1000,
        processing_seconds < 1000000, intDiv(assumeNotNull(processing_seconds) + 5000, 10000) * 10000,
        processing_seconds < 10000000, intDiv(assumeNotNull(processing_seconds) + 50000, 100000) * 100000,
        processing_seconds < 100000000, intDiv(assumeNotNull(processing_seconds) + 500000, 1000000) * 1000000,
        intDiv(assumeNotNull(processing_seconds) + 5000000, 10000000) * 10000000),
    age_band Enum8('<18' = 1, '18-29' = 2, '30-49' = 3, '50-64' = 4, '65+' = 5, 'unknown' = 6),
    gender Enum8('f' = 1, 'm' = 2, 'unknown' = 3),
    applicant_key String COMMENT 'salted hash of the citizen id, never the id',
    satisfaction Nullable(UInt8),
    source LowCardinality(String),
    batch_id String,
    ingested_at DateTime64(3, 'UTC') DEFAULT now64(3)
) ENGINE = {{sharded:ReplacingMergeTree(ingested_at)}}
PARTITION BY toYYYYMM(occurred_on)
PRIMARY KEY (region, channel, service_code, occurred_on)
ORDER BY (region, channel, service_code, occurred_on, event_id)
SETTINGS non_replicated_deduplication_window = 10000;

{{distributed:events:cityHash64(event_id)}};
