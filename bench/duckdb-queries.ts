// The Overview's and Regions' questions written for DuckDB over the events as Parquet, and their answers' numbers.
import type { DuckDBConnection } from '@duckdb/node-api'

/** A date range of a comparison, as the API chose it (calendar alignment). */
export interface Range {
  from: string
  to: string
}

/** Reference data the questions need, read from the store once: the online channels, services' days online. */
export interface DuckContext {
  connection: DuckDBConnection
  online: string[]
  /** Each service's first day online, or null when never. */
  onlineSince: Record<string, string | null>
}

/** Numbers keyed by what they are (e.g. `current.value`, `2026-01-01.numerator`), to check two answers agree. */
export type Numbers = Map<string, number>

const day = (value: string) => `DATE '${/^\d{4}-\d{2}-\d{2}$/.test(value) ? value : 'invalid'}'`
const list = (values: string[]) => values.map((value) => `'${value.replace(/'/g, "''")}'`).join(', ')

/** The additive measures, as DuckDB aggregates over event rows (ClickHouse's are in sql/src/rollups.ts). */
function measures(context: DuckContext): Record<string, string> {
  const online = `channel IN (${list(context.online)})`
  return {
    completed: "count(*) FILTER (WHERE status = 'completed')",
    rejected: "count(*) FILTER (WHERE status = 'rejected')",
    completed_online: `count(*) FILTER (WHERE status = 'completed' AND ${online})`,
    completed_online_self: `count(*) FILTER (WHERE status = 'completed' AND ${online} AND assisted_by = 'self')`,
    satisfied: 'count(*) FILTER (WHERE satisfaction >= 4)',
    satisfaction_count: 'count(satisfaction)',
  }
}

/** Each metric's value from the measures (METHODOLOGY.md's definitions). */
const shares: Record<string, { numerator: string; denominator: string } | { count: string }> = {
  volume: { count: 'completed' },
  online_share: { numerator: 'completed_online', denominator: 'completed' },
  online_share_self: { numerator: 'completed_online_self', denominator: 'completed' },
  satisfaction: { numerator: 'satisfied', denominator: 'satisfaction_count' },
  satisfaction_response_rate: { numerator: 'satisfaction_count', denominator: 'completed + rejected' },
}

/** A day a service is available online on: its first day online (services never online: never). */
function availableSql(context: DuckContext): string {
  const since = Object.entries(context.onlineSince).filter(([, first]) => first !== null)
  if (since.length === 0) return 'false'
  return `occurred_on >= CASE service_code ${since.map(([code, first]) => `WHEN '${code.replace(/'/g, "''")}' THEN ${day(first ?? '')}`).join(' ')} ELSE DATE '2149-06-06' END`
}

/** The day a case closed in Asia/Almaty: request time plus processing time; no time recorded: its day of request. */
const closedOn = `CASE WHEN processing_seconds IS NULL THEN occurred_on
  ELSE ((occurred_at::TIMESTAMPTZ + to_seconds(processing_seconds::BIGINT)) AT TIME ZONE 'Asia/Almaty')::DATE END`

/** One value per range for a KPI card: the three ranges in one query, as the API asks them. */
export function compareSql(context: DuckContext, metric: string, ranges: Range[]): string | null {
  const parts = ranges.map((range, index) => {
    const inRange = `occurred_on BETWEEN ${day(range.from)} AND ${day(range.to)}`
    if (metric === 'digital_take_up') {
      const available = availableSql(context)
      return `SELECT ${index} AS part,
        count(*) FILTER (WHERE status = 'completed' AND ${available} AND channel IN (${list(context.online)})) AS numerator,
        count(*) FILTER (WHERE status = 'completed' AND ${available}) AS denominator
        FROM events WHERE ${inRange}`
    }
    if (metric === 'completion_rate') {
      return `SELECT ${index} AS part,
        count(*) FILTER (WHERE status = 'completed') AS numerator, count(*) AS denominator
        FROM (SELECT status, ${closedOn} AS closed_on FROM events WHERE occurred_on <= ${day(range.to)})
        WHERE status != 'in_progress' AND closed_on BETWEEN ${day(range.from)} AND ${day(range.to)}`
    }
    const formula = shares[metric]
    if (!formula) return null
    const all = measures(context)
    const select = Object.entries(all).map(([name, sql]) => `${sql} AS ${name}`)
    const value =
      'count' in formula
        ? `${formula.count} AS numerator, 1 AS denominator`
        : `${formula.numerator} AS numerator, ${formula.denominator} AS denominator`
    return `SELECT ${index} AS part, ${value} FROM (SELECT ${select.join(', ')} FROM events WHERE ${inRange})`
  })
  if (parts.some((part) => part === null)) return null
  return `SELECT part, numerator, denominator FROM (${parts.join(' UNION ALL ')}) ORDER BY part`
}

/** The online share by month from `from` to `to`. */
export function seriesSql(context: DuckContext, range: Range): string {
  const all = measures(context)
  // By day first, then by month: DuckDB's date_trunc on every row costs several times the whole day grouping.
  return `SELECT strftime(date_trunc('month', day), '%Y-%m-%d') AS period,
      sum(numerator)::BIGINT AS numerator, sum(denominator)::BIGINT AS denominator
    FROM (SELECT occurred_on AS day, ${all.completed_online} AS numerator, ${all.completed} AS denominator
          FROM events WHERE occurred_on BETWEEN ${day(range.from)} AND ${day(range.to)} GROUP BY occurred_on)
    GROUP BY period ORDER BY period`
}

