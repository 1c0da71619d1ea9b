// Serves the built dashboard (web/dist) on the API's port: hashed assets compressed (brotli/gzip, made at build) and
// cached for a year, the rest revalidated; any other non-API path gets index.html (client routing). `/` is the public
// portal's home (api/src/public), which sends a browser holding a token on to the app's Overview at /overview.
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import fastifyStatic from '@fastify/static'
import type { FastifyInstance, FastifyReply } from 'fastify'
import fp from 'fastify-plugin'

export const dashboardDir = fileURLToPath(new URL('../../../web/dist/', import.meta.url))

/** Vite names what it emits under assets/ by content hash: such a file never changes, so it may be kept for good. */
export const isHashedAsset = (path: string): boolean =>
  /[/\\]assets[/\\][^/\\]+-[A-Za-z0-9_-]{8,}(\.[a-z0-9]+)+$/.test(path)

export function cacheHeaders(reply: FastifyReply, path: string): void {
  reply.header('cache-control', isHashedAsset(path) ? 'public, max-age=31536000, immutable' : 'no-cache')
  // The same URL answers brotli, gzip or plain by Accept-Encoding: caches must keep them apart.
  reply.header('vary', 'accept-encoding')
}

export const dashboard = fp(async (app: FastifyInstance, options: { root?: string }) => {
  const root = options.root ?? dashboardDir
  if (!existsSync(`${root}/index.html`)) {
    app.get('/overview', async () => ({
      message: 'The dashboard is not built: run `npm run build:web`, or use the API under /api/v1.',
    }))
    return
  }
  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    wildcard: false,
    // `/` is the portal's; the app's own entry is served for its paths below.
    index: false,
    // scripts/build-web.mjs writes .br and .gz beside every text file; the smallest the client accepts is sent.
    preCompressed: true,
    cacheControl: false,
    setHeaders: cacheHeaders,
  })
  app.get('/*', async (request, reply) => {
    if (request.url.startsWith('/api/') || request.url.startsWith('/docs')) {
      return reply
        .code(404)
        .send({ error: 'not_found', message: `no route ${request.method} ${request.url.split('?')[0]}` })
    }
    return reply.sendFile('index.html')
  })
})
