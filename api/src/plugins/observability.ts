// Prometheus metrics at /metrics for the operator's token: request rates and durations by route, errors, event loop.
import { createHash, timingSafeEqual } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client'

declare module 'fastify' {
  interface FastifyInstance {
    /** Where plugins register their own Prometheus metrics. */
    prometheus: Registry
  }
}

export interface ObservabilityOptions {
  /**
   * The bearer token Prometheus sends; without one, /metrics does not exist. The API's port faces the public, and
   * routes, error rates and memory tell an attacker when and where to push: they are for the operator only.
   */
  metricsToken?: string | null
}

const digest = (text: string) => createHash('sha256').update(text).digest()

export const observability = fp(async (app: FastifyInstance, options: ObservabilityOptions) => {
  const registry = new Registry()
  app.decorate('prometheus', registry)
  collectDefaultMetrics({ register: registry, prefix: 'qyzmet_' })
  const duration = new Histogram({
    name: 'qyzmet_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  })
  const failures = new Counter({
    name: 'qyzmet_http_server_errors_total',
    help: 'Answers with status 5xx, by route and status (503: engine unavailable, too slow or overloaded)',
    labelNames: ['route', 'status'],
    registers: [registry],
  })
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched'
    duration.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000)
    if (reply.statusCode >= 500) failures.inc({ route, status: String(reply.statusCode) })
  })

  const token = options.metricsToken
  if (!token) {
    // Answered here, or the dashboard would answer the path with its page.
    app.get('/metrics', { schema: { hide: true } }, async (_request, reply) =>
      reply.code(404).send({
        error: 'not_found',
        message: 'Prometheus metrics are off; the operator turns them on with QYZMET_METRICS_TOKEN',
      }),
    )
    return
  }
  // Digests of equal length, so that the comparison takes the same time whatever was sent.
  const expected = digest(`Bearer ${token}`)
  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    if (!timingSafeEqual(digest(request.headers.authorization ?? ''), expected)) {
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer')
        .send({ error: 'unauthorized', message: 'send the operator token of QYZMET_METRICS_TOKEN' })
    }
    return reply.type(registry.contentType).send(await registry.metrics())
  })
})
