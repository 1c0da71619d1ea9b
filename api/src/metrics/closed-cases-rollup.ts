// Completion rate and median processing time from the rollups: cases closed by day of closing, requests by day of request.
import { closedDimensions, closedRollups, type Dimension, rollups } from '@qyzmet/sql'
import type { ApiDimension } from '../contract/index.ts'
import { periodsOf } from '../query/periods.ts'
import type { Reference } from '../reference.ts'
import { type ClosedFigure, closedOutcome } from './closed-outcome.ts'
import { closedRanges, firstStoredDay, type GrainRanges } from './sources.ts'
import {
  dimensionConditions,
  filteredDimensions,
  periodOf,
  selectDimension,
  storageColumn,
  suppress,
  suppressCount,
} from './sql.ts'
import type { Plan, QuerySpec } from './types.ts'

/** The rollups whose `transactions` are the cases requested, by grain: the closed rollups' own dimensions. */
const requestRollups = {
  day: rollups.find((rollup) => rollup.time === 'day' && sameDimensions(rollup.dimensions)),
  month: rollups.find((rollup) => rollup.time === 'month' && sameDimensions(rollup.dimensions)),
}

function sameDimensions(dimensions: readonly Dimension[]): boolean {
  return dimensions.length === closedDimensions.length && dimensions.every((d) => closedDimensions.includes(d))
}

/** Whether the rollups hold every dimension the request filters or groups by (a release's as-of read never). */
export function closedRollupsAnswer(spec: QuerySpec): boolean {
  if (spec.forceRaw || spec.asOf || !requestRollups.day || !requestRollups.month) return false
  const needed = new Set<ApiDimension>([...spec.by, ...filteredDimensions(spec.filters)])
  return [...needed].every((dimension) => closedDimensions.includes(storageColumn[dimension] as Dimension))
}

const emptyHistogram = "CAST(([], []), 'Tuple(Array(UInt64), Array(UInt64))')"

/**
 * The rows of one table over its ranges, as (day, dimensions, requested, closed, closed_completed[, histogram]):
 * a request rollup gives `requested`, a closed rollup the rest.
 */
function branch(
  table: string,
  time: string,
  kind: 'requests' | 'closed',
  ranges: { from: string; to: string }[],
  context: { columns: string[]; conditions: string[]; histogram: boolean; params: Record<string, unknown> },
  name: string,
): string {
  const { columns, conditions, histogram, params } = context
  const within = ranges.map((range, index) => {
    params[`${name}_from_${index}`] = range.from
    params[`${name}_to_${index}`] = range.to
    return `${time} BETWEEN {${name}_from_${index}:Date} AND {${name}_to_${index}:Date}`
  })
  const zero = 'toUInt64(0)'
  const measures =
    kind === 'requests'
      ? ['transactions AS requested', `${zero} AS closed`, `${zero} AS closed_completed`]
      : [`${zero} AS requested`, 'closed', 'closed_completed']
  const select = (extra: string[], only?: string) =>
    `SELECT ${[`${time} AS day`, ...columns, ...measures, ...extra].join(', ')}
      FROM ${table} WHERE ${[`(${within.join(' OR ')})`, ...(only ? [only] : []), ...conditions].join(' AND ')}`
  if (!histogram) return select([])
  if (kind === 'requests') return select([`${emptyHistogram} AS processing_hist`])
  // Only the range's own closures need their times: reading every earlier month's histogram cost the most.
  return `${select([`${emptyHistogram} AS processing_hist`], `${time} < {from:Date}`)}
      UNION ALL
      ${select(['processing_hist'], `${time} >= {from:Date}`)}`
}

/**
 * Each group's rows are first summed into buckets: one per period of the range (its cases closed there, and its
 * requests less closures) and one for all history before the range (requests less closures). A period's open cases
 * are the sum of requests less closures over the buckets up to its last day; its closed cases are its own bucket's.
 */
