// Failures of the engine reach clients as 503 with Retry-After (unavailable, or too slow), never as a stack trace.
import { rmSync } from 'node:fs'
import { loadReference } from '@qyzmet/sql'
import { openTestStore, type TestStore } from '@qyzmet/sql/testing'
import Fastify from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../app.ts'
import { createToken } from '../tokens.ts'
import { errors } from './errors.ts'

let store: TestStore
beforeAll(async () => {
  store = await openTestStore()
  await loadReference(store)
})
afterAll(() => store.close())

describe('limits', () => {
  it('rate-limits anonymous clients only, with 429', async () => {
    const { token } = await createToken(store, { name: 'limits', role: 'analyst' })
    const app = await buildApp(store, { anonymousRateLimit: 3 })
    const statuses = []
    for (let i = 0; i < 5; i++) statuses.push((await app.inject({ url: '/api/v1/indicators' })).statusCode)
    expect(statuses).toEqual([200, 200, 200, 429, 429])
    const limited = await app.inject({ url: '/api/v1/indicators' })
    expect(limited.json()).toMatchObject({ error: 'too_many_requests' })
    const analyst = await app.inject({ url: '/api/v1/indicators', headers: { authorization: `Bearer ${token}` } })
    expect(analyst.statusCode).toBe(200)
    expect(limited.headers['x-content-type-options']).toBe('nosniff')
    await app.close()
  })
})

describe('large answers', () => {
  it('refuses a JSON answer over the row limit with a 400 that points to the streamed formats', async () => {
    const { token } = await createToken(store, { name: 'rows', role: 'analyst' })
    const app = await buildApp({ ...store, config: { ...store.config, maxJsonRows: 5 } })
    const url = '/api/v1/metrics/catalogue_coverage/breakdown?by=service&from=2025-01-01&to=2025-01-31'
    const headers = { authorization: `Bearer ${token}` }
    const json = await app.inject({ url, headers })
    expect(json.statusCode).toBe(400)
    expect(json.json()).toMatchObject({ parameter: 'format' })
    const csv = await app.inject({ url: `${url}&format=csv`, headers })
    expect(csv.statusCode).toBe(200)
    expect(csv.body.trim().split('\n').length).toBe(228)
    await app.close()
  })
})

describe('engine failures', () => {
  it('answers a query the engine stopped for running too long with 503 and Retry-After', async () => {
    const app = Fastify()
    await app.register(errors)
    app.get('/slow', () =>
      store.rows(
        'test:slow',
        "SELECT count() FROM numbers(1000000000000) SETTINGS max_execution_time = 1, timeout_overflow_mode = 'throw'",
      ),
    )
    const response = await app.inject({ url: '/slow' })
    expect(response.statusCode).toBe(503)
    expect(response.headers['retry-after']).toBe('5')
    expect(response.json()).toMatchObject({ error: 'busy' })
    expect(response.body).not.toMatch(/SELECT|numbers\(/)
    await app.close()
  })

  it('answers with 503 and Retry-After when the engine is gone', async () => {
    const { token } = await createToken(store, { name: 'probe', role: 'analyst' })
    const app = await buildApp(store)
    const url = '/api/v1/metrics/volume/breakdown?by=region&from=2025-01-01&to=2025-01-31'
    const headers = { authorization: `Bearer ${token}` }
    expect((await app.inject({ url: '/readyz' })).statusCode).toBe(200)
    expect((await app.inject({ url, headers })).statusCode).toBe(200)
    // The real connection to the engine goes away, as when the database is stopped.
    await store.loseEngine()
    // The probe's last answer is reused for a second.
    await new Promise((done) => setTimeout(done, 1100))
    const ready = await app.inject({ url: '/readyz' })
    expect(ready.statusCode).toBe(503)
    expect(ready.headers['retry-after']).toBe('5')
    const metric = await app.inject({ url: `${url}&region=75`, headers })
    expect(metric.statusCode, metric.body).toBe(503)
    expect(metric.headers['retry-after']).toBe('5')
    expect(metric.json()).toMatchObject({ error: 'unavailable' })
    await app.close()
  })
  it('answers 503 to reads and 507 to writes, and readiness says so, when the data directory is gone', async () => {
    if (!store.dataDir) return // a server's storage is the server's own
    const scratch = await openTestStore()
    await loadReference(scratch)
    const { token } = await createToken(scratch, { name: 'disk', role: 'analyst' })
    const app = await buildApp(scratch, { dashboard: false })
    const headers = { authorization: `Bearer ${token}` }
    expect((await app.inject({ url: '/readyz' })).statusCode).toBe(200)
    rmSync(scratch.dataDir as string, { recursive: true, force: true })
    await new Promise((done) => setTimeout(done, 1100))
    const ready = await app.inject({ url: '/readyz' })
    expect(ready.statusCode).toBe(503)
    expect(ready.json()).toMatchObject({ reason: 'storage' })
    const read = await app.inject({ url: '/api/v1/metrics/volume/series?period=last_12m', headers })
    expect(read.statusCode, read.body).toBe(503)
    expect(Number(read.headers['retry-after'])).toBeGreaterThan(0)
    const write = await app.inject({
      method: 'POST',
      url: '/api/v1/targets',
      headers,
      payload: { metric: 'volume', value: 10, dueDate: '2030-12-31', title: { kk: 'k', ru: 'r', en: 'e' } },
    })
    expect(write.statusCode, write.body).toBe(507)
    expect(write.json()).toMatchObject({ error: 'insufficient_storage' })
    expect(Number(write.headers['retry-after'])).toBeGreaterThan(0)
    await app.close()
    await scratch.close()
  })
})
