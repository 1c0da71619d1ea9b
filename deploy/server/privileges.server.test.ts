// Least privilege for real: the deployment's users (deploy/clickhouse/users.d/qyzmet.xml) on a ClickHouse server,
// through its own access checks: the admin prepares, the API reads and writes only its tables, ingest cannot read metrics.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildApp } from '@qyzmet/api/app'
import { prepareStore } from '@qyzmet/api/startup'
import { createToken } from '@qyzmet/api/tokens'
import { csv, event, write } from '@qyzmet/ingest/corpus'
import { loadFile } from '@qyzmet/ingest/load'
import { loadConfig, openStore, rebuildRollups, type Store } from '@qyzmet/sql'
import { startTestServer, type TestServer } from '@qyzmet/sql/testing/clickhouse-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const passwords = { admin: 'admin-secret', api: 'api-secret', ingest: 'ingest-secret' }
const work = mkdtempSync(join(tmpdir(), 'qyzmet-privileges-'))
let server: TestServer
const stores: Partial<Record<'admin' | 'api' | 'ingest', Store>> = {}

const open = (user: keyof typeof passwords) =>
  openStore(
    loadConfig({
      CLICKHOUSE_URL: server.url,
      CLICKHOUSE_USER: `qyzmet_${user}`,
      CLICKHOUSE_PASSWORD: passwords[user],
      QYZMET_DEMO_ROWS: '20000',
    }),
  )

beforeAll(async () => {
  server = await startTestServer({ passwords })
  stores.admin = await open('admin')
  // What docker-compose's prepare service does, as the admin.
  await prepareStore(stores.admin, () => undefined)
  stores.api = await open('api')
  stores.ingest = await open('ingest')
})
afterAll(async () => {
  for (const store of Object.values(stores)) await store?.close()
  await server.stop()
  rmSync(work, { recursive: true, force: true })
})

/** The engine's refusal of the statement, or null if it ran. */
const refusal = (run: Promise<unknown>) =>
  run.then(
    () => null,
    (error: unknown) => (error as { type?: string }).type ?? String(error),
  )

describe('the API user', () => {
  it('serves the API: health, metrics, tokens and publishing', async () => {
    const store = stores.api as Store
    expect(await store.probe()).toMatchObject({ ok: true })
    const { token } = await createToken(store, { name: 'analyst', role: 'analyst' })
    const app = await buildApp(store, { dashboard: false })
    try {
      const headers = { authorization: `Bearer ${token}` }
      expect((await app.inject({ url: '/readyz' })).statusCode).toBe(200)
      const breakdown = await app.inject({
        url: '/api/v1/metrics/volume/breakdown?by=region&from=2025-01-01&to=2026-10-31',
        headers,
      })
      expect(breakdown.statusCode, breakdown.body).toBe(200)
      const [expected] = await store.rows<{ n: string }>(
        'test:completed',
        "SELECT count() AS n FROM events WHERE status = 'completed' AND occurred_on BETWEEN '2025-01-01' AND '2026-10-31'",
      )
      const rows = breakdown.json<{ rows: { value: number }[] }>().rows
      expect(rows.reduce((sum, row) => sum + row.value, 0)).toBe(Number(expected?.n))
    } finally {
      await app.close()
    }
  })

  it('cannot write events nor change the schema', async () => {
    const store = stores.api as Store
    expect(await refusal(store.command('test:insert', "INSERT INTO events (event_id) VALUES ('x')"))).toBe(
      'ACCESS_DENIED',
    )
    expect(await refusal(store.command('test:delete', 'ALTER TABLE events DELETE WHERE 1'))).toBe('ACCESS_DENIED')
    expect(await refusal(store.command('test:create', 'CREATE TABLE t (x UInt8) ENGINE = Memory'))).toBe(
      'ACCESS_DENIED',
    )
    expect(await refusal(store.command('test:drop', 'DROP TABLE targets'))).toBe('ACCESS_DENIED')
    expect(await refusal(store.command('test:truncate', 'TRUNCATE TABLE rollup_daily'))).toBe('ACCESS_DENIED')
  })
})

describe('the ingest user', () => {
  it('loads a file through input(), quarantines, and repairs rollups after a crash', async () => {
    const store = stores.ingest as Store
    expect(await store.probe()).toMatchObject({ ok: true })
    const rows = Array.from({ length: 200 }, (_, i) => event({ event_id: `priv-${i}` }))
    const file = write(join(work, 'feed.csv'), csv([...rows, event({ channel: 'fax' })]))
    const summary = await loadFile(store, file, { source: 'privileges' })
    expect(summary).toMatchObject({ state: 'done', loaded: 200, quarantined: 1 })
    await rebuildRollups(store, { from: '2024-03-01', to: '2024-03-31' }, ['privileges'])
    const [freshness] = await (stores.admin as Store).rows<{ n: string }>(
      'test:freshness',
      "SELECT sum(events) AS n FROM rollup_ingest_freshness WHERE source = 'privileges'",
    )
    expect(Number(freshness?.n)).toBe(200)
  })

  it('cannot read metrics, targets, indicators or change the schema', async () => {
    const store = stores.ingest as Store
    for (const table of ['rollup_daily', 'rollup_monthly', 'targets', 'indicator_values']) {
      expect(await refusal(store.rows('test:read', `SELECT count() FROM ${table}`)), table).toBe('ACCESS_DENIED')
    }
    expect(await refusal(store.command('test:create', 'CREATE TABLE t (x UInt8) ENGINE = Memory'))).toBe(
      'ACCESS_DENIED',
    )
    expect(await refusal(store.command('test:drop', 'DROP TABLE events'))).toBe('ACCESS_DENIED')
    expect(await refusal(store.command('test:delete', 'ALTER TABLE events DELETE WHERE 1'))).toBe('ACCESS_DENIED')
  })
})

describe('a wrong password', () => {
  it('stops start-up with a ConfigError naming CLICKHOUSE_USER', async () => {
    const config = loadConfig({ CLICKHOUSE_URL: server.url, CLICKHOUSE_USER: 'qyzmet_api', CLICKHOUSE_PASSWORD: 'x' })
    await expect(openStore(config)).rejects.toThrow(/^CLICKHOUSE_USER: ClickHouse at .* refused user "qyzmet_api"/)
  })
})
