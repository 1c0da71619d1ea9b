// Sets request.principal from the bearer token on every request; no token means the public.
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { type Principal, publicPrincipal } from '../principal.ts'
import { TokenVerifier } from '../tokens.ts'

export const auth = fp(async (app: FastifyInstance) => {
  const verifier = new TokenVerifier(app.store)
  // Fastify wants null for object-valued request decorations; the hook below always sets it.
  app.decorateRequest('principal', null as unknown as Principal)
  app.addHook('onRequest', async (request, reply) => {
    const header = request.headers.authorization
    if (!header) {
      request.principal = publicPrincipal
      return
    }
    const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1]
    const principal = token ? await verifier.verify(token) : null
    if (!principal) {
      return reply.code(401).send({ error: 'unauthorized', message: 'the API token is malformed, unknown or revoked' })
    }
    request.principal = principal
  })
})
