// Metrics over events: a formula over additive measures, planned onto the smallest rollups that hold the dimensions.
import { type Dimension, type Measure, onlineChannels, rollupMeasures } from '@qyzmet/sql'
import { type ApiDimension, dimensions, type Filters, type MetricDescription } from '../contract/index.ts'
import { periodsOf } from '../query/periods.ts'
import type { Reference } from '../reference.ts'
import { attributedSource, attributes, offersBoundaries } from './boundaries.ts'
import { meanResidents } from './population.ts'
import { describePieces, piecesSource, planPieces } from './sources.ts'
import {
  asOfConditions,
  dimensionConditions,
  dispersionOf,
  filteredDimensions,
  noValue,
  periodOf,
  selectDimension,
  storageColumn,
  suppress,
  suppressCount,
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
  /** Divides by residents: the formula's `population` is the residents of the row's regions and period. */
  perCapita?: boolean
  /** A share: the value is numerator / denominator and carries a Wilson interval. */
  share?: { numerator: string; denominator: string }
  /**
   * The figure's own base, which disclosure control judges (a share's denominator unless said otherwise; otherwise
   * all transactions): the ratings behind satisfaction, the timed completions behind a median.
   */
  base?: string
  refuses?: (filters: Filters) => Refusal | null
}

/** The outer columns every answer has: value, its interval for shares, and the transactions behind it. */
function outcomeColumns(formula: EventFormula, population: string, dispersion?: string): string[] {
  const { share } = formula
  const base = `${formula.base ?? share?.denominator ?? 'sum(transactions)'} AS base`
  if (!share) {
    return [
      base,
      `${formula.value?.({ population }) ?? noValue} AS value`,
      `${noValue} AS numerator`,
      `${noValue} AS denominator`,
      `${noValue} AS ci_low`,
      `${noValue} AS ci_high`,
      'sum(transactions) AS transactions_total',
    ]
  }
  const [low, high] = wilson('numerator', 'denominator', dispersion)
  return [
    base,
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
  const params: Record<string, unknown> = {}
  const inner = [...new Set([...by, ...(formula.requires ?? [])])]
  const needed = new Set<ApiDimension>([...inner, ...filteredDimensions(filters)])
  const storage = [...needed].map((dimension) => (dimension === 'category' ? 'service_code' : storageColumn[dimension]))
  const measures: Measure[] = [...new Set<Measure>(['transactions', ...formula.measures])]
  // A release is reproduced from the rows ingested by its cut-off: only raw events know when a row came.
  const stored = spec.forceRaw || spec.asOf || storage.includes('office_id') ? null : (storage as Dimension[])
  const needs = {
    processing: measures.includes('processing_hist'),
    byMonth: !spec.forceDaily && (!series || ['month', 'quarter', 'year'].includes(filters.interval)),
  }
  const attributing = attributes(spec, reference)
  if (inner.includes('category') || filters.categories.length) {
    params.service_codes = reference.services.map((service) => service.code)
    params.service_categories = reference.services.map((service) => service.category)
  }
  const conditions = [...asOfConditions(spec, params), ...dimensionConditions(filters, reference, params)]
  const columns = [...new Set(storage)]
  const attributed = attributing
    ? attributedSource({
        dimensions: stored,
        range: filters,
        needs,
        columns,
        measures,
        conditions,
        params,
        reference,
        regions: filters.regions,
      })
    : null
  const pieces = attributed?.pieces ?? planPieces(stored, filters, needs)
  const source = attributed
    ? { from: attributed.from, date: attributed.date, measureSql: rollupMeasures }
    : piecesSource(pieces, columns, measures, conditions, params)
  const keys = [...(series ? ['period'] : []), ...inner]
  const innerSql = `
    SELECT ${[
      ...(series ? [`${periodOf(filters.interval, source.date)} AS period`] : []),
      ...inner.map(selectDimension),
      ...measures.map((measure) => `${source.measureSql[measure]} AS ${measure}`),
      ...(attributed ? ['sum(unattributed) AS unattributed'] : []),
    ].join(',\n           ')}
    FROM ${source.from}
    ${keys.length ? `GROUP BY ${keys.join(', ')}` : ''}`

  const population = formula.perCapita ? populationOf(spec, reference, params) : '0'
  const outerKeys = [...(series ? ['period'] : []), ...by]
  // The count is named apart from the measure column it sums, so that a formula's sum(transactions) reads the column.
  const aggregated = `
    ${pieces.some((piece) => piece.rollup === null) ? `WITH ${onlineChannels}` : ''}
    SELECT ${[
      ...outerKeys,
      ...outcomeColumns(formula, population, dispersionOf(spec, params)),
      // On 2024 boundaries: the row's events before the split left with its region (a parent's), unattributed.
      ...(attributed ? ['toUInt32(sum(unattributed)) AS unattributed'] : []),
    ].join(', ')}
    FROM (${innerSql})
    ${outerKeys.length ? `GROUP BY ${outerKeys.join(', ')}` : ''}`
  const sql = `SELECT * EXCEPT (transactions_total), transactions_total AS transactions FROM (${aggregated})
    ${outerKeys.length ? `ORDER BY ${outerKeys.join(', ')}` : ''}`
  const flags = spec.suppressBelow ? ['suppressed'] : []
  const suppressed = suppress(sql, spec, params, Boolean(formula.share))
  return {
    sql: attributed ? suppressCount(suppressed, spec, 'unattributed') : suppressed,
    params,
    source: describePieces(pieces),
    flags,
  }
}

/**
 * The residents a per-capita row divides by, as SQL: the mean over the row's days of its regions' populations
 * (population.ts), times a demo sample's fraction and rounded to whole residents, so that the figures read at
 * national scale. By region, each row's own; otherwise the scope's (all regions when unfiltered).
 */
function populationOf(spec: QuerySpec, reference: Reference, params: Record<string, unknown>): string {
  const { filters, by, series } = spec
  const ranges = series
    ? periodsOf(filters).map((period) => ({
        key: period.start,
        from: period.start < filters.from ? filters.from : period.start,
        to: period.end,
      }))
    : [{ key: '', from: filters.from, to: filters.to }]
  const scope = filters.regions.length ? filters.regions : reference.regionCodes
  const residents = (regions: string[], range: { from: string; to: string }) =>
    Math.round(
      meanResidents(reference, regions, range.from, range.to, spec.boundaries ?? 'of_the_time') *
        reference.populationScale,
    )
  const byRegion = by.includes('region')
  const entries = ranges.flatMap((range) =>
    byRegion
      ? scope.map((region) => [`${range.key}|${region}`, residents([region], range)] as const)
      : [[range.key, residents(scope, range)] as const],
  )
  params.population_keys = entries.map(([key]) => key)
  params.population_values = entries.map(([, value]) => value)
  const key = byRegion
    ? series
      ? "concat(toString(period), '|', region)"
      : "concat('|', region)"
    : series
      ? 'toString(period)'
      : "''"
  return `any(transform(${key}, {population_keys:Array(String)}, {population_values:Array(Float64)}, toFloat64(0)))`
}

/** A metric over events: its description and formula; planning is shared by all of them. */
export function eventMetric(description: MetricDescription & EventFormula & Pick<Metric, 'refusesBreakdown'>): Metric {
  const { measures, requires, value, share, base, perCapita, refuses, ...described } = description
  const formula: EventFormula = { measures, requires, value, share, base, perCapita, refuses }
  const metric: Metric = {
    ...described,
    kind: 'events',
    refuses,
    plan: (spec, reference) => planEvents(spec, formula, reference),
  }
  offersBoundaries.add(metric)
  return metric
}

/** A share metric's formula: numerator / denominator with a Wilson interval. */
export const shareOf = (numerator: string, denominator: string) => ({ share: { numerator, denominator } })

/** Breakdowns every event metric offers: every dimension of the filter language. */
export const eventBreakdowns: readonly ApiDimension[] = dimensions
