-- The store's own tables: a probe that health checks write and read back, and leases that let processes sharing
-- one database take turns (ingest publishing, numbering an indicator's versions).

-- One row per health check, collapsing per writer on merge and expiring after a day.
CREATE TABLE IF NOT EXISTS store_probe {{on_cluster}} (
    writer String COMMENT 'host:pid of the process that checked',
    nonce String,
    written_at DateTime64(3, 'UTC') DEFAULT now64(3)
) ENGINE = {{everywhere:ReplacingMergeTree(written_at)}}
ORDER BY writer
TTL toDateTime(written_at) + INTERVAL 1 DAY;

-- Leases (sql/src/lock.ts): each taking of a lease is a new epoch whose claim row is inserted with a
-- deduplication token naming the epoch, so of two processes claiming the same epoch at once the engine keeps
-- exactly one row; renewals and the release follow as rows of the same epoch.
CREATE TABLE IF NOT EXISTS store_locks {{on_cluster}} (
    name String,
    epoch UInt64,
    kind Enum8('claim' = 1, 'renew' = 2, 'release' = 3),
    holder String COMMENT 'host:pid:random of the process that holds the epoch',
    expires_at DateTime64(3, 'UTC'),
    written_at DateTime64(6, 'UTC') DEFAULT now64(6)
) ENGINE = {{everywhere:MergeTree}}
ORDER BY (name, epoch, written_at)
SETTINGS non_replicated_deduplication_window = 10000;
