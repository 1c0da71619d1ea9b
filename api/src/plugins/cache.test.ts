// Single flight: identical requests that miss the cache together are computed once and all get that one answer.
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { generateDemo, loadDemoTargets } from '@qyzmet/fixtures'
import { loadReference } from '@qyzmet/sql'
import { openTestStore, type TestStore } from '@qyzmet/sql/testing'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../app.ts'
import { bearer } from '../testing.ts'
import { createToken } from '../tokens.ts'
import { type ObservedStore, observe, within } from './observed-store.ts'

let store: TestStore
let observed: ObservedStore
let app: FastifyInstance
let tokens: { analyst: string; regional: string }
beforeAll(async () => {
  store = await openTestStore()
  await loadReference(store)
  await loadDemoTargets(store)
  await generateDemo(store, { rows: 20_000, seed: 5, until: '2026-10-31' })
  tokens = {
    analyst: (await createToken(store, { name: 'analyst', role: 'analyst' })).token,
    regional: (await createToken(store, { name: 'Almaty', role: 'regional', regions: ['75'] })).token,
  }
  observed = observe(store)
  app = await buildApp(observed, { dashboard: false })
  // Reference data and tokens loaded once, so that what follows counts only the answers' own queries.
  await app.inject({ url: '/api/v1/meta', headers: bearer(tokens.analyst) })
  await app.inject({ url: '/api/v1/meta', headers: bearer(tokens.regional) })
})
afterAll(async () => {
  await app?.close()
  await store?.close()
})

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms))
/** Queries that compute answers, not the cache's data version or token and reference loads. */
const answering = (name: string) =>
  name !== 'cache:version' && !name.startsWith('tokens:') && !name.startsWith('reference')
const fresh = { 'cache-control': 'no-cache' }

/** Fires identical requests while the engine is held, so that they all arrive before the first is answered. */
async function burst(requests: { url: string; headers: Record<string, string> }[]) {
  const before = observed.queries.length
  observed.hold(answering)
  const pending = requests.map((request) => app.inject(request))
  await sleep(300)
  observed.release()
  const answers = await within(30_000, 'the burst', Promise.all(pending))
  return { answers, queries: observed.queries.slice(before).filter(answering) }
}

describe('single flight', () => {
  it('computes 30 identical requests that miss together once, and gives each the same answer', async () => {
    const url = '/api/v1/metrics/online_share/compare?period=last_12m'
    // The same request alone, computed for itself: what one computation asks of the engine, and its answer.
    const before = observed.queries.length
    const alone = await app.inject({ url, headers: { ...bearer(tokens.analyst), ...fresh } })
    const perAnswer = observed.queries.slice(before).filter(answering)
    expect(perAnswer.length).toBeGreaterThan(0)
    // no-cache: every one of them would compute on its own without single flight.
    const { answers, queries } = await burst(
      Array.from({ length: 30 }, () => ({ url, headers: { ...bearer(tokens.analyst), ...fresh } })),
    )
    expect(answers.map((answer) => answer.statusCode)).toEqual(Array(30).fill(200))
    expect(queries).toEqual(perAnswer)
    for (const answer of answers) expect(answer.json()).toEqual(alone.json())
    expect(answers.filter((answer) => answer.headers['x-cache'] === 'shared')).toHaveLength(29)
    expect(new Set(answers.map((answer) => answer.headers.etag))).toEqual(new Set([alone.headers.etag]))
  })

  it('keeps requests apart that the cache keeps apart: another role, regions or Accept computes for itself', async () => {
    const url = '/api/v1/metrics/volume/breakdown?by=region&channel=portal&period=last_12m'
    const analystOnly = await burst([{ url, headers: { ...bearer(tokens.analyst), ...fresh } }])
    const { answers, queries } = await burst([
      ...Array.from({ length: 5 }, () => ({ url, headers: { ...bearer(tokens.analyst), ...fresh } })),
      ...Array.from({ length: 5 }, () => ({ url, headers: { ...bearer(tokens.regional), ...fresh } })),
    ])
    expect(queries.length).toBe(2 * analystOnly.queries.length)
    const [analyst, regional] = [answers[0], answers[9]].map((answer) => answer?.json<{ rows: unknown[] }>())
    for (const answer of answers.slice(0, 5)) expect(answer.json()).toEqual(analyst)
    for (const answer of answers.slice(5)) expect(answer.json()).toEqual(regional)
    // Asked for detail, a regional token sees its own region only: its answer is not the analyst's.
    expect(regional).not.toEqual(analyst)
  })

  it('lets followers of a streamed answer compute their own, each complete', async () => {
    const url = '/api/v1/metrics/volume/series?period=last_12m&interval=month&format=csv'
    const alone = await app.inject({ url, headers: bearer(tokens.analyst) })
    expect(alone.statusCode).toBe(200)
    const { answers } = await burst(Array.from({ length: 5 }, () => ({ url, headers: bearer(tokens.analyst) })))
    for (const answer of answers) {
      expect(answer.statusCode).toBe(200)
      expect(answer.body).toBe(alone.body)
    }
    expect(alone.body.trim().split('\n')).toHaveLength(13)
  })

  it('shares an error answer too: a burst of one bad request is refused alike', async () => {
    const url = '/api/v1/metrics/volume/series?from=2025-02-30'
    const { answers } = await burst(Array.from({ length: 5 }, () => ({ url, headers: bearer(tokens.analyst) })))
    for (const answer of answers) {
      expect(answer.statusCode).toBe(400)
      expect(answer.json()).toMatchObject({ parameter: 'from' })
    }
  })
})

