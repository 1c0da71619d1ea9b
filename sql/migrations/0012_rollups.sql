-- Rollups that cost little per inserted row: the rollups of 0003_rollups.sql, rebuilt and backfilled from events.
-- The same tables and measures (sql/src/rollups.ts lists them for the query planner), computed more cheaply:
-- * processing times are rounded to 6 significant binary digits (at most 1/64 off, exact below 64 s) and each
--   group's histogram is built from its sorted values once per block, not merged row by row (sumMap per row was
--   the largest part of the insert path's CPU);
-- * online channels are matched with IN (a set applied to the LowCardinality dictionary), not has() per row;
-- * no partitions: a block of events spanning years wrote a part per year to every rollup, and part files cost
--   more than the rows in them. Rollups stay small (days or months by a few dimensions), so one partition serves.
-- The daily rollup is the fine-grained one of its family and the monthly rollup is derived from its aggregated
-- blocks. The other three are fed by events directly: a pre-aggregate holding all their dimensions has about as
-- many rows as the events it comes from (943,018 by day for 1,000,000 demo events, bench/results/rollups-*.md),
-- so deriving them from it would cost more than aggregating events once more.
-- Backfilled from events here, so an existing store keeps its history (the store is quiet while migrating).
-- The views run with their creator's rights (0016_view_security.sql), so that an insert-only user feeds them.

DROP VIEW IF EXISTS rollup_monthly_mv{{local}} {{on_cluster}};
DROP VIEW IF EXISTS rollup_daily_mv{{local}} {{on_cluster}};
DROP VIEW IF EXISTS rollup_people_monthly_mv{{local}} {{on_cluster}};
DROP VIEW IF EXISTS rollup_service_monthly_mv{{local}} {{on_cluster}};
DROP VIEW IF EXISTS rollup_region_service_monthly_mv{{local}} {{on_cluster}};

-- In a cluster the first of each pair drops the Distributed table and the second the shard's table.
DROP TABLE IF EXISTS rollup_daily {{on_cluster}};
DROP TABLE IF EXISTS rollup_daily{{local}} {{on_cluster}};
DROP TABLE IF EXISTS rollup_monthly {{on_cluster}};
DROP TABLE IF EXISTS rollup_monthly{{local}} {{on_cluster}};
DROP TABLE IF EXISTS rollup_people_monthly {{on_cluster}};
DROP TABLE IF EXISTS rollup_people_monthly{{local}} {{on_cluster}};
DROP TABLE IF EXISTS rollup_service_monthly {{on_cluster}};
DROP TABLE IF EXISTS rollup_service_monthly{{local}} {{on_cluster}};
DROP TABLE IF EXISTS rollup_region_service_monthly {{on_cluster}};
DROP TABLE IF EXISTS rollup_region_service_monthly{{local}} {{on_cluster}};

-- The rounded processing time lived in events for the old histograms; every insert computed it for nothing now.
ALTER TABLE events {{on_cluster}} DROP COLUMN IF EXISTS processing_bucket;
ALTER TABLE events{{local}} {{on_cluster}} DROP COLUMN IF EXISTS processing_bucket;

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
    processing_hist SimpleAggregateFunction(sumMap, Tuple(Array(UInt64), Array(UInt64)))
        COMMENT 'rounded processing times of completed transactions (sorted) and how many had each'
) ENGINE = {{sharded:AggregatingMergeTree}}
ORDER BY (day, region, channel, assisted_by)
SETTINGS non_replicated_deduplication_window = 10000;

-- The inner query computes a group's measures and its sorted rounded processing times; the outer one turns those
-- times into the histogram. (Each view repeats the measures: views cannot share SQL text.)
CREATE MATERIALIZED VIEW IF NOT EXISTS rollup_daily_mv{{local}} {{on_cluster}} TO rollup_daily{{local}} SQL SECURITY DEFINER AS
-- Run lengths of the sorted times: each time is compared with the next (the arrays are zipped, not indexed from
-- inside a lambda, which would copy the array for every element), then the positions where runs end are differenced.
WITH
    length(times) AS n,
    arrayMap((time, next, i) -> i = n OR time != next, times, arrayResize(arrayPopFront(times), n), arrayEnumerate(times)) AS last_of_run,
    arrayFilter((i, last) -> last, arrayEnumerate(times), last_of_run) AS run_ends
