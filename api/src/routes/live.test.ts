// The live view's API on the embedded engine: who may watch what, and a stream that follows rows as they are ingested.

import { event, ndjson } from '@qyzmet/ingest/corpus'
import { todayIn } from '@qyzmet/sql'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../app.ts'
import type { LiveSnapshot } from '../contract/index.ts'
import { bearer, openTestApi, type TestApi } from '../testing.ts'

let api: TestApi
let app: FastifyInstance
let base: string

/** Reads server-sent events from a response body, one `{event, data}` at a time. */
function eventsOf(response: Response) {
  const reader = response.body?.pipeThrough(new TextDecoderStream()).getReader()
  let buffer = ''
  const next = async (): Promise<{ event: string; data: string }> => {
    for (;;) {
      const end = buffer.indexOf('\n\n')
      if (end >= 0) {
        const block = buffer.slice(0, end)
        buffer = buffer.slice(end + 2)
        const fields = Object.fromEntries(
          block
            .split('\n')
            .filter((line) => !line.startsWith(':') && line.includes(':'))
            .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trimStart()]),
        )
        if (fields.event) return { event: fields.event, data: fields.data ?? '' }
        continue
      }
      const chunk = await reader?.read()
      if (!chunk || chunk.done) return { event: 'end', data: '' }
      buffer += chunk.value
    }
  }
  return Object.assign(next, { close: () => reader?.cancel() })
}

/** The next snapshot whose figures satisfy `ready`, skipping others. */
async function snapshotWhen(next: () => Promise<{ event: string; data: string }>, ready: (s: LiveSnapshot) => boolean) {
  for (;;) {
    const message = await next()
    if (message.event === 'end') throw new Error('the stream ended')
    if (message.event !== 'snapshot') continue
    const snapshot = JSON.parse(message.data) as LiveSnapshot
    if (ready(snapshot)) return snapshot
  }
}

const open = (token: string | null, query = '') =>
  fetch(`${base}/api/v1/live/stream${query}`, { headers: token ? bearer(token) : {} })

