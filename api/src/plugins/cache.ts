// ETags tied to the data version, and a small in-memory cache of answers: repeated dashboard requests cost no query.
import { createHash } from 'node:crypto'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'

interface Cached {
  etag: string
  type: string
  source: string | undefined
  body: string | Buffer
}

const maxEntries = 2000
const maxBytes = 2 * 2 ** 20

export const cache = fp(async (app: FastifyInstance) => {
  const entries = new Map<string, Cached>()
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

  const cacheable = (request: FastifyRequest) =>
    request.method === 'GET' && request.url.startsWith('/api/v1/') && !request.url.startsWith('/api/v1/ingest')

  const keyOf = async (request: FastifyRequest) => {
    const { role, regions } = request.principal
    return createHash('sha1')
      .update([await dataVersion(), request.url, role, regions.join(','), request.headers.accept ?? ''].join('\n'))
      .digest('base64url')
  }

  // preHandler, not onRequest: route-level hooks such as the rate limit must see every request, cached or not.
  app.addHook('preHandler', async (request, reply) => {
    if (!cacheable(request)) return
    const key = await keyOf(request)
    ;(request as FastifyRequest & { cacheKey?: string }).cacheKey = key
    const etag = `"${key}"`
    if (request.headers['if-none-match'] === etag) return reply.code(304).header('etag', etag).send()
    // Cache-Control: no-cache asks for a fresh answer (still cached for the next request).
    const hit = /no-cache/.test(request.headers['cache-control'] ?? '') ? undefined : entries.get(key)
    if (hit) {
      // Refresh its place: the map's order is the eviction order.
      entries.delete(key)
      entries.set(key, hit)
      reply.header('etag', hit.etag).header('x-cache', 'hit').type(hit.type)
      if (hit.source) reply.header('x-qyzmet-source', hit.source)
      return reply.send(hit.body)
    }
  })

  // A write through this API is seen at once; writers elsewhere (ingest workers, other replicas) within a second.
  app.addHook('onResponse', async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') version = { value: '', at: 0 }
  })

  app.addHook('onSend', async (request, reply, payload) => {
    const key = (request as FastifyRequest & { cacheKey?: string }).cacheKey
    if (!key || reply.statusCode !== 200 || reply.getHeader('x-cache') === 'hit') return payload
    const etag = `"${key}"`
    reply.header('etag', etag).header('cache-control', 'private, no-cache')
    if ((typeof payload === 'string' || Buffer.isBuffer(payload)) && payload.length <= maxBytes) {
      entries.set(key, {
        etag,
        type: String(reply.getHeader('content-type') ?? 'application/json'),
        source: reply.getHeader('x-qyzmet-source') as string | undefined,
        body: payload,
      })
      if (entries.size > maxEntries) entries.delete(entries.keys().next().value as string)
    }
    return payload
  })
})
