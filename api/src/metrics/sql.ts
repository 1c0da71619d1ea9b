// SQL pieces every metric's plan shares: periods, dimension filters, Wilson intervals and public suppression.
import type { Dimension } from '@qyzmet/sql'
import type { ApiDimension, Filters, Interval } from '../contract/index.ts'
import type { Reference } from '../reference.ts'
import type { QuerySpec } from './types.ts'

const Z = 1.959964 // 95 % two-sided

/** Wilson score interval for x successes out of n, as two SQL expressions over the aliases given. */
export function wilson(x: string, n: string): [string, string] {
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

/** The first day of the period a date column falls in. */
export const periodOf = (interval: Interval, date: string) =>
  periodFunction[interval] ? `${periodFunction[interval]}(${date})` : date

/** Where each API dimension is stored in events and the rollups. */
export const storageColumn: Record<ApiDimension, Dimension | 'office_id' | 'category'> = {
  region: 'region',
  channel: 'channel',
  service: 'service_code',
  category: 'category',
  age_band: 'age_band',
  gender: 'gender',
  assisted_by: 'assisted_by',
  office: 'office_id',
}

/**
 * The dimension as an inner query selects it, named as the API names it; LowCardinality, so that Arrow answers
 * carry codes as dictionaries (JSON and CSV read the same strings).
 */
export function selectDimension(dimension: ApiDimension): string {
  if (dimension === 'category')
    return "toLowCardinality(transform(service_code, {service_codes:Array(String)}, {service_categories:Array(String)}, '')) AS category"
  return `toLowCardinality(toString(${storageColumn[dimension]})) AS ${dimension}`
}

/** WHERE conditions for the dimension filters; categories become the list of their services. */
export function dimensionConditions(filters: Filters, reference: Reference, params: Record<string, unknown>): string[] {
  const conditions: string[] = []
  const add = (column: string, name: string, values: string[]) => {
    if (values.length === 0) return
    params[name] = values
    conditions.push(`${column} IN {${name}:Array(String)}`)
  }
  add('region', 'f_regions', filters.regions)
  add('channel', 'f_channels', filters.channels)
  add('service_code', 'f_services', filters.services)
  if (filters.categories.length) {
    const services = reference.services.filter((service) => filters.categories.includes(service.category))
    if (services.length === 0) conditions.push('0')
    add(
      'service_code',
      'f_category_services',
      services.map((service) => service.code),
    )
  }
  add('toString(age_band)', 'f_age_bands', filters.ageBands)
  add('toString(gender)', 'f_genders', filters.genders)
  add('toString(assisted_by)', 'f_assisted_by', filters.assistedBy)
  return conditions
}

/** The dimensions the filters restrict, by their API names. */
export function filteredDimensions(filters: Filters): ApiDimension[] {
  const lists: [ApiDimension, string[]][] = [
    ['region', filters.regions],
    ['channel', filters.channels],
    ['service', filters.services],
    ['category', filters.categories],
    ['age_band', filters.ageBands],
    ['gender', filters.genders],
    ['assisted_by', filters.assistedBy],
  ]
  return lists.filter(([, values]) => values.length > 0).map(([dimension]) => dimension)
}

export const noValue = "CAST(NULL, 'Nullable(Float64)')"

/** Public answers: a cell resting on fewer transactions than the threshold shows no value. */
export function suppress(sql: string, spec: QuerySpec, params: Record<string, unknown>): string {
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
