// Typed access to the Qyzmet API: one fetch wrapper that adds the bearer token, and the shapes of its answers.
import type { Names, Unit } from './i18n.ts'

export const tokenKey = 'qyzmet.token'

export const readToken = (): string | null => {
  try {
    return localStorage.getItem(tokenKey)
  } catch {
    return null
  }
}

export interface Coded {
  code: string
  names: Names
}

export interface Meta {
  timezone: string
  today: string
  firstDay: string
  lastDay: string
  events: number
  intervals: string[]
  presets: string[]
  metrics: { id: string; names: Names; unit: Unit; higherIsBetter: boolean; breakdowns: string[]; kind: string }[]
  dimensions: {
    region: (Coded & { kind: string; population: number; validFrom: string | null; splitFrom: string | null })[]
    channel: (Coded & { kind: 'online' | 'offline' })[]
    service: (Coded & { category: string; agency: string; onlineSince: string | null })[]
    category: Coded[]
    agency: Coded[]
    age_band: Coded[]
    gender: Coded[]
    assisted_by: Coded[]
  }
}

/** One row of a series or breakdown; dimension columns (region, channel…) appear when broken down by them. */
export interface MetricRow {
  period?: string
  value: number | null
  ci_low?: number | null
  ci_high?: number | null
  numerator?: number | null
  denominator?: number | null
  transactions?: number | null
  suppressed?: number | boolean
  region?: string
  channel?: string
  service?: string
  category?: string
  age_band?: string
  gender?: string
  assisted_by?: string
  office?: string
}

export interface MetricTable {
  metric: string
  unit: Unit
  by: string[]
  source: string
  rows: MetricRow[]
}

interface ComparedValue {
  from: string
  to: string
  value: number | null
  ci_low: number | null
  ci_high: number | null
  transactions: number
}
type Change = { absolute: number; relative: number | null } | null

export interface Comparison {
  metric: string
  unit: Unit
  current: ComparedValue
  previous: ComparedValue
  previousYear: ComparedValue
  change: { previous: Change; previousYear: Change }
}

export interface Progress {
  series: { period: string; value: number | null }[]
  current: number | null
  currentPeriod: string | null
  trendPerMonth: number | null
  reached: boolean
  projectedDate: string | null
  monthlyGainNeeded: number | null
  onTrack: boolean
}

export interface Target {
  id: string
  metric: string
  filters: Record<string, string>
  value: number
  dueDate: string
  title: Names
  progress?: Progress
}

export interface IndicatorSummary {
  id: string
  metric: string
  interval: string
  title: Names
  methodology: Names
  version: number
  publishedAt: string
}

export interface IndicatorDetail extends IndicatorSummary {
  versions: { version: number; publishedAt: string; note: Names; revisedPeriods: number }[]
  values: MetricRow[]
}

/** GET /ingest/batches: one batch of the ledger (ingest/src/ledger.ts), newest first. */
export interface IngestBatch {
  batch_id: string
  source: string
  file: string
  format: string
  state: 'staging' | 'publishing' | 'done' | 'failed'
  rows: number
  valid: number
  loaded: number
  duplicates_in_batch: number
  duplicates_existing: number
  quarantined: number
  reasons: Record<string, number>
  error: string
  started_at: string
  finished_at: string | null
}

/** GET /ingest/quality: freshness per source, region and channel, and quarantined rows by reason. */
export interface IngestQuality {
  freshness: {
    source: string
    region: string
    channel: string
    last_event_at: string
    last_loaded_at: string
    events: number
  }[]
  quarantine: { reason: string; rows: number; batches: number; last_at: string }[]
}

/** An answer other than 2xx: the status, the API's message (it names the bad parameter) and when to ask again. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** Seconds the server asked us to wait (Retry-After on a 503), if it said. */
    readonly retryAfter: number | null = null,
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

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
    try {
      const body = (await response.json()) as { message?: string }
      message = body.message ?? message
    } catch {
      // Not JSON (a proxy error page): the status text is all there is.
    }
    throw new ApiError(response.status, message, retryAfterSeconds(response.headers.get('retry-after')))
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
  targets: () => '/api/v1/targets',
  indicators: () => '/api/v1/indicators',
  indicator: (id: string) => `/api/v1/indicators/${encodeURIComponent(id)}`,
  ingestBatches: (limit = 50) => `/api/v1/ingest/batches?limit=${limit}`,
  ingestQuality: () => '/api/v1/ingest/quality',
  indicatorCsv: (id: string) => `/api/v1/indicators/${encodeURIComponent(id)}/values?format=csv`,
}

/** The CSV twin of a tabular request: the same URL with format=csv. */
export function csvUrl(path: string): string {
  return `${path}${path.includes('?') ? '&' : '?'}format=csv`
}

/** Downloads a URL with the token (a plain link cannot send the Authorization header). */
export async function downloadWithToken(path: string, fileName: string): Promise<void> {
  const token = readToken()
  const response = await fetch(path, { headers: token ? { authorization: `Bearer ${token}` } : {} })
  if (!response.ok) throw new ApiError(response.status, response.statusText)
  const url = URL.createObjectURL(await response.blob())
  const link = document.createElement('a')
  link.href = url
  link.download = fileName
  link.click()
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}
