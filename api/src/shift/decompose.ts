// A share's change between two periods, decomposed per cell: counts read through the metric's own plan, then split.
import type { Store } from '@qyzmet/sql'
import type {
  Contribution,
  Decomposition as DecompositionAnswer,
  DecompositionDimension,
  Filters,
  Weighting,
} from '../contract/index.ts'
import { type Metric, plan } from '../metrics/index.ts'
import { BadRequest } from '../query/errors.ts'
import { runRows } from '../query/run.ts'
import type { Reference } from '../reference.ts'
import { type CellCounts, type CellEffects, contributors, decompose } from './decomposition.ts'

/** Shares of transactions whose answers carry their numerator and denominator: these decompose exactly. */
export const decomposableMetrics = ['online_share', 'online_share_self', 'assisted_digital_share', 'completion_rate']

export function requireDecomposable(metric: Metric): void {
  if (!decomposableMetrics.includes(metric.id)) {
    throw new BadRequest(
      'metric',
      `${metric.id} is not a share of transactions with a numerator and denominator; decompose one of ${decomposableMetrics.join(', ')}`,
    )
  }
}

const keyOf = (row: Record<string, unknown>, by: readonly string[]) => by.map((dimension) => String(row[dimension]))

/**
 * Each cell's numerator and denominator in both periods, from the metric's breakdown by `by` — the same plan the
 * breakdown endpoint runs, so the counts come from whichever rollup (or raw events) the planner chooses.
 */
export async function cellCounts(
  store: Store,
  reference: Reference,
  metric: Metric,
  periods: { base: Filters; current: Filters },
  by: DecompositionDimension[],
  today: string,
  /** Benchmarks compare the planner's choice with raw events. */
  forceRaw = false,
): Promise<CellCounts[]> {
  const [base, current] = await Promise.all(
    [periods.base, periods.current].map((filters) =>
      runRows(
        store,
        plan({ metric, filters, by, series: false, today, forceRaw }, reference),
        `decompose:${metric.id}`,
      ),
    ),
  )
  const cells = new Map<string, CellCounts>()
  const cellOf = (row: Record<string, unknown>) => {
    const values = keyOf(row, by)
    const id = values.join('\u0001')
    let cell = cells.get(id)
    if (!cell) {
      cell = {
        key: Object.fromEntries(by.map((dimension, index) => [dimension, values[index] ?? ''])),
        base: { numerator: 0, denominator: 0 },
        current: { numerator: 0, denominator: 0 },
      }
      cells.set(id, cell)
    }
    return cell
  }
  for (const [period, rows] of [
    ['base', base ?? []],
    ['current', current ?? []],
  ] as const) {
    for (const row of rows) {
      const cell = cellOf(row)
      cell[period] = { numerator: Number(row.numerator ?? 0), denominator: Number(row.denominator ?? 0) }
    }
  }
  return [...cells.values()]
}

function contribution(cell: CellEffects): Contribution {
  return {
    ...cell.key,
    base_numerator: cell.base.numerator,
    base_denominator: cell.base.denominator,
    current_numerator: cell.current.numerator,
    current_denominator: cell.current.denominator,
    base_weight: cell.baseWeight,
    current_weight: cell.currentWeight,
    base_share: cell.baseShare,
    current_share: cell.currentShare,
    mix: cell.mix,
    within: cell.within,
    interaction: cell.interaction,
    total: cell.total,
  }
}

/** The answer: both periods' values, the three effects, every cell (largest part either way first), the top each way. */
export function decompositionAnswer(
  metric: Metric,
  periods: { base: Filters; current: Filters },
  by: DecompositionDimension[],
  weights: Weighting,
  cells: CellCounts[],
  top: number,
  today: string,
): DecompositionAnswer {
  const result = decompose(cells, weights)
  const ordered = [...result.cells].sort(
    (a, b) => Math.abs(b.total) - Math.abs(a.total) || keyOf(a.key, by).join().localeCompare(keyOf(b.key, by).join()),
  )
  const { raising, lowering } = contributors(ordered, top)
  const period = (filters: Filters, counts: typeof result.base) => ({ from: filters.from, to: filters.to, ...counts })
  return {
    metric: metric.id,
    by,
    weights,
    filters: periods.current,
    provisional: periods.current.to >= today,
    base: period(periods.base, result.base),
    current: period(periods.current, result.current),
    change: result.change,
    effects: result.effects,
    raising: raising.map(contribution),
    lowering: lowering.map(contribution),
    rows: ordered.map(contribution),
  }
}

/** The CSV's columns: the cell's dimensions, then its counts, weights, shares and effects. */
export const contributionColumns = (by: readonly string[]) => [
  ...by,
  'base_numerator',
  'base_denominator',
  'current_numerator',
  'current_denominator',
  'base_weight',
  'current_weight',
  'base_share',
  'current_share',
  'mix',
  'within',
  'interaction',
  'total',
]
