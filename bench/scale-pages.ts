// The Overview's and Regions' requests for their default view, as the web client sends them, and their timing.
import type { FastifyInstance } from 'fastify'
import { bearer } from '../api/src/testing.ts'

export interface PageRequest {
  page: 'Overview' | 'Regions'
  /** What the page shows with it. */
  name: string
  url: string
}

/** The KPI cards of web/src/pages/Overview.tsx, in order; the register's KPI takes only the dates. */
const kpis = [
  'volume',
  'online_share',
  'digital_take_up',
  'online_share_self',
  'catalogue_coverage',
  'completion_rate',
  'satisfaction',
  'satisfaction_response_rate',
]

/**
 * Every request of the two pages with their default filters (last 12 months; the trend from the first day to
 * today, monthly), as web/src/api.ts builds them. `firstDay` and `today` are /meta's, as the page reads them.
 * The online share's comparison is asked twice by the Overview (a card and the gauge) and sent once here: the
 * client's query cache merges the two.
 */
export function pageRequests(firstDay: string, today: string): PageRequest[] {
  return [
    { page: 'Overview', name: 'meta', url: '/api/v1/meta' },
    { page: 'Overview', name: 'targets', url: '/api/v1/targets' },
    ...kpis.map((metric) => ({
      page: 'Overview' as const,
      name: `${metric} KPI (compare)`,
      url: `/api/v1/metrics/${metric}/compare?period=last_12m`,
    })),
    {
      page: 'Overview',
      name: 'online share trend, monthly to today',
      url: `/api/v1/metrics/online_share/series?from=${firstDay}&to=${today}&interval=month`,
    },
    {
      page: 'Overview',
      name: 'online share decomposition by service',
      url: '/api/v1/metrics/online_share/decompose?period=last_12m&by=service',
    },
    {
      page: 'Regions',
      name: 'online share by region (map)',
      url: '/api/v1/metrics/online_share/breakdown?period=last_12m&by=region',
    },
    {
      page: 'Regions',
      name: 'online share funnel by region',
      url: '/api/v1/metrics/online_share/funnel?period=last_12m&by=region',
    },
  ]
}

/** The first day of data and today, as the pages learn them from /meta. */
export async function metaDays(app: FastifyInstance, token: string): Promise<{ firstDay: string; today: string }> {
  const answer = await app.inject({ url: '/api/v1/meta', headers: bearer(token) })
  if (answer.statusCode !== 200) throw new Error(`/meta answered ${answer.statusCode}: ${answer.body.slice(0, 200)}`)
  const meta = answer.json() as { firstDay?: string; today?: string }
  return { firstDay: meta.firstDay ?? '2019-01-01', today: meta.today ?? app.today() }
}

/** One request, computed (no-cache skips the API's answer cache): its milliseconds, status and body. */
export async function answered(
  app: FastifyInstance,
  token: string,
  url: string,
): Promise<{ ms: number; status: number; body: string }> {
  const started = performance.now()
  const answer = await app.inject({ url, headers: { ...bearer(token), 'cache-control': 'no-cache' } })
  return { ms: performance.now() - started, status: answer.statusCode, body: answer.body }
}

/** One request that must succeed: its milliseconds and body, or an error naming it. */
export async function timed(app: FastifyInstance, token: string, url: string): Promise<{ ms: number; body: string }> {
  const answer = await answered(app, token, url)
  if (answer.status !== 200) throw new Error(`${url} answered ${answer.status}: ${answer.body.slice(0, 300)}`)
  return answer
}

export const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.max(0, Math.ceil(values.length * p) - 1)] ?? Number.NaN
