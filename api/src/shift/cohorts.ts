// Cohorts: citizens by the month (and a trait) of their start, and the share who later self-serve or fall back.
import { onlineChannels, type Store } from '@qyzmet/sql'
import { addDays, addMonths, endOfMonth, format, parseISO } from 'date-fns'
import {
  type CohortDimension,
  type CohortRow,
  type CohortStart,
  cohortWindows,
  type Filters,
} from '../contract/index.ts'
import { dimensionConditions } from '../metrics/sql.ts'
import type { Reference } from '../reference.ts'

export interface CohortSpec {
  filters: Filters
  start: CohortStart
  by: CohortDimension[]
  /** Calendar months since the start shown in the heatmap: 0 … months. */
  months: number
  /** The last day outcomes are counted: the range's end, or the data's last day when that is earlier. */
  observedUntil: string
}

/**
 * One pass over the range's events (up to the observed end), per citizen who did not start before it: the start
 * (their first transaction, or first assisted one; ties broken by event id) with its traits, and the times of their
 * self-service online transactions and of their transactions served offline or assisted for a service available
 * online that day. The outer query keeps the citizens whose start passes the filters and counts, per cohort, those
 * who moved (and then fell back) after the start within each window: `d` days after the start day, or by the end of
 * the k-th calendar month. Reading only the range (and, before it, the keys of those who started earlier) keeps the
 * cost to the range's events rather than the whole history's.
 */
export function cohortSql(spec: CohortSpec, reference: Reference, params: Record<string, unknown>): string {
  const { filters, by } = spec
  Object.assign(params, {
    from: filters.from,
    to: filters.to,
    observed: spec.observedUntil,
    windows: [...cohortWindows],
    months: spec.months,
    online_services: reference.services.filter((service) => service.onlineSince).map((service) => service.code),
    online_since: reference.services.filter((service) => service.onlineSince).map((service) => service.onlineSince),
  })
  const conditions = dimensionConditions(filters, reference, params)
  const starts = spec.start === 'assisted' ? "assisted_by IN ('staff', 'volunteer')" : '1'
  // The start's traits are text columns of the inner query, named as the API names them.
  const groupKeys = [...by]
  const movedBy = (limit: string) => `toUInt64(moved AND moved_day <= ${limit})`
  const backBy = (limit: string) => `toUInt64(fell_back AND back_day <= ${limit})`
  return `
    SELECT toString(cohort) AS cohort, ${groupKeys.map((key) => `${key}, `).join('')}count() AS citizens,
           sumForEach(arrayMap(d -> ${movedBy('started_day + d')}, {windows:Array(UInt16)})) AS moved_days,
           sumForEach(arrayMap(d -> ${backBy('started_day + d')}, {windows:Array(UInt16)})) AS back_days,
           sumForEach(arrayMap(k -> ${movedBy('toLastDayOfMonth(addMonths(cohort, k))')}, range(toUInt16({months:UInt8} + 1)))) AS moved_months,
           sumForEach(arrayMap(k -> ${backBy('toLastDayOfMonth(addMonths(cohort, k))')}, range(toUInt16({months:UInt8} + 1)))) AS back_months
    FROM (
      SELECT *, toStartOfMonth(started_day) AS cohort,
             arrayFilter(event -> event.1 > started_at, self_events) AS self_after,
             notEmpty(self_after) AS moved,
             arrayMin(arrayMap(event -> event.2, self_after)) AS moved_day,
             arrayFilter(event -> event.1 > arrayMin(arrayMap(event -> event.1, self_after)), back_events) AS back_after,
             moved AND notEmpty(back_after) AS fell_back,
             arrayMin(arrayMap(event -> event.2, back_after)) AS back_day
      FROM (
        -- The start's traits under the columns' names, so that the shared filter conditions read them.
        SELECT citizen, started_at, self_events, back_events, start.1 AS started_day, start.2 AS region,
               start.3 AS channel, start.4 AS service_code, start.5 AS age_band, start.6 AS gender,
               start.7 AS assisted_by
        FROM (
          WITH ${onlineChannels}, ${starts} AS is_start, has(online_channels, channel) AS online
          SELECT applicant_key AS citizen,
                 countIf(is_start) AS starts,
                 minIf(occurred_at, is_start) AS started_at,
                 argMinIf((occurred_on, region, channel, service_code, toString(age_band), toString(gender),
                           toString(assisted_by)), (occurred_at, event_id), is_start) AS start,
                 groupArrayIf((occurred_at, occurred_on), status = 'completed' AND online AND assisted_by = 'self') AS self_events,
                 groupArrayIf((occurred_at, occurred_on), (NOT online OR assisted_by != 'self')
                   AND occurred_on >= transform(service_code, {online_services:Array(String)}, {online_since:Array(Date)}, toDate('2149-06-06'))) AS back_events
          FROM events
          WHERE occurred_on BETWEEN {from:Date} AND {observed:Date}
                -- A citizen who started before the range started then: none of their later starts is a first.
                AND applicant_key NOT IN (SELECT applicant_key FROM events WHERE occurred_on < {from:Date} AND ${starts})
          GROUP BY applicant_key
          HAVING starts > 0
        )
        WHERE ${['1', ...conditions].join(' AND ')}
      )
    )
    GROUP BY cohort${groupKeys.map((key) => `, ${key}`).join('')}
    ORDER BY cohort${groupKeys.map((key) => `, ${key}`).join('')}`
}

