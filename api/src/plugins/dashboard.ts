// Serves the built dashboard (web/dist) on the API's port; any other non-API path gets index.html (client routing).
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import fastifyStatic from '@fastify/static'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

export const dashboardDir = fileURLToPath(new URL('../../../web/dist/', import.meta.url))

export const dashboard = fp(async (app: FastifyInstance, options: { root?: string }) => {
  const root = options.root ?? dashboardDir
  if (!existsSync(`${root}/index.html`)) {
    app.get('/', async () => ({
      message: 'The dashboard is not built: run `npm run build:web`, or use the API under /api/v1.',
    }))
    return
  }
  await app.register(fastifyStatic, { root, prefix: '/', wildcard: false, index: 'index.html' })
  app.get('/*', async (request, reply) => {
    if (request.url.startsWith('/api/') || request.url.startsWith('/docs')) {
      return reply
        .code(404)
        .send({ error: 'not_found', message: `no route ${request.method} ${request.url.split('?')[0]}` })
    }
    return reply.sendFile('index.html')
  })
})
