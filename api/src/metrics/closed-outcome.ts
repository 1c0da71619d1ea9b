// The columns a figure over closed cases answers with, the same whichever source (raw events or rollups) counts them.
import { dispersionOf, noValue, wilson } from './sql.ts'
import type { QuerySpec } from './types.ts'

export type ClosedFigure = 'completion_rate' | 'processing_median'

/** How one source counts, as SQL aggregates over its rows. */
export interface ClosedCounts {
  /** Cases closed in the period. */
  closed: string
  /** Of them, completed. */
  completed: string
  /** Completions closed in the period with a processing time. */
  timed: string
  /** The lower median of those times, rounded as the rollups round them. */
  median: string
}

/** numerator, denominator, value, its interval and base: the completion rate with its Wilson interval, or the median. */
export function closedOutcome(
  figure: ClosedFigure,
  spec: QuerySpec,
  params: Record<string, unknown>,
  counts: ClosedCounts,
): string[] {
  if (figure === 'completion_rate') {
    const [low, high] = wilson('numerator', 'denominator', dispersionOf(spec, params))
    return [
      `${counts.completed} AS numerator`,
      `${counts.closed} AS denominator`,
      'numerator / nullIf(denominator, 0) AS value',
      `${low} AS ci_low`,
      `${high} AS ci_high`,
      'denominator AS base',
    ]
  }
  return [
    `${noValue} AS numerator`,
    `${noValue} AS denominator`,
    `if(base = 0, ${noValue}, toFloat64(${counts.median})) AS value`,
    `${noValue} AS ci_low`,
    `${noValue} AS ci_high`,
    `${counts.timed} AS base`,
  ]
}
