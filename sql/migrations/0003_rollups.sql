-- Rollups: the dashboard's questions answered from pre-aggregated tables, kept current by materialized views.
-- Every rollup carries the same additive measures, so one metric formula reads any of them (sql/src/rollups.ts
-- lists their dimensions for the query planner). Completed online counts use the channel's kind at insert time.
-- Processing-time histograms cost the most to keep, so only the rollups by channel and by service keep them.

-- Overview, Channels and Regions: every day by region, channel and assistance.
CREATE TABLE IF NOT EXISTS rollup_daily{{local}} {{on_cluster}} (
    day Date,
    region LowCardinality(String),
    channel LowCardinality(String),
    assisted_by Enum8('self' = 1, 'staff' = 2, 'volunteer' = 3),
    transactions SimpleAggregateFunction(sum, UInt64),
    completed SimpleAggregateFunction(sum, UInt64),
    rejected SimpleAggregateFunction(sum, UInt64),
    cancelled SimpleAggregateFunction(sum, UInt64),
    completed_online SimpleAggregateFunction(sum, UInt64),
    completed_online_self SimpleAggregateFunction(sum, UInt64),
    satisfaction_sum SimpleAggregateFunction(sum, UInt64),
    satisfaction_count SimpleAggregateFunction(sum, UInt64),
    processing_hist SimpleAggregateFunction(sumMap, Tuple(Array(UInt32), Array(UInt64)))
) ENGINE = {{sharded:AggregatingMergeTree}}
PARTITION BY toYear(day)
ORDER BY (day, region, channel, assisted_by);

CREATE MATERIALIZED VIEW IF NOT EXISTS rollup_daily_mv{{local}} {{on_cluster}} TO rollup_daily{{local}} AS
WITH (SELECT groupArray(code) FROM {{database}}.channels FINAL WHERE kind = 'online') AS online_channels
SELECT
    occurred_on AS day,
    region, channel, assisted_by,
    count() AS transactions,
    countIf(status = 'completed') AS completed,
    countIf(status = 'rejected') AS rejected,
    countIf(status = 'cancelled') AS cancelled,
    countIf(status = 'completed' AND has(online_channels, channel)) AS completed_online,
    countIf(status = 'completed' AND has(online_channels, channel) AND assisted_by = 'self') AS completed_online_self,
    sum(toUInt64(ifNull(satisfaction, 0))) AS satisfaction_sum,
    countIf(satisfaction IS NOT NULL) AS satisfaction_count,
    sumMapIf([processing_bucket], [toUInt64(1)], status = 'completed' AND processing_seconds IS NOT NULL) AS processing_hist
FROM events{{local}}
GROUP BY day, region, channel, assisted_by;

{{distributed:rollup_daily:rand()}};

-- Overview, Channels and Regions over months: the same by month, a thirtieth of the rows.
CREATE TABLE IF NOT EXISTS rollup_monthly{{local}} {{on_cluster}} (
    month Date,
    region LowCardinality(String),
    channel LowCardinality(String),
    assisted_by Enum8('self' = 1, 'staff' = 2, 'volunteer' = 3),
    transactions SimpleAggregateFunction(sum, UInt64),
    completed SimpleAggregateFunction(sum, UInt64),
    rejected SimpleAggregateFunction(sum, UInt64),
    cancelled SimpleAggregateFunction(sum, UInt64),
    completed_online SimpleAggregateFunction(sum, UInt64),
    completed_online_self SimpleAggregateFunction(sum, UInt64),
    satisfaction_sum SimpleAggregateFunction(sum, UInt64),
    satisfaction_count SimpleAggregateFunction(sum, UInt64),
    processing_hist SimpleAggregateFunction(sumMap, Tuple(Array(UInt32), Array(UInt64)))
) ENGINE = {{sharded:AggregatingMergeTree}}
PARTITION BY toYear(month)
ORDER BY (month, region, channel, assisted_by);

-- Fed by the daily rollup's inserts rather than by events: it aggregates a few hundred rows a day, not every event.
CREATE MATERIALIZED VIEW IF NOT EXISTS rollup_monthly_mv{{local}} {{on_cluster}} TO rollup_monthly{{local}} AS
SELECT
    toStartOfMonth(day) AS month,
    region, channel, assisted_by,
    sum(transactions) AS transactions,
    sum(completed) AS completed,
    sum(rejected) AS rejected,
    sum(cancelled) AS cancelled,
    sum(completed_online) AS completed_online,
    sum(completed_online_self) AS completed_online_self,
    sum(satisfaction_sum) AS satisfaction_sum,
    sum(satisfaction_count) AS satisfaction_count,
    sumMap(processing_hist) AS processing_hist
FROM rollup_daily{{local}}
GROUP BY month, region, channel, assisted_by;

{{distributed:rollup_monthly:rand()}};

-- People: months by region, channel, assistance, age band and gender.
CREATE TABLE IF NOT EXISTS rollup_people_monthly{{local}} {{on_cluster}} (
    month Date,
    region LowCardinality(String),
    channel LowCardinality(String),
    assisted_by Enum8('self' = 1, 'staff' = 2, 'volunteer' = 3),
    age_band Enum8('<18' = 1, '18-29' = 2, '30-49' = 3, '50-64' = 4, '65+' = 5, 'unknown' = 6),
    gender Enum8('f' = 1, 'm' = 2, 'unknown' = 3),
    transactions SimpleAggregateFunction(sum, UInt64),
    completed SimpleAggregateFunction(sum, UInt64),
    rejected SimpleAggregateFunction(sum, UInt64),
    cancelled SimpleAggregateFunction(sum, UInt64),
    completed_online SimpleAggregateFunction(sum, UInt64),
    completed_online_self SimpleAggregateFunction(sum, UInt64),
    satisfaction_sum SimpleAggregateFunction(sum, UInt64),
    satisfaction_count SimpleAggregateFunction(sum, UInt64)
) ENGINE = {{sharded:AggregatingMergeTree}}
PARTITION BY toYear(month)
ORDER BY (month, region, age_band, gender, channel, assisted_by);

