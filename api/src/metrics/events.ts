// Metrics over events: a formula over additive measures, planned onto the smallest rollup that holds the dimensions.
import {
  chooseRollup,
  type Dimension,
  type Grain,
  type Measure,
  onlineChannels,
  rawMeasures,
  rollupMeasures,
} from '@qyzmet/sql'
import { endOfMonth, format, parseISO, startOfMonth } from 'date-fns'
import { type ApiDimension, dimensions, type Filters, type MetricDescription } from '../contract/index.ts'
import type { Reference } from '../reference.ts'
import {
  dimensionConditions,
  filteredDimensions,
  noValue,
  periodOf,
  selectDimension,
  storageColumn,
  suppress,
  wilson,
} from './sql.ts'
import type { Metric, Plan, QuerySpec, Refusal } from './types.ts'

export interface EventFormula {
  /** The rollups' measures the formula reads. */
  measures: readonly Measure[]
  /** Dimensions the formula needs internally (grouped inside, aggregated away outside). */
  requires?: readonly ApiDimension[]
  /** SQL for the value over the inner rows' measure columns; `population` is the residents of the row's scope. */
  value?: (context: { population: string }) => string
  /** A share: the value is numerator / denominator and carries a Wilson interval. */
  share?: { numerator: string; denominator: string }
  refuses?: (filters: Filters) => Refusal | null
}

const monthAligned = (filters: Filters) =>
  filters.from === format(startOfMonth(parseISO(filters.from)), 'yyyy-MM-dd') &&
  filters.to === format(endOfMonth(parseISO(filters.to)), 'yyyy-MM-dd')

/** The outer columns every answer has: value, its interval for shares, and the transactions behind it. */
function outcomeColumns(formula: EventFormula, population: string): string[] {
  const { share } = formula
  if (!share) {
    return [
      `${formula.value?.({ population }) ?? noValue} AS value`,
      `${noValue} AS numerator`,
      `${noValue} AS denominator`,
      `${noValue} AS ci_low`,
      `${noValue} AS ci_high`,
      'sum(transactions) AS transactions_total',
    ]
  }
  const [low, high] = wilson('numerator', 'denominator')
  return [
    `${share.numerator} AS numerator`,
    `${share.denominator} AS denominator`,
    'numerator / nullIf(denominator, 0) AS value',
    `${low} AS ci_low`,
    `${high} AS ci_high`,
    'sum(transactions) AS transactions_total',
  ]
}

function planEvents(spec: QuerySpec, formula: EventFormula, reference: Reference): Plan {
  const { filters, by, series } = spec
  const params: Record<string, unknown> = { from: filters.from, to: filters.to }
  const inner = [...new Set([...by, ...(formula.requires ?? [])])]
  const needed = new Set<ApiDimension>([...inner, ...filteredDimensions(filters)])
  const storage = [...needed].map((dimension) => (dimension === 'category' ? 'service_code' : storageColumn[dimension]))
  const grain: Grain =
    monthAligned(filters) && (!series || ['month', 'quarter', 'year'].includes(filters.interval)) ? 'month' : 'day'
  const measures: Measure[] = [...new Set<Measure>(['transactions', ...formula.measures])]
  const rollup =
    spec.forceRaw || storage.includes('office_id')
      ? null
      : chooseRollup(storage as Dimension[], grain, { processing: measures.includes('processing_hist') })
  const dateColumn = rollup ? rollup.time : 'occurred_on'
  const measureSql = rollup ? rollupMeasures : rawMeasures()

  if (inner.includes('category') || filters.categories.length) {
    params.service_codes = reference.services.map((service) => service.code)
    params.service_categories = reference.services.map((service) => service.category)
  }
  const keys = [...(series ? ['period'] : []), ...inner]
  const innerSql = `
    SELECT ${[
      ...(series ? [`${periodOf(filters.interval, dateColumn)} AS period`] : []),
      ...inner.map(selectDimension),
      ...measures.map((measure) => `${measureSql[measure]} AS ${measure}`),
    ].join(',\n           ')}
    FROM ${rollup ? rollup.table : 'events'}
    WHERE ${[`${dateColumn} BETWEEN {from:Date} AND {to:Date}`, ...dimensionConditions(filters, reference, params)].join(' AND ')}
    ${keys.length ? `GROUP BY ${keys.join(', ')}` : ''}`

  let population = '{population:UInt64}'
  if (by.includes('region')) {
    params.region_codes = reference.regions.map((region) => region.code)
    // A demo sample's rows serve the population × its sampling fraction: per-capita figures read at national scale.
    params.region_population = reference.regions.map((region) =>
      Math.round(region.population * reference.populationScale),
    )
    population = 'any(transform(region, {region_codes:Array(String)}, {region_population:Array(UInt64)}, toUInt64(0)))'
  } else {
    const scope = filters.regions.length
      ? reference.regions.filter((region) => filters.regions.includes(region.code))
      : reference.regions
    params.population = Math.round(
      scope.reduce((sum, region) => sum + region.population, 0) * reference.populationScale,
    )
  }
  const outerKeys = [...(series ? ['period'] : []), ...by]
  // The count is named apart from the measure column it sums, so that a formula's sum(transactions) reads the column.
  const aggregated = `
    ${rollup ? '' : `WITH ${onlineChannels}`}
    SELECT ${[...outerKeys, ...outcomeColumns(formula, population)].join(', ')}
    FROM (${innerSql})
    ${outerKeys.length ? `GROUP BY ${outerKeys.join(', ')}` : ''}`
  const sql = `SELECT * EXCEPT (transactions_total), transactions_total AS transactions FROM (${aggregated})
    ${outerKeys.length ? `ORDER BY ${outerKeys.join(', ')}` : ''}`
  return { sql: suppress(sql, spec, params), params, source: rollup ? rollup.table : 'events' }
}

/** A metric over events: its description and formula; planning is shared by all of them. */
export function eventMetric(description: MetricDescription & EventFormula): Metric {
  const { measures, requires, value, share, refuses, ...described } = description
  const formula: EventFormula = { measures, requires, value, share, refuses }
  return {
    ...described,
    kind: 'events',
    refuses,
    plan: (spec, reference) => planEvents(spec, formula, reference),
  }
}

/** A share metric's formula: numerator / denominator with a Wilson interval. */
export const shareOf = (numerator: string, denominator: string) => ({ share: { numerator, denominator } })

/** Breakdowns every event metric offers: every dimension of the filter language. */
export const eventBreakdowns: readonly ApiDimension[] = dimensions
