// The API over a server that stops answering: metric reads answer 503 with Retry-After within the query timeout,
// writes too, /healthz at once, /readyz 503 within its probe's deadline — and everything answers again after.
import { loadConfig, loadReference, migrate, openStore, type Store } from '@qyzmet/sql'
import { startTestServer, type TestServer } from '@qyzmet/sql/testing/clickhouse-server'
import { type FakeEngine, startFakeEngine } from '@qyzmet/sql/testing/fake-engine'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../app.ts'
import { bearer } from '../testing.ts'
import { createToken } from '../tokens.ts'

const timeoutSeconds = 2
let server: TestServer
let fake: FakeEngine
let store: Store
let app: FastifyInstance
let token: string
beforeAll(async () => {
  server = await startTestServer()
  fake = await startFakeEngine('forward', server.url)
  store = await openStore(
    loadConfig({
      CLICKHOUSE_URL: fake.url,
      CLICKHOUSE_DATABASE: 'api_unavailable',
      QYZMET_QUERY_TIMEOUT: String(timeoutSeconds),
      QYZMET_WRITE_TIMEOUT: String(timeoutSeconds),
    }),
  )
  await migrate(store)
  await loadReference(store)
  token = (await createToken(store, { name: 'hung', role: 'analyst' })).token
  app = await buildApp(store, { dashboard: false })
})
afterAll(async () => {
  fake.mode = 'forward'
  await app?.close()
  await store?.close()
  await fake?.close()
  await server?.stop()
})

const timed = async (run: () => Promise<{ statusCode: number; headers: Record<string, unknown> }>) => {
  const started = performance.now()
  const response = await run()
  return { response, ms: performance.now() - started }
}

describe('a hung engine', () => {
  it('gets 503 with Retry-After within the query timeout, never a hang, and answers again after', async () => {
    const url = '/api/v1/metrics/volume/breakdown?by=region&from=2025-01-01&to=2025-01-31'
    expect((await app.inject({ url, headers: bearer(token) })).statusCode).toBe(200)
    fake.mode = 'silent'
    const [read, write, health, ready] = await Promise.all([
      timed(() => app.inject({ url: `${url}&region=75`, headers: bearer(token) })),
      timed(() =>
        app.inject({
          method: 'POST',
          url: '/api/v1/targets',
          headers: bearer(token),
          payload: { metric: 'volume', value: 10, dueDate: '2030-12-31', title: { kk: 'k', ru: 'r', en: 'e' } },
        }),
      ),
      timed(() => app.inject({ url: '/healthz', headers: bearer(token) })),
      timed(() => app.inject({ url: '/readyz' })),
    ])
    expect(health.response.statusCode).toBe(200)
    expect(health.ms).toBeLessThan(1_000)
    for (const { response, ms } of [read, write, ready]) {
      expect(response.statusCode).toBe(503)
      expect(Number(response.headers['retry-after'])).toBeGreaterThan(0)
      // The deadline and its grace (a tenth, at least a second), with room for a loaded machine.
      expect(ms).toBeLessThan((timeoutSeconds + 1) * 1000 + 2_000)
    }
    fake.mode = 'forward'
    expect((await app.inject({ url, headers: bearer(token) })).statusCode).toBe(200)
    // Readiness recovers by itself (its probe's answer is reused for a second).
    let readiness = 0
    for (let attempt = 0; attempt < 20 && readiness !== 200; attempt++) {
      readiness = (await app.inject({ url: '/readyz' })).statusCode
      if (readiness !== 200) await new Promise((done) => setTimeout(done, 250))
    }
    expect(readiness).toBe(200)
  })
})
