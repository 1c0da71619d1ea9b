// ETags tied to the data version, a small in-memory cache of answers, and single flight: a burst of identical
// requests that miss the cache costs one computation, not one per request.
import { createHash } from 'node:crypto'
import { gzipSync } from 'node:zlib'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'

interface Cached {
  etag: string
  type: string
  source: string | undefined
  body: Buffer
  /** The body compressed once when stored, for clients that accept gzip (every browser): no work per hit. */
  gzipped: Buffer | undefined
}

/** A finished answer as identical requests waiting on it receive it; null when it could not be shared (a stream). */
type Shared = { status: number; headers: Record<string, string>; body: string | Buffer } | null

interface Flight {
  key: string
  answer: Promise<Shared>
  settle: (answer: Shared) => void
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The cache key of a cacheable request (data version, URL, role, regions, accept). */
    cacheKey?: string
    /** Set when this request computes an answer that identical requests are waiting for. */
    flight?: Flight
  }
}

const maxEntries = 2000
const maxBytes = 2 * 2 ** 20
/** Smaller answers are sent as they are: compressing them saves less than its headers cost. */
const gzipFrom = 1024
/** Adds Accept-Encoding to Vary, keeping what others put there (CORS adds Origin). */
function varyByEncoding(reply: FastifyReply): FastifyReply {
  const current = String(reply.getHeader('vary') ?? '')
  if (/\baccept-encoding\b/i.test(current)) return reply
  return reply.header('vary', current ? `${current}, accept-encoding` : 'accept-encoding')
}
/** Whether the client takes gzip: named in Accept-Encoding and not refused with q=0. */
const takesGzip = (request: FastifyRequest) => {
  const accepted = request.headers['accept-encoding'] ?? ''
  return /\bgzip\b/.test(accepted) && !/\bgzip\s*;\s*q=0(\.0+)?\s*(,|$)/.test(accepted)
}
/** Headers that belong to the answer rather than to one request, so followers get them too. */
const sharedHeaders = [
  'content-type',
  'etag',
  'cache-control',
  'vary',
  'x-qyzmet-source',
  'retry-after',
  'content-disposition',
]

