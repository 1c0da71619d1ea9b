// Query planning: a metric, filters and a breakdown become one SQL statement over the smallest table that answers.
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
import type { Reference } from '../reference.ts'
import { BadRequest, type Filters, filteredDimensions, type Interval } from './filters.ts'
import type { ApiDimension, EventMetric, Metric } from './metrics.ts'
import { periodsOf } from './periods.ts'

export interface QuerySpec {
  metric: Metric
  filters: Filters
  /** Breakdown dimensions (none for a plain series or total). */
  by: ApiDimension[]
  /** Group by period of the filters' interval. */
  series: boolean
  /** Channel migration: days after assistance within which a self-service online transaction counts. */
  withinDays?: number
  /** Public figures: cells with fewer transactions than this get no value. */
  suppressBelow?: number
  /** Tests and benchmarks compare the chosen rollup with raw events. */
  forceRaw?: boolean
}

export interface Plan {
  sql: string
  params: Record<string, unknown>
  /** The table read: a rollup, `events`, or `services` for coverage. */
  source: string
}

const Z = 1.959964 // 95 % two-sided

/** Wilson score interval for x successes out of n, as two SQL expressions over the aliases given. */
function wilson(x: string, n: string): [string, string] {
  const p = `(${x} / nullIf(${n}, 0))`
  const centre = `(${p} + ${Z ** 2} / (2 * ${n}))`
  const spread = `(${Z} * sqrt(${p} * (1 - ${p}) / ${n} + ${Z ** 2} / (4 * ${n} * ${n})))`
  const scale = `(1 + ${Z ** 2} / ${n})`
  return [`(${centre} - ${spread}) / ${scale}`, `(${centre} + ${spread}) / ${scale}`]
}

const periodFunction: Record<Interval, string> = {
  day: '',
  week: 'toMonday',
  month: 'toStartOfMonth',
  quarter: 'toStartOfQuarter',
  year: 'toStartOfYear',
}
const periodOf = (interval: Interval, date: string) =>
  periodFunction[interval] ? `${periodFunction[interval]}(${date})` : date

const storageColumn: Record<ApiDimension, Dimension | 'office_id' | 'category'> = {
  region: 'region',
  channel: 'channel',
  service: 'service_code',
  category: 'category',
  age_band: 'age_band',
  gender: 'gender',
  assisted_by: 'assisted_by',
  office: 'office_id',
}

/** The dimension as the inner query selects it, named as the API names it. */
function selectDimension(dimension: ApiDimension): string {
  if (dimension === 'category')
    return "transform(service_code, {service_codes:Array(String)}, {service_categories:Array(String)}, '') AS category"
  const column = storageColumn[dimension]
  return `toString(${column}) AS ${dimension}`
}

/** WHERE conditions for the dimension filters; categories become the list of their services. */
function dimensionConditions(filters: Filters, reference: Reference, params: Record<string, unknown>): string[] {
  const conditions: string[] = []
  const add = (column: string, name: string, values: string[]) => {
    if (values.length === 0) return
    params[name] = values
    conditions.push(`${column} IN {${name}:Array(String)}`)
  }
  add('region', 'f_regions', filters.regions)
  add('channel', 'f_channels', filters.channels)
  add('service_code', 'f_services', filters.services)
  add(
    'service_code',
    'f_category_services',
    filters.categories.length
      ? reference.services.filter((service) => filters.categories.includes(service.category)).map((s) => s.code)
      : [],
  )
  if (filters.categories.length && !params.f_category_services) conditions.push('0')
  add('toString(age_band)', 'f_age_bands', filters.ageBands)
  add('toString(gender)', 'f_genders', filters.genders)
  add('toString(assisted_by)', 'f_assisted_by', filters.assistedBy)
  return conditions
}

/** Filter names are a subset of dimension names (every filter is a dimension one can also break down by). */
const filterDimensions = (filters: Filters) => filteredDimensions(filters) as ApiDimension[]

const monthAligned = (filters: Filters) =>
  filters.from === format(startOfMonth(parseISO(filters.from)), 'yyyy-MM-dd') &&
  filters.to === format(endOfMonth(parseISO(filters.to)), 'yyyy-MM-dd')

