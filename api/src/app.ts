// Builds the Fastify application over an open store; main.ts starts it, tests inject into it.
import zlib from 'node:zlib'
import compress from '@fastify/compress'
import cors from '@fastify/cors'
import rateLimit from '@fastify/rate-limit'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { Store } from '@qyzmet/sql'
import Fastify, { type FastifyInstance } from 'fastify'
import { loadMonitorConfig, type MonitorConfig } from './monitoring/config.ts'
import { type AuthOptions, auth } from './plugins/auth.ts'
import { cache } from './plugins/cache.ts'
import { dashboard } from './plugins/dashboard.ts'
import { errors } from './plugins/errors.ts'
import { headers } from './plugins/headers.ts'
import { observability } from './plugins/observability.ts'
import { type OverloadOptions, overload } from './plugins/overload.ts'
import { reference } from './plugins/reference.ts'
import { portalRoutes } from './public/routes.ts'
import { BadRequest } from './query/errors.ts'
import { parseQueryString } from './querystring.ts'
import { adminRoutes } from './routes/admin.ts'
import { alertingRoutes } from './routes/alerting.ts'
import { healthRoutes } from './routes/health.ts'
import { indicatorRoutes } from './routes/indicators.ts'
import { type IngestRouteOptions, ingestRoutes } from './routes/ingest.ts'
import { metaRoutes } from './routes/meta.ts'
import { metricRoutes } from './routes/metrics.ts'
import { monitoringRoutes } from './routes/monitoring.ts'
import { shiftRoutes } from './routes/shift.ts'
import { targetRoutes } from './routes/targets.ts'

declare module 'fastify' {
  interface FastifyInstance {
    store: Store
  }
}

export interface AppOptions {
  logger?: boolean
  /** Requests per minute an anonymous client may make (per address). */
  anonymousRateLimit?: number
  /** Origins allowed to call the API from a browser; empty for same-origin only. */
  corsOrigins?: string[]
  /** Published figures resting on fewer transactions than this are suppressed. */
  suppressBelow?: number
  /** Serve the built dashboard from web/dist (default true). */
  dashboard?: boolean
  /** Limits of HTTP push (body size, queue, spool directory). */
  ingest?: IngestRouteOptions
  /** The operator channel's secret (see admin.ts); without it the admin routes refuse everything. */
  adminSecret?: () => string | null
  /** Reverse proxies (addresses, CIDRs) whose X-Forwarded-For is believed, so that limits count real clients. */
  trustedProxies?: string[]
  /** The operator's bearer token for Prometheus /metrics; without one /metrics is off. */
  metricsToken?: string | null
  /** Failed authentications per address before 429. */
  auth?: AuthOptions
  /** Engine-bound reads at once and waiting; the rest get 503 with Retry-After. */
  overload?: OverloadOptions
  /** The monitor's settings (notifications' SMTP, the schedule); default: no schedule, no email. */
  monitor?: MonitorConfig
}

/** Probes answer whatever the traffic: orchestrators must not see a busy server as a dead one. */
const probes = new Set(['/healthz', '/readyz'])

export async function buildApp(store: Store, options: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    trustProxy: options.trustedProxies?.length ? options.trustedProxies : false,
    // Lists (region=75,71 or region=75&region=71) arrive as arrays; `verbose` keeps the refused value for the message.
    routerOptions: { querystringParser: parseQueryString },
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false, verbose: true } },
  }).withTypeProvider<TypeBoxTypeProvider>()
  app.decorate('store', store)
  await app.register(errors)
  // Ajv's coercion turns "Infinity" (or 1e400) into a number that passes integer, minimum and maximum: refuse it here.
  app.addHook('preHandler', async (request) => {
    for (const [name, value] of Object.entries((request.query ?? {}) as Record<string, unknown>)) {
      if (typeof value === 'number' && !Number.isFinite(value)) throw new BadRequest(name, 'must be a finite number')
    }
  })
  await app.register(observability, { metricsToken: options.metricsToken })
  await app.register(reference)
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Qyzmet API',
        version: '1',
        description: 'Public-service delivery metrics. Definitions: METHODOLOGY.md.',
      },
      components: { securitySchemes: { token: { type: 'http', scheme: 'bearer' } } },
      security: [{ token: [] }],
    },
  })
  await app.register(swaggerUi, { routePrefix: '/docs' })
  await app.register(headers)
  await app.register(cors, { origin: options.corsOrigins?.length ? options.corsOrigins : false })
  await app.register(auth, options.auth ?? {})
  await app.register(rateLimit, {
    max: options.anonymousRateLimit ?? 300,
    timeWindow: '1 minute',
    // Tokens identify their holders; only anonymous clients are limited, per address.
    allowList: (request) =>
      probes.has(request.routeOptions.url ?? '') ||
      (request.principal !== undefined && request.principal.role !== 'public'),
  })
  await app.register(cache)
  // After the cache, so that the cache keeps answers as they are (it has its own gzipped copy for hits): every other
  // text answer — a computed JSON answer, a CSV stream — goes out compressed for clients that accept it.
  await app.register(compress, {
    global: true,
    threshold: 1024,
    encodings: ['br', 'gzip'],
    // Arrow streams too (dictionary-encoded, they shrink far below gzip-JSON); Parquet is compressed inside already.
    customTypes: /^text\/|^application\/(json|vnd\.apache\.arrow\.stream|javascript|xml)|\+json$/,
    // Quality 4 compresses about as well as gzip -6 at a fraction of brotli's default cost.
    brotliOptions: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } },
  })
  // After the cache: only requests that must compute an answer take a turn.
  await app.register(overload, options.overload ?? {})
  await app.register(healthRoutes)
  await app.register(
    async (api) => {
      await api.register(metaRoutes)
      await api.register(metricRoutes)
      await api.register(shiftRoutes)
      await api.register(targetRoutes)
      await api.register(indicatorRoutes, { suppressBelow: options.suppressBelow ?? 10 })
      const monitor = options.monitor ?? loadMonitorConfig({ QYZMET_MONITOR: 'off' })
      await api.register(monitoringRoutes, { monitor })
      await api.register(alertingRoutes, { monitor })
      // Its own scope: the ingest routes read every body as a raw stream.
      await api.register(ingestRoutes, options.ingest ?? {})
    },
    { prefix: '/api/v1' },
  )
  // The public portal: server-rendered pages of published data at the site's root (/, /indicators/:id, /embed/…).
  await app.register(portalRoutes, { suppressBelow: options.suppressBelow ?? 10 })
  await app.register(adminRoutes, { prefix: '/admin/v1', secret: options.adminSecret ?? (() => null) })
  if (options.dashboard !== false) await app.register(dashboard, {})
  return app
}
