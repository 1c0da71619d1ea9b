// HTTP push and ingest status through the real app and real tokens: roles, streamed bodies, limits, backpressure,
// the ledger view, and requests that once took the server down.
import { readdirSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { csv, event, ndjson } from '@qyzmet/ingest/corpus'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../app.ts'
import { bearer, openTestApi, type TestApi } from '../testing.ts'
import type { IngestRouteOptions } from './ingest.ts'

let api: TestApi
beforeAll(async () => {
  api = await openTestApi(0)
})
afterAll(() => api.close())

type Who = 'public' | 'analyst' | 'regional' | 'ingest'
const auth = (who: Who): Record<string, string> => (who === 'public' ? {} : bearer(api.tokens[who]))

const push = (
  body: string | Buffer,
  query: string,
  headers: Record<string, string> = {},
  target: FastifyInstance = api.app,
  who: Who = 'ingest',
) =>
  target.inject({
    method: 'POST',
    url: `/api/v1/ingest/events${query}`,
    payload: body,
    headers: { 'content-type': 'application/x-ndjson', ...auth(who), ...headers },
  })

/** Raw control characters (JSON escapes them, so a clean answer has none). */
const hasControlBytes = (text: string) => [...text].some((char) => char.charCodeAt(0) < 0x20)

const withIngest = (ingest: IngestRouteOptions) => buildApp(api.store, { dashboard: false, ingest })

describe('POST /api/v1/ingest/events', () => {
  it('asks for a token, and refuses roles other than ingest and analyst', async () => {
    expect((await push('{}', '', {}, api.app, 'public')).statusCode).toBe(401)
    const regional = await push('{}', '', {}, api.app, 'regional')
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
    const [n] = await api.store.rows<{ n: string }>(
      'test:n',
      'SELECT count() AS n FROM events WHERE source = {s:String}',
      { s: 'egov-mobile' },
    )
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
    expect(bad.json()).toMatchObject({ error: 'bad_request', parameter: 'format' })
    const mapping = await push('{}', '', { 'x-ingest-mapping': 'not-json' })
    expect(mapping.json()).toMatchObject({ error: 'bad_request', parameter: 'x-ingest-mapping' })
  })

  it('refuses a body over the limit with 413, and pushes beyond the queue with 503 and Retry-After', async () => {
    const small = await withIngest({ bodyLimit: 1000 })
    const big = await push(ndjson(Array.from({ length: 50 }, () => event())), '', {}, small)
    expect(big.statusCode).toBe(413)
    expect(big.json().error).toBe('too_large')
    await small.close()
    const busy = await withIngest({ queueCapacity: 0, retryAfter: 7 })
    const refused = await push(ndjson([event()]), '', {}, busy)
    expect(refused.statusCode).toBe(503)
    expect(refused.headers['retry-after']).toBe('7')
    await busy.close()
  })
})

describe('requests that once answered 500 or stopped the server (issue 14)', () => {
  const spoolDir = '/tmp/qyzmet-ingest-spool-test'
  let spooled: FastifyInstance
  beforeAll(async () => {
    spooled = await withIngest({ spoolDir })
  })
  afterAll(() => spooled.close())

  it('keeps running after a 255-character name with a JSON body, and leaves no spool file behind', async () => {
    const name = 'n'.repeat(255)
    const response = await push('{"event_id": 1}', `?name=${name}`, { 'content-type': 'application/json' }, spooled)
    expect(response.statusCode).toBe(415)
    expect(response.json()).toMatchObject({ error: 'unsupported_media_type', parameter: 'content-type' })
    const longest = `${name.slice(7)}.ndjson`
    const longName = await push(ndjson([event()]), `?name=${longest}`, {}, spooled)
    expect(longName.statusCode, longName.body).toBe(200)
    expect(longName.json()).toMatchObject({ file: longest, loaded: 1 })
    const tooLong = await push(ndjson([event()]), `?name=${name}.ndjson`, {}, spooled)
    expect(tooLong.json()).toMatchObject({ parameter: 'name', message: 'name: is longer than 255 characters' })
    expect((await spooled.inject({ url: '/healthz' })).statusCode).toBe(200)
    expect(readdirSync(spoolDir)).toEqual([])
  })

  it('answers 415 for a content type that names no format, and 400 for a name with a NUL byte', async () => {
    const odd = await push('x', '', { 'content-type': '../../x' }, spooled)
    expect([400, 415]).toContain(odd.statusCode)
    expect(odd.json()).toHaveProperty('message')
    const nul = await push(ndjson([event()]), '?name=a%00b', {}, spooled)
    expect(nul.statusCode).toBe(400)
    expect(nul.json()).toMatchObject({ parameter: 'name' })
    expect(hasControlBytes(nul.body)).toBe(false)
    expect(readdirSync(spoolDir)).toEqual([])
  })

  it('refuses the public with 401 before reading a body, whatever its type', async () => {
    for (const type of ['application/json', '../../x', 'text/csv']) {
      const response = await push('{"a":', '', { 'content-type': type }, spooled, 'public')
      expect(`${type}: ${response.statusCode}`).toBe(`${type}: 401`)
    }
  })

  it('says a binary file is not CSV, with no control bytes in the answer', async () => {
    const binary = Buffer.from([0, 1, 2, 3, 0xff, 0xfe, 10, 0, 7, 8, 9, 10])
    const response = await push(binary, '?format=csv', { 'content-type': 'application/octet-stream' }, spooled)
    expect(response.statusCode).toBe(422)
    expect(response.json().message).toMatch(/not CSV/i)
    expect(hasControlBytes(response.body)).toBe(false)
  })
})

describe('status', () => {
  it('lists batches from the ledger and reports freshness and quarantine by reason', async () => {
    const batches = await api.app.inject({ url: '/api/v1/ingest/batches?limit=10', headers: auth('analyst') })
    expect(batches.statusCode).toBe(200)
    const list = batches.json().batches as { file: string; state: string; loaded: number }[]
    expect(list.find((batch) => batch.file === 'feed.ndjson')).toMatchObject({ state: 'done', loaded: 2 })
    const quality = (await api.app.inject({ url: '/api/v1/ingest/quality', headers: auth('ingest') })).json()
    const [expected] = await api.store.rows<{ at: string }>(
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
    expect((await api.app.inject({ url: '/api/v1/ingest/quality' })).statusCode).toBe(401)
    expect((await api.app.inject({ url: '/api/v1/ingest/batches', headers: auth('regional') })).statusCode).toBe(403)
  })
})
