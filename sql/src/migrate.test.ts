// Migrations apply once, in order, refuse edited history, and their cluster variant is valid ClickHouse.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Migration, migrate, readMigrations, renderMigration } from './migrate.ts'
import { rollups } from './rollups.ts'
import { openTestStore, type TestStore } from './testing.ts'

let store: TestStore
beforeAll(async () => {
  store = await openTestStore()
})
afterAll(() => store.close())

const tables = () =>
  store.rows<{ name: string; engine: string; create_table_query: string }>(
    'test:tables',
    'SELECT name, engine, create_table_query FROM system.tables WHERE database = currentDatabase() ORDER BY name',
  )

describe('migrate', () => {
  it('numbers the migrations uniquely, in order (each workstream takes numbers from its own range)', () => {
    const migrations = readMigrations()
    const versions = migrations.map((migration) => migration.version)
    expect(versions[0]).toBe(1)
    expect(versions).toEqual([...new Set(versions)].sort((a, b) => a - b))
    for (const migration of migrations)
      expect(migration.name.startsWith(String(migration.version).padStart(4, '0'))).toBe(true)
  })

  it('records every migration once and changes nothing when applied again', async () => {
    const before = await tables()
    const report = await migrate(store)
    expect(report).toEqual({ applied: [], alreadyApplied: readMigrations().length })
    expect(await tables()).toEqual(before)
    const ledger = await store.rows<{ version: number }>(
      'test:ledger',
      'SELECT version FROM schema_migrations ORDER BY version',
    )
    expect(ledger.map((row) => row.version)).toEqual(readMigrations().map((migration) => migration.version))
  })

  it('applies a new migration and only that one', async () => {
    const extra: Migration = {
      version: 900,
      name: '0900_probe.sql',
      text: 'CREATE TABLE IF NOT EXISTS probe {{on_cluster}} (x UInt8) ENGINE = {{sharded:MergeTree}} ORDER BY x;',
      checksum: 'probe-v1',
    }
    expect((await migrate(store, [...readMigrations(), extra])).applied).toEqual(['0900_probe.sql'])
    expect((await tables()).map((table) => table.name)).toContain('probe')
    expect((await migrate(store, [...readMigrations(), extra])).applied).toEqual([])
  })

  it('refuses to run when an applied migration was edited', async () => {
    const [first, ...rest] = readMigrations()
    if (!first) throw new Error('no migrations')
    const edited = { ...first, text: `${first.text}\n-- edited`, checksum: 'edited' }
    await expect(migrate(store, [edited, ...rest])).rejects.toThrow(
      /0001_reference\.sql was changed after it was applied/,
    )
  })

  it('runs every view with its creator’s rights, so that a user who may only insert still feeds the rollups', async () => {
    const views = (await tables()).filter((table) => table.engine === 'MaterializedView')
    expect(views.length).toBeGreaterThanOrEqual(rollups.length)
    for (const view of views) expect(view.create_table_query, view.name).toContain('SQL SECURITY DEFINER')
  })

  it('creates every rollup of the catalogue with its dimensions', async () => {
    const byName = new Map((await tables()).map((table) => [table.name, table]))
    for (const rollup of rollups) {
      const table = byName.get(rollup.table)
      expect(table?.engine).toBe('AggregatingMergeTree')
      for (const dimension of rollup.dimensions) expect(table?.create_table_query).toContain(`\`${dimension}\``)
      expect(byName.get(`${rollup.table}_mv`)?.engine).toBe('MaterializedView')
    }
  })
})

describe('cluster variant', () => {
  const layout = { database: 'qyzmet', timezone: 'Asia/Almaty', cluster: 'qyzmet_cluster' }
  const statements = readMigrations().flatMap((migration) => renderMigration(migration.text, layout))

  it('parses in the engine, statement by statement', async () => {
    for (const statement of statements) {
      const [row] = await store.rows<{ formatted: string }>(
        'test:format',
        'SELECT formatQuery({s:String}) AS formatted',
        {
          s: statement,
        },
      )
      expect(row?.formatted.length).toBeGreaterThan(0)
    }
  })

  it('runs every statement on the cluster, replicates every table and fronts sharded ones with Distributed tables', () => {
    // A backfill is data, not DDL: where DDL runs once ON CLUSTER it runs once too, through the Distributed tables.
    const [backfills, ddl] = [
      statements.filter((statement) => statement.startsWith('INSERT')),
      statements.filter((statement) => !statement.startsWith('INSERT')),
    ]
    for (const statement of ddl) expect(statement).toContain('ON CLUSTER qyzmet_cluster')
    expect(backfills.length).toBeGreaterThan(0)
    for (const statement of backfills) expect(statement).not.toMatch(/_local\b/)
    const creates = statements.filter((statement) => /^CREATE TABLE/.test(statement))
    for (const statement of creates) expect(statement).toMatch(/ENGINE = (Replicated\w*MergeTree|Distributed)\(/)
    for (const sharded of ['events', ...rollups.map((rollup) => rollup.table)]) {
      expect(creates.some((statement) => statement.startsWith(`CREATE TABLE IF NOT EXISTS ${sharded}_local `))).toBe(
        true,
      )
      expect(statements).toContain(
        `CREATE TABLE IF NOT EXISTS ${sharded} ON CLUSTER qyzmet_cluster AS ${sharded}_local ` +
          `ENGINE = Distributed(qyzmet_cluster, qyzmet, ${sharded}_local, ${sharded === 'events' ? 'cityHash64(event_id)' : 'rand()'})`,
      )
    }
    // Views read the local shard so each shard aggregates only its own events.
    for (const view of statements.filter((statement) => statement.startsWith('CREATE MATERIALIZED VIEW'))) {
      expect(view).toMatch(/_mv_local ON CLUSTER qyzmet_cluster TO rollup_\w+_local (SQL SECURITY DEFINER )?AS/)
      expect(view).toMatch(/FROM (events|rollup_daily|rollup_closed_daily)_local\b/)
    }
  })

  it('backfills each node from its own shard where each node migrates itself', () => {
    const perNode = readMigrations().flatMap((migration) =>
      renderMigration(migration.text, { ...layout, perNode: true }),
    )
    for (const statement of perNode) expect(statement).not.toContain('ON CLUSTER')
    const backfills = perNode.filter((statement) => statement.startsWith('INSERT'))
    expect(backfills.length).toBeGreaterThan(0)
    for (const statement of backfills) {
      expect(statement).toMatch(/^INSERT INTO rollup_\w+_local /)
      expect(statement).toMatch(/FROM events_local\b/)
    }
  })

  it('leaves no cluster syntax in the single-node variant', () => {
    const single = readMigrations().flatMap((migration) =>
      renderMigration(migration.text, { ...layout, cluster: null }),
    )
    for (const statement of single) expect(statement).not.toMatch(/ON CLUSTER|Replicated|Distributed|_local\b/)
  })
})
