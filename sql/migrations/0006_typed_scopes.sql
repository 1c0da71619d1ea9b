-- Targets and indicators keep their scope typed (filter name -> values) instead of JSON text parsed again on every
-- read; the old `filters` column stays for history and is no longer written. Indicators may fix their series' range.

ALTER TABLE targets {{on_cluster}}
    ADD COLUMN IF NOT EXISTS scope Map(LowCardinality(String), Array(String))
    DEFAULT mapApply((name, value) -> (name, arrayFilter(v -> v != '', arrayMap(v -> trimBoth(v), splitByChar(',', value)))),
                     mapFilter((name, value) -> name IN ('region', 'channel', 'service', 'category', 'age_band', 'gender', 'assisted_by'),
                               JSONExtract(if(filters = '', '{}', filters), 'Map(String, String)')))
    COMMENT 'the scope: filter name (region, channel, service, category, age_band, gender, assisted_by) -> values'
    AFTER metric;

ALTER TABLE targets {{on_cluster}} MATERIALIZE COLUMN scope SETTINGS mutations_sync = 2;

ALTER TABLE indicators {{on_cluster}}
    ADD COLUMN IF NOT EXISTS scope Map(LowCardinality(String), Array(String))
    DEFAULT mapApply((name, value) -> (name, arrayFilter(v -> v != '', arrayMap(v -> trimBoth(v), splitByChar(',', value)))),
                     mapFilter((name, value) -> name IN ('region', 'channel', 'service', 'category', 'age_band', 'gender', 'assisted_by'),
                               JSONExtract(if(filters = '', '{}', filters), 'Map(String, String)')))
    COMMENT 'the scope: filter name -> values'
    AFTER metric;

ALTER TABLE indicators {{on_cluster}}
    ADD COLUMN IF NOT EXISTS series_from Nullable(Date)
    DEFAULT toDateOrNull(JSONExtractString(if(filters = '', '{}', filters), 'from'))
    COMMENT 'first day of the published series; NULL: the first day with data'
    AFTER interval;

ALTER TABLE indicators {{on_cluster}}
    ADD COLUMN IF NOT EXISTS series_to Nullable(Date)
    DEFAULT toDateOrNull(JSONExtractString(if(filters = '', '{}', filters), 'to'))
    COMMENT 'last day of the published series; NULL: today'
    AFTER series_from;

ALTER TABLE indicators {{on_cluster}} MATERIALIZE COLUMN scope, MATERIALIZE COLUMN series_from, MATERIALIZE COLUMN series_to
    SETTINGS mutations_sync = 2;
