// The engine queries behind each Overview and Regions request, as its route runs them, planned or forced onto raw events.
import type { Store } from '@qyzmet/sql'
import { breakdownDispersion } from '../api/src/analysis/dispersion.ts'
import type { FilterQuery } from '../api/src/contract/index.ts'
import { metricById, plan, type QuerySpec } from '../api/src/metrics/index.ts'
import { planTogether } from '../api/src/metrics/together.ts'
import { comparedRanges } from '../api/src/query/compare.ts'
import { parseFilters } from '../api/src/query/filters.ts'
import { runRows } from '../api/src/query/run.ts'
import type { Reference } from '../api/src/reference.ts'
import { cellCounts } from '../api/src/shift/decompose.ts'
import { baseRange } from '../api/src/shift/periods.ts'

export type RequestKind = 'compare' | 'series' | 'region' | 'funnel' | 'decompose'

/** What a request asks, parsed from its URL: the route, the metric and the query string. */
export function requestOf(url: string): { kind: RequestKind; metric: string; query: FilterQuery } | null {
  const match = /^\/api\/v1\/metrics\/([a-z_]+)\/([a-z]+)\?(.*)$/.exec(url)
  if (!match) return null
  const [, metric = '', route = '', search = ''] = match
  const params = Object.fromEntries(new URLSearchParams(search))
  const query: FilterQuery = {
    period: params.period as FilterQuery['period'],
    from: params.from,
    to: params.to,
    interval: params.interval as FilterQuery['interval'],
  }
  const kind = route === 'breakdown' ? 'region' : (route as RequestKind)
  return { kind, metric, query }
}

/**
 * The route's engine work for a request (compare: the three ranges in one query; a share by region: the
 * dispersion query, then the answer; decompose: both ranges' counts by service), with the planner's choice of
 * tables or raw events only. Returns its rows, for the caller to check both paths agree.
 */
export interface EnginePath {
  /** The tables the planner reads (rollups, or events). */
  source: string
  run: (forceRaw: boolean) => Promise<unknown>
}

export function enginePath(store: Store, reference: Reference, today: string, url: string): EnginePath | null {
  const request = requestOf(url)
  const metric = request && metricById(request.metric)
  if (!request || !metric) return null
  const filters = parseFilters(request.query, { reference, today })
  const spec: QuerySpec = { metric, filters, by: [], series: false, today }
  const run = (planned: ReturnType<typeof plan>) => runRows(store, planned, 'bench:path')
  const sources = (specs: QuerySpec[]) => [...new Set(specs.map((one) => plan(one, reference).source))].join('; ')
  switch (request.kind) {
    case 'compare': {
      const ranges = comparedRanges(filters, 'calendar').map(({ from, to }) => ({
        ...spec,
        filters: { ...filters, from, to },
      }))
      return {
        source: sources(ranges),
        run: (forceRaw) => run(planTogether(ranges.map((range) => plan({ ...range, forceRaw }, reference)))),
      }
    }
    case 'series':
      return {
        source: sources([{ ...spec, series: true }]),
        run: (forceRaw) => run(plan({ ...spec, series: true, forceRaw }, reference)),
      }
    case 'funnel':
      return {
        source: sources([{ ...spec, by: ['region'] }]),
        run: (forceRaw) => run(plan({ ...spec, by: ['region'], forceRaw }, reference)),
      }
    case 'region':
      return {
        source: sources([{ ...spec, by: ['region'] }]),
        run: async (forceRaw) => {
          const byRegion = { ...spec, by: ['region' as const], forceRaw }
          const dispersion = breakdownDispersion(await run(plan(byRegion, reference)), 'region')
          return run(plan(dispersion?.applied ? { ...byRegion, dispersion: dispersion.phi } : byRegion, reference))
        },
      }
    case 'decompose': {
      const base = { ...filters, ...baseRange(filters, {}) }
      return {
        source: sources([{ ...spec, by: ['service'] }]),
        run: (forceRaw) =>
          cellCounts(store, reference, metric, { base, current: filters }, ['service'], today, forceRaw),
      }
    }
  }
}
