// Every engine call ends within its deadline: a hung or resetting server gives EngineUnavailable, start-up a ConfigError.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from './config.ts'
import { connectTimeoutMs } from './server.ts'
import { EngineUnavailable, openStore, type Store } from './store.ts'
import { startTestServer, type TestServer } from './testing/clickhouse-server.ts'
import { type FakeEngine, startFakeEngine } from './testing/fake-engine.ts'

let server: TestServer
beforeAll(async () => {
  server = await startTestServer()
})
afterAll(() => server.stop())

/** Runs the call and returns what it threw and after how many milliseconds. */
async function failure(run: () => Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const started = performance.now()
  const error = await run().then(
    () => null,
    (thrown: unknown) => thrown,
  )
  return { error, ms: performance.now() - started }
}

describe('start-up against a server that does not answer', () => {
  it('stops within the connection deadline with a ConfigError naming CLICKHOUSE_URL', async () => {
    const fakes = await Promise.all([startFakeEngine('silent'), startFakeEngine('ping-only')])
    try {
      const results = await Promise.all(
        fakes.map((fake) => failure(() => openStore(loadConfig({ CLICKHOUSE_URL: fake.url })))),
      )
      for (const [index, { error, ms }] of results.entries()) {
        expect(error).toBeInstanceOf(ConfigError)
        expect((error as ConfigError).setting).toBe('CLICKHOUSE_URL')
        expect((error as Error).message).toContain(fakes[index]?.url)
        expect((error as Error).message).toMatch(/did not answer .* within 10 s/)
        expect(ms).toBeGreaterThanOrEqual(connectTimeoutMs - 50)
        expect(ms).toBeLessThan(connectTimeoutMs + 3_000)
      }
      // The ping-only server answered the ping: start-up stopped at the query that hung.
      expect(String((results[1]?.error as Error | undefined)?.message)).toContain('a query')
    } finally {
      await Promise.all(fakes.map((fake) => fake.close()))
    }
  })

  it('stops at once when every connection is reset', async () => {
    const fake = await startFakeEngine('reset')
    const { error, ms } = await failure(() => openStore(loadConfig({ CLICKHOUSE_URL: fake.url })))
    await fake.close()
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as Error).message).toMatch(/^CLICKHOUSE_URL: could not reach ClickHouse at/)
    expect(ms).toBeLessThan(3_000)
  })
})

describe('a running store whose server stops answering', () => {
  let fake: FakeEngine
  let store: Store
  const readMs = 1_000
  const writeMs = 2_000
  beforeAll(async () => {
    fake = await startFakeEngine('forward', server.url)
    store = await openStore(
      loadConfig({
        CLICKHOUSE_URL: fake.url,
        CLICKHOUSE_DATABASE: 'deadlines',
        QYZMET_QUERY_TIMEOUT: String(readMs / 1000),
        QYZMET_WRITE_TIMEOUT: String(writeMs / 1000),
      }),
    )
    await store.command('test:table', 'CREATE TABLE IF NOT EXISTS t (x UInt32) ENGINE = MergeTree ORDER BY x')
  })
  afterAll(async () => {
    fake.mode = 'forward'
    await store.close()
    await fake.close()
  })
  beforeEach(() => {
    fake.mode = 'forward'
  })

  it('gives up a read, a write and a stream at their deadlines with EngineUnavailable(timeout)', async () => {
    expect(await store.rows('test:before', 'SELECT 1 AS one')).toEqual([{ one: 1 }])
    fake.mode = 'silent'
    const [read, write, stream] = await Promise.all([
      failure(() => store.rows('test:read', 'SELECT count() FROM t')),
      failure(() => store.command('test:write', 'INSERT INTO t VALUES (1)')),
      failure(() => store.stream('test:stream', 'SELECT x FROM t', {}, 'CSV')),
    ])
    for (const [{ error, ms }, deadline] of [
      [read, readMs],
      [write, writeMs],
      [stream, readMs],
    ] as const) {
      expect(error).toBeInstanceOf(EngineUnavailable)
      expect(error).toMatchObject({ reason: 'timeout', retryAfterSeconds: 5 })
      // The engine's own limit comes first; the store waits a little longer, never much.
      expect(ms).toBeGreaterThanOrEqual(deadline)
      expect(ms).toBeLessThan(deadline + 1_500)
    }
    expect((read.error as Error).message).toMatch(/test:read/)
  })

  it('retries reset connections within the deadline, then reports the engine unreachable', async () => {
    fake.mode = 'reset'
    const before = fake.connections
    const { error, ms } = await failure(() => store.rows('test:reset', 'SELECT 1'))
    expect(error).toMatchObject({ name: 'EngineUnavailable', reason: 'unreachable' })
    expect(fake.connections - before).toBeGreaterThanOrEqual(2)
    expect(ms).toBeLessThan(readMs + 1_000)
  })

  it('answers again as soon as the server does, without being reopened', async () => {
    fake.mode = 'silent'
    await failure(() => store.rows('test:down', 'SELECT 1'))
    fake.mode = 'forward'
    expect(await store.rows('test:up', 'SELECT 2 AS two')).toEqual([{ two: 2 }])
  })

  it('reports a hung store from its probe within a few seconds', async () => {
    fake.mode = 'silent'
    const started = performance.now()
    const report = await store.probe()
    expect(report).toMatchObject({ ok: false, reason: 'timeout' })
    expect(performance.now() - started).toBeLessThan(4_000)
  })
})
