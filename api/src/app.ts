// Builds the Fastify application over an open store; main.ts starts it, tests inject into it.
import type { Store } from '@qyzmet/sql'
import Fastify, { type FastifyInstance } from 'fastify'
import { healthRoutes } from './routes/health.ts'
import { metaRoutes } from './routes/meta.ts'

declare module 'fastify' {
  interface FastifyInstance {
    store: Store
  }
}

export interface AppOptions {
  logger?: boolean
}

export async function buildApp(store: Store, options: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({ logger: options.logger ?? false })
  app.decorate('store', store)
  await app.register(healthRoutes)
  await app.register(metaRoutes, { prefix: '/api/v1' })
  return app
}
