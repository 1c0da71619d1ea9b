-- Cases by day of closing (METHODOLOGY.md, "Cases closed in the period"): the completion rate and the median
-- processing time count the cases that closed in a period, which the rollups kept by day of request cannot tell.
-- A case closes at its request time plus its processing time, on that moment's day in the deployment's calendar (a
-- closed case without a processing time on its day of request), as api/src/metrics/closed-cases.ts computes it
-- from raw events. Each day by region, channel and assistance (the daily rollup's dimensions), holding:
-- * closed: cases closed that day (completed, rejected or cancelled);
-- * closed_completed: of them, the completed ones;
-- * processing_hist: their processing times, rounded to 6 significant binary digits as 0012_rollups.sql rounds them
--   (at most 1/64 off), and how many had each.
-- Cases open at a period's end are not kept here: they are the cases requested by then (rollup_daily and
-- rollup_monthly's `transactions`, by day of request) less those closed by then (these tables), both summed over
-- all history, so no row has to change when a case closes.
-- The monthly rollup is derived from the daily one's aggregated blocks, as rollup_monthly is from rollup_daily.
-- Backfilled from events here (the store is quiet while migrating). Views run with their creator's rights
-- (0016_view_security.sql). Only cases with a status other than in_progress reach the view's grouping.

CREATE TABLE IF NOT EXISTS rollup_closed_daily{{local}} {{on_cluster}} (
    day Date COMMENT 'day the case closed',
    region LowCardinality(String),
    channel LowCardinality(String),
    assisted_by Enum8('self' = 1, 'staff' = 2, 'volunteer' = 3),
    closed SimpleAggregateFunction(sum, UInt64),
    closed_completed SimpleAggregateFunction(sum, UInt64),
    processing_hist SimpleAggregateFunction(sumMap, Tuple(Array(UInt64), Array(UInt64)))
        COMMENT 'rounded processing times of the completed cases closed that day (sorted) and how many had each'
) ENGINE = {{sharded:AggregatingMergeTree}}
ORDER BY (day, region, channel, assisted_by)
SETTINGS non_replicated_deduplication_window = 10000;

-- The closing day is computed on whole seconds: a processing time is whole seconds and days begin on a whole
-- second, so cutting the request time's milliseconds never changes the day (and saves DateTime64 arithmetic); ingest
-- caps processing times at 10 years (ingest/src/fields.ts), so the moment stays within DateTime's range.
CREATE MATERIALIZED VIEW IF NOT EXISTS rollup_closed_daily_mv{{local}} {{on_cluster}} TO rollup_closed_daily{{local}} SQL SECURITY DEFINER AS
WITH
    length(times) AS n,
    arrayMap((time, next, i) -> i = n OR time != next, times, arrayResize(arrayPopFront(times), n), arrayEnumerate(times)) AS last_of_run,
    arrayFilter((i, last) -> last, arrayEnumerate(times), last_of_run) AS run_ends
SELECT
    day, region, channel, assisted_by, closed, closed_completed,
    (arrayFilter((time, last) -> last, times, last_of_run),
     CAST(arrayPopFront(arrayDifference(arrayPushFront(run_ends, 0))) AS Array(UInt64))) AS processing_hist
FROM (
    SELECT
        if(processing_seconds IS NULL, occurred_on,
           toDate(toDateTime(occurred_at) + assumeNotNull(processing_seconds), '{{timezone}}')) AS day,
        region, channel, assisted_by,
        count() AS closed,
        countIf(status = 'completed') AS closed_completed,
        arraySort(groupArrayIf(
            toUInt64(reinterpretAsFloat64(bitAnd(reinterpretAsUInt64(toFloat64(assumeNotNull(processing_seconds))) + 70368744177664, 18446603336221196288))),
            status = 'completed' AND processing_seconds IS NOT NULL)) AS times
    FROM events{{local}}
    WHERE status != 'in_progress'
    GROUP BY day, region, channel, assisted_by
);

{{distributed:rollup_closed_daily:rand()}};

CREATE TABLE IF NOT EXISTS rollup_closed_monthly{{local}} {{on_cluster}} (
    month Date COMMENT 'first day of the month the cases closed in',
    region LowCardinality(String),
    channel LowCardinality(String),
    assisted_by Enum8('self' = 1, 'staff' = 2, 'volunteer' = 3),
    closed SimpleAggregateFunction(sum, UInt64),
    closed_completed SimpleAggregateFunction(sum, UInt64),
    processing_hist SimpleAggregateFunction(sumMap, Tuple(Array(UInt64), Array(UInt64)))
) ENGINE = {{sharded:AggregatingMergeTree}}
ORDER BY (month, region, channel, assisted_by)
SETTINGS non_replicated_deduplication_window = 10000;

CREATE MATERIALIZED VIEW IF NOT EXISTS rollup_closed_monthly_mv{{local}} {{on_cluster}} TO rollup_closed_monthly{{local}} SQL SECURITY DEFINER AS
SELECT
    month, region, channel, assisted_by, closed, closed_completed,
    arrayReduce('sumMap', [arrayFlatten(day_times)], [arrayFlatten(day_counts)]) AS processing_hist
FROM (
    SELECT
        toStartOfMonth(day) AS month,
        region, channel, assisted_by,
        sum(closed) AS closed,
        sum(closed_completed) AS closed_completed,
        groupArray(processing_hist.1) AS day_times,
        groupArray(processing_hist.2) AS day_counts
    FROM rollup_closed_daily{{local}}
    GROUP BY month, region, channel, assisted_by
);

{{distributed:rollup_closed_monthly:rand()}};

-- Backfill: the monthly rollup fills from the daily one through its view. The token makes a retried statement a no-op.
INSERT INTO {{rows:rollup_closed_daily}} (day, region, channel, assisted_by, closed, closed_completed, processing_hist)
SETTINGS insert_deduplication_token = '0043_closed_rollups:rollup_closed_daily', deduplicate_blocks_in_dependent_materialized_views = 1,
         distributed_foreground_insert = 1, optimize_on_insert = 0
SELECT
    if(processing_seconds IS NULL, occurred_on,
       toDate(toDateTime(occurred_at) + assumeNotNull(processing_seconds), '{{timezone}}')) AS closed_on,
    region, channel, assisted_by,
    count(),
    countIf(status = 'completed'),
    sumMapIf([toUInt64(reinterpretAsFloat64(bitAnd(reinterpretAsUInt64(toFloat64(assumeNotNull(processing_seconds))) + 70368744177664, 18446603336221196288)))], [toUInt64(1)], status = 'completed' AND processing_seconds IS NOT NULL)
FROM {{rows:events}}
WHERE status != 'in_progress'
GROUP BY closed_on, region, channel, assisted_by;
