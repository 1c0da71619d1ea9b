-- Releases: each publication is a numbered, immutable release that records what its figures rest on (methodology
-- version, the rows' cut-off and content hash, the suppression applied), every cell it published or withheld (so
-- that later releases keep a withheld cell withheld), and why each earlier period's value changed.

CREATE TABLE IF NOT EXISTS releases {{on_cluster}} (
    release UInt32 COMMENT 'numbered from 1 in the order of publication, never reused or changed',
    indicator_id String,
    version UInt32,
    published_at DateTime64(3, 'UTC'),
    published_by String,
    methodology_version String COMMENT 'METHODOLOGY.md version the figures were computed by, empty before releases were recorded',
    rows_cutoff Nullable(DateTime64(3, 'UTC')) COMMENT 'the figures rest on rows ingested at or before this moment',
    data_until Nullable(Date) COMMENT 'the last day of the series range',
    today Nullable(Date) COMMENT 'the day of publication in the deployment zone: later periods were provisional',
    data_rows UInt64 DEFAULT 0 COMMENT 'rows of the scope and range at the cut-off',
    data_hash String DEFAULT '' COMMENT 'content hash of those rows (count and a sum of row hashes)',
    suppress_below UInt32 DEFAULT 0 COMMENT 'a figure whose own base is below this is withheld',
    extreme_below UInt32 DEFAULT 0 COMMENT 'a share of 0 % or 100 % whose base is below this is withheld',
    cells UInt32 DEFAULT 0 COMMENT 'cells published or withheld: periods of the series and of each breakdown',
    suppressed_primary UInt32 DEFAULT 0,
    suppressed_secondary UInt32 DEFAULT 0
) ENGINE = {{everywhere:MergeTree}}
ORDER BY release;

CREATE TABLE IF NOT EXISTS release_cells {{on_cluster}} (
    release UInt32,
    indicator_id String,
    cell String COMMENT 'the rows a figure is about: its scope as canonical JSON (a breakdown adds its dimension)',
    interval LowCardinality(String),
    period Date COMMENT 'the period as labelled (its first day, or the Monday of a week)',
    period_start Date COMMENT 'the first day the figure covers (a period at the edge of the range is clipped)',
    period_end Date COMMENT 'the last day the figure covers',
    base Nullable(UInt64) COMMENT 'the figure''s own base (a share''s denominator, the ratings behind satisfaction …)',
    suppression LowCardinality(String) COMMENT 'empty when published, else why: base or extreme (primary), complement or earlier (secondary)',
    rows UInt64 DEFAULT 0 COMMENT 'series cells: rows of the period at the cut-off',
    rows_hash String DEFAULT '' COMMENT 'series cells: content hash of those rows'
) ENGINE = {{everywhere:MergeTree}}
ORDER BY (cell, interval, period, release);

CREATE TABLE IF NOT EXISTS release_revisions {{on_cluster}} (
    release UInt32,
    indicator_id String,
    period Date,
    previous_release UInt32,
    previous_value Nullable(Float64),
    value Nullable(Float64),
    reason LowCardinality(String) COMMENT 'completed, data, methodology or suppression'
) ENGINE = {{everywhere:MergeTree}}
ORDER BY (release, period);

ALTER TABLE indicator_values {{on_cluster}}
    ADD COLUMN IF NOT EXISTS base Nullable(UInt64) COMMENT 'the figure''s own base, NULL when suppressed',
    ADD COLUMN IF NOT EXISTS suppression LowCardinality(String) DEFAULT ''
    COMMENT 'why it is withheld: base, extreme (primary), complement, earlier (secondary), empty when published';

ALTER TABLE indicator_breakdowns {{on_cluster}}
    ADD COLUMN IF NOT EXISTS base Nullable(UInt64) COMMENT 'the figure''s own base, NULL when suppressed',
    ADD COLUMN IF NOT EXISTS suppression LowCardinality(String) DEFAULT '',
    ADD COLUMN IF NOT EXISTS dispersion Nullable(Float64)
    COMMENT 'over-dispersion φ̂ of the period''s cells that widened their intervals (region breakdowns of shares)';
