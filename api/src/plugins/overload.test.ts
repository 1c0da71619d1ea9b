// Load shedding: reads beyond the running and waiting limits get 503 with Retry-After at once; cached answers and
// identical requests still get through; no turn is ever lost.
import { generateDemo } from '@qyzmet/fixtures'
import { loadReference } from '@qyzmet/sql'
import { openTestStore, type TestStore } from '@qyzmet/sql/testing'
import autocannon from 'autocannon'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../app.ts'
import { bearer } from '../testing.ts'
import { createToken } from '../tokens.ts'
import { observe, within } from './observed-store.ts'
import { Admission, type OverloadOptions } from './overload.ts'

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms))

describe('Admission', () => {
  it('admits up to the limit, queues up to its length, sheds the rest, and hands turns over in order', async () => {
    const admission = new Admission({ maxActive: 2, maxQueued: 2, maxWaitMs: 10_000 })
    const order: string[] = []
    const entered = ['a', 'b', 'c', 'd', 'e'].map((name) =>
      admission.enter().then((admitted) => {
        order.push(`${name}:${admitted}`)
        return admitted
      }),
    )
    await sleep(10)
    expect(order).toEqual(['a:true', 'b:true', 'e:false'])
    expect([admission.active, admission.queued]).toEqual([2, 2])
    admission.leave()
    await sleep(10)
    expect(order.at(-1)).toBe('c:true')
    // A newcomer while someone waits goes to the back, even though a turn is about to free up.
    const late = admission.enter()
    admission.leave()
    await sleep(10)
    expect(order.at(-1)).toBe('d:true')
    expect(await Promise.all(entered)).toEqual([true, true, true, true, false])
    admission.leave()
    expect(await late).toBe(true)
    admission.leave()
    admission.leave()
    expect([admission.active, admission.queued]).toEqual([0, 0])
  })

  it('sheds a waiter when its wait runs out or its client goes away', async () => {
    const admission = new Admission({ maxActive: 1, maxQueued: 5, maxWaitMs: 100 })
    expect(await admission.enter()).toBe(true)
    const started = performance.now()
    expect(await admission.enter()).toBe(false)
    expect(performance.now() - started).toBeGreaterThanOrEqual(95)
    const gone = new AbortController()
    const waiting = admission.enter(gone.signal)
    gone.abort()
    expect(await waiting).toBe(false)
    expect(await admission.enter(gone.signal)).toBe(false)
    expect(admission.queued).toBe(0)
    admission.leave()
    expect(admission.active).toBe(0)
  })
})

