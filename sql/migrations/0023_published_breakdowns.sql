-- Published indicators may also freeze breakdowns (by region, channel or age band) of every period, so the public
-- portal shows a map, a channel mix or an age divide from published values only, suppressed like the series.

ALTER TABLE indicators {{on_cluster}}
    ADD COLUMN IF NOT EXISTS breakdowns Array(LowCardinality(String)) DEFAULT []
    COMMENT 'dimensions whose breakdown is published with the series: region, channel, age_band'
    AFTER series_to;

CREATE TABLE IF NOT EXISTS indicator_breakdowns {{on_cluster}} (
    indicator_id String,
    version UInt32,
    dimension LowCardinality(String) COMMENT 'region, channel or age_band',
    code LowCardinality(String) COMMENT 'the value of the dimension (a KATO code, a channel code, an age band)',
    period Date,
    value Nullable(Float64) COMMENT 'NULL when suppressed',
    ci_low Nullable(Float64),
    ci_high Nullable(Float64),
    transactions Nullable(UInt64) COMMENT 'NULL when suppressed',
    suppressed UInt8
) ENGINE = {{everywhere:ReplacingMergeTree}}
ORDER BY (indicator_id, version, dimension, code, period);