describe('compressed answers', () => {
  it('sends a cached answer gzipped to clients that take gzip, as another representation with its own ETag', async () => {
    const url = '/api/v1/meta'
    const headers = bearer(tokens.analyst)
    const plain = await app.inject({ url, headers: { ...headers, ...fresh } })
    expect(plain.headers['content-encoding']).toBeUndefined()
    expect(plain.headers.vary).toBe('accept-encoding')
    const gzip = { 'accept-encoding': 'gzip, deflate, br' }
    const compressed = await app.inject({ url, headers: { ...headers, ...gzip } })
    expect(compressed.headers['x-cache']).toBe('hit')
    expect(compressed.headers['content-encoding']).toBe('gzip')
    expect(compressed.headers.vary).toBe('accept-encoding')
    expect(gunzipSync(compressed.rawPayload).toString('utf8')).toBe(plain.body)
    expect(compressed.rawPayload.length).toBeLessThan(plain.rawPayload.length / 4)
    expect(compressed.headers.etag).not.toBe(plain.headers.etag)
    // Either ETag revalidates; a client that refuses gzip (q=0) or names none gets the plain bytes.
    for (const etag of [plain.headers.etag, compressed.headers.etag]) {
      const again = await app.inject({ url, headers: { ...headers, 'if-none-match': String(etag) } })
      expect(again.statusCode).toBe(304)
    }
    const brotli = await app.inject({ url, headers: { ...headers, 'accept-encoding': 'gzip;q=0, br' } })
    expect(brotli.headers['content-encoding']).toBe('br')
    expect(brotliDecompressSync(brotli.rawPayload).toString('utf8')).toBe(plain.body)
    for (const refusing of [{ 'accept-encoding': 'gzip;q=0' }, { 'accept-encoding': 'identity' }, {}]) {
      const answer = await app.inject({ url, headers: { ...headers, ...refusing } })
      expect(answer.headers['content-encoding'], JSON.stringify(refusing)).toBeUndefined()
      expect(answer.body).toBe(plain.body)
    }
  })

  it('keeps what CORS puts in Vary', async () => {
    const origin = 'https://stats.example.kz'
    const cors = await buildApp(store, { dashboard: false, corsOrigins: [origin] })
    const headers = { ...bearer(tokens.analyst), origin, 'accept-encoding': 'gzip' }
    for (let i = 0; i < 2; i++) {
      const answer = await cors.inject({ url: '/api/v1/meta', headers })
      expect(answer.headers['access-control-allow-origin']).toBe(origin)
      expect(String(answer.headers.vary).toLowerCase().split(/,\s*/).sort()).toEqual(['accept-encoding', 'origin'])
    }
    await cors.close()
  })
})