SELECT
    day, region, channel, assisted_by,
    transactions, completed, rejected, cancelled, completed_online, completed_online_self,
    satisfaction_sum, satisfaction_count,
    (arrayFilter((time, last) -> last, times, last_of_run),
     CAST(arrayPopFront(arrayDifference(arrayPushFront(run_ends, 0))) AS Array(UInt64))) AS processing_hist
FROM (
    SELECT
        occurred_on AS day,
        region, channel, assisted_by,
        count() AS transactions,
        countIf(status = 'completed') AS completed,
        countIf(status = 'rejected') AS rejected,
        countIf(status = 'cancelled') AS cancelled,
        countIf(status = 'completed' AND channel IN (SELECT code FROM {{database}}.channels FINAL WHERE kind = 'online')) AS completed_online,
        countIf(status = 'completed' AND channel IN (SELECT code FROM {{database}}.channels FINAL WHERE kind = 'online') AND assisted_by = 'self') AS completed_online_self,
        sum(toUInt64(ifNull(satisfaction, 0))) AS satisfaction_sum,
        countIf(satisfaction IS NOT NULL) AS satisfaction_count,
        arraySort(groupArrayIf(
            toUInt64(reinterpretAsFloat64(bitAnd(reinterpretAsUInt64(toFloat64(assumeNotNull(processing_seconds))) + 70368744177664, 18446603336221196288))),
            status = 'completed' AND processing_seconds IS NOT NULL)) AS times
    FROM events{{local}}
    GROUP BY day, region, channel, assisted_by
);

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
    processing_hist SimpleAggregateFunction(sumMap, Tuple(Array(UInt64), Array(UInt64)))
) ENGINE = {{sharded:AggregatingMergeTree}}
ORDER BY (month, region, channel, assisted_by)
SETTINGS non_replicated_deduplication_window = 10000;

-- Derived from the daily rollup's aggregated blocks rather than from events. The days' histograms are gathered
-- and summed once per month group: summing them row by row (sumMap) cost four times as much.
CREATE MATERIALIZED VIEW IF NOT EXISTS rollup_monthly_mv{{local}} {{on_cluster}} TO rollup_monthly{{local}} SQL SECURITY DEFINER AS
SELECT
    month, region, channel, assisted_by,
    transactions, completed, rejected, cancelled, completed_online, completed_online_self,
    satisfaction_sum, satisfaction_count,
    arrayReduce('sumMap', [arrayFlatten(day_times)], [arrayFlatten(day_counts)]) AS processing_hist
FROM (
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
        groupArray(processing_hist.1) AS day_times,
        groupArray(processing_hist.2) AS day_counts
    FROM rollup_daily{{local}}
    GROUP BY month, region, channel, assisted_by
);

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
ORDER BY (month, region, age_band, gender, channel, assisted_by)
SETTINGS non_replicated_deduplication_window = 10000;

CREATE MATERIALIZED VIEW IF NOT EXISTS rollup_people_monthly_mv{{local}} {{on_cluster}} TO rollup_people_monthly{{local}} SQL SECURITY DEFINER AS
SELECT
    toStartOfMonth(occurred_on) AS month,
    region, channel, assisted_by, age_band, gender,
    count() AS transactions,
    countIf(status = 'completed') AS completed,
    countIf(status = 'rejected') AS rejected,
    countIf(status = 'cancelled') AS cancelled,
    countIf(status = 'completed' AND channel IN (SELECT code FROM {{database}}.channels FINAL WHERE kind = 'online')) AS completed_online,
    countIf(status = 'completed' AND channel IN (SELECT code FROM {{database}}.channels FINAL WHERE kind = 'online') AND assisted_by = 'self') AS completed_online_self,
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
    processing_hist SimpleAggregateFunction(sumMap, Tuple(Array(UInt64), Array(UInt64)))
) ENGINE = {{sharded:AggregatingMergeTree}}
ORDER BY (month, service_code, channel, assisted_by)
SETTINGS non_replicated_deduplication_window = 10000;

CREATE MATERIALIZED VIEW IF NOT EXISTS rollup_service_monthly_mv{{local}} {{on_cluster}} TO rollup_service_monthly{{local}} SQL SECURITY DEFINER AS
WITH
    length(times) AS n,
    arrayMap((time, next, i) -> i = n OR time != next, times, arrayResize(arrayPopFront(times), n), arrayEnumerate(times)) AS last_of_run,
    arrayFilter((i, last) -> last, arrayEnumerate(times), last_of_run) AS run_ends
