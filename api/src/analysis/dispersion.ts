// Over-dispersion of a share across the units of a breakdown: the funnel's φ̂, which also widens each unit's interval.
import type { Row } from '../query/run.ts'
import { funnel } from './funnel.ts'

/** Fewer units than this say too little about their spread: intervals stay binomial. */
export const minimumUnits = 5

export interface Dispersion {
  /** φ̂: the mean squared winsorised z-score of the units around their pooled share (1 = binomial). */
  phi: number
  /** Units it was estimated from. */
  units: number
  /** Whether the intervals were widened by it (φ̂ > 1 with enough units). */
  applied: boolean
}

/** φ̂ of a breakdown's rows by `dimension` (each with a numerator and a denominator), or null when not a share. */
export function breakdownDispersion(rows: readonly Row[], dimension: string): Dispersion | null {
  const units = rows
    .filter((row) => typeof row.denominator === 'number' && typeof row.numerator === 'number')
    .map((row) => ({
      key: String(row[dimension]),
      numerator: Number(row.numerator),
      denominator: Number(row.denominator),
    }))
    .filter((unit) => unit.denominator > 0)
  if (units.length === 0) return null
  const { phi } = funnel(units)
  return { phi, units: units.length, applied: units.length >= minimumUnits && phi > 1 }
}