describe('the API under overload', () => {
  let store: TestStore
  let token: string
  beforeAll(async () => {
    store = await openTestStore()
    await loadReference(store)
    await generateDemo(store, { rows: 10_000, seed: 3, until: '2026-10-31' })
    token = (await createToken(store, { name: 'overload', role: 'analyst' })).token
  })
  afterAll(() => store.close())

  const answering = (name: string) => name !== 'cache:version' && !name.startsWith('tokens:')
  /** Distinct requests (distinct cache keys), as many different dashboards would send. */
  const distinct = (n: number) =>
    Array.from(
      { length: n },
      (_, i) =>
        `/api/v1/metrics/volume/compare?from=2025-01-01&to=2025-${String((i % 12) + 1).padStart(2, '0')}-${10 + Math.floor(i / 12)}`,
    )

  async function overloaded(overload: OverloadOptions) {
    const observed = observe(store)
    const app = await buildApp(observed, { dashboard: false, overload })
    const headers = bearer(token)
    const cachedUrl = '/api/v1/metrics/online_share/compare?period=last_12m'
    expect((await app.inject({ url: cachedUrl, headers })).statusCode).toBe(200)
    observed.hold(answering)
    return { app, observed, headers, cachedUrl }
  }

  it('runs 2, queues 3, answers the other 5 with 503 and Retry-After at once, and still serves cached answers', async () => {
    const { app, observed, headers, cachedUrl } = await overloaded({ maxActive: 2, maxQueued: 3, maxWaitMs: 30_000 })
    const settled: number[] = []
    const pending = distinct(10).map((url) =>
      app.inject({ url, headers }).then((answer) => {
        settled.push(answer.statusCode)
        return answer
      }),
    )
    await sleep(300)
    expect(settled).toEqual([503, 503, 503, 503, 503])
    const cached = await within(2000, 'a cached answer', app.inject({ url: cachedUrl, headers }))
    expect(cached.statusCode).toBe(200)
    expect(cached.headers['x-cache']).toBe('hit')
    const metrics = await app.prometheus.metrics()
    expect(metrics).toMatch(/^qyzmet_http_shed_total 5$/m)
    expect(metrics).toMatch(/^qyzmet_http_reads\{state="active"\} 2$/m)
    expect(metrics).toMatch(/^qyzmet_http_reads\{state="queued"\} 3$/m)
    observed.release()
    const answers = await within(30_000, 'the admitted requests', Promise.all(pending))
    const shed = answers.filter((answer) => answer.statusCode === 503)
    expect(shed).toHaveLength(5)
    for (const answer of shed) {
      expect(answer.headers['retry-after']).toBe('2')
      expect(answer.json()).toMatchObject({ error: 'overloaded' })
    }
    expect(answers.filter((answer) => answer.statusCode === 200)).toHaveLength(5)
    // Every turn was given back: a full load again is admitted completely.
    const again = await Promise.all(
      distinct(5).map((url) => app.inject({ url, headers: { ...headers, 'cache-control': 'no-cache' } })),
    )
    expect(again.map((answer) => answer.statusCode)).toEqual(Array(5).fill(200))
    expect(await app.prometheus.metrics()).toMatch(/^qyzmet_http_reads\{state="active"\} 0$/m)
    await app.close()
  })

  it('sheds a read that waited its longest, and lets identical requests share one turn', async () => {
    const { app, observed, headers } = await overloaded({ maxActive: 1, maxQueued: 5, maxWaitMs: 200 })
    const [first, second] = distinct(2)
    const running = app.inject({ url: first as string, headers })
    await sleep(50)
    // Eight identical requests: one takes the only turn's place in the queue, seven share its answer.
    const waiting = Array.from({ length: 8 }, () => app.inject({ url: second as string, headers }))
    const shed = await within(2000, 'the queued requests', Promise.all(waiting))
    expect(shed.map((answer) => answer.statusCode)).toEqual(Array(8).fill(503))
    expect(shed.filter((answer) => answer.headers['x-cache'] === 'shared')).toHaveLength(7)
    observed.release()
    expect((await running).statusCode).toBe(200)
    const together = await Promise.all(Array.from({ length: 8 }, () => app.inject({ url: second as string, headers })))
    expect(together.map((answer) => answer.statusCode)).toEqual(Array(8).fill(200))
    await app.close()
  })

  it('gives every turn back when clients hang up, whether waiting, running, or before their turn came', async () => {
    const app = await buildApp(store, { dashboard: false })
    await app.listen({ port: 0, host: '127.0.0.1' })
    const address = app.server.address()
    const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
    let counter = 0
    // autocannon stops by closing its 100 connections, whatever their requests are doing at that moment.
    const load = await autocannon({
      url: base,
      connections: 100,
      duration: 3,
      headers: bearer(token),
      requests: [
        { method: 'GET', setupRequest: (request) => ({ ...request, path: distinct(1000)[counter++ % 1000] }) },
      ],
    })
    expect(load.non2xx).toBeGreaterThan(0)
    const reads = async () => (await app.prometheus.getSingleMetricAsString('qyzmet_http_reads')).match(/\} (\d+)$/gm)
    const deadline = Date.now() + 15_000
    while ((await reads())?.join() !== '} 0,} 0' && Date.now() < deadline) await sleep(200)
    expect(await reads()).toEqual(['} 0', '} 0'])
    const after = await fetch(`${base}${distinct(1)[0]}`, {
      headers: { ...bearer(token), 'cache-control': 'no-cache' },
    })
    expect(after.status).toBe(200)
    await app.close()
  }, 60_000)

  it('leaves writes and probes alone', async () => {
    const { app, observed, headers } = await overloaded({ maxActive: 1, maxQueued: 0 })
    const running = app.inject({ url: distinct(1)[0] as string, headers })
    await sleep(100)
    expect((await app.inject({ url: '/healthz' })).statusCode).toBe(200)
    expect((await app.inject({ url: '/docs/json' })).statusCode).toBe(200)
    expect((await app.inject({ url: '/api/v1/meta', headers })).statusCode).toBe(503)
    const write = app.inject({
      method: 'POST',
      url: '/api/v1/targets',
      headers,
      payload: {
        metric: 'volume',
        value: 1000,
        dueDate: '2030-12-31',
        title: { kk: 'Мақсат', ru: 'Цель', en: 'Goal' },
      },
    })
    await sleep(100)
    observed.release()
    expect((await running).statusCode).toBe(200)
    expect((await write).statusCode).toBe(201)
    await app.close()
  })
})