SELECT
    month, service_code, channel, assisted_by,
    transactions, completed, rejected, cancelled, completed_online, completed_online_self,
    satisfaction_sum, satisfaction_count,
    (arrayFilter((time, last) -> last, times, last_of_run),
     CAST(arrayPopFront(arrayDifference(arrayPushFront(run_ends, 0))) AS Array(UInt64))) AS processing_hist
FROM (
    SELECT
        toStartOfMonth(occurred_on) AS month,
        service_code, channel, assisted_by,
        count() AS transactions,
        countIf(status = 'completed') AS completed,
        countIf(status = 'rejected') AS rejected,
        countIf(status = 'cancelled') AS cancelled,
        countIf(status = 'completed' AND channel IN (SELECT code FROM {{database}}.channels FINAL WHERE kind = 'online')) AS completed_online,
        countIf(status = 'completed' AND channel IN (SELECT code FROM {{database}}.channels FINAL WHERE kind = 'online') AND assisted_by = 'self') AS completed_online_self,
        sum(toUInt64(ifNull(satisfaction, 0))) AS satisfaction_sum,
        countIf(satisfaction IS NOT NULL) AS satisfaction_count,
        arraySort(groupArrayIf(
            toUInt64(reinterpretAsFloat64(bitAnd(reinterpretAsUInt64(toFloat64(assumeNotNull(processing_seconds))) + 70368744177664, 18446603336221196288))),
            status = 'completed' AND processing_seconds IS NOT NULL)) AS times
    FROM events{{local}}
    GROUP BY month, service_code, channel, assisted_by
);

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
ORDER BY (region, month, service_code)
SETTINGS non_replicated_deduplication_window = 10000;

CREATE MATERIALIZED VIEW IF NOT EXISTS rollup_region_service_monthly_mv{{local}} {{on_cluster}} TO rollup_region_service_monthly{{local}} SQL SECURITY DEFINER AS
SELECT
    toStartOfMonth(occurred_on) AS month,
    region, service_code,
    count() AS transactions,
    countIf(status = 'completed') AS completed,
    countIf(status = 'rejected') AS rejected,
    countIf(status = 'cancelled') AS cancelled,
    countIf(status = 'completed' AND channel IN (SELECT code FROM {{database}}.channels FINAL WHERE kind = 'online')) AS completed_online,
    countIf(status = 'completed' AND channel IN (SELECT code FROM {{database}}.channels FINAL WHERE kind = 'online') AND assisted_by = 'self') AS completed_online_self,
    sum(toUInt64(ifNull(satisfaction, 0))) AS satisfaction_sum,
    countIf(satisfaction IS NOT NULL) AS satisfaction_count
FROM events{{local}}
GROUP BY month, region, service_code;

{{distributed:rollup_region_service_monthly:rand()}};

-- Backfill from every stored event: where DDL runs once ON CLUSTER, through the Distributed tables to every shard;
-- where each node migrates itself, from the node's own events into its own rollups (the rows marker, migrate.ts).
-- Histograms here are summed per row (sumMapIf): slower than the views' way, but memory is bounded by the distinct
-- times, not by the events. The monthly rollup fills from the daily one through its view. Tokens make a retried
-- statement a no-op; rows come grouped, so they are not merged again on insert.
INSERT INTO {{rows:rollup_daily}} (day, region, channel, assisted_by, transactions, completed, rejected, cancelled, completed_online, completed_online_self, satisfaction_sum, satisfaction_count, processing_hist)
SETTINGS insert_deduplication_token = '0012_rollups:rollup_daily', deduplicate_blocks_in_dependent_materialized_views = 1,
         distributed_foreground_insert = 1, optimize_on_insert = 0
