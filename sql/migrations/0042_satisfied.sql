-- Satisfaction as the share of ratings 4–5 (METHODOLOGY.md): every rollup gains `satisfied`, the number of ratings of 4
-- or 5, an additive count beside satisfaction_sum and satisfaction_count. The views are recreated to compute it (the
-- same views as 0012_rollups.sql, with the one measure added) and the column is backfilled from every stored event.
-- The store is quiet while migrating (as for 0012): no event arrives between dropping a view and recreating it.

DROP VIEW IF EXISTS rollup_monthly_mv{{local}} {{on_cluster}};
DROP VIEW IF EXISTS rollup_daily_mv{{local}} {{on_cluster}};
DROP VIEW IF EXISTS rollup_people_monthly_mv{{local}} {{on_cluster}};
DROP VIEW IF EXISTS rollup_service_monthly_mv{{local}} {{on_cluster}};
DROP VIEW IF EXISTS rollup_region_service_monthly_mv{{local}} {{on_cluster}};

-- In a cluster the first of each pair alters the Distributed table and the second the shard's table (single node: the
-- same table twice, the second a no-op).
ALTER TABLE rollup_daily {{on_cluster}} ADD COLUMN IF NOT EXISTS satisfied SimpleAggregateFunction(sum, UInt64) DEFAULT 0 AFTER satisfaction_count;
ALTER TABLE rollup_daily{{local}} {{on_cluster}} ADD COLUMN IF NOT EXISTS satisfied SimpleAggregateFunction(sum, UInt64) DEFAULT 0 AFTER satisfaction_count;
ALTER TABLE rollup_monthly {{on_cluster}} ADD COLUMN IF NOT EXISTS satisfied SimpleAggregateFunction(sum, UInt64) DEFAULT 0 AFTER satisfaction_count;
ALTER TABLE rollup_monthly{{local}} {{on_cluster}} ADD COLUMN IF NOT EXISTS satisfied SimpleAggregateFunction(sum, UInt64) DEFAULT 0 AFTER satisfaction_count;
ALTER TABLE rollup_people_monthly {{on_cluster}} ADD COLUMN IF NOT EXISTS satisfied SimpleAggregateFunction(sum, UInt64) DEFAULT 0 AFTER satisfaction_count;
ALTER TABLE rollup_people_monthly{{local}} {{on_cluster}} ADD COLUMN IF NOT EXISTS satisfied SimpleAggregateFunction(sum, UInt64) DEFAULT 0 AFTER satisfaction_count;
ALTER TABLE rollup_service_monthly {{on_cluster}} ADD COLUMN IF NOT EXISTS satisfied SimpleAggregateFunction(sum, UInt64) DEFAULT 0 AFTER satisfaction_count;
ALTER TABLE rollup_service_monthly{{local}} {{on_cluster}} ADD COLUMN IF NOT EXISTS satisfied SimpleAggregateFunction(sum, UInt64) DEFAULT 0 AFTER satisfaction_count;
ALTER TABLE rollup_region_service_monthly {{on_cluster}} ADD COLUMN IF NOT EXISTS satisfied SimpleAggregateFunction(sum, UInt64) DEFAULT 0 AFTER satisfaction_count;
ALTER TABLE rollup_region_service_monthly{{local}} {{on_cluster}} ADD COLUMN IF NOT EXISTS satisfied SimpleAggregateFunction(sum, UInt64) DEFAULT 0 AFTER satisfaction_count;

-- The views of 0012_rollups.sql, each with `satisfied`.
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
    satisfaction_sum, satisfaction_count, satisfied,
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
        countIf(satisfaction >= 4) AS satisfied,
        arraySort(groupArrayIf(
            toUInt64(reinterpretAsFloat64(bitAnd(reinterpretAsUInt64(toFloat64(assumeNotNull(processing_seconds))) + 70368744177664, 18446603336221196288))),
            status = 'completed' AND processing_seconds IS NOT NULL)) AS times
    FROM events{{local}}
    GROUP BY day, region, channel, assisted_by
);

CREATE MATERIALIZED VIEW IF NOT EXISTS rollup_monthly_mv{{local}} {{on_cluster}} TO rollup_monthly{{local}} SQL SECURITY DEFINER AS
SELECT
    month, region, channel, assisted_by,
    transactions, completed, rejected, cancelled, completed_online, completed_online_self,
    satisfaction_sum, satisfaction_count, satisfied,
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
        sum(satisfied) AS satisfied,
        groupArray(processing_hist.1) AS day_times,
        groupArray(processing_hist.2) AS day_counts
    FROM rollup_daily{{local}}
    GROUP BY month, region, channel, assisted_by
);

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
    countIf(satisfaction IS NOT NULL) AS satisfaction_count,
    countIf(satisfaction >= 4) AS satisfied
