-- Services by day: the days outside whole months (a range ending today) of the figures computed within each service
-- (digital take-up, the age divide) came from raw events, since no daily rollup held services. Every day by service,
-- with the measures every rollup keeps (so that the planner may choose it for any metric by service) and the age
-- counts of 0044_age_measures.sql. About as many rows as rollup_daily: a day has a few hundred services, not
-- regions × services. Backfilled from events here (the store is quiet while migrating).

CREATE TABLE IF NOT EXISTS rollup_service_daily{{local}} {{on_cluster}} (
    day Date,
    service_code LowCardinality(String),
    transactions SimpleAggregateFunction(sum, UInt64),
    completed SimpleAggregateFunction(sum, UInt64),
    rejected SimpleAggregateFunction(sum, UInt64),
    cancelled SimpleAggregateFunction(sum, UInt64),
    completed_online SimpleAggregateFunction(sum, UInt64),
    completed_online_self SimpleAggregateFunction(sum, UInt64),
    satisfaction_sum SimpleAggregateFunction(sum, UInt64),
    satisfaction_count SimpleAggregateFunction(sum, UInt64),
    satisfied SimpleAggregateFunction(sum, UInt64),
    completed_young SimpleAggregateFunction(sum, UInt64),
    completed_young_self SimpleAggregateFunction(sum, UInt64),
    completed_old SimpleAggregateFunction(sum, UInt64),
    completed_old_self SimpleAggregateFunction(sum, UInt64),
    completed_unknown_age SimpleAggregateFunction(sum, UInt64)
) ENGINE = {{sharded:AggregatingMergeTree}}
ORDER BY (day, service_code)
SETTINGS non_replicated_deduplication_window = 10000;

CREATE MATERIALIZED VIEW IF NOT EXISTS rollup_service_daily_mv{{local}} {{on_cluster}} TO rollup_service_daily{{local}} SQL SECURITY DEFINER AS
SELECT
    occurred_on AS day,
    service_code,
    count() AS transactions,
    countIf(status = 'completed') AS completed,
    countIf(status = 'rejected') AS rejected,
    countIf(status = 'cancelled') AS cancelled,
    countIf(status = 'completed' AND channel IN (SELECT code FROM {{database}}.channels FINAL WHERE kind = 'online')) AS completed_online,
    countIf(status = 'completed' AND channel IN (SELECT code FROM {{database}}.channels FINAL WHERE kind = 'online') AND assisted_by = 'self') AS completed_online_self,
    sum(toUInt64(ifNull(satisfaction, 0))) AS satisfaction_sum,
    countIf(satisfaction IS NOT NULL) AS satisfaction_count,
    countIf(satisfaction >= 4) AS satisfied,
    countIf(status = 'completed' AND age_band = '18-29') AS completed_young,
    countIf(status = 'completed' AND age_band = '18-29' AND channel IN (SELECT code FROM {{database}}.channels FINAL WHERE kind = 'online') AND assisted_by = 'self') AS completed_young_self,
    countIf(status = 'completed' AND age_band = '65+') AS completed_old,
    countIf(status = 'completed' AND age_band = '65+' AND channel IN (SELECT code FROM {{database}}.channels FINAL WHERE kind = 'online') AND assisted_by = 'self') AS completed_old_self,
    countIf(status = 'completed' AND age_band = 'unknown') AS completed_unknown_age
FROM events{{local}}
GROUP BY day, service_code;

{{distributed:rollup_service_daily:rand()}};

INSERT INTO {{rows:rollup_service_daily}} (day, service_code, transactions, completed, rejected, cancelled, completed_online, completed_online_self, satisfaction_sum, satisfaction_count, satisfied, completed_young, completed_young_self, completed_old, completed_old_self, completed_unknown_age)
SETTINGS insert_deduplication_token = '0045_service_daily:rollup_service_daily', deduplicate_blocks_in_dependent_materialized_views = 1,
         distributed_foreground_insert = 1, optimize_on_insert = 0
SELECT occurred_on AS period, service_code,
    count(),
    countIf(status = 'completed'),
    countIf(status = 'rejected'),
    countIf(status = 'cancelled'),
    countIf(status = 'completed' AND channel IN (SELECT code FROM {{database}}.channels FINAL WHERE kind = 'online')),
    countIf(status = 'completed' AND channel IN (SELECT code FROM {{database}}.channels FINAL WHERE kind = 'online') AND assisted_by = 'self'),
    sum(toUInt64(ifNull(satisfaction, 0))),
    countIf(satisfaction IS NOT NULL),
    countIf(satisfaction >= 4),
    countIf(status = 'completed' AND age_band = '18-29'),
    countIf(status = 'completed' AND age_band = '18-29' AND channel IN (SELECT code FROM {{database}}.channels FINAL WHERE kind = 'online') AND assisted_by = 'self'),
    countIf(status = 'completed' AND age_band = '65+'),
    countIf(status = 'completed' AND age_band = '65+' AND channel IN (SELECT code FROM {{database}}.channels FINAL WHERE kind = 'online') AND assisted_by = 'self'),
    countIf(status = 'completed' AND age_band = 'unknown')
FROM {{rows:events}}
GROUP BY period, service_code;
