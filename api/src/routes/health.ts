// Liveness (the process answers, never waiting on the engine) and readiness (the store can read and write).
import type { FastifyInstance } from 'fastify'

export async function healthRoutes(app: FastifyInstance): Promise<void> {
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }))

  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    const probe = await app.store.probe()
    if (probe.ok) return { status: 'ready', ms: Math.round(probe.ms) }
    return reply
      .code(503)
      .header('retry-after', probe.reason === 'storage' ? '30' : '5')
      .send({ status: 'unavailable', reason: probe.reason ?? 'engine' })
  })
}
