// The rollups of cases by day of closing (0043_closed_rollups.sql), described for the query planner and the repair.
import type { Dimension } from './rollups.ts'

/**
 * The dimensions the closed rollups hold: those of rollup_daily and rollup_monthly, whose `transactions` are the cases
 * requested, so that cases open at a day's end (requested by then less closed by then) come from the same groups.
 */
export const closedDimensions: readonly Dimension[] = ['region', 'channel', 'assisted_by']

/** The two tables, by grain: the date column is the day the cases closed, or the first day of its month. */
export const closedRollups = {
  day: { table: 'rollup_closed_daily', time: 'day' },
  month: { table: 'rollup_closed_monthly', time: 'month' },
} as const

/**
 * A case's day of closing from raw events, as the view computes it: the request time (whole seconds) plus the
 * processing time, in the deployment's calendar (`{timezone:String}`); a closed case without a time closes on its day.
 */
export const closedDay =
  'if(processing_seconds IS NULL, occurred_on, toDate(toDateTime(occurred_at) + assumeNotNull(processing_seconds), {timezone:String}))'

/**
 * Recomputes rollup_closed_daily for the days on or after `{from:Date}` from every event that closed then (requested
 * then or before); rollup_closed_monthly follows through its view. The caller has deleted those days from both.
 */
export const rebuildClosedSql = `
  INSERT INTO rollup_closed_daily (day, region, channel, assisted_by, closed, closed_completed, processing_hist)
  SELECT ${closedDay} AS closed_on, region, channel, assisted_by,
         count(),
         countIf(status = 'completed'),
         sumMapIf([toUInt64(reinterpretAsFloat64(bitAnd(reinterpretAsUInt64(toFloat64(assumeNotNull(processing_seconds))) + 70368744177664, 18446603336221196288)))], [toUInt64(1)], status = 'completed' AND processing_seconds IS NOT NULL)
  FROM events
  WHERE status != 'in_progress' AND ${closedDay} >= {from:Date}
  GROUP BY closed_on, region, channel, assisted_by`
