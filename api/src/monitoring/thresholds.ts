// Metric values for many rules in few queries: rules whose filters each hold one value read one cell of a breakdown
// by those dimensions, shared by every rule of the same metric and window; others are asked alone (once per scope).
import type { Store } from '@qyzmet/sql'
import type { ApiDimension, Filters } from '../contract/index.ts'
import { type Metric, plan } from '../metrics/index.ts'
import { unfiltered } from '../query/filters.ts'
import type { Reference } from '../reference.ts'
import { monitorReads } from './config.ts'

export interface Range {
  from: string
  to: string
}

export interface Cell {
  value: number | null
  transactions: number | null
}

/** Where each filterable dimension's values are in the filters. */
const lists: [ApiDimension, keyof Filters][] = [
  ['region', 'regions'],
  ['channel', 'channels'],
  ['service', 'services'],
  ['category', 'categories'],
  ['age_band', 'ageBands'],
  ['gender', 'genders'],
  ['assisted_by', 'assistedBy'],
]

const values = (filters: Filters, field: keyof Filters) => filters[field] as string[]

/** The dimensions a breakdown needs to hold the filters' cell, or null when a filter holds several values. */
function cellDimensions(metric: Metric, filters: Filters): ApiDimension[] | null {
  const dimensions: ApiDimension[] = []
  for (const [dimension, field] of lists) {
    const chosen = values(filters, field)
    if (chosen.length > 1) return null
    if (chosen.length === 1) dimensions.push(dimension)
  }
  return dimensions.every((dimension) => metric.breakdowns.includes(dimension)) ? dimensions : null
}

const noFilters = (range: Range): Filters => ({ ...range, interval: 'day', ...unfiltered })

const noValue: Cell = { value: null, transactions: null }
const zero: Cell = { value: 0, transactions: 0 }
/** A number as the engine sends it (64-bit integers quoted), or null when there is none (NaN, an empty cell). */
const numberOf = (value: unknown): number | null => {
  const number = typeof value === 'string' ? Number(value) : value
  return typeof number === 'number' && Number.isFinite(number) ? number : null
}
const cellOf = (row: Record<string, unknown> | undefined): Cell =>
  row ? { value: numberOf(row.value), transactions: numberOf(row.transactions) } : noValue

/** One round's answers: each distinct query runs once, one at a time so that dashboard queries keep a core. */
export class MetricBatch {
  private readonly answers = new Map<string, Promise<Map<string, Cell>>>()
  private running = 0
  private readonly waiting: (() => void)[] = []
  queries = 0

  constructor(
    private readonly store: Store,
    private readonly reference: Reference,
    private readonly today: string,
    private readonly parallel = 1,
  ) {}

  /** The metric's value over the filters' range and scope. */
  async value(metric: Metric, filters: Filters): Promise<Cell> {
    const dimensions = cellDimensions(metric, filters)
    if (dimensions) {
      const key = [metric.id, filters.from, filters.to, ...dimensions].join('|')
      const cells = this.ask(key, metric, noFilters(filters), dimensions)
      const cell = dimensions
        .map((dimension) => values(filters, lists.find(([d]) => d === dimension)?.[1] ?? 'regions')[0])
        .join('\u0001')
      // A breakdown has no row for a cell without transactions: a count there is 0, a share or a time unknown.
      const empty = metric.unit === 'count' || metric.unit === 'per_1000' ? zero : noValue
      return (await cells).get(cell) ?? empty
    }
    const key = [metric.id, JSON.stringify(filters)].join('|')
    return (await this.ask(key, metric, filters, [])).get('') ?? noValue
  }

  private ask(key: string, metric: Metric, filters: Filters, by: ApiDimension[]): Promise<Map<string, Cell>> {
    let answer = this.answers.get(key)
    if (!answer) {
      answer = this.turn(async () => {
        this.queries++
        const planned = plan({ metric, filters, by, series: false, today: this.today }, this.reference)
        // The planner's SQL as the API runs it, with the monitor's read settings, within the API's query deadline.
        const rows = await this.store.rows<Record<string, unknown>>(
          `monitor:rule:${metric.id}`,
          planned.sql,
          planned.params,
          {
            ...monitorReads(this.store),
            max_execution_time: this.store.config.queryTimeout,
          },
        )
        return new Map(rows.map((row) => [by.map((dimension) => String(row[dimension])).join('\u0001'), cellOf(row)]))
      })
      this.answers.set(key, answer)
    }
    return answer
  }

  private async turn<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.parallel) await new Promise<void>((resolve) => this.waiting.push(resolve))
    this.running++
    try {
      return await work()
    } finally {
      // A breath between reads: a dashboard query waiting for the engine (the embedded one runs one at a time)
      // goes before the next of a round's many.
      await new Promise((resume) => setImmediate(resume))
      this.running--
      this.waiting.shift()?.()
    }
  }
}