/** The hour of a moment in the deployment's zone, computed by Intl (the API computes it in SQL). */
const hourIn = (zone: string, at: Date) =>
  Number(new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', hourCycle: 'h23' }).format(at))

beforeAll(async () => {
  // Reference data only: the live view counts today, and only the rows this test ingests happen today.
  api = await openTestApi(0)
  app = await buildApp(api.store, {
    dashboard: false,
    live: { intervalMs: 150, heartbeatMs: 200, maxStreamsPerToken: 3, maxStreams: 50 },
  })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const address = app.server.address()
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
})

afterAll(async () => {
  await app?.close()
  await api?.close()
})

describe('live view API', () => {
  it('is for analysts and regional managers in their regions only', async () => {
    expect((await open(null)).status).toBe(401)
    expect((await open(api.tokens.ingest)).status).toBe(403)
    const outside = await open(api.tokens.regional, '?region=71')
    expect(outside.status).toBe(403)
    const unknown = await app.inject({ url: '/api/v1/live?region=99', headers: bearer(api.tokens.analyst) })
    expect(unknown.statusCode).toBe(400)
    expect(unknown.json()).toMatchObject({ parameter: 'region' })
    const own = await app.inject({ url: '/api/v1/live', headers: bearer(api.tokens.regional) })
    expect(own.json<LiveSnapshot>().regions).toEqual(['75'])
  })

  it('answers every snapshot afresh: the clock moves its last hour even when no row arrives', async () => {
    const ask = () => app.inject({ url: '/api/v1/live', headers: bearer(api.tokens.analyst) })
    const first = await ask()
    const second = await ask()
    expect(first.statusCode).toBe(200)
    expect(second.headers['x-cache']).not.toBe('hit')
    expect(Date.parse(second.json<LiveSnapshot>().asOf)).toBeGreaterThanOrEqual(
      Date.parse(first.json<LiveSnapshot>().asOf),
    )
  })

  it('streams a snapshot at once and another after rows are ingested, counted as the rows say', async () => {
    const zone = api.store.config.timezone
    const national = open(api.tokens.analyst)
    const regional = open(api.tokens.regional)
    const [nationalResponse, regionalResponse] = await Promise.all([national, regional])
    expect(nationalResponse.status).toBe(200)
    expect(nationalResponse.headers.get('content-type')).toMatch(/^text\/event-stream/)
    const nextNational = eventsOf(nationalResponse)
    const nextRegional = eventsOf(regionalResponse)
    const first = await snapshotWhen(nextNational, () => true)
    expect(first.day).toBe(todayIn(zone))
    expect(first.transactions).toBe(0)
    expect(first.minutes).toHaveLength(60)

    // A minute ago, so that the row is neither in the future nor (but at midnight) on another day.
    const at = new Date(Date.now() - 60_000)
    const rows = [
      event({ occurred_at: at.toISOString(), channel: 'portal', region: '75', status: 'completed' }),
      event({ occurred_at: at.toISOString(), channel: 'portal', region: '75', status: 'rejected' }),
      event({ occurred_at: at.toISOString(), channel: 'mobile', region: '75', status: 'completed' }),
      event({ occurred_at: at.toISOString(), channel: 'mobile', region: '71', status: 'completed' }),
      event({ occurred_at: at.toISOString(), channel: 'tson', region: '71', status: 'completed' }),
    ]
    const pushed = await app.inject({
      method: 'POST',
      url: '/api/v1/ingest/events?source=egov-mobile&name=live.ndjson',
      headers: { ...bearer(api.tokens.ingest), 'content-type': 'application/x-ndjson' },
      payload: ndjson(rows),
    })
    expect(pushed.statusCode).toBe(200)

    const hour = hourIn(zone, at)
    const minute = new Date(Math.floor(at.getTime() / 60_000) * 60_000).toISOString()
    const expected = (regions: string[]) => {
      const mine = rows.filter((row) => regions.length === 0 || regions.includes(row.region ?? ''))
      const channels = [...new Set(mine.map((row) => row.channel ?? ''))].sort()
      return {
        transactions: mine.length,
        completed: mine.filter((row) => row.status === 'completed').length,
        hours: channels.map((channel) => ({
          hour,
          channel,
          transactions: mine.filter((row) => row.channel === channel).length,
          completed: mine.filter((row) => row.channel === channel && row.status === 'completed').length,
        })),
      }
    }
    const after = await snapshotWhen(nextNational, (snapshot) => snapshot.transactions > 0)
    expect(after).toMatchObject(expected([]))
    expect(after.minutes.find((entry) => entry.minute === minute)?.transactions).toBe(rows.length)
    expect(after.minutes.reduce((sum, entry) => sum + entry.transactions, 0)).toBe(rows.length)
    expect(Date.parse(after.lastEvent ?? '')).toBe(at.getTime())

    const regionalAfter = await snapshotWhen(nextRegional, (snapshot) => snapshot.transactions > 0)
    expect(regionalAfter).toMatchObject({ regions: ['75'], ...expected(['75']) })
    await nextNational.close()
    await nextRegional.close()
  })

  it('keeps a quiet stream alive with heartbeats and bounds the streams of a token', async () => {
    const held = await Promise.all([1, 2, 3].map(() => open(api.tokens.analyst, '?region=71')))
    expect(held.map((response) => response.status)).toEqual([200, 200, 200])
    const refused = await open(api.tokens.analyst)
    expect(refused.status).toBe(429)
    expect(((await refused.json()) as { error: string }).error).toBe('too_many_requests')
    // Raw text of one stream: the retry line, a snapshot, then heartbeats while nothing changes.
    const reader = held[0]?.body?.pipeThrough(new TextDecoderStream()).getReader()
    let text = ''
    while ((text.match(/: heartbeat/g) ?? []).length < 2) text += (await reader?.read())?.value ?? ''
    expect(text.startsWith('retry: ')).toBe(true)
    expect(text).toContain('event: snapshot')
    await reader?.cancel()
    for (const response of held.slice(1)) await response.body?.cancel()
    // The streams given back, the token may open another (the server notices a closed stream at once).
    let again = await open(api.tokens.analyst)
    for (let tries = 0; again.status === 429 && tries < 20; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100))
      again = await open(api.tokens.analyst)
    }
    expect(again.status).toBe(200)
    await again.body?.cancel()
  })

  it('ends open streams with a goodbye when the server closes', async () => {
    const own = await buildApp(api.store, { dashboard: false, live: { intervalMs: 100 } })
    await own.listen({ port: 0, host: '127.0.0.1' })
    const address = own.server.address()
    const port = typeof address === 'object' && address ? address.port : 0
    const response = await fetch(`http://127.0.0.1:${port}/api/v1/live/stream`, { headers: bearer(api.tokens.analyst) })
    const next = eventsOf(response)
    expect((await next()).event).toBe('snapshot')
    await own.close()
    const seen: string[] = []
    for (let message = await next(); message.event !== 'end'; message = await next()) seen.push(message.event)
    expect(seen).toEqual(['bye'])
  })

  it('ends a stream with a goodbye when its lifetime is over, so that the client reconnects and is checked again', async () => {
    const own = await buildApp(api.store, { dashboard: false, live: { intervalMs: 100, lifetimeMs: 400 } })
    await own.listen({ port: 0, host: '127.0.0.1' })
    const address = own.server.address()
    const port = typeof address === 'object' && address ? address.port : 0
    const response = await fetch(`http://127.0.0.1:${port}/api/v1/live/stream`, { headers: bearer(api.tokens.analyst) })
    const next = eventsOf(response)
    const seen: string[] = []
    for (let message = await next(); message.event !== 'end'; message = await next()) seen.push(message.event)
    expect(seen).toEqual(['snapshot', 'bye'])
    await own.close()
  })
})
