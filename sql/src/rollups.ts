// The rollups of 0012_rollups.sql, described for the query planner: their grain, dimensions and measures.

/** Dimensions a query may filter or group by. `category` is reached through the service register. */
export type Dimension = 'region' | 'channel' | 'assisted_by' | 'service_code' | 'age_band' | 'gender'

export type Grain = 'day' | 'month'

export interface Rollup {
  table: string
  /** The date column: a day, or the first day of a month. */
  time: Grain
  dimensions: readonly Dimension[]
  /** Whether it keeps the processing-time histogram (the costliest measure to maintain). */
  processing: boolean
  /** Measures only this rollup keeps, each with its SQL over raw events (the view's own expression). */
  extra?: Readonly<Record<string, string>>
  /** Read only by the figures computed within each service (api/src/metrics/sources.ts), never chosen for others. */
  withinServicesOnly?: true
}

const onlineSelf = "channel IN (SELECT code FROM channels FINAL WHERE kind = 'online') AND assisted_by = 'self'"

/**
 * Completed transactions of the two age groups the age divide compares (and of their self-service online part), and
 * of unknown age, by month, region and service (0044_age_measures.sql): the divide is computed within each service.
 */
export const ageMeasures: Readonly<Record<string, string>> = {
  completed_young: "countIf(status = 'completed' AND age_band = '18-29')",
  completed_young_self: `countIf(status = 'completed' AND age_band = '18-29' AND ${onlineSelf})`,
  completed_old: "countIf(status = 'completed' AND age_band = '65+')",
  completed_old_self: `countIf(status = 'completed' AND age_band = '65+' AND ${onlineSelf})`,
  completed_unknown_age: "countIf(status = 'completed' AND age_band = 'unknown')",
}

export const rollups: readonly Rollup[] = [
  { table: 'rollup_daily', time: 'day', dimensions: ['region', 'channel', 'assisted_by'], processing: true },
  { table: 'rollup_monthly', time: 'month', dimensions: ['region', 'channel', 'assisted_by'], processing: true },
  {
    table: 'rollup_people_monthly',
    time: 'month',
    dimensions: ['region', 'channel', 'assisted_by', 'age_band', 'gender'],
    processing: false,
  },
  {
    table: 'rollup_service_monthly',
    time: 'month',
    dimensions: ['service_code', 'channel', 'assisted_by'],
    processing: true,
  },
  // 0045_service_daily.sql: the days outside whole months of figures computed within each service.
  {
    table: 'rollup_service_daily',
    time: 'day',
    dimensions: ['service_code'],
    processing: false,
    extra: ageMeasures,
    withinServicesOnly: true,
  },
  {
    table: 'rollup_region_service_monthly',
    time: 'month',
    dimensions: ['region', 'service_code'],
    processing: false,
    extra: ageMeasures,
  },
]

/**
 * Additive measures of the rollups; `processing_hist` is a histogram of rounded processing times, (sorted values,
 * counts), summed by key.
 */
export const measures = [
  'transactions',
  'completed',
  'rejected',
  'cancelled',
  'completed_online',
  'completed_online_self',
  'satisfaction_sum',
  'satisfaction_count',
  'processing_hist',
  // Ratings of 4 or 5 (0042_satisfied.sql): satisfaction is their share of the ratings.
  'satisfied',
] as const

export type Measure = (typeof measures)[number]

/**
 * A processing time rounded to 6 significant binary digits, half up: exact below 64 s, at most 1/64 (1.6 %) off
 * above. The float's mantissa is cut to its 5 highest stored bits after adding half of what is cut; a carry moves the
 * value to the next power of two, as rounding should. Rounding keeps the order of times, so a median of rounded times
 * is the exact median rounded (METHODOLOGY.md). The rollups' views in 0012_rollups.sql use the same expression.
 */
export const processingBucket =
  'toUInt64(reinterpretAsFloat64(bitAnd(reinterpretAsUInt64(toFloat64(assumeNotNull(processing_seconds))) + 70368744177664, 18446603336221196288)))'

/** The online channels as an array, for raw queries that test them per row (a WITH clause). */
export const onlineChannels = "(SELECT groupArray(code) FROM channels FINAL WHERE kind = 'online') AS online_channels"

/**
 * How each measure is computed from raw events, as the rollups' views compute it. Online channels are matched with
 * IN, a set applied once to the LowCardinality dictionary rather than an array searched for every row.
 */
export function rawMeasures(): Record<Measure, string> {
  const online = "channel IN (SELECT code FROM channels FINAL WHERE kind = 'online')"
  return {
    transactions: 'count()',
    completed: "countIf(status = 'completed')",
    rejected: "countIf(status = 'rejected')",
    cancelled: "countIf(status = 'cancelled')",
    completed_online: `countIf(status = 'completed' AND ${online})`,
    completed_online_self: `countIf(status = 'completed' AND ${online} AND assisted_by = 'self')`,
    satisfaction_sum: 'sum(toUInt64(ifNull(satisfaction, 0)))',
    satisfaction_count: 'countIf(satisfaction IS NOT NULL)',
    satisfied: 'countIf(satisfaction >= 4)',
    processing_hist: `sumMapIf([${processingBucket}], [toUInt64(1)], status = 'completed' AND processing_seconds IS NOT NULL)`,
  }
}

/** The same measures read back from a rollup, whose parts may not be merged yet. */
export const rollupMeasures: Record<Measure, string> = Object.fromEntries(
  measures.map((measure) => [measure, measure === 'processing_hist' ? 'sumMap(processing_hist)' : `sum(${measure})`]),
) as Record<Measure, string>

/** Typical distinct values per dimension, to rank rollups by their likely size. */
const typicalCardinality: Record<Dimension, number> = {
  region: 20,
  channel: 9,
  assisted_by: 2,
  service_code: 160,
  age_band: 6,
  gender: 3,
}

function likelyRowsPerMonth(rollup: Rollup): number {
  const cells = rollup.dimensions.reduce((product, dimension) => product * typicalCardinality[dimension], 1)
  return rollup.time === 'day' ? cells * 30 : cells
}

/**
 * The smallest rollup that can answer a query over these dimensions at this grain, or null for raw events.
 * A monthly rollup answers only when the date range covers whole months.
 */
export function chooseRollup(
  dimensions: readonly Dimension[],
  grain: Grain,
  needs: { processing?: boolean } = {},
): Rollup | null {
  const candidates = rollups.filter(
    (rollup) =>
      !rollup.withinServicesOnly &&
      dimensions.every((dimension) => rollup.dimensions.includes(dimension)) &&
      (rollup.time === 'day' || grain === 'month') &&
      (rollup.processing || !needs.processing),
  )
  candidates.sort((a, b) => likelyRowsPerMonth(a) - likelyRowsPerMonth(b))
  return candidates[0] ?? null
}
