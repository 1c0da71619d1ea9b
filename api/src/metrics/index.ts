// The metric registry: every metric of METHODOLOGY.md, one file each; a plan checks the request, then asks the metric.
import type { Interval, MetricDescription } from '../contract/index.ts'
import { incompleteColumn } from '../monitoring/incomplete.ts'
import { BadRequest } from '../query/errors.ts'
import type { Reference } from '../reference.ts'
import { ageDivide } from './age-divide.ts'
import { assistedDigitalShare } from './assisted-digital-share.ts'
import { catalogueCoverage } from './catalogue-coverage.ts'
import { channelMigration } from './channel-migration.ts'
import { completionRate } from './completion-rate.ts'
import { onlineShare } from './online-share.ts'
import { onlineShareSelf } from './online-share-self.ts'
import { perCapita } from './per-capita.ts'
import { processingTimeMedian } from './processing-time-median.ts'
import { requests } from './requests.ts'
import { satisfaction } from './satisfaction.ts'
import type { Metric, Plan, QuerySpec } from './types.ts'
import { volume } from './volume.ts'

export type { Metric, Plan, QuerySpec } from './types.ts'

export const metrics: readonly Metric[] = [
  volume,
  requests,
  onlineShare,
  onlineShareSelf,
  assistedDigitalShare,
  completionRate,
  perCapita,
  processingTimeMedian,
  satisfaction,
  ageDivide,
  catalogueCoverage,
  channelMigration,
]

export const metricIds = metrics.map((metric) => metric.id)

const byId = new Map(metrics.map((metric) => [metric.id, metric]))

/** The metric of an id from a request: own entries only, so that `constructor` or `__proto__` are simply unknown. */
export function metricById(id: string): Metric | undefined {
  return byId.get(id)
}

/** The metric of a request's `parameter`, or a 400 that lists the metrics. */
export function requireMetric(id: string, parameter = 'metric'): Metric {
  const metric = byId.get(id)
  if (!metric) throw new BadRequest(parameter, `unknown metric "${id}": one of ${metricIds.join(', ')}`)
  return metric
}

/** What clients are told about a metric (in /meta and /metrics): no SQL. */
export function describeMetric({ id, names, definition, unit, higherIsBetter, breakdowns }: Metric): MetricDescription {
  return { id, names, definition, unit, higherIsBetter, breakdowns }
}

/** Checks that the metric can answer the request as asked, then plans it. */
export function plan(spec: QuerySpec, reference: Reference): Plan {
  const { metric, by } = spec
  for (const dimension of by) {
    if (!metric.breakdowns.includes(dimension)) {
      throw new BadRequest(
        'by',
        `${metric.id} cannot be broken down by ${dimension}: use ${metric.breakdowns.join(', ')}`,
      )
    }
  }
  const refusal = metric.refuses?.(spec.filters)
  if (refusal) throw new BadRequest(refusal.parameter, refusal.reason)
  const planned = metric.plan(spec, reference)
  return spec.series ? withProvisional(planned, spec) : planned
}

/** The last day of the period that starts on `period`, for each interval. */
const periodEnd: Record<Interval, string> = {
  day: 'period',
  week: 'period + 6',
  month: 'toLastDayOfMonth(period)',
  quarter: 'toLastDayOfMonth(period + INTERVAL 2 MONTH)',
  year: 'toLastDayOfMonth(period + INTERVAL 11 MONTH)',
}

/**
 * Marks each period that had not ended by today: incomplete, its value still moving (a column in every format); and
 * each period an expected feed left incomplete (`incomplete`, monitoring/incomplete.ts).
 */
function withProvisional(planned: Plan, spec: QuerySpec): Plan {
  const keys = ['period', ...spec.by].join(', ')
  const incomplete = incompleteColumn(spec)
  return {
    ...planned,
    params: { ...planned.params, today: spec.today, ...incomplete.params },
    sql: `SELECT *, ${periodEnd[spec.filters.interval]} >= {today:Date} AS provisional, ${incomplete.sql} AS incomplete FROM (${planned.sql}) ORDER BY ${keys}`,
  }
}
