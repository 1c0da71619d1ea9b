// Typed access to the Qyzmet API: one fetch wrapper that adds the bearer token, and the shapes of its answers.

export const tokenKey = 'qyzmet.token'

export const readToken = (): string | null => {
  try {
    return localStorage.getItem(tokenKey)
  } catch {
    return null
  }
}

import { type ErrorCode, errorCodes } from '@qyzmet/api/contract/error-codes'

// The API's answers, typed by the API's own contract (api/src/contract): a field renamed there breaks this build.
export type {
  Batch as IngestBatch,
  Comparison,
  FunnelAnswer,
  IndicatorDetail,
  Meta,
  MetricRow,
  MetricTable,
  Progress,
  PublishedIndicator as IndicatorSummary,
  Quality as IngestQuality,
  Target,
  TargetRegions,
  WhoAmI,
} from '@qyzmet/api/contract'

/** An answer other than 2xx: the status, the API's message (it names the bad parameter) and when to ask again. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** Seconds the server asked us to wait (Retry-After on a 503), if it said. */
    readonly retryAfter: number | null = null,
    /** The API's machine-readable reason (contract/common.ts `errorCodes`), which the page translates. */
    readonly code: ErrorCode | null = null,
    /** The parameter at fault, when the API names one. */
    readonly parameter: string | null = null,
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

const knownCodes: readonly string[] = errorCodes

/** The error code of a status when the body had none (a proxy's page, a lost connection's stand-in). */
const codeOfStatus = (status: number): ErrorCode =>
  status === 401
    ? 'unauthorized'
    : status === 403
      ? 'forbidden'
      : status === 404
        ? 'not_found'
        : status === 429
          ? 'too_many_requests'
          : status === 503
            ? 'unavailable'
            : status >= 500
              ? 'internal'
              : 'bad_request'

/** Retry-After in seconds: either a number of seconds or an HTTP date. */
export function retryAfterSeconds(header: string | null, now = Date.now()): number | null {
  if (!header) return null
  const seconds = Number(header)
  if (Number.isFinite(seconds) && seconds >= 0) return seconds
  const at = Date.parse(header)
  return Number.isNaN(at) ? null : Math.max(0, (at - now) / 1000)
}

/** A GET with the bearer token; `signal` cancels it (the view that asked moved on). */
export async function fetchJson<T>(
  path: string,
  { signal, token = readToken() }: { signal?: AbortSignal; token?: string | null } = {},
): Promise<T> {
  const response = await fetch(path, {
    headers: { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    signal,
  })
  if (!response.ok) {
    let message = response.statusText
    let code: ErrorCode = codeOfStatus(response.status)
    let parameter: string | null = null
    try {
      const body = (await response.json()) as { message?: string; error?: string; parameter?: string }
      message = body.message ?? message
      if (body.error && knownCodes.includes(body.error)) code = body.error as ErrorCode
      parameter = body.parameter ?? null
    } catch {
      // Not JSON (a proxy error page): the status says what it can.
    }
    throw new ApiError(
      response.status,
      message,
      retryAfterSeconds(response.headers.get('retry-after')),
      code,
      parameter,
    )
  }
  return (await response.json()) as T
}

/** Query string from parameters, dropping empty ones so that URLs stay short and stable. */
export function query(params: Record<string, string | undefined>): string {
  const search = new URLSearchParams()
  for (const [name, value] of Object.entries(params)) if (value) search.set(name, value)
  const text = search.toString()
  return text ? `?${text}` : ''
}

export const api = {
  meta: () => '/api/v1/meta',
  series: (metric: string, params: Record<string, string | undefined>) =>
    `/api/v1/metrics/${metric}/series${query(params)}`,
  // A breakdown or comparison has no periods: the interval is left out (the API would check it against the range).
  breakdown: (metric: string, params: Record<string, string | undefined>) =>
    `/api/v1/metrics/${metric}/breakdown${query({ ...params, interval: undefined })}`,
  compare: (metric: string, params: Record<string, string | undefined>) =>
    `/api/v1/metrics/${metric}/compare${query({ ...params, interval: undefined })}`,
  // A funnel compares the units of one breakdown over the whole range: no periods either.
  funnel: (metric: string, params: Record<string, string | undefined>) =>
    `/api/v1/metrics/${metric}/funnel${query({ ...params, interval: undefined })}`,
  targets: () => '/api/v1/targets',
  targetRegions: (id: string) => `/api/v1/targets/${encodeURIComponent(id)}/regions`,
  indicators: () => '/api/v1/indicators',
  indicator: (id: string) => `/api/v1/indicators/${encodeURIComponent(id)}`,
  ingestBatches: (limit = 50) => `/api/v1/ingest/batches?limit=${limit}`,
  ingestQuality: () => '/api/v1/ingest/quality',
  indicatorCsv: (id: string) => `/api/v1/indicators/${encodeURIComponent(id)}/values?format=csv`,
  whoami: () => '/api/v1/whoami',
}

/** The CSV twin of a tabular request: the same URL with format=csv. */
export function csvUrl(path: string): string {
  return `${path}${path.includes('?') ? '&' : '?'}format=csv`
}

/** Downloads a URL with the token (a plain link cannot send the Authorization header). */
export async function downloadWithToken(path: string, fileName: string): Promise<void> {
  const token = readToken()
  const response = await fetch(path, { headers: token ? { authorization: `Bearer ${token}` } : {} })
  if (!response.ok) throw new ApiError(response.status, response.statusText, null, codeOfStatus(response.status))
  const url = URL.createObjectURL(await response.blob())
  const link = document.createElement('a')
  link.href = url
  link.download = fileName
  link.click()
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}