SELECT occurred_on AS period, region, channel, assisted_by,
    count(),
    countIf(status = 'completed'),
    countIf(status = 'rejected'),
    countIf(status = 'cancelled'),
    countIf(status = 'completed' AND channel IN (SELECT code FROM {{database}}.channels FINAL WHERE kind = 'online')),
    countIf(status = 'completed' AND channel IN (SELECT code FROM {{database}}.channels FINAL WHERE kind = 'online') AND assisted_by = 'self'),
    sum(toUInt64(ifNull(satisfaction, 0))),
    countIf(satisfaction IS NOT NULL),
    sumMapIf([toUInt64(reinterpretAsFloat64(bitAnd(reinterpretAsUInt64(toFloat64(assumeNotNull(processing_seconds))) + 70368744177664, 18446603336221196288)))], [toUInt64(1)], status = 'completed' AND processing_seconds IS NOT NULL)
FROM {{rows:events}}
GROUP BY period, region, channel, assisted_by;

INSERT INTO {{rows:rollup_people_monthly}} (month, region, channel, assisted_by, age_band, gender, transactions, completed, rejected, cancelled, completed_online, completed_online_self, satisfaction_sum, satisfaction_count)
SETTINGS insert_deduplication_token = '0012_rollups:rollup_people_monthly', deduplicate_blocks_in_dependent_materialized_views = 1,
         distributed_foreground_insert = 1, optimize_on_insert = 0
SELECT toStartOfMonth(occurred_on) AS period, region, channel, assisted_by, age_band, gender,
    count(),
    countIf(status = 'completed'),
    countIf(status = 'rejected'),
    countIf(status = 'cancelled'),
    countIf(status = 'completed' AND channel IN (SELECT code FROM {{database}}.channels FINAL WHERE kind = 'online')),
    countIf(status = 'completed' AND channel IN (SELECT code FROM {{database}}.channels FINAL WHERE kind = 'online') AND assisted_by = 'self'),
    sum(toUInt64(ifNull(satisfaction, 0))),
    countIf(satisfaction IS NOT NULL)
FROM {{rows:events}}
GROUP BY period, region, channel, assisted_by, age_band, gender;

INSERT INTO {{rows:rollup_service_monthly}} (month, service_code, channel, assisted_by, transactions, completed, rejected, cancelled, completed_online, completed_online_self, satisfaction_sum, satisfaction_count, processing_hist)
SETTINGS insert_deduplication_token = '0012_rollups:rollup_service_monthly', deduplicate_blocks_in_dependent_materialized_views = 1,
         distributed_foreground_insert = 1, optimize_on_insert = 0
SELECT toStartOfMonth(occurred_on) AS period, service_code, channel, assisted_by,
    count(),
    countIf(status = 'completed'),
    countIf(status = 'rejected'),
    countIf(status = 'cancelled'),
    countIf(status = 'completed' AND channel IN (SELECT code FROM {{database}}.channels FINAL WHERE kind = 'online')),
    countIf(status = 'completed' AND channel IN (SELECT code FROM {{database}}.channels FINAL WHERE kind = 'online') AND assisted_by = 'self'),
    sum(toUInt64(ifNull(satisfaction, 0))),
    countIf(satisfaction IS NOT NULL),
    sumMapIf([toUInt64(reinterpretAsFloat64(bitAnd(reinterpretAsUInt64(toFloat64(assumeNotNull(processing_seconds))) + 70368744177664, 18446603336221196288)))], [toUInt64(1)], status = 'completed' AND processing_seconds IS NOT NULL)
FROM {{rows:events}}
GROUP BY period, service_code, channel, assisted_by;

INSERT INTO {{rows:rollup_region_service_monthly}} (month, region, service_code, transactions, completed, rejected, cancelled, completed_online, completed_online_self, satisfaction_sum, satisfaction_count)
SETTINGS insert_deduplication_token = '0012_rollups:rollup_region_service_monthly', deduplicate_blocks_in_dependent_materialized_views = 1,
         distributed_foreground_insert = 1, optimize_on_insert = 0
SELECT toStartOfMonth(occurred_on) AS period, region, service_code,
    count(),
    countIf(status = 'completed'),
    countIf(status = 'rejected'),
    countIf(status = 'cancelled'),
    countIf(status = 'completed' AND channel IN (SELECT code FROM {{database}}.channels FINAL WHERE kind = 'online')),
    countIf(status = 'completed' AND channel IN (SELECT code FROM {{database}}.channels FINAL WHERE kind = 'online') AND assisted_by = 'self'),
    sum(toUInt64(ifNull(satisfaction, 0))),
    countIf(satisfaction IS NOT NULL)
FROM {{rows:events}}
GROUP BY period, region, service_code;