export function planClosedFromRollups(spec: QuerySpec, reference: Reference, figure: ClosedFigure): Plan {
  const { filters, by, series } = spec
  const periods = series ? periodsOf(filters) : [{ start: filters.from, end: filters.to }]
  const params: Record<string, unknown> = {
    from: filters.from,
    epoch: firstStoredDay,
    period_starts: periods.map((period) => period.start),
    period_ends: periods.map((period) => period.end),
  }
  const byMonth = !spec.forceDaily && (!series || ['month', 'quarter', 'year'].includes(filters.interval))
  const ranges: GrainRanges = closedRanges(filters.from, filters.to, byMonth)
  const histogram = figure === 'processing_median'
  const context = {
    columns: [...new Set(by.map((dimension) => storageColumn[dimension]))],
    conditions: dimensionConditions(filters, reference, params),
    histogram,
    params,
  }
  const branches = (['month', 'day'] as const).flatMap((grain) => {
    if (ranges[grain].length === 0) return []
    const requests = requestRollups[grain] as (typeof rollups)[number]
    const closed = closedRollups[grain]
    return [
      branch(requests.table, requests.time, 'requests', ranges[grain], context, `r${grain}`),
      branch(closed.table, closed.time, 'closed', ranges[grain], context, `c${grain}`),
    ]
  })
  const bucket = `if(day < {from:Date}, {epoch:Date}, ${series ? periodOf(filters.interval, 'day') : '{from:Date}'})`
  const total = 'arraySum(hist.2)'
  const buckets = `
    SELECT ${[
      `${bucket} AS bucket`,
      ...by.map(selectDimension),
      'toInt64(sum(requested)) - toInt64(sum(closed)) AS net',
      'sum(closed) AS closed_cases',
      'sum(closed_completed) AS completed_cases',
      ...(histogram
        ? [
            'sumMapIf(processing_hist, day >= {from:Date}) AS hist',
            `${total} AS timed`,
            // The lower median: the first rounded time whose running count reaches half the times.
            `if(${total} = 0, 0, hist.1[arrayFirstIndex(c -> c * 2 >= ${total}, arrayCumSum(hist.2))]) AS median_time`,
          ]
        : []),
    ].join(',\n           ')}
    FROM (${branches.join('\n      UNION ALL\n      ')})
    GROUP BY ${['bucket', ...by].join(', ')}`
  const expanded = `
    SELECT *, arrayJoin(arrayFilter(i -> bucket <= {period_ends:Array(Date)}[i], arrayEnumerate({period_ends:Array(Date)}))) AS i,
           {period_starts:Array(Date)}[i] AS period, bucket = period AS own
    FROM (${buckets})`
  // As from raw events: a total is one row, whatever it counts; a group or period is shown when it has a case.
  const keys = [...(series ? ['period'] : []), ...by]
  const outcome = closedOutcome(figure, spec, params, {
    closed: 'sumIf(closed_cases, own)',
    completed: 'sumIf(completed_cases, own)',
    timed: 'sumIf(timed, own)',
    median: 'maxIf(median_time, own)',
  })
  const sql = `
    SELECT ${[...keys, ...outcome, 'sumIf(closed_cases, own) AS transactions', 'toUInt64(sum(net)) AS open_cases'].join(
      ',\n           ',
    )}
    FROM (${expanded})
    ${keys.length ? `GROUP BY ${keys.join(', ')} HAVING transactions > 0 OR open_cases > 0 ORDER BY ${keys.join(', ')}` : ''}`
  const answer = suppressCount(suppress(sql, spec, params, figure === 'completion_rate'), spec, 'open_cases')
  const tables = (['month', 'day'] as const)
    .filter((grain) => ranges[grain].length > 0)
    .flatMap((grain) => [closedRollups[grain].table, requestRollups[grain]?.table])
  return { sql: answer, params, source: tables.join(' + ') }
}
