// Applies the numbered migrations in sql/migrations once each, in order, as single-node or cluster DDL.
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Store } from './store.ts'

export const migrationsDir = fileURLToPath(new URL('../migrations/', import.meta.url))

export interface Migration {
  version: number
  name: string
  text: string
  checksum: string
}

export interface Layout {
  database: string
  timezone: string
  /** Cluster name, or null for a single node. */
  cluster: string | null
  /** With a cluster: DDL on each node by itself, shards without replication (config's clusterDdl). */
  perNode?: boolean
}

export function readMigrations(dir = migrationsDir): Migration[] {
  return readdirSync(dir)
    .filter((file) => /^\d{4}_[a-z0-9_]+\.sql$/.test(file))
    .sort()
    .map((file) => {
      const text = readFileSync(`${dir}/${file}`, 'utf8')
      return {
        version: Number(file.slice(0, 4)),
        name: file,
        text,
        checksum: createHash('sha256').update(text).digest('hex'),
      }
    })
}

/**
 * Turns a migration's template into statements for the layout. The markers:
 * `{{on_cluster}}`, `{{local}}` (suffix of a sharded table's storage), `{{database}}`, `{{timezone}}`,
 * `{{sharded:Engine(args)}}` (Replicated in a cluster, one replica set per shard),
 * `{{everywhere:Engine(args)}}` (Replicated in a cluster, a full copy on every node) and the statement
 * `{{distributed:table:sharding_key}}` (in a cluster, the Distributed table in front of `table_local`), and
 * `{{rows:table}}` for data a migration moves (a backfill): the table through which this run reaches the rows it
 * answers for — the Distributed table when DDL runs once ON CLUSTER, the node's own `table_local` per node.
 * Per node (`perNode`), a cluster's DDL has no ON CLUSTER and its tables no replication.
 */
export function renderMigration(text: string, layout: Layout): string[] {
  const { cluster, database } = layout
  const replicated = cluster !== null && !layout.perNode
  const onCluster = replicated ? ` ON CLUSTER ${cluster}` : ''
  const plain = (engine: string, args?: string) => `${engine}${args === undefined ? '' : `(${args})`}`
  const rendered = text
    .replaceAll('{{on_cluster}}', onCluster.trim())
    .replaceAll('{{local}}', cluster ? '_local' : '')
    .replaceAll('{{database}}', database)
    .replaceAll('{{timezone}}', layout.timezone)
    .replace(/\{\{sharded:([A-Za-z]+)(?:\(([^)]*)\))?\}\}/g, (_, engine: string, args?: string) =>
      replicated ? `Replicated${engine}(${args ?? ''})` : plain(engine, args),
    )
    .replace(/\{\{everywhere:([A-Za-z]+)(?:\(([^)]*)\))?\}\}/g, (_, engine: string, args?: string) => {
      if (!replicated) return plain(engine, args)
      const replication = `'/clickhouse/tables/all/{database}/{table}', '{replica}'`
      return `Replicated${engine}(${args ? `${replication}, ${args}` : replication})`
    })
    .replace(/\{\{rows:([a-z_]+)\}\}/g, (_, table: string) => (cluster && !replicated ? `${table}_local` : table))
    .replace(/\{\{distributed:([a-z_]+):([^}]+)\}\}/g, (_, table: string, key: string) =>
      cluster
        ? `CREATE TABLE IF NOT EXISTS ${table}${onCluster} AS ${table}_local ` +
          `ENGINE = Distributed(${cluster}, ${database}, ${table}_local, ${key})`
        : '',
    )
  const leftover = rendered.match(/\{\{[^}]*\}\}/)
  if (leftover) throw new Error(`unknown migration marker ${leftover[0]}`)
  return rendered
    .replace(/^\s*--.*$/gm, '')
    .split(/;\s*(?:\n|$)/)
    .map((statement) => statement.trim())
    .filter((statement) => statement !== '')
}

const ledgerDdl = `
CREATE TABLE IF NOT EXISTS schema_migrations {{on_cluster}} (
    version UInt32,
    name String,
    checksum String,
    applied_at DateTime64(3, 'UTC') DEFAULT now64(3)
) ENGINE = {{everywhere:ReplacingMergeTree(applied_at)}}
ORDER BY version`

export interface MigrationReport {
  applied: string[]
  alreadyApplied: number
}

export function layoutOf(store: Store): Layout {
  const { database, timezone, cluster, clusterDdl } = store.config
  return { database, timezone, cluster, perNode: clusterDdl === 'per-node' }
}

/** Applies what is not yet applied; refuses to run when an applied migration's file has changed since. */
export async function migrate(store: Store, migrations = readMigrations()): Promise<MigrationReport> {
  const layout = layoutOf(store)
  for (const statement of renderMigration(ledgerDdl, layout)) await store.command('migrate:ledger', statement)
  const applied = new Map(
    (
      await store.rows<{ version: number; name: string; checksum: string }>(
        'migrate:applied',
        'SELECT version, name, checksum FROM schema_migrations FINAL',
      )
    ).map((row) => [row.version, row]),
  )
  const report: MigrationReport = { applied: [], alreadyApplied: 0 }
  for (const migration of migrations) {
    const done = applied.get(migration.version)
    if (done) {
      if (done.checksum !== migration.checksum) {
        throw new Error(
          `migration ${migration.name} was changed after it was applied (recorded as ${done.name}); ` +
            'restore the file and put the change in a new numbered migration',
        )
      }
      report.alreadyApplied++
      continue
    }
    for (const statement of renderMigration(migration.text, layout)) {
      await store.command(`migrate:${migration.version}`, statement)
    }
    await store.command(
      'migrate:record',
      'INSERT INTO schema_migrations (version, name, checksum) VALUES ({version:UInt32}, {name:String}, {checksum:String})',
      { version: migration.version, name: migration.name, checksum: migration.checksum },
    )
    report.applied.push(migration.name)
  }
  return report
}
