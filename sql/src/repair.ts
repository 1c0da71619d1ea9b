// Rebuilds rollups from events over a date range: after a crash, a view may have counted a block that events lost.
import { addMonths, format, parseISO, startOfMonth } from 'date-fns'
import { measures, rawMeasures, rollups } from './rollups.ts'
import { closedRollups, rebuildClosedSql } from './rollups-closed.ts'
import type { Store } from './store.ts'

/** Rollups fed by another rollup's inserts rather than by events (they are rebuilt through it). */
const chained = new Set(['rollup_monthly'])

/**
 * Inserts that rebuild must not be mistaken for repeats of the views' own earlier blocks. Their rows are already
 * grouped, so merging them again on insert (optimize_on_insert) would only cost time.
 */
const rebuildSettings = {
  insert_deduplicate: 0,
  deduplicate_blocks_in_dependent_materialized_views: 0,
  optimize_on_insert: 0,
  mutations_sync: '2',
} as const

/** Where a rollup's rows are deleted: the table itself, or on a cluster every shard's local table. */
function storageOf(store: Store, table: string): string {
  const { cluster, clusterDdl } = store.config
  if (!cluster) return table
  if (clusterDdl === 'per-node') {
    throw new Error(
      `rebuilding ${table} on a cluster without distributed DDL (QYZMET_CLUSTER_DDL=per-node) needs every node's ` +
        `${table}_local; run the rebuild on each node, or use a cluster with ON CLUSTER`,
    )
  }
  return `${table}_local ON CLUSTER ${cluster}`
}

/**
 * Deletes the rollups' rows for the whole months around [from, to] and recomputes them from events, with the same
 * measures the views compute (sql/src/rollups.ts). Also recomputes ingest freshness for the given sources. The caller
 * must keep other writers out meanwhile (ingest publishes one batch at a time).
 */
export async function rebuildRollups(
  store: Store,
  range: { from: string; to: string },
  sources: string[],
): Promise<void> {
  const from = format(startOfMonth(parseISO(range.from)), 'yyyy-MM-dd')
  const to = format(addMonths(startOfMonth(parseISO(range.to)), 1), 'yyyy-MM-dd')
  const params = { from, to, sources }
  for (const rollup of rollups) {
    await store.command(
      'repair:delete',
      `ALTER TABLE ${storageOf(store, rollup.table)} DELETE WHERE ${rollup.time} >= {from:Date} AND ${rollup.time} < {to:Date}`,
      params,
      { settings: rebuildSettings, retry: false },
    )
  }
  for (const rollup of rollups.filter((candidate) => !chained.has(candidate.table))) {
    const kept = measures.filter((measure) => rollup.processing || measure !== 'processing_hist')
    const extra = Object.entries(rollup.extra ?? {})
    const time = rollup.time === 'day' ? 'occurred_on' : 'toStartOfMonth(occurred_on)'
    await store.command(
      'repair:insert',
      `INSERT INTO ${rollup.table} (${[rollup.time, ...rollup.dimensions, ...kept, ...extra.map(([name]) => name)].join(', ')})
       SELECT ${time} AS period, ${rollup.dimensions.join(', ')}, ${[...kept.map((measure) => rawMeasures()[measure]), ...extra.map(([, sql]) => sql)].join(', ')}
       FROM events WHERE occurred_on >= {from:Date} AND occurred_on < {to:Date}
       GROUP BY period, ${rollup.dimensions.join(', ')}`,
      params,
      { settings: rebuildSettings, retry: false },
    )
  }
  // Cases closed from the range's first month on may have been requested in it: every later closing day is redone.
  for (const { table, time } of Object.values(closedRollups)) {
    await store.command(
      'repair:delete-closed',
      `ALTER TABLE ${storageOf(store, table)} DELETE WHERE ${time} >= {from:Date}`,
      params,
      { settings: rebuildSettings, retry: false },
    )
  }
  await store.command(
    'repair:insert-closed',
    rebuildClosedSql,
    { from, timezone: store.config.timezone },
    {
      settings: rebuildSettings,
      retry: false,
    },
  )
  if (sources.length === 0) return
  await store.command(
    'repair:freshness-delete',
    `ALTER TABLE ${storageOf(store, 'rollup_ingest_freshness')} DELETE WHERE source IN {sources:Array(String)}`,
    params,
    { settings: rebuildSettings, retry: false },
  )
  await store.command(
    'repair:freshness-insert',
    `INSERT INTO rollup_ingest_freshness (source, region, channel, last_event_at, last_loaded_at, events)
     SELECT source, region, channel, max(occurred_at), max(ingested_at), count()
     FROM events WHERE source IN {sources:Array(String)} GROUP BY source, region, channel`,
    params,
    { settings: rebuildSettings, retry: false },
  )
}
