// The `incomplete` flag of series periods: a period is incomplete when an expected feed within the figure's regions and
// channels left one of its days without rows (or without a completed one) and has not made it good since.
import type { Interval } from '../contract/index.ts'
import { periodOf } from '../metrics/sql.ts'
import type { QuerySpec } from '../metrics/types.ts'

/**
 * An SQL expression over a series' rows (`period`, and `region` / `channel` when broken down by them), true for the
 * periods (of the row's region and channel) that monitor_feed_days records as left incomplete within the range.
 * Services do not narrow it: a silent feed leaves every service of its region and channel short.
 */
export function incompleteColumn(spec: QuerySpec): { sql: string; params: Record<string, unknown> } {
  if (spec.metric.kind === 'services') return { sql: 'false', params: {} }
  const interval: Interval = spec.filters.interval
  const split = (['region', 'channel'] as const).filter((dimension) => spec.by.includes(dimension))
  const outer = ['period', ...split].join(', ')
  const inner = [periodOf(interval, 'day'), ...split].join(', ')
  return {
    sql: `toBool((${outer}) IN (
      SELECT ${inner} FROM monitor_feed_days FINAL
      WHERE state != 'on_time' AND day BETWEEN {incomplete_from:Date} AND {incomplete_to:Date}
        AND (empty({incomplete_regions:Array(String)}) OR has({incomplete_regions:Array(String)}, region))
        AND (empty({incomplete_channels:Array(String)}) OR has({incomplete_channels:Array(String)}, channel))))`,
    params: {
      incomplete_from: spec.filters.from,
      incomplete_to: spec.filters.to,
      incomplete_regions: spec.filters.regions,
      incomplete_channels: spec.filters.channels,
    },
  }
}