function validate(spec: QuerySpec): void {
  const { metric, by } = spec
  if (by.length > 2) throw new BadRequest('by', 'break down by at most two dimensions')
  for (const dimension of by) {
    if (!metric.breakdowns.includes(dimension)) {
      throw new BadRequest(
        'by',
        `${metric.id} cannot be broken down by ${dimension}: use ${metric.breakdowns.join(', ')}`,
      )
    }
  }
  if (metric.kind === 'events') {
    for (const dimension of metric.excludes ?? []) {
      if (filterDimensions(spec.filters).includes(dimension)) {
        throw new BadRequest(
          dimension === 'age_band' ? 'age_band' : dimension,
          `${metric.id} compares age bands itself; remove the ${dimension} filter`,
        )
      }
    }
  }
}

/** The outer columns every answer has: value, its interval for shares, and the transactions behind it. */
function outcomeColumns(
  value: string,
  share: { numerator: string; denominator: string } | undefined,
  n: string,
): string[] {
  const none = "CAST(NULL, 'Nullable(Float64)')"
  if (!share) {
    return [
      `${value} AS value`,
      `${none} AS numerator`,
      `${none} AS denominator`,
      `${none} AS ci_low`,
      `${none} AS ci_high`,
      `${n} AS transactions_total`,
    ]
  }
  const [low, high] = wilson('numerator', 'denominator')
  return [
    `${share.numerator} AS numerator`,
    `${share.denominator} AS denominator`,
    'numerator / nullIf(denominator, 0) AS value',
    `${low} AS ci_low`,
    `${high} AS ci_high`,
    `${n} AS transactions_total`,
  ]
}

function planEvents(spec: QuerySpec, metric: EventMetric, reference: Reference): Plan {
  const { filters, by, series } = spec
  const params: Record<string, unknown> = { from: filters.from, to: filters.to }
  const inner = [...new Set([...by, ...(metric.requires ?? [])])]
  const needed = new Set<ApiDimension>([...inner, ...filterDimensions(filters)])
  const storage = [...needed].map((dimension) => (dimension === 'category' ? 'service_code' : storageColumn[dimension]))
  const grain: Grain =
    monthAligned(filters) && (!series || ['month', 'quarter', 'year'].includes(filters.interval)) ? 'month' : 'day'
  const measures: Measure[] = [...new Set<Measure>(['transactions', ...metric.measures])]
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
    params.region_population = reference.regions.map((region) => region.population)
    population = 'any(transform(region, {region_codes:Array(String)}, {region_population:Array(UInt64)}, toUInt64(0)))'
  } else {
    const scope = filters.regions.length
      ? reference.regions.filter((r) => filters.regions.includes(r.code))
      : reference.regions
    params.population = scope.reduce((sum, region) => sum + region.population, 0)
  }
  const outerKeys = [...(series ? ['period'] : []), ...by]
  // The count is named apart from the measure column it sums, so that a formula's sum(transactions) reads the column.
  const aggregated = `
    ${rollup ? '' : `WITH ${onlineChannels}`}
    SELECT ${[...outerKeys, ...outcomeColumns(metric.value({ population }), metric.share, 'sum(transactions)')].join(', ')}
    FROM (${innerSql})
    ${outerKeys.length ? `GROUP BY ${outerKeys.join(', ')}` : ''}`
  const sql = `SELECT * EXCEPT (transactions_total), transactions_total AS transactions FROM (${aggregated})
    ${outerKeys.length ? `ORDER BY ${outerKeys.join(', ')}` : ''}`
  return { sql: suppress(sql, spec, params), params, source: rollup ? rollup.table : 'events' }
}

function planCoverage(spec: QuerySpec): Plan {
  const { filters, by, series } = spec
  const periods = series ? periodsOf(filters) : [{ start: filters.from, end: filters.to }]
  const params: Record<string, unknown> = {
    period_starts: periods.map((period) => period.start),
    period_ends: periods.map((period) => period.end),
  }
  const conditions = ['1']
  if (filters.categories.length) {
    params.f_categories = filters.categories
    conditions.push('category IN {f_categories:Array(String)}')
  }
  if (filters.services.length) {
    params.f_services = filters.services
    conditions.push('code IN {f_services:Array(String)}')
  }
  const keys = [...(series ? ['period'] : []), ...by]
  const columns = by.map((dimension) => (dimension === 'service' ? 'code AS service' : 'category'))
  const sql = `
    SELECT ${[
      ...(series ? ['period'] : []),
      ...columns,
      'countIf(online_since IS NOT NULL AND online_since <= period_end) AS numerator',
      'count() AS denominator',
      'numerator / nullIf(denominator, 0) AS value',
      "CAST(NULL, 'Nullable(Float64)') AS ci_low",
      "CAST(NULL, 'Nullable(Float64)') AS ci_high",
      'count() AS transactions',
    ].join(', ')}
    FROM (SELECT code, category, online_since FROM services FINAL WHERE ${conditions.join(' AND ')})
    ARRAY JOIN {period_starts:Array(Date)} AS period, {period_ends:Array(Date)} AS period_end
    ${keys.length ? `GROUP BY ${keys.join(', ')} ORDER BY ${keys.join(', ')}` : ''}`
  return { sql, params, source: 'services' }
}

