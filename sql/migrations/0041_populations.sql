-- Populations by region and year (mid-year), each with its source and vintage, in the boundaries of 2024 and, for
-- the regions that lost territory on 8 June 2022, in the boundaries of 2018 for the years before: per-capita
-- figures divide by the population of each period, in the boundaries the period's rows are recorded in.

CREATE TABLE IF NOT EXISTS region_populations {{on_cluster}} (
    kato LowCardinality(String) COMMENT 'first-level KATO code',
    year UInt16,
    boundaries LowCardinality(String) COMMENT '2024: the region as since 8 June 2022; 2018: as before it (parents of the new regions)',
    population UInt32,
    as_of Date COMMENT 'the day the estimate is of (mid-year: 1 July)',
    source String,
    vintage String COMMENT 'when the figures were compiled: a later vintage may revise them',
    updated_at DateTime64(3, 'UTC') DEFAULT now64(3)
) ENGINE = {{everywhere:ReplacingMergeTree(updated_at)}}
ORDER BY (kato, year, boundaries);