CREATE MATERIALIZED VIEW IF NOT EXISTS rollup_people_monthly_mv{{local}} {{on_cluster}} TO rollup_people_monthly{{local}} AS
WITH (SELECT groupArray(code) FROM {{database}}.channels FINAL WHERE kind = 'online') AS online_channels
SELECT
    toStartOfMonth(occurred_on) AS month,
    region, channel, assisted_by, age_band, gender,
    count() AS transactions,
    countIf(status = 'completed') AS completed,
    countIf(status = 'rejected') AS rejected,
    countIf(status = 'cancelled') AS cancelled,
    countIf(status = 'completed' AND has(online_channels, channel)) AS completed_online,
    countIf(status = 'completed' AND has(online_channels, channel) AND assisted_by = 'self') AS completed_online_self,
    sum(toUInt64(ifNull(satisfaction, 0))) AS satisfaction_sum,
    countIf(satisfaction IS NOT NULL) AS satisfaction_count
FROM events{{local}}
GROUP BY month, region, channel, assisted_by, age_band, gender;

{{distributed:rollup_people_monthly:rand()}};

-- Services nationally: months by service, channel and assistance.
CREATE TABLE IF NOT EXISTS rollup_service_monthly{{local}} {{on_cluster}} (
    month Date,
    service_code LowCardinality(String),
    channel LowCardinality(String),
    assisted_by Enum8('self' = 1, 'staff' = 2, 'volunteer' = 3),
    transactions SimpleAggregateFunction(sum, UInt64),
    completed SimpleAggregateFunction(sum, UInt64),
    rejected SimpleAggregateFunction(sum, UInt64),
    cancelled SimpleAggregateFunction(sum, UInt64),
    completed_online SimpleAggregateFunction(sum, UInt64),
    completed_online_self SimpleAggregateFunction(sum, UInt64),
    satisfaction_sum SimpleAggregateFunction(sum, UInt64),
    satisfaction_count SimpleAggregateFunction(sum, UInt64),
    processing_hist SimpleAggregateFunction(sumMap, Tuple(Array(UInt32), Array(UInt64)))
) ENGINE = {{sharded:AggregatingMergeTree}}
PARTITION BY toYear(month)
ORDER BY (month, service_code, channel, assisted_by);

CREATE MATERIALIZED VIEW IF NOT EXISTS rollup_service_monthly_mv{{local}} {{on_cluster}} TO rollup_service_monthly{{local}} AS
WITH (SELECT groupArray(code) FROM {{database}}.channels FINAL WHERE kind = 'online') AS online_channels
SELECT
    toStartOfMonth(occurred_on) AS month,
    service_code, channel, assisted_by,
    count() AS transactions,
    countIf(status = 'completed') AS completed,
    countIf(status = 'rejected') AS rejected,
    countIf(status = 'cancelled') AS cancelled,
    countIf(status = 'completed' AND has(online_channels, channel)) AS completed_online,
    countIf(status = 'completed' AND has(online_channels, channel) AND assisted_by = 'self') AS completed_online_self,
    sum(toUInt64(ifNull(satisfaction, 0))) AS satisfaction_sum,
    countIf(satisfaction IS NOT NULL) AS satisfaction_count,
    sumMapIf([processing_bucket], [toUInt64(1)], status = 'completed' AND processing_seconds IS NOT NULL) AS processing_hist
FROM events{{local}}
GROUP BY month, service_code, channel, assisted_by;

{{distributed:rollup_service_monthly:rand()}};

-- Services within regions: months by region and service.
CREATE TABLE IF NOT EXISTS rollup_region_service_monthly{{local}} {{on_cluster}} (
    month Date,
    region LowCardinality(String),
    service_code LowCardinality(String),
    transactions SimpleAggregateFunction(sum, UInt64),
    completed SimpleAggregateFunction(sum, UInt64),
    rejected SimpleAggregateFunction(sum, UInt64),
    cancelled SimpleAggregateFunction(sum, UInt64),
    completed_online SimpleAggregateFunction(sum, UInt64),
    completed_online_self SimpleAggregateFunction(sum, UInt64),
    satisfaction_sum SimpleAggregateFunction(sum, UInt64),
    satisfaction_count SimpleAggregateFunction(sum, UInt64)
) ENGINE = {{sharded:AggregatingMergeTree}}
PARTITION BY toYear(month)
ORDER BY (region, month, service_code);

CREATE MATERIALIZED VIEW IF NOT EXISTS rollup_region_service_monthly_mv{{local}} {{on_cluster}} TO rollup_region_service_monthly{{local}} AS
WITH (SELECT groupArray(code) FROM {{database}}.channels FINAL WHERE kind = 'online') AS online_channels
SELECT
    toStartOfMonth(occurred_on) AS month,
    region, service_code,
    count() AS transactions,
    countIf(status = 'completed') AS completed,
    countIf(status = 'rejected') AS rejected,
    countIf(status = 'cancelled') AS cancelled,
    countIf(status = 'completed' AND has(online_channels, channel)) AS completed_online,
    countIf(status = 'completed' AND has(online_channels, channel) AND assisted_by = 'self') AS completed_online_self,
    sum(toUInt64(ifNull(satisfaction, 0))) AS satisfaction_sum,
    countIf(satisfaction IS NOT NULL) AS satisfaction_count
FROM events{{local}}
GROUP BY month, region, service_code;

{{distributed:rollup_region_service_monthly:rand()}};
