// A store whose events were rolled up by the first design keeps its history when 0012_rollups.sql replaces it.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generateDemo } from '@qyzmet/fixtures'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from './config.ts'
import { migrate, readMigrations } from './migrate.ts'
import { loadReference } from './reference.ts'
import { measures, rawMeasures, rollupMeasures, rollups } from './rollups.ts'
import { openStore, type Store } from './store.ts'

const redesign = 12
const laterRollupChanges = [42, 44]
let store: Store
let dataDir: string
let before: { table: string; transactions: string }[]

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'qyzmet-upgrade-'))
  store = await openStore(loadConfig({ QYZMET_DATA_DIR: dataDir }))
  // A store at the version before the redesign: every other migration applied, 0012 arriving last with the later
  // migrations that change the new rollups (0042 adds a measure to them, 0044 the age counts to one), in order.
  await migrate(
    store,
    readMigrations().filter(
      (migration) => migration.version !== redesign && !laterRollupChanges.includes(migration.version),
    ),
  )
  await loadReference(store)
  await generateDemo(store, { rows: 60_000, seed: 11, until: '2026-10-31' })
  before = await totals()
  await migrate(store)
})
afterAll(async () => {
  await store.close()
  rmSync(dataDir, { recursive: true, force: true })
})

const totals = () =>
  store.rows<{ table: string; transactions: string }>(
    'test:totals',
    rollups
      .map(
        (rollup) =>
          `SELECT '${rollup.table}' AS table, toString(sum(transactions)) AS transactions FROM ${rollup.table}`,
      )
      .join(' UNION ALL '),
  )

describe('the rollup redesign on a store with history', () => {
  it('had rolled up every event before', () => {
    expect(before).toHaveLength(rollups.length)
    for (const row of before) expect(row.transactions).toBe('60000')
  })

  for (const rollup of rollups) {
    it(`backfills ${rollup.table} to equal the raw aggregate, processing histograms included`, async () => {
      const kept = measures.filter((measure) => rollup.processing || measure !== 'processing_hist')
      const keys = ['period', ...rollup.dimensions].join(', ')
      const time = rollup.time === 'day' ? 'occurred_on' : 'toStartOfMonth(occurred_on)'
      const raw = await store.rows(
        'test:raw',
        `SELECT ${time} AS period, ${rollup.dimensions.join(', ')},
                ${kept.map((measure) => `${rawMeasures()[measure]} AS ${measure}`).join(', ')}
         FROM events GROUP BY ${keys} ORDER BY ${keys}`,
      )
      const rolled = await store.rows(
        'test:rollup',
        `SELECT ${rollup.time} AS period, ${rollup.dimensions.join(', ')},
                ${kept.map((measure) => `${rollupMeasures[measure]} AS ${measure}`).join(', ')}
         FROM ${rollup.table} GROUP BY ${keys} ORDER BY ${keys}`,
      )
      expect(rolled.length).toBeGreaterThan(50)
      expect(rolled).toEqual(raw)
    })
  }

  it('recreates the views with their creator’s rights, as 0016_view_security.sql gave the old ones', async () => {
    const views = await store.rows<{ name: string; create_table_query: string }>(
      'test:views',
      "SELECT name, create_table_query FROM system.tables WHERE database = currentDatabase() AND engine = 'MaterializedView'",
    )
    for (const rollup of rollups) {
      const view = views.find((candidate) => candidate.name === `${rollup.table}_mv`)
      expect(view?.create_table_query, rollup.table).toContain('SQL SECURITY DEFINER')
    }
  })

  it('keeps counting new events once, through the new views', async () => {
    await generateDemo(store, { rows: 5_000, seed: 12, until: '2026-10-31' })
    for (const row of await totals()) expect(row.transactions, row.table).toBe('65000')
  })
})
