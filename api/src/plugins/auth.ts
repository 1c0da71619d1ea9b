// Sets request.principal from the bearer token on every request; no token means the public.
import { normalizeIP } from '@fastify/rate-limit'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { type Principal, publicPrincipal } from '../principal.ts'
import { TokenVerifier, type VerifierOptions } from '../tokens.ts'

/** Routes that never look a token up: probes must answer while the engine does not; /metrics has its own token. */
const tokenFreeRoutes = new Set(['/healthz', '/readyz', '/metrics'])

export interface AuthOptions {
  /** Failed authentications an address may make per window before it gets 429 (default 20). */
  failureLimit?: number
  /** The window of that count in milliseconds (default one minute). */
  failureWindowMs?: number
  verifier?: VerifierOptions
}

/** Most addresses tracked; past it, expired windows are dropped, and if that is not enough, all are. */
const maxAddresses = 50_000

/** Failed authentications per address in fixed windows: guessing tokens, or sending made-up ones, is slowed down. */
export class FailureCounter {
  private windows = new Map<string, { count: number; endsAt: number }>()

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Seconds until the address may try again, or 0 when it may try now. */
  blockedFor(address: string): number {
    const window = this.windows.get(address)
    const now = Date.now()
    if (!window || window.endsAt <= now || window.count < this.limit) return 0
    return Math.ceil((window.endsAt - now) / 1000)
  }

  record(address: string): void {
    const now = Date.now()
    let window = this.windows.get(address)
    if (!window || window.endsAt <= now) {
      if (this.windows.size >= maxAddresses) this.prune(now)
      window = { count: 0, endsAt: now + this.windowMs }
      this.windows.set(address, window)
    }
    window.count++
  }

  private prune(now: number): void {
    for (const [address, window] of this.windows) if (window.endsAt <= now) this.windows.delete(address)
    if (this.windows.size >= maxAddresses) this.windows.clear()
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    tokensChanged(): void
  }
}

export const auth = fp(async (app: FastifyInstance, options: AuthOptions) => {
  const verifier = new TokenVerifier(app.store, options.verifier)
  // Tokens created or revoked through this server (the operator's channel) work, or stop working, at once.
  app.decorate('tokensChanged', () => verifier.forget())
  const failures = new FailureCounter(options.failureLimit ?? 20, options.failureWindowMs ?? 60_000)
  // Fastify wants null for object-valued request decorations; the hook below always sets it.
  app.decorateRequest('principal', null as unknown as Principal)
  app.addHook('onRequest', async (request, reply) => {
    const header = request.headers.authorization
    if (!header || tokenFreeRoutes.has(request.routeOptions.url ?? '')) {
      request.principal = publicPrincipal
      return
    }
    const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1]
    // IPv6 clients are counted by /64, as the rate limit counts them: one host holds a whole such block.
    const address = normalizeIP(request.ip ?? 'unknown')
    // A token verified lately costs no query, so it passes even from an address that others behind it made blocked.
    if (!(token && verifier.isKnown(token))) {
      const wait = failures.blockedFor(address)
      if (wait > 0) {
        return reply
          .code(429)
          .header('retry-after', String(wait))
          .send({
            error: 'too_many_requests',
            message: `too many failed authentications from this address; retry in ${wait} s`,
          })
      }
    }
    const principal = token ? await verifier.verify(token) : null
    if (!principal) {
      failures.record(address)
      return reply.code(401).send({ error: 'unauthorized', message: 'the API token is malformed, unknown or revoked' })
    }
    request.principal = principal
  })
})
