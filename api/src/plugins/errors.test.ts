// Failures of the engine reach clients as 503 with Retry-After (unavailable, or too slow), never as a stack trace.

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
    await store.client.close()
    const ready = await app.inject({ url: '/readyz' })
    expect(ready.statusCode).toBe(503)
    expect(ready.headers['retry-after']).toBe('5')
    const metric = await app.inject({ url: `${url}&region=75`, headers })
    expect(metric.statusCode, metric.body).toBe(503)
    expect(metric.headers['retry-after']).toBe('5')
    expect(metric.json()).toMatchObject({ error: 'unavailable' })
    await app.close()
  })
})
