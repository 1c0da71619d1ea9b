-- The age divide from a rollup (METHODOLOGY.md, "Age divide"): it is computed within each service, so it needs age and
-- service together, which only raw events had. rollup_region_service_monthly (months by region and service) gains the
-- counts the divide reads, all of completed transactions:
-- * completed_young, completed_young_self: of ages 18–29, and of those the self-service online ones;
-- * completed_old, completed_old_self: the same of ages 65 and over;
-- * completed_unknown_age: of unknown age (counted beside the figure).
-- Digital take-up needs no new measure: completed and completed_online by month and service are there already, and a
-- service's day of going online is applied when the rows are read (api/src/metrics/digital-take-up.ts).
-- The view is recreated with them (0042_satisfied.sql's view plus five counts: the same grouping, so the insert path
-- pays only five more conditional counts) and the columns are backfilled from every stored event. The store is quiet
-- while migrating.

DROP VIEW IF EXISTS rollup_region_service_monthly_mv{{local}} {{on_cluster}};

-- In a cluster the first of each pair alters the Distributed table and the second the shard's table.
ALTER TABLE rollup_region_service_monthly {{on_cluster}}
    ADD COLUMN IF NOT EXISTS completed_young SimpleAggregateFunction(sum, UInt64) DEFAULT 0,
    ADD COLUMN IF NOT EXISTS completed_young_self SimpleAggregateFunction(sum, UInt64) DEFAULT 0,
    ADD COLUMN IF NOT EXISTS completed_old SimpleAggregateFunction(sum, UInt64) DEFAULT 0,
    ADD COLUMN IF NOT EXISTS completed_old_self SimpleAggregateFunction(sum, UInt64) DEFAULT 0,
    ADD COLUMN IF NOT EXISTS completed_unknown_age SimpleAggregateFunction(sum, UInt64) DEFAULT 0;
ALTER TABLE rollup_region_service_monthly{{local}} {{on_cluster}}
    ADD COLUMN IF NOT EXISTS completed_young SimpleAggregateFunction(sum, UInt64) DEFAULT 0,
    ADD COLUMN IF NOT EXISTS completed_young_self SimpleAggregateFunction(sum, UInt64) DEFAULT 0,
    ADD COLUMN IF NOT EXISTS completed_old SimpleAggregateFunction(sum, UInt64) DEFAULT 0,
    ADD COLUMN IF NOT EXISTS completed_old_self SimpleAggregateFunction(sum, UInt64) DEFAULT 0,
    ADD COLUMN IF NOT EXISTS completed_unknown_age SimpleAggregateFunction(sum, UInt64) DEFAULT 0;

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
    countIf(satisfaction >= 4) AS satisfied,
    countIf(status = 'completed' AND age_band = '18-29') AS completed_young,
    countIf(status = 'completed' AND age_band = '18-29' AND channel IN (SELECT code FROM {{database}}.channels FINAL WHERE kind = 'online') AND assisted_by = 'self') AS completed_young_self,
    countIf(status = 'completed' AND age_band = '65+') AS completed_old,
    countIf(status = 'completed' AND age_band = '65+' AND channel IN (SELECT code FROM {{database}}.channels FINAL WHERE kind = 'online') AND assisted_by = 'self') AS completed_old_self,
    countIf(status = 'completed' AND age_band = 'unknown') AS completed_unknown_age
FROM events{{local}}
GROUP BY month, region, service_code;

-- Backfill: one row per group with completions of these ages, carrying only the new counts (every other measure 0,
-- which sums away). The token makes a retried statement a no-op.
INSERT INTO {{rows:rollup_region_service_monthly}} (month, region, service_code, completed_young, completed_young_self, completed_old, completed_old_self, completed_unknown_age)
SETTINGS insert_deduplication_token = '0044_age_measures:rollup_region_service_monthly', deduplicate_blocks_in_dependent_materialized_views = 1,
         distributed_foreground_insert = 1, optimize_on_insert = 0
SELECT toStartOfMonth(occurred_on) AS period, region, service_code,
    countIf(age_band = '18-29'),
    countIf(age_band = '18-29' AND channel IN (SELECT code FROM {{database}}.channels FINAL WHERE kind = 'online') AND assisted_by = 'self'),
    countIf(age_band = '65+'),
    countIf(age_band = '65+' AND channel IN (SELECT code FROM {{database}}.channels FINAL WHERE kind = 'online') AND assisted_by = 'self'),
    countIf(age_band = 'unknown')
FROM {{rows:events}}
WHERE status = 'completed' AND age_band IN ('18-29', '65+', 'unknown')
GROUP BY period, region, service_code;
