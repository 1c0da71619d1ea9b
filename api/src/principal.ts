// Who is asking: the role and regions of the request's API token, or the public when there is none.
import type { Role } from './contract/index.ts'

export type { Role }

export interface Principal {
  role: Role
  /** Regions (KATO codes) a regional token sees in full detail; empty for other roles. */
  regions: string[]
  /** The token's id, for audit lines; null for the public. */
  tokenId: string | null
  /** The token's name, shown back to its holder; absent for the public. */
  name?: string
}

export const publicPrincipal: Principal = { role: 'public', regions: [], tokenId: null }

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal
  }
}