function planMigration(spec: QuerySpec, reference: Reference): Plan {
  const { filters, by, series } = spec
  const params: Record<string, unknown> = { from: filters.from, to: filters.to, within_days: spec.withinDays ?? 90 }
  const assisted = filters.assistedBy.filter((value) => value !== 'self')
  const conditions = dimensionConditions({ ...filters, assistedBy: [] }, reference, params)
  params.f_assisted = assisted.length ? assisted : ['staff', 'volunteer']
  const keys = [...(series ? ['period'] : []), ...by]
  const [low, high] = wilson('numerator', 'denominator')
  const sql = `
    SELECT ${[
      ...(series ? [`${periodOf(filters.interval, 'assisted_on')} AS period`] : []),
      ...by,
      'countIf(moved) AS numerator',
      'count() AS denominator',
      'numerator / nullIf(denominator, 0) AS value',
      `${low} AS ci_low`,
      `${high} AS ci_high`,
      'count() AS transactions',
    ].join(', ')}
    FROM (
      SELECT a.assisted_on AS assisted_on, a.first_region AS region, a.first_age_band AS age_band,
             a.first_gender AS gender, a.first_assisted_by AS assisted_by,
             arrayExists(t -> t > a.first_assisted AND t <= a.first_assisted + toIntervalDay({within_days:UInt16}), s.self_times) AS moved
      FROM (
        -- Each citizen once, at their first assisted transaction in the range; names differ from the columns
        -- so that WHERE reads the columns.
        SELECT applicant_key, min(occurred_at) AS first_assisted, min(occurred_on) AS assisted_on,
               argMin(region, occurred_at) AS first_region, argMin(toString(age_band), occurred_at) AS first_age_band,
               argMin(toString(gender), occurred_at) AS first_gender, argMin(toString(assisted_by), occurred_at) AS first_assisted_by
        FROM events
        WHERE occurred_on BETWEEN {from:Date} AND {to:Date} AND toString(assisted_by) IN {f_assisted:Array(String)}
              ${conditions.map((condition) => `AND ${condition}`).join(' ')}
        GROUP BY applicant_key
      ) AS a
      LEFT JOIN (
        WITH ${onlineChannels}
        SELECT applicant_key, groupArray(occurred_at) AS self_times
        FROM events
        WHERE occurred_on BETWEEN {from:Date} AND {to:Date} + {within_days:UInt16}
              AND assisted_by = 'self' AND status = 'completed' AND has(online_channels, channel)
        GROUP BY applicant_key
      ) AS s ON s.applicant_key = a.applicant_key
    )
    ${keys.length ? `GROUP BY ${keys.join(', ')} ORDER BY ${keys.join(', ')}` : ''}`
  return { sql: suppress(sql, spec, params), params, source: 'events' }
}

/** Public answers: a cell resting on fewer transactions than the threshold shows no value. */
function suppress(sql: string, spec: QuerySpec, params: Record<string, unknown>): string {
  if (!spec.suppressBelow) return sql
  params.suppress_below = spec.suppressBelow
  return `
    SELECT * REPLACE (
      if(suppressed, NULL, value) AS value,
      if(suppressed, NULL, numerator) AS numerator,
      if(suppressed, NULL, denominator) AS denominator,
      if(suppressed, NULL, ci_low) AS ci_low,
      if(suppressed, NULL, ci_high) AS ci_high,
      if(suppressed, NULL, transactions) AS transactions)
    FROM (SELECT *, transactions < {suppress_below:UInt32} AS suppressed FROM (${sql}))`
}

export function plan(spec: QuerySpec, reference: Reference): Plan {
  validate(spec)
  const { metric } = spec
  if (metric.kind === 'events') return planEvents(spec, metric, reference)
  if (metric.kind === 'coverage') return planCoverage(spec)
  return planMigration(spec, reference)
}
