// What a metric is to the API: its description for clients, the filters it refuses, and how it becomes SQL.
import type { ApiDimension, Filters, MetricDescription } from '../contract/index.ts'
import type { Reference } from '../reference.ts'

export interface QuerySpec {
  metric: Metric
  filters: Filters
  /** Breakdown dimensions (none for a plain series or total). */
  by: ApiDimension[]
  /** Group by period of the filters' interval. */
  series: boolean
  /** The deployment's today: periods that end on or after it are provisional. */
  today: string
  /** Channel migration: days after assistance within which a self-service online transaction counts. */
  withinDays?: number
  /** Public figures: cells whose own base is below this get no value (METHODOLOGY: disclosure control). */
  suppressBelow?: number
  /** Only rows ingested at or before this moment (ISO, UTC): a release's figures as they were published. */
  asOf?: string
  /**
   * Over-dispersion factor φ (> 1) that widens share intervals, estimated across the units of a breakdown: one
   * value, or one per period of a series (by its first day; periods not named keep binomial intervals).
   */
  dispersion?: number | Record<string, number>
  /** Regions as recorded at the time (default) or on 2024 boundaries (metrics/boundaries.ts). */
  boundaries?: 'of_the_time' | '2024'
  /** Tests and benchmarks compare the chosen rollup with raw events. */
  forceRaw?: boolean
  /** Benchmarks compare with the plan that read days for any range not made of whole months. */
  forceDaily?: boolean
}

export interface Plan {
  sql: string
  params: Record<string, unknown>
  /** The table read (a rollup, `events`, `services`): for operators and tests, never in an answer's body. */
  source: string
  /** Yes/no columns (0 or 1 from the engine, as CSV keeps them) that a JSON answer gives as booleans. */
  flags?: readonly string[]
}

/** A filter a metric cannot take, and why: answered as a 400 naming the filter. */
export interface Refusal {
  parameter: string
  reason: string
}

export interface Metric extends MetricDescription {
  /** events: additive measures, planned onto rollups; services: the register; citizens: per-citizen histories. */
  kind: 'events' | 'services' | 'citizens'
  refuses?: (filters: Filters) => Refusal | null
  /** Why a breakdown it does not offer is refused, when there is more to say than the list of those it offers. */
  refusesBreakdown?: (dimension: ApiDimension) => string | null
  plan(spec: QuerySpec, reference: Reference): Plan
}
