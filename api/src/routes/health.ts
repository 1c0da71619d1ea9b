// Liveness (the process answers) and readiness (the engine answers) for orchestrators and load balancers.
import type { FastifyInstance } from 'fastify'

export async function healthRoutes(app: FastifyInstance): Promise<void> {
  app.get('/healthz', async () => ({ status: 'ok' }))

  app.get('/readyz', async (_request, reply) => {
    try {
      await app.store.rows('readyz', 'SELECT 1')
      return { status: 'ready' }
    } catch {
      return reply.code(503).header('retry-after', '5').send({ status: 'unavailable', reason: 'engine' })
    }
  })
}
