// The dashboard's API cache over real HTTP: retries only for 503 and lost connections (after Retry-After),
// cancellation when the view moves on, answers per token, and a bounded lifetime.
import { once } from 'node:events'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { QueryObserver } from '@tanstack/react-query'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ApiError, retryAfterSeconds } from './api.ts'
import { apiQuery, cacheLimits, createQueryClient, forgetAnswers, isRetryable, retryDelay } from './queries.ts'

interface Seen {
  path: string
  authorization: string | undefined
  at: number
  /** Whether the client went away before the answer was sent (an aborted fetch). */
  aborted: boolean
}

// A loopback server that answers as the API does: JSON bodies, 503 with Retry-After when the engine is gone.
// Each path scripts its answers in order: a status, 'drop' (close the socket unanswered) or 'hang' (never answer).
type Answer = number | 'drop' | 'hang'
const scripts = new Map<string, Answer[]>()
const seen: Seen[] = []
let server: Server
let base: string

function answer(request: IncomingMessage, response: ServerResponse): void {
  const path = request.url ?? ''
  const record: Seen = { path, authorization: request.headers.authorization, at: Date.now(), aborted: false }
  seen.push(record)
  response.on('close', () => {
    if (!response.writableFinished) record.aborted = true
  })
  const next = scripts.get(path)?.shift() ?? 200
  if (next === 'hang') return
  if (next === 'drop') {
    request.socket.destroy()
    return
  }
  if (next === 503) response.setHeader('retry-after', '1')
  response.setHeader('content-type', 'application/json')
  response.statusCode = next
  response.end(
    JSON.stringify(
      next === 200 ? { path, token: request.headers.authorization ?? null } : { message: `status ${next}` },
    ),
  )
}

const requestsFor = (path: string) => seen.filter((request) => request.path === path)

beforeAll(async () => {
  server = createServer(answer)
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  server.closeAllConnections()
  server.close()
})

describe('which failures are tried again', () => {
  it('retries a 503 after the Retry-After the server gave, then answers', async () => {
    scripts.set('/unavailable', [503])
    const client = createQueryClient()
    const data = await client.fetchQuery(apiQuery<{ path: string }>(`${base}/unavailable`, 't'))
    expect(data.path).toBe('/unavailable')
    const [first, second] = requestsFor('/unavailable')
    expect(requestsFor('/unavailable')).toHaveLength(2)
    // The server asked for one second; the retry did not come sooner.
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(950)
    client.clear()
  })

  it('retries a connection lost without an answer', async () => {
    scripts.set('/dropped', ['drop'])
    const client = createQueryClient()
    await client.fetchQuery(apiQuery(`${base}/dropped`, 't'))
    expect(requestsFor('/dropped')).toHaveLength(2)
    client.clear()
  })

  it('does not retry a refusal (400, 401, 403, 404) or a server error (500): it fails at once', async () => {
    const client = createQueryClient()
    for (const status of [400, 401, 403, 404, 500]) {
      const path = `/refused-${status}`
      scripts.set(path, [status])
      const failed = await client.fetchQuery(apiQuery(`${base}${path}`, 't')).catch((error: unknown) => error)
      expect(failed).toBeInstanceOf(ApiError)
      expect((failed as ApiError).status).toBe(status)
      expect((failed as ApiError).message).toBe(`status ${status}`)
      expect(requestsFor(path), path).toHaveLength(1)
    }
    client.clear()
  })

  it('gives up after the retry limit, and says why', async () => {
    const path = '/always-unavailable'
    scripts.set(path, [503, 503, 503])
    // The same policy with a short wait, so that four attempts do not take the server's 3 × 1 s.
    const client = createQueryClient({ ...cacheLimits, retries: 2, maxRetryDelayMs: 10 })
    const failed = await client.fetchQuery(apiQuery(`${base}${path}`, 't')).catch((error: unknown) => error)
    expect((failed as ApiError).status).toBe(503)
    expect((failed as ApiError).retryAfter).toBe(1)
    expect(requestsFor(path)).toHaveLength(3)
    client.clear()
  })

  it('reads Retry-After as seconds or as a date, and caps the wait', () => {
    expect(retryAfterSeconds('5')).toBe(5)
    expect(retryAfterSeconds('Wed, 21 Oct 2026 07:28:30 GMT', Date.UTC(2026, 9, 21, 7, 28, 0))).toBe(30)
    expect(retryAfterSeconds('soon')).toBeNull()
    expect(retryAfterSeconds(null)).toBeNull()
    expect(retryDelay(0, new ApiError(503, 'gone', 5))).toBe(5000)
    expect(retryDelay(0, new ApiError(503, 'gone', 3600))).toBe(cacheLimits.maxRetryDelayMs)
    expect([0, 1, 2].map((failures) => retryDelay(failures, new TypeError('fetch failed')))).toEqual([1000, 2000, 4000])
    expect(isRetryable(new ApiError(503, 'gone'))).toBe(true)
    expect(isRetryable(new ApiError(504, 'too slow'))).toBe(false)
    expect(isRetryable(new DOMException('aborted', 'AbortError'))).toBe(false)
  })
})

describe('cancellation, tokens and lifetime', () => {
  it('aborts the request of a view that is left before it answers', async () => {
    scripts.set('/slow-view', ['hang'])
    const client = createQueryClient()
    // An observer is what a mounted panel holds; changing its options is what a new URL does.
    const panel = new QueryObserver(client, apiQuery(`${base}/slow-view`, 't'))
    const unsubscribe = panel.subscribe(() => undefined)
    await expect.poll(() => requestsFor('/slow-view').length).toBe(1)
    panel.setOptions(apiQuery(`${base}/next-view`, 't'))
    await expect.poll(() => requestsFor('/slow-view')[0]?.aborted).toBe(true)
    await expect.poll(() => panel.getCurrentResult().data).toEqual({ path: '/next-view', token: 'Bearer t' })
    unsubscribe()
    client.clear()
  })

  it('keeps answers per token, and forgets them all on sign-in or sign-out', async () => {
    const client = createQueryClient()
    const url = `${base}/per-token`
    expect(await client.fetchQuery(apiQuery(url, 'analyst'))).toMatchObject({ token: 'Bearer analyst' })
    // The same URL for another token is asked again, with that token, not served from the first one's answer.
    expect(await client.fetchQuery(apiQuery(url, 'regional'))).toMatchObject({ token: 'Bearer regional' })
    expect(await client.fetchQuery(apiQuery(url, null))).toMatchObject({ token: null })
    // A fresh answer for the same token is not asked again.
    await client.fetchQuery(apiQuery(url, 'analyst'))
    expect(requestsFor('/per-token').map((request) => request.authorization)).toEqual([
      'Bearer analyst',
      'Bearer regional',
      undefined,
    ])
    forgetAnswers(client)
    expect(client.getQueryCache().getAll()).toHaveLength(0)
    await client.fetchQuery(apiQuery(url, 'analyst'))
    expect(requestsFor('/per-token')).toHaveLength(4)
    client.clear()
  })

  it('drops an answer no panel shows once its lifetime is over', async () => {
    const client = createQueryClient({ ...cacheLimits, keptMs: 50 })
    const query = apiQuery(`${base}/short-lived`, 't')
    await client.fetchQuery(query)
    expect(client.getQueryData(query.queryKey)).toBeDefined()
    await expect.poll(() => client.getQueryData(query.queryKey), { timeout: 2000 }).toBeUndefined()
    client.clear()
  })
})
