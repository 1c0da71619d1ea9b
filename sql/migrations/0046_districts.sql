-- Districts (second-level KATO units, the 4-digit code events carry in `district`) of the three regions divided on
-- 8 June 2022, each with the region of 2024 its territory belongs to: a parent's events before the split are
-- attributed to Abai, Zhetisu or Ulytau through them (api/src/metrics/boundaries.ts). A code is the code of its
-- time: 1910 was Taldykorgan before the reform and is Konaev after it, so a row covers the dates it names.

CREATE TABLE IF NOT EXISTS districts {{on_cluster}} (
    code LowCardinality(String) COMMENT '4-digit KATO code, as events carry it',
    region LowCardinality(String) COMMENT 'the region the code belonged to in its time',
    region_2024 LowCardinality(String) COMMENT 'the region of 2024 its territory is in; empty: divided by the reform, cannot be attributed',
    kind LowCardinality(String) COMMENT 'district, or city (a city administration)',
    name_en String,
    name_ru String,
    name_kk String,
    valid_from Nullable(Date) COMMENT 'first day the row describes (empty: since before the data)',
    valid_to Nullable(Date) COMMENT 'last day the row describes: 2022-06-07 for the codes before the reform',
    source String COMMENT 'where the code was found, and whether a second source confirms it',
    updated_at DateTime64(3, 'UTC') DEFAULT now64(3)
) ENGINE = {{everywhere:ReplacingMergeTree(updated_at)}}
-- A code can stand for two units in turn (1910: Taldykorgan, then Konaev): the key keeps both rows.
ORDER BY (code, region, ifNull(valid_to, toDate('2149-06-06')));
