-- The cost of one completed transaction by channel (and, where it differs, by who did the work): the reference for
-- the cost of a period's channel mix and what a shift between channels saved (METHODOLOGY.md, "Channel costs").
-- Small and read by every cost query, so in a cluster each node keeps a full replica, like the other references.

CREATE TABLE IF NOT EXISTS channel_costs {{on_cluster}} (
    channel LowCardinality(String) COMMENT 'a channel code of the channels table',
    assisted_by LowCardinality(String) DEFAULT '' COMMENT 'self, staff or volunteer; empty: any (the cost of the channel itself)',
    cost_per_transaction Float64 COMMENT 'what one completed transaction costs the state, in currency',
    currency LowCardinality(String) COMMENT 'ISO 4217 code',
    source String COMMENT 'where the figure comes from, or that it is a demo value',
    updated_at DateTime64(3, 'UTC') DEFAULT now64(3)
) ENGINE = {{everywhere:ReplacingMergeTree(updated_at)}}
ORDER BY (channel, assisted_by);