FROM events{{local}}
GROUP BY month, region, channel, assisted_by, age_band, gender;

CREATE MATERIALIZED VIEW IF NOT EXISTS rollup_service_monthly_mv{{local}} {{on_cluster}} TO rollup_service_monthly{{local}} SQL SECURITY DEFINER AS
WITH
    length(times) AS n,
    arrayMap((time, next, i) -> i = n OR time != next, times, arrayResize(arrayPopFront(times), n), arrayEnumerate(times)) AS last_of_run,
    arrayFilter((i, last) -> last, arrayEnumerate(times), last_of_run) AS run_ends
SELECT
    month, service_code, channel, assisted_by,
    transactions, completed, rejected, cancelled, completed_online, completed_online_self,
    satisfaction_sum, satisfaction_count, satisfied,
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
        countIf(satisfaction >= 4) AS satisfied,
        arraySort(groupArrayIf(
            toUInt64(reinterpretAsFloat64(bitAnd(reinterpretAsUInt64(toFloat64(assumeNotNull(processing_seconds))) + 70368744177664, 18446603336221196288))),
            status = 'completed' AND processing_seconds IS NOT NULL)) AS times
    FROM events{{local}}
    GROUP BY month, service_code, channel, assisted_by
);

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
    countIf(satisfaction IS NOT NULL) AS satisfaction_count,
    countIf(satisfaction >= 4) AS satisfied
FROM events{{local}}
GROUP BY month, region, service_code;

-- Backfill: one row per group that has ratings of 4–5, carrying only `satisfied` (every other measure 0, which sums
-- away), so that sums over the rollups equal the raw counts. The monthly rollup fills from the daily one through its
-- view. Tokens make a retried statement a no-op.
INSERT INTO {{rows:rollup_daily}} (day, region, channel, assisted_by, satisfied)
SETTINGS insert_deduplication_token = '0042_satisfied:rollup_daily', deduplicate_blocks_in_dependent_materialized_views = 1,
         distributed_foreground_insert = 1, optimize_on_insert = 0
SELECT occurred_on AS period, region, channel, assisted_by, countIf(satisfaction >= 4) AS ratings_4_5
FROM {{rows:events}}
WHERE satisfaction >= 4
GROUP BY period, region, channel, assisted_by;

INSERT INTO {{rows:rollup_people_monthly}} (month, region, channel, assisted_by, age_band, gender, satisfied)
SETTINGS insert_deduplication_token = '0042_satisfied:rollup_people_monthly', deduplicate_blocks_in_dependent_materialized_views = 1,
         distributed_foreground_insert = 1, optimize_on_insert = 0
SELECT toStartOfMonth(occurred_on) AS period, region, channel, assisted_by, age_band, gender, countIf(satisfaction >= 4) AS ratings_4_5
FROM {{rows:events}}
WHERE satisfaction >= 4
GROUP BY period, region, channel, assisted_by, age_band, gender;

INSERT INTO {{rows:rollup_service_monthly}} (month, service_code, channel, assisted_by, satisfied)
SETTINGS insert_deduplication_token = '0042_satisfied:rollup_service_monthly', deduplicate_blocks_in_dependent_materialized_views = 1,
         distributed_foreground_insert = 1, optimize_on_insert = 0
SELECT toStartOfMonth(occurred_on) AS period, service_code, channel, assisted_by, countIf(satisfaction >= 4) AS ratings_4_5
FROM {{rows:events}}
WHERE satisfaction >= 4
GROUP BY period, service_code, channel, assisted_by;

INSERT INTO {{rows:rollup_region_service_monthly}} (month, region, service_code, satisfied)
SETTINGS insert_deduplication_token = '0042_satisfied:rollup_region_service_monthly', deduplicate_blocks_in_dependent_materialized_views = 1,
         distributed_foreground_insert = 1, optimize_on_insert = 0
SELECT toStartOfMonth(occurred_on) AS period, region, service_code, countIf(satisfaction >= 4) AS ratings_4_5
FROM {{rows:events}}
WHERE satisfaction >= 4
GROUP BY period, region, service_code;
