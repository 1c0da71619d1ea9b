// Security headers on every answer, with a Content-Security-Policy under which the dashboard and /docs work.
import helmet from '@fastify/helmet'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

/**
 * Only our own files run: no inline or injected script, no eval, no plug-ins, no other origin to talk to; the
 * dashboard and Swagger UI load everything from this server. Styles may be inline because ECharts (tooltips, the SVG
 * renderer) and Swagger UI write style attributes; a style cannot run code, and the script policy stays strict.
 * No upgrade-insecure-requests: installations on plain HTTP inside a ministry network would lose every asset.
 */
export const contentSecurityPolicy = {
  'default-src': ["'self'"],
  'base-uri': ["'self'"],
  'connect-src': ["'self'"],
  'font-src': ["'self'", 'data:'],
  'form-action': ["'self'"],
  'frame-ancestors': ["'self'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'object-src': ["'none'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  'style-src': ["'self'", "'unsafe-inline'"],
}

export const headers = fp(async (app: FastifyInstance) => {
  await app.register(helmet, { contentSecurityPolicy: { useDefaults: false, directives: contentSecurityPolicy } })
})
