// Token administration for the machine's operator (`npm run token` while the server runs): loopback only, and only
// with the secret of the channel file in the data directory.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { adminHeader, secretMatches } from '../admin.ts'
import { errorResponses } from '../contract/index.ts'
import { BadRequest, Forbidden, NotFound } from '../query/errors.ts'
import { createToken, listTokens, revokeToken } from '../tokens.ts'

const TokenBody = Type.Object(
  {
    role: Type.Enum(['analyst', 'regional', 'ingest']),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    regions: Type.Optional(Type.Array(Type.String({ pattern: '^[0-9]{2}$' }), { maxItems: 30 })),
  },
  { additionalProperties: false },
)
const Created = Type.Object({ id: Type.String(), token: Type.String() })
const TokenList = Type.Object({
  tokens: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      role: Type.String(),
      regions: Type.Array(Type.String()),
      created_at: Type.String(),
      revoked: Type.Boolean(),
    }),
  ),
})
const loopback = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1'])

export const adminRoutes: FastifyPluginAsyncTypebox<{ secret: () => string | null }> = async (app, options) => {
  app.addHook('onRequest', async (request) => {
    const secret = options.secret()
    const remote = request.socket.remoteAddress ?? ''
    const local = remote === request.socket.localAddress || loopback.has(remote)
    if (!secret || !local || !secretMatches(secret, request.headers[adminHeader])) {
      throw new Forbidden(403, 'the admin channel is for this machine’s operator: use `npm run token`')
    }
  })

  app.post(
    '/tokens',
    { schema: { hide: true, body: TokenBody, response: { 201: Created, ...errorResponses(400, 403, 503) } } },
    async (request, reply) => {
      const { role, name, regions = [] } = request.body
      if (role === 'regional' && regions.length === 0)
        throw new BadRequest('regions', 'a regional token needs its regions')
      const known = new Set((await app.reference()).regionCodes)
      const unknown = regions.filter((code) => !known.has(code))
      if (unknown.length) throw new BadRequest('regions', `unknown region ${unknown.join(', ')}`)
      const created = await createToken(app.store, { name, role, regions: role === 'regional' ? regions : [] })
      app.tokensChanged()
      return reply.code(201).send(created)
    },
  )

  app.get(
    '/tokens',
    { schema: { hide: true, response: { 200: TokenList, ...errorResponses(403, 503) } } },
    async () => ({
      tokens: (await listTokens(app.store)).map((token) => ({ ...token, revoked: Boolean(token.revoked) })),
    }),
  )

  app.delete(
    '/tokens/:id',
    {
      schema: {
        hide: true,
        params: Type.Object({ id: Type.String({ pattern: '^[0-9a-f]{8}$' }) }),
        response: { 204: Type.Null(), ...errorResponses(403, 404, 503) },
      },
    },
    async (request, reply) => {
      if (!(await revokeToken(app.store, request.params.id))) throw new NotFound(`no token ${request.params.id}`)
      app.tokensChanged()
      return reply.code(204).send(null)
    },
  )
}
