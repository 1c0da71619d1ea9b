-- Monitoring (METHODOLOGY.md, "Monitoring"): the feeds expected to report, and the days on which one did not.
-- A feed is a source × channel × region; expected feeds are seeded from the history and edited by analysts. Small
-- tables written by the monitor, so in a cluster every node keeps a full replica.

CREATE TABLE IF NOT EXISTS monitor_feeds {{on_cluster}} (
    source LowCardinality(String),
    channel LowCardinality(String),
    region LowCardinality(String),
    cadence Enum8('daily' = 1, 'working_days' = 2) COMMENT 'the days it is expected to report: every day, or working days only',
    delay_minutes UInt32 COMMENT 'how long after the end of a day its rows are expected to have arrived',
    active UInt8 DEFAULT 1 COMMENT '0: no longer expected (judged on no day)',
    expected_from Date COMMENT 'the first day it is expected to report',
    origin Enum8('seeded' = 1, 'analyst' = 2),
    updated_by String,
    updated_at DateTime64(6, 'UTC') DEFAULT now64(6)
) ENGINE = {{everywhere:ReplacingMergeTree(updated_at)}}
ORDER BY (source, channel, region);

-- One row per expected feed and day that was judged not on time, and again (state on_time) when it was made good:
-- the days a feed left incomplete, which figures and exports mark as incomplete.
CREATE TABLE IF NOT EXISTS monitor_feed_days {{on_cluster}} (
    day Date,
    source LowCardinality(String),
    channel LowCardinality(String),
    region LowCardinality(String),
    state Enum8('on_time' = 1, 'late' = 2, 'silent' = 3, 'zero' = 4),
    rows UInt64 COMMENT 'rows of the day that had arrived when it was judged',
    completed UInt64,
    judged_at DateTime64(6, 'UTC') DEFAULT now64(6)
) ENGINE = {{everywhere:ReplacingMergeTree(judged_at)}}
ORDER BY (day, region, channel, source);
