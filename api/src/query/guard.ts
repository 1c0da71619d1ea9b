// Role checks for routes that are not metric queries (targets, indicators, ingest status).
import type { FastifyRequest } from 'fastify'
import type { Role } from '../contract/index.ts'
import { Forbidden } from './errors.ts'

export function requireRole(request: FastifyRequest, roles: readonly Role[], action: string): void {
  const { role } = request.principal
  if (roles.includes(role)) return
  if (role === 'public') throw new Forbidden(401, `${action} needs an API token`)
  throw new Forbidden(403, `a ${role} token may not ${action}`)
}
