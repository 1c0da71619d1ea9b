// The live view's API: today's figures as a snapshot, and as server-sent events that follow every change.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { errorResponses, LiveQuery, LiveSnapshot } from '../contract/index.ts'
import { LiveHub } from '../live/hub.ts'
import { readSnapshot } from '../live/snapshot.ts'
import { type LiveStreamLimits, LiveStreams } from '../live/streams.ts'
import { requireMetric } from '../metrics/index.ts'
import { checkScope } from '../query/filters.ts'
import { scopeFilters } from '../query/scope.ts'

export interface LiveOptions extends Partial<LiveStreamLimits> {
  /** How often the figures of a scope with listeners are read (default 5 s). */
  intervalMs?: number
  /** Different region sets followed at once (default 50): each is read every interval. */
  maxScopes?: number
}

/**
 * The regions a request may watch. The live view breaks today down by channel, which is detail: analysts see any
 * region or the country, a regional manager their own regions (by default all of them), nobody else anything —
 * the same rule as a requests breakdown by channel (query/scope.ts).
 */
async function watchedRegions(request: FastifyRequest, query: LiveQuery): Promise<string[]> {
  const reference = await request.server.reference()
  const { regions } = checkScope({ region: query.region }, reference)
  const day = request.server.today()
  const filters = { ...checkScope({}, reference), regions, from: day, to: day, interval: 'day' as const }
  return scopeFilters(request.principal, requireMetric('requests'), filters, ['channel']).regions
}

export const liveRoutes: FastifyPluginAsyncTypebox<LiveOptions> = async (app, options) => {
  const intervalMs = options.intervalMs ?? 5000
  const hub = new LiveHub((regions) => readSnapshot(app.store, regions), intervalMs, options.maxScopes ?? 50)
  const streams = new LiveStreams(hub, {
    maxStreams: options.maxStreams ?? 200,
    maxStreamsPerToken: options.maxStreamsPerToken ?? 4,
    heartbeatMs: options.heartbeatMs ?? 15_000,
    retryMs: options.retryMs ?? 5000,
    lifetimeMs: options.lifetimeMs ?? 15 * 60_000,
  })
  // Before the server stops listening: open streams are ended, or closing would wait for them for ever.
  app.addHook('preClose', async () => {
    streams.closeAll()
    hub.close()
  })

  app.get(
    '/live',
    {
      // Its last hour moves with the clock even when no row arrives, so a copy keyed by the data would go stale.
      config: { uncached: true },
      schema: {
        tags: ['live'],
        summary: "Today's transactions so far by hour and channel, and the last hour by minute (provisional)",
        querystring: LiveQuery,
        response: { 200: LiveSnapshot, ...errorResponses(400, 401, 403, 503) },
      },
    },
    async (request, reply) => {
      const regions = await watchedRegions(request, request.query)
      reply.header('cache-control', 'no-store')
      return hub.latest(regions) ?? (await readSnapshot(app.store, regions))
    },
  )

  app.get(
    '/live/stream',
    {
      // Long-lived: neither kept by the answer cache nor holding a read slot while it lasts (plugins/overload.ts).
      config: { longLived: true },
      schema: {
        tags: ['live'],
        summary: 'The same figures as server-sent events: a `snapshot` at once and at every change',
        description:
          'text/event-stream. Events: `snapshot` (data: the answer of GET /live), `unavailable` (the database ' +
          'is not answering; the stream stays open), `bye` (the server is stopping: reconnect after `retry`). ' +
          'A comment line every 15 s keeps proxies from closing a quiet stream. At most 4 streams per token; a stream ' +
          'ends with `bye` after 15 minutes (the token is checked again when the client reconnects).',
        querystring: LiveQuery,
        produces: ['text/event-stream'],
        response: {
          200: {
            description: 'server-sent events',
            content: {
              'text/event-stream': {
                schema: Type.String({
                  description: 'event: snapshot | unavailable | bye, then data: JSON, a blank line',
                }),
              },
            },
          },
          ...errorResponses(400, 401, 403, 429, 503),
        },
      },
    },
    async (request, reply) => {
      const regions = await watchedRegions(request, request.query)
      streams.open(request, reply, regions)
    },
  )
}
