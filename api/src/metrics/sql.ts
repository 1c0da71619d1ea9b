// SQL pieces every metric's plan shares: periods, dimension filters, Wilson intervals and public suppression.
import type { Dimension } from '@qyzmet/sql'
import type { ApiDimension, Filters, Interval } from '../contract/index.ts'
import type { Reference } from '../reference.ts'
import type { QuerySpec } from './types.ts'

const Z = 1.959964 // 95 % two-sided

/**
 * Wilson score interval for x successes out of n, as two SQL expressions over the aliases given. With an
 * over-dispersion factor φ (a query parameter), the interval is that of the effective base n/φ (Kish's design
 * effect): the share stays x/n, its interval widens by about √φ.
 */
export function wilson(x: string, base: string, dispersion?: string): [string, string] {
  const n = dispersion ? `(${base} / ${dispersion})` : base
  const p = `(${x} / nullIf(${base}, 0))`
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

/** The over-dispersion parameter of a plan whose intervals are widened, or undefined. */
export function dispersionOf(spec: QuerySpec, params: Record<string, unknown>): string | undefined {
  const { dispersion } = spec
  if (typeof dispersion === 'object' && spec.series) {
    const periods = Object.keys(dispersion).filter((period) => (dispersion[period] ?? 0) > 1)
    if (periods.length === 0) return undefined
    params.dispersion_periods = periods
    params.dispersion_values = periods.map((period) => dispersion[period])
    return 'transform(period, {dispersion_periods:Array(Date)}, {dispersion_values:Array(Float64)}, toFloat64(1))'
  }
  if (typeof dispersion !== 'number' || dispersion <= 1) return undefined
  params.dispersion = dispersion
  return '{dispersion:Float64}'
}

/** A share of 0 % or 100 % says something of every person behind it: withheld below this many times the threshold. */
export const extremeFactor = 5

/**
 * Public answers, primary suppression: a cell whose own base is below the threshold (`base`), or a share of exactly
 * 0 % or 100 % whose base is below `extremeFactor` times it (`extreme`), shows no value, interval or count; the
 * `suppression` column says which rule withheld it. The base stays, for secondary suppression, which publishing
 * decides (releases.ts); a withheld figure is stored and shown with no base.
 */
export function suppress(sql: string, spec: QuerySpec, params: Record<string, unknown>, share: boolean): string {
  if (!spec.suppressBelow) return sql
  params.suppress_below = spec.suppressBelow
  params.extreme_below = spec.suppressBelow * extremeFactor
  const extreme = share ? "(value = 0 OR value = 1) AND base < {extreme_below:UInt32}, 'extreme', " : ''
  return `
    SELECT * REPLACE (
      if(suppressed, NULL, value) AS value,
      if(suppressed, NULL, numerator) AS numerator,
      if(suppressed, NULL, denominator) AS denominator,
      if(suppressed, NULL, ci_low) AS ci_low,
      if(suppressed, NULL, ci_high) AS ci_high,
      if(suppressed, NULL, transactions) AS transactions)
    FROM (
      SELECT *, suppression != '' AS suppressed
      FROM (SELECT *, multiIf(base < {suppress_below:UInt32}, 'base', ${extreme}'') AS suppression FROM (${sql})))`
}

/** A reproduction of a release reads only the rows ingested by its cut-off. */
export function asOfConditions(spec: QuerySpec, params: Record<string, unknown>): string[] {
  if (!spec.asOf) return []
  params.as_of = spec.asOf
  return ["ingested_at <= parseDateTime64BestEffort({as_of:String}, 3, 'UTC')"]
}

/**
 * Public answers: a count shown beside a figure (the cases open, the unknown ages) is withheld with the figure, or
 * when itself below the threshold. Wraps an answer that `suppress` has already passed.
 */
export function suppressCount(sql: string, spec: QuerySpec, column: string): string {
  if (!spec.suppressBelow) return sql
  return `SELECT * REPLACE (if(suppressed OR ${column} < {suppress_below:UInt32}, NULL, ${column}) AS ${column}) FROM (${sql})`
}
