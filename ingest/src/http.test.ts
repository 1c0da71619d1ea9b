// HTTP push and status through Fastify's inject: roles, streamed bodies, limits, backpressure and the ledger view.
import { gzipSync } from 'node:zlib'
import type { Principal } from '@qyzmet/api/principal'
import { loadReference } from '@qyzmet/sql'
import { openTestStore, type TestStore } from '@qyzmet/sql/testing'
import Fastify, { type FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { csv, event, ndjson } from './corpus.ts'
import { type IngestRouteOptions, ingestRoutes } from './http.ts'

let store: TestStore
let app: FastifyInstance
beforeAll(async () => {
  store = await openTestStore()
  await loadReference(store)
  app = await build()
})
afterAll(async () => {
  await app.close()
  await store.close()
})

/** Like the API: the store decorated, and the principal set from a test header in place of a real token. */
async function build(options: IngestRouteOptions = {}): Promise<FastifyInstance> {
  const instance = Fastify()
  instance.decorate('store', store)
  instance.decorateRequest('principal', null as unknown as Principal)
  instance.addHook('onRequest', async (request) => {
    const role = request.headers['x-test-role']
    request.principal = {
      role: (typeof role === 'string' ? role : 'public') as Principal['role'],
      regions: [],
      tokenId: 't',
    }
  })
  await instance.register(ingestRoutes, { prefix: '/api/v1', ...options })
  return instance
}

const push = (body: string | Buffer, query: string, headers: Record<string, string> = {}, target = app) =>
  target.inject({
    method: 'POST',
    url: `/api/v1/ingest/events${query}`,
    payload: body,
    headers: { 'x-test-role': 'ingest', 'content-type': 'application/x-ndjson', ...headers },
  })

describe('POST /api/v1/ingest/events', () => {
  it('asks for a token, and refuses roles other than ingest and analyst', async () => {
    expect((await push('{}', '', { 'x-test-role': 'public' })).statusCode).toBe(401)
    const regional = await push('{}', '', { 'x-test-role': 'regional' })
    expect(regional.statusCode).toBe(403)
    expect(regional.json()).toEqual({ error: 'forbidden', message: expect.stringContaining('regional') })
  })

  it('loads an NDJSON body once, and the same body again as already loaded', async () => {
    const rows = [event(), event(), event({ channel: 'fax' })]
    const first = await push(ndjson(rows), '?source=egov-mobile&name=feed.ndjson')
    expect(first.statusCode).toBe(200)
    expect(first.json()).toMatchObject({
      state: 'done',
      loaded: 2,
      quarantined: 1,
      source: 'egov-mobile',
      file: 'feed.ndjson',
    })
    const again = await push(ndjson(rows), '?source=egov-mobile')
    expect(again.json()).toMatchObject({ state: 'already_loaded', loaded: 0 })
    const [n] = await store.rows<{ n: string }>('test:n', 'SELECT count() AS n FROM events WHERE source = {s:String}', {
      s: 'egov-mobile',
    })
    expect(Number(n?.n)).toBe(2)
  })

  it('takes gzip-compressed CSV by content type and a mapping header', async () => {
    const mapping = Buffer.from(JSON.stringify({ columns: { id: 'event_id' } })).toString('base64url')
    const row = event()
    const text = csv([{ ...row, id: row.event_id ?? '' }], {
      header: ['id', 'occurred_at', 'service_code', 'channel', 'assisted_by', 'region', 'status'],
    })
    const response = await push(gzipSync(text), '?name=x.csv.gz', {
      'content-type': 'text/csv',
      'x-ingest-mapping': mapping,
    })
    expect(response.json()).toMatchObject({ state: 'done', loaded: 1, format: 'csv' })
  })

  it('answers 422 naming the problem for an unreadable body, and 400 naming a bad parameter', async () => {
    const broken = await push('a,b\n1,2\n', '?format=csv')
    expect(broken.statusCode).toBe(422)
    expect(broken.json().message).toMatch(/no column for event_id/)
    const bad = await push('{}', '?format=xlsx')
    expect(bad.statusCode).toBe(400)
    expect(bad.json()).toMatchObject({ error: 'bad_request', message: expect.stringContaining('format') })
  })

  it('refuses a body over the limit with 413, and pushes beyond the queue with 503 and Retry-After', async () => {
    const small = await build({ bodyLimit: 1000 })
    const big = await push(ndjson(Array.from({ length: 50 }, () => event())), '', {}, small)
    expect(big.statusCode).toBe(413)
    expect(big.json().error).toBe('too_large')
    await small.close()
    const busy = await build({ queueCapacity: 0, retryAfter: 7 })
    const refused = await push(ndjson([event()]), '', {}, busy)
    expect(refused.statusCode).toBe(503)
    expect(refused.headers['retry-after']).toBe('7')
    await busy.close()
  })
})

describe('status', () => {
  it('lists batches from the ledger and reports freshness and quarantine by reason', async () => {
    const batches = await app.inject({ url: '/api/v1/ingest/batches?limit=10', headers: { 'x-test-role': 'analyst' } })
    expect(batches.statusCode).toBe(200)
    const list = batches.json().batches as { file: string; state: string; loaded: number }[]
    expect(list.find((batch) => batch.file === 'feed.ndjson')).toMatchObject({ state: 'done', loaded: 2 })
    const quality = (await app.inject({ url: '/api/v1/ingest/quality', headers: { 'x-test-role': 'ingest' } })).json()
    const [expected] = await store.rows<{ at: string }>(
      'test:last',
      "SELECT toString(max(occurred_at)) AS at FROM events WHERE source = 'egov-mobile'",
    )
    expect(quality.freshness).toContainEqual(
      expect.objectContaining({
        source: 'egov-mobile',
        region: '75',
        channel: 'portal',
        events: 2,
        last_event_at: expected?.at,
      }),
    )
    expect(quality.quarantine).toContainEqual(expect.objectContaining({ reason: 'unknown:channel', rows: 1 }))
    expect((await app.inject({ url: '/api/v1/ingest/quality' })).statusCode).toBe(401)
  })
})
