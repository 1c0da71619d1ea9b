// Shift-share: a change in a share split exactly into mix, within and interaction effects, cell by cell.
import type { Weighting } from '../contract/index.ts'

export interface Counts {
  numerator: number
  denominator: number
}

/** One cell's counts in both periods; `key` names it (e.g. { service: 'S001', region: '75' }). */
export interface CellCounts {
  key: Record<string, string>
  base: Counts
  current: Counts
}

export interface CellEffects {
  key: Record<string, string>
  base: Counts
  current: Counts
  baseWeight: number
  currentWeight: number
  baseShare: number | null
  currentShare: number | null
  mix: number
  within: number
  interaction: number
  total: number
}

export interface ShareDecomposition {
  base: Counts & { value: number | null }
  current: Counts & { value: number | null }
  /** Current minus base value; null when a period has no denominator (nothing to decompose then). */
  change: number | null
  effects: { mix: number; within: number; interaction: number } | null
  cells: CellEffects[]
}

/** Neumaier's compensated sum: thousands of small terms add up to the headline change within a few ulps. */
export function exactSum(values: Iterable<number>): number {
  let sum = 0
  let compensation = 0
  for (const value of values) {
    const next = sum + value
    compensation += Math.abs(sum) >= Math.abs(value) ? sum - next + value : value - next + sum
    sum = next
  }
  return sum + compensation
}

/**
 * Each cell's part of the change. With weights w (the cell's part of the denominator) and shares p (numerator ÷
 * denominator) in the base (0) and current (1) period, and Δ = current − base:
 *   base weights:      mix = Δw·p0,       within = w0·Δp,       interaction = Δw·Δp
 *   current weights:   mix = Δw·p1,       within = w1·Δp,       interaction = −Δw·Δp
 *   symmetric weights: mix = Δw·(p0+p1)/2, within = (w0+w1)/2·Δp, interaction = 0
 * Each sums over cells to Σw1·p1 − Σw0·p0, the headline change. A cell present in one period only has no share in
 * the other; it takes the share it has, so that its appearance or disappearance is all mix.
 */
function cellEffects(cell: CellCounts, totals: { base: number; current: number }, weights: Weighting): CellEffects {
  const w0 = cell.base.denominator / totals.base
  const w1 = cell.current.denominator / totals.current
  const observed0 = cell.base.denominator > 0 ? cell.base.numerator / cell.base.denominator : null
  const observed1 = cell.current.denominator > 0 ? cell.current.numerator / cell.current.denominator : null
  const p0 = observed0 ?? observed1 ?? 0
  const p1 = observed1 ?? observed0 ?? 0
  const dw = w1 - w0
  const dp = p1 - p0
  const parts =
    weights === 'base'
      ? { mix: dw * p0, within: w0 * dp, interaction: dw * dp }
      : weights === 'current'
        ? { mix: dw * p1, within: w1 * dp, interaction: -dw * dp }
        : { mix: (dw * (p0 + p1)) / 2, within: ((w0 + w1) / 2) * dp, interaction: 0 }
  return {
    key: cell.key,
    base: cell.base,
    current: cell.current,
    baseWeight: w0,
    currentWeight: w1,
    baseShare: observed0,
    currentShare: observed1,
    ...parts,
    total: parts.mix + parts.within + parts.interaction,
  }
}

const sumOf = (cells: CellCounts[], period: 'base' | 'current', count: keyof Counts) =>
  cells.reduce((sum, cell) => sum + cell[period][count], 0)

/** The decomposition of the change in Σnumerator ÷ Σdenominator between the two periods over these cells. */
export function decompose(cells: CellCounts[], weights: Weighting): ShareDecomposition {
  const total = (period: 'base' | 'current') => {
    const numerator = sumOf(cells, period, 'numerator')
    const denominator = sumOf(cells, period, 'denominator')
    return { numerator, denominator, value: denominator > 0 ? numerator / denominator : null }
  }
  const base = total('base')
  const current = total('current')
  if (base.value === null || current.value === null) return { base, current, change: null, effects: null, cells: [] }
  const totals = { base: base.denominator, current: current.denominator }
  const effects = cells
    .filter((cell) => cell.base.denominator > 0 || cell.current.denominator > 0)
    .map((cell) => cellEffects(cell, totals, weights))
  return {
    base,
    current,
    change: current.value - base.value,
    effects: {
      mix: exactSum(effects.map((cell) => cell.mix)),
      within: exactSum(effects.map((cell) => cell.within)),
      interaction: exactSum(effects.map((cell) => cell.interaction)),
    },
    cells: effects,
  }
}

/** The cells that raised the share most and those that lowered it most, `top` of each, largest first. */
export function contributors(cells: CellEffects[], top: number): { raising: CellEffects[]; lowering: CellEffects[] } {
  const byTotal = [...cells].sort((a, b) => b.total - a.total)
  return {
    raising: byTotal.filter((cell) => cell.total > 0).slice(0, top),
    lowering: byTotal
      .filter((cell) => cell.total < 0)
      .reverse()
      .slice(0, top),
  }
}