/** The online share by region (the map and the funnel read the same counts). */
export function byRegionSql(context: DuckContext, range: Range): string {
  const all = measures(context)
  return `SELECT region, ${all.completed_online} AS numerator, ${all.completed} AS denominator
    FROM events WHERE occurred_on BETWEEN ${day(range.from)} AND ${day(range.to)}
    GROUP BY region ORDER BY region`
}

/** The online share's counts by service in the current and the base range, for its decomposition. */
export function byServiceSql(context: DuckContext, current: Range, base: Range): string {
  const all = measures(context)
  const one = (name: string, range: Range) =>
    `SELECT '${name}' AS range, service_code AS service, ${all.completed_online} AS numerator, ${all.completed} AS denominator
     FROM events WHERE occurred_on BETWEEN ${day(range.from)} AND ${day(range.to)} GROUP BY service_code`
  return `${one('current', current)} UNION ALL ${one('base', base)} ORDER BY range, service`
}

export async function duckRows(context: DuckContext, sql: string): Promise<Record<string, unknown>[]> {
  const reader = await context.connection.runAndReadAll(sql)
  return reader.getRowObjectsJS() as Record<string, unknown>[]
}

const num = (value: unknown) => (typeof value === 'bigint' ? Number(value) : Number(value))
const share = (numerator: unknown, denominator: unknown) =>
  num(denominator) === 0 ? Number.NaN : num(numerator) / num(denominator)

/** DuckDB's rows as the numbers the API's answer should hold. */
export function duckNumbers(kind: string, rows: Record<string, unknown>[], metric?: string): Numbers {
  const numbers: Numbers = new Map()
  const names = ['current', 'previous', 'previousYear']
  for (const row of rows) {
    if (kind === 'compare') {
      const name = names[num(row.part)] ?? '?'
      numbers.set(`${name}.value`, metric === 'volume' ? num(row.numerator) : share(row.numerator, row.denominator))
    } else if (kind === 'series') {
      numbers.set(`${row.period}.numerator`, num(row.numerator))
      numbers.set(`${row.period}.denominator`, num(row.denominator))
    } else if (kind === 'region') {
      numbers.set(`${row.region}.numerator`, num(row.numerator))
      numbers.set(`${row.region}.denominator`, num(row.denominator))
    } else if (kind === 'decompose') {
      for (const part of ['numerator', 'denominator']) {
        numbers.set(`${row.range}.${row.service}.${part}`, num(row[part]))
        const total = `${row.range}.total.${part}`
        numbers.set(total, (numbers.get(total) ?? 0) + num(row[part]))
      }
    }
  }
  return numbers
}

type Answer = Record<string, unknown>
const rowsOf = (answer: Answer, key: string) => (answer[key] ?? []) as Answer[]

/** The API's answer as the same numbers. */
export function apiNumbers(kind: string, answer: Answer): Numbers {
  const numbers: Numbers = new Map()
  if (kind === 'compare') {
    for (const name of ['current', 'previous', 'previousYear'])
      numbers.set(`${name}.value`, num((answer[name] as Answer | undefined)?.value))
  } else if (kind === 'series' || kind === 'region') {
    for (const row of rowsOf(answer, 'rows')) {
      const key = kind === 'series' ? row.period : row.region
      numbers.set(`${key}.numerator`, num(row.numerator))
      numbers.set(`${key}.denominator`, num(row.denominator))
    }
  } else if (kind === 'funnel') {
    for (const unit of rowsOf(answer, 'units')) {
      numbers.set(`${unit.key}.numerator`, num(unit.numerator))
      numbers.set(`${unit.key}.denominator`, num(unit.denominator))
    }
  } else if (kind === 'decompose') {
    for (const range of ['base', 'current']) {
      const totals = answer[range] as Answer | undefined
      numbers.set(`${range}.total.numerator`, num(totals?.numerator))
      numbers.set(`${range}.total.denominator`, num(totals?.denominator))
      for (const row of rowsOf(answer, 'rows')) {
        numbers.set(`${range}.${row.service}.numerator`, num(row[`${range}_numerator`]))
        numbers.set(`${range}.${row.service}.denominator`, num(row[`${range}_denominator`]))
      }
    }
  }
  return numbers
}

/**
 * Differences between two answers' numbers (relative 1e-9: sums in another order differ in the last bits); a key
 * on one side only counts as 0 on the other (a service with no transactions in a range has no DuckDB row).
 */
export function disagreements(api: Numbers, duck: Numbers): string[] {
  const keys = new Set([...api.keys(), ...duck.keys()])
  const differ: string[] = []
  for (const key of keys) {
    const [a, b] = [api.get(key) ?? 0, duck.get(key) ?? 0]
    const same = (Number.isNaN(a) && Number.isNaN(b)) || Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b))
    if (!same) differ.push(`${key}: API ${a}, DuckDB ${b}`)
  }
  return differ
}
