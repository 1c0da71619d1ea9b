// Figures over cases closed in the period (completion rate, median processing time), with the cases open at its end.
import { processingBucket } from '@qyzmet/sql'
import { periodsOf } from '../query/periods.ts'
import type { Reference } from '../reference.ts'
import { closedRollupsAnswer, planClosedFromRollups } from './closed-cases-rollup.ts'
import { type ClosedFigure, closedOutcome } from './closed-outcome.ts'
import { asOfConditions, dimensionConditions, periodOf, selectDimension, suppress, suppressCount } from './sql.ts'
import type { Plan, QuerySpec } from './types.ts'

/**
 * A case's day of closing in the deployment's calendar: its request time plus its processing time. A closed case
 * without a processing time is taken to have closed on its day of request.
 */
const closedOn =
  'if(processing_seconds IS NULL, occurred_on, toDate(occurred_at + toIntervalSecond(assumeNotNull(processing_seconds)), {timezone:String}))'

/**
 * From the closed rollups when they hold the request's dimensions (closed-cases-rollup.ts), else from raw events here.
 * Each event becomes one row per role it plays: `closed` in the period it closed in (when inside the range), and
 * `open` in every period at whose last day it had been requested but not closed. A share or median is computed over
 * the closed rows; `open_cases` counts the open ones (the backlog at the period's end).
 */
export function planClosedCases(spec: QuerySpec, reference: Reference, figure: ClosedFigure): Plan {
  if (closedRollupsAnswer(spec)) return planClosedFromRollups(spec, reference, figure)
  const { filters, by, series } = spec
  const periods = series ? periodsOf(filters) : [{ start: filters.from, end: filters.to }]
  const params: Record<string, unknown> = {
    from: filters.from,
    to: filters.to,
    timezone: reference.timezone,
    period_starts: periods.map((period) => period.start),
    period_ends: periods.map((period) => period.end),
  }
  if (by.includes('category')) {
    params.service_codes = reference.services.map((service) => service.code)
    params.service_categories = reference.services.map((service) => service.category)
  }
  const conditions = [...dimensionConditions(filters, reference, params), ...asOfConditions(spec, params)]
  const closedPeriod = series ? periodOf(filters.interval, 'closed_on') : '{from:Date}'
  const tagged = `arrayJoin(arrayConcat(
        if(status != 'in_progress' AND closed_on BETWEEN {from:Date} AND {to:Date}, [('closed', ${closedPeriod})], []),
        arrayMap(i -> ('open', {period_starts:Array(Date)}[i]),
          arrayFilter(i -> occurred_on <= {period_ends:Array(Date)}[i]
                           AND (status = 'in_progress' OR closed_on > {period_ends:Array(Date)}[i]),
                      arrayEnumerate({period_ends:Array(Date)})))))`
  const inner = `
    SELECT ${[...by.map(selectDimension), 'status', 'processing_seconds', `${closedOn} AS closed_on`, `${tagged} AS role`].join(', ')}
    FROM events
    WHERE ${['occurred_on <= {to:Date}', ...conditions].join(' AND ')}`
  const closed = "role.1 = 'closed'"
  const keys = [...(series ? ['period'] : []), ...by]
  const completion = `${closed} AND status = 'completed' AND processing_seconds IS NOT NULL`
  const outcome = closedOutcome(figure, spec, params, {
    closed: `countIf(${closed})`,
    completed: `countIf(${closed} AND status = 'completed')`,
    timed: `countIf(${completion})`,
    // The lower median (position ⌈n/2⌉) of the times of completions closed in the period, each rounded as the
    // rollups round them: rounding keeps order, so this is the exact lower median rounded, whichever path reads it.
    median: `quantileExactLowIf(0.5)(${processingBucket}, ${completion})`,
  })
  const sql = `
    SELECT ${[
      ...(series ? ['role.2 AS period'] : []),
      ...by,
      ...outcome,
      `countIf(${closed}) AS transactions`,
      "countIf(role.1 = 'open') AS open_cases",
    ].join(',\n           ')}
    FROM (${inner})
    ${keys.length ? `GROUP BY ${keys.join(', ')} ORDER BY ${keys.join(', ')}` : ''}`
  const answer = suppressCount(suppress(sql, spec, params, figure === 'completion_rate'), spec, 'open_cases')
  return { sql: answer, params, source: 'events' }
}