export const cache = fp(async (app: FastifyInstance) => {
  const entries = new Map<string, Cached>()
  const flights = new Map<string, Flight>()
  let version = { value: '', at: 0 }
  let pending: Promise<string> | null = null

  /** Changes with every insert, merge or mutation of any table of the database; read at most every second. */
  async function dataVersion(): Promise<string> {
    if (Date.now() - version.at < 1000) return version.value
    pending ??= app.store
      .rows<{ v: string }>(
        'cache:version',
        "SELECT concat(toString(sum(rows)), '/', toString(count()), '/', toString(max(modification_time))) AS v FROM system.parts WHERE database = currentDatabase() AND active",
      )
      .then(([row]) => {
        version = { value: row?.v ?? '', at: Date.now() }
        return version.value
      })
      .finally(() => {
        pending = null
      })
    return pending
  }

  // A long-lived answer (server-sent events) never ends as one body: identical requests must not wait for it.
  const cacheable = (request: FastifyRequest) =>
    request.method === 'GET' &&
    request.url.startsWith('/api/v1/') &&
    !request.url.startsWith('/api/v1/ingest') &&
    request.routeOptions.config.longLived !== true &&
    request.routeOptions.config.uncached !== true

  const keyOf = async (request: FastifyRequest) => {
    const { role, regions } = request.principal
    return createHash('sha1')
      .update([await dataVersion(), request.url, role, regions.join(','), request.headers.accept ?? ''].join('\n'))
      .digest('base64url')
  }

  /** Ends a flight once: its followers get the answer, and later requests start a flight of their own. */
  function land(request: FastifyRequest, answer: Shared): void {
    const flight = request.flight
    if (!flight) return
    request.flight = undefined
    if (flights.get(flight.key) === flight) flights.delete(flight.key)
    flight.settle(answer)
  }

  function takeOff(request: FastifyRequest, reply: FastifyReply, key: string): void {
    let settle: (answer: Shared) => void = () => {}
    const answer = new Promise<Shared>((resolve) => {
      settle = resolve
    })
    const flight = { key, answer, settle }
    flights.set(key, flight)
    request.flight = flight
    // A leader whose client went away may never send: its followers then compute for themselves.
    reply.raw.once('close', () => land(request, null))
  }

  // preHandler, not onRequest: route-level hooks such as the rate limit must see every request, cached or not.
  app.addHook('preHandler', async (request, reply) => {
    if (!cacheable(request)) return
    const key = await keyOf(request)
    request.cacheKey = key
    // The compressed answer is another representation of the same one: its own ETag, either one revalidates.
    const etags = [`"${key}"`, `"${key}-gzip"`]
    const known = etags.find((etag) => etag === request.headers['if-none-match'])
    if (known) return varyByEncoding(reply.code(304).header('etag', known)).send()
    // Cache-Control: no-cache asks for a fresh answer (still cached for the next request).
    const hit = /no-cache/.test(request.headers['cache-control'] ?? '') ? undefined : entries.get(key)
    if (hit) {
      // Refresh its place: the map's order is the eviction order.
      entries.delete(key)
      entries.set(key, hit)
      varyByEncoding(reply.header('x-cache', 'hit').type(hit.type))
      if (hit.source) reply.header('x-qyzmet-source', hit.source)
      if (hit.gzipped && takesGzip(request)) {
        return reply.header('etag', etags[1]).header('content-encoding', 'gzip').send(hit.gzipped)
      }
      return reply.header('etag', hit.etag).send(hit.body)
    }
    // An identical request is being computed right now (so even a no-cache request gets a fresh answer from it).
    const flight = flights.get(key)
    // A client already gone leads no one: its answer (or its refusal) is for nobody.
    const gone = reply.raw.destroyed || request.raw.socket?.destroyed === true
    if (!flight) return gone ? undefined : takeOff(request, reply, key)
    const shared = await flight.answer
    if (!shared) return
    return reply.code(shared.status).headers(shared.headers).header('x-cache', 'shared').send(shared.body)
  })

  // A write through this API is seen at once; writers elsewhere (ingest workers, other replicas) within a second.
  app.addHook('onResponse', async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') version = { value: '', at: 0 }
    land(request, null)
  })

  app.addHook('onSend', async (request, reply, payload) => {
    const key = request.cacheKey
    if (!key || reply.getHeader('x-cache')) return payload
    const whole = typeof payload === 'string' || Buffer.isBuffer(payload)
    if (reply.statusCode === 200) {
      const etag = `"${key}"`
      varyByEncoding(reply.header('etag', etag).header('cache-control', 'private, no-cache'))
      if (whole && payload.length <= maxBytes) {
        // Encoded once here rather than on every hit: /meta is 116 KB of Kazakh and Russian text.
        const body = typeof payload === 'string' ? Buffer.from(payload) : payload
        const gzipped = body.length >= gzipFrom ? gzipSync(body) : undefined
        entries.set(key, {
          etag,
          type: String(reply.getHeader('content-type') ?? 'application/json'),
          source: reply.getHeader('x-qyzmet-source') as string | undefined,
          body,
          gzipped: gzipped && gzipped.length < body.length ? gzipped : undefined,
        })
        if (entries.size > maxEntries) entries.delete(entries.keys().next().value as string)
      }
    }
    if (request.flight) {
      const headers: Record<string, string> = {}
      for (const name of sharedHeaders) {
        const value = reply.getHeader(name)
        if (value !== undefined) headers[name] = String(value)
      }
      land(request, whole ? { status: reply.statusCode, headers, body: payload } : null)
    }
    return payload
  })
})
