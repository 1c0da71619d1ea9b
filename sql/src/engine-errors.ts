// Tells an engine that is lost, slow, full or overloaded apart from a query the engine refused, and names it.
import { ClickHouseError } from '@clickhouse/client'

export type UnavailableReason = 'unreachable' | 'timeout' | 'storage' | 'overloaded'

/** How long a client should wait before asking again, by what went wrong. */
const retryAfter: Record<UnavailableReason, number> = { unreachable: 5, timeout: 5, overloaded: 5, storage: 30 }

const describe: Record<UnavailableReason, string> = {
  unreachable: 'the database is not reachable',
  timeout: 'the database did not answer in time',
  overloaded: 'the database is overloaded',
  storage: 'the database cannot read or write its storage',
}

/**
 * The store could not get an answer from the engine (after its bounded retries): the caller may try again later.
 * ClickHouse's own refusals of a query (bad SQL, a query over its time limit, access denied) are not this: they
 * reach the caller as the engine's error.
 */
export class EngineUnavailable extends Error {
  readonly reason: UnavailableReason
  readonly retryAfterSeconds: number
  /** The store operation's name, e.g. `api:volume`. */
  readonly operation: string

  constructor(reason: UnavailableReason, operation: string, detail: string, options: { cause?: unknown } = {}) {
    super(`${describe[reason]} (${operation}: ${detail})`, options)
    this.name = 'EngineUnavailable'
    this.reason = reason
    this.retryAfterSeconds = retryAfter[reason]
    this.operation = operation
  }
}

/** ClickHouse's error code, from the client's error or chdb's (another copy of the same class, so not `instanceof`). */
export function engineCode(error: unknown): string | null {
  if (error instanceof ClickHouseError) return String(error.code)
  const candidate = error as { code?: unknown; type?: unknown } | null
  return typeof candidate?.type === 'string' && /^\d+$/.test(String(candidate.code)) ? String(candidate.code) : null
}

/** Busy, not wrong: too many queries or parts, a replica or Keeper that is catching up. */
const overloadedCodes = new Set(['202', '252', '242', '999'])
/** The engine's own network failures (to a shard, or a socket it lost). */
const engineNetworkCodes = new Set(['209', '210', '425'])
/** The engine's storage failed: no space, or files it cannot open, read or write. */
const storageTypes = new Set([
  'NOT_ENOUGH_SPACE',
  'CANNOT_FSYNC',
  'CANNOT_WRITE_TO_FILE_DESCRIPTOR',
  'CANNOT_CREATE_DIRECTORY',
  'CANNOT_TRUNCATE_FILE',
])
const storageMessage = /No space left on device|Read-only file system|Disk quota exceeded|Input\/output error/i
const networkErrnos = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
])
const networkMessage =
  /socket hang up|ECONNRESET|ECONNREFUSED|Timeout error|ChdbConnection is closed|Connection closed/i

export type Failure =
  | { kind: 'unavailable'; reason: UnavailableReason; retry: boolean }
  | { kind: 'query'; retry: false }

/** What a failed engine call means: the engine is unavailable (and whether another try may help), or the query failed. */
export function classify(error: unknown): Failure {
  if (error instanceof EngineUnavailable) return { kind: 'unavailable', reason: error.reason, retry: false }
  const code = engineCode(error)
  const message = error instanceof Error ? error.message : String(error)
  if (code !== null) {
    const type = String((error as { type?: unknown }).type ?? '')
    if (storageTypes.has(type) || storageMessage.test(message)) {
      return { kind: 'unavailable', reason: 'storage', retry: false }
    }
    if (overloadedCodes.has(code)) return { kind: 'unavailable', reason: 'overloaded', retry: true }
    if (engineNetworkCodes.has(code)) return { kind: 'unavailable', reason: 'unreachable', retry: true }
    return { kind: 'query', retry: false }
  }
  const errno = (error as { code?: unknown } | null)?.code
  if ((typeof errno === 'string' && networkErrnos.has(errno)) || networkMessage.test(message)) {
    return { kind: 'unavailable', reason: 'unreachable', retry: true }
  }
  if (typeof errno === 'string' && ['ENOSPC', 'EROFS', 'EDQUOT', 'EIO'].includes(errno)) {
    return { kind: 'unavailable', reason: 'storage', retry: false }
  }
  return { kind: 'query', retry: false }
}

/** Whether a failure may pass with time: the engine was busy or out of reach, not wrong. */
export function isTransient(error: unknown): boolean {
  const failure = classify(error)
  return error instanceof EngineUnavailable || (failure.kind === 'unavailable' && failure.retry)
}
