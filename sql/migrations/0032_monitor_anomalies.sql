-- Anomalies found by the detector (METHODOLOGY.md, "Anomalies"), and annotations of charts: analysts' own (reforms,
-- outages, campaigns), some of them breaks the detector's baseline must not reach across.

-- One row per series and day judged anomalous, and again (cleared = 1) if a later judgement of the day found it normal.
CREATE TABLE IF NOT EXISTS monitor_anomalies {{on_cluster}} (
    metric Enum8('requests' = 1, 'online_request_share' = 2) COMMENT 'requests recorded (any status), and the share of them made online',
    region LowCardinality(String) COMMENT 'empty: every region',
    channel LowCardinality(String) COMMENT 'empty: every channel',
    service LowCardinality(String) COMMENT 'empty: every service',
    day Date COMMENT 'the day judged, or the last day of a run judged together',
    days UInt8 DEFAULT 1 COMMENT '1, or the length of the run of days judged together',
    value Float64 COMMENT 'the count (a run: their sum) or the share (a run: pooled)',
    expected Float64,
    low Float64 COMMENT 'the normal range around the expected value',
    high Float64,
    score Float64 COMMENT '(value − expected) ÷ the robust spread',
    base Float64 COMMENT 'requests recorded on the day (shares) or expected (volumes)',
    cleared UInt8 DEFAULT 0,
    detected_at DateTime64(6, 'UTC') DEFAULT now64(6)
) ENGINE = {{everywhere:ReplacingMergeTree(detected_at)}}
ORDER BY (day, metric, region, channel, service, days);

CREATE TABLE IF NOT EXISTS monitor_annotations {{on_cluster}} (
    id String,
    day_from Date,
    day_to Date,
    kind Enum8('reform' = 1, 'outage' = 2, 'campaign' = 3, 'other' = 4),
    is_break UInt8 COMMENT '1: a structural break; anomaly baselines do not reach across it',
    scope Map(LowCardinality(String), Array(String)) COMMENT 'region, channel, service it concerns; empty: everything',
    title_kk String,
    title_ru String,
    title_en String,
    created_by String,
    updated_at DateTime64(6, 'UTC') DEFAULT now64(6),
    deleted UInt8 DEFAULT 0
) ENGINE = {{everywhere:ReplacingMergeTree(updated_at, deleted)}}
ORDER BY id;
