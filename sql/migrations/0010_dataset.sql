-- What the events stand for: demo data at a stated sampling fraction of the national volume, or real data.
-- One row per generation (the newest holds); a store with no row holds real data at full scale.

CREATE TABLE IF NOT EXISTS dataset {{on_cluster}} (
    kind Enum8('demo' = 1, 'real' = 2),
    rows UInt64 COMMENT 'events the generator stored',
    national_transactions Float64 COMMENT 'national transactions over the same days that the rows stand for',
    sampling_fraction Float64 COMMENT 'rows ÷ national_transactions: the share of the national volume the rows are',
    seed Nullable(UInt64) COMMENT 'the demo seed: the same seed gives the same rows',
    data_from Date,
    data_until Date,
    as_of DateTime64(3, 'UTC') COMMENT 'the moment the data is as of: later results were still in progress',
    generated_at DateTime64(3, 'UTC') DEFAULT now64(3)
) ENGINE = {{everywhere:ReplacingMergeTree(generated_at)}}
ORDER BY tuple();
