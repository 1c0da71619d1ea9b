-- Targets name the period their progress is measured from; published values say whether their period was still
-- incomplete (provisional) when it was published.

ALTER TABLE targets {{on_cluster}}
    ADD COLUMN IF NOT EXISTS baseline_date Nullable(Date)
    COMMENT 'first day of the month progress is measured from; NULL: the first complete month with data'
    AFTER due_date;

ALTER TABLE indicator_values {{on_cluster}}
    ADD COLUMN IF NOT EXISTS provisional UInt8 DEFAULT 0
    COMMENT '1 when the period had not ended at publication: the value will still change';