interface EngineRow {
  cohort: string
  citizens: string | number
  moved_days: (string | number)[]
  back_days: (string | number)[]
  moved_months: (string | number)[]
  back_months: (string | number)[]
  [group: string]: unknown
}

const iso = (date: Date) => format(date, 'yyyy-MM-dd')

/** Every cohort's rows: one per window of days and per month since, marked unknown where the window passes the end. */
export async function cohortRows(store: Store, reference: Reference, spec: CohortSpec): Promise<CohortRow[]> {
  const params: Record<string, unknown> = {}
  const sql = cohortSql(spec, reference, params)
  const rows = await store.rows<EngineRow>('shift:cohorts', sql, params, {
    max_execution_time: store.config.queryTimeout,
    timeout_overflow_mode: 'throw',
  })
  return rows.flatMap((row) => {
    const cohort = parseISO(row.cohort)
    const citizens = Number(row.citizens)
    const groups = Object.fromEntries(spec.by.map((dimension) => [dimension, String(row[dimension])]))
    // The cohort's latest start: the end of its month, or of the range when that comes first.
    const lastStart = [iso(endOfMonth(cohort)), spec.filters.to].sort()[0] ?? spec.filters.to
    const cell = (horizon: 'days' | 'months', after: number, known: boolean, moved?: unknown, back?: unknown) => {
      const movedCount = known ? Number(moved ?? 0) : null
      const backCount = known ? Number(back ?? 0) : null
      return {
        cohort: row.cohort,
        ...groups,
        citizens,
        horizon,
        after,
        known,
        moved: movedCount,
        moved_share: movedCount === null ? null : movedCount / citizens,
        fell_back: backCount,
        fell_back_share: backCount === null ? null : backCount / citizens,
      }
    }
    return [
      ...cohortWindows.map((days, index) =>
        cell(
          'days',
          days,
          iso(addDays(parseISO(lastStart), days)) <= spec.observedUntil,
          row.moved_days[index],
          row.back_days[index],
        ),
      ),
      ...Array.from({ length: spec.months + 1 }, (_, months) =>
        cell(
          'months',
          months,
          iso(endOfMonth(addMonths(cohort, months))) <= spec.observedUntil,
          row.moved_months[months],
          row.back_months[months],
        ),
      ),
    ]
  })
}
