-- What people do to alerts (acknowledge, resolve, silence), kept apart from the alerts the monitor writes: a round
-- that read an alert before someone acknowledged it and wrote it back after could otherwise put the newest version
-- without the acknowledgement. Reading an alert applies its actions on top of its newest version.

CREATE TABLE IF NOT EXISTS monitor_alert_actions {{on_cluster}} (
    alert_id String,
    action Enum8('acknowledge' = 1, 'resolve' = 2, 'silence' = 3),
    by String COMMENT 'the token id of the person',
    at DateTime64(3, 'UTC'),
    until Nullable(DateTime64(3, 'UTC')) COMMENT 'silence: no notifications before this moment'
) ENGINE = {{everywhere:MergeTree}}
ORDER BY (alert_id, at);
