// Funnel plot for proportions (Spiegelhalter 2005): each unit's share against its base, with control limits around
// the pooled share at 95 % and 99.8 %, widened by an additive random effect when the units are over-dispersed.

export interface Unit {
  key: string
  numerator: number
  denominator: number
}

export interface FunnelLimits {
  low95: number
  high95: number
  low998: number
  high998: number
}

export type Signal = 'above' | 'within' | 'below'

export interface FunnelUnit extends Unit, FunnelLimits {
  value: number
  /** Standardised difference from the pooled share, before widening. */
  z: number
  /** Beyond the 99.8 % limits: above or below expectation; otherwise within. */
  signal: Signal
  /** Beyond the 95 % limits (an early warning; within the 99.8 % ones it is still "within"). */
  beyond95: boolean
}

export interface Funnel {
  /** The pooled share: Σ numerators ÷ Σ denominators. */
  target: number
  /** Mean of the squared winsorised z-scores: 1 when the spread is binomial. */
  phi: number
  /** Additive between-unit variance (0 when not over-dispersed). */
  tau2: number
  overdispersed: boolean
  units: FunnelUnit[]
}

export const z95 = 1.959964
export const z998 = 3.090232

/** Limits around `target` for a base of `n`, with between-unit variance `tau2`. */
export function limitsAt(target: number, n: number, tau2: number): FunnelLimits {
  const spread = Math.sqrt((target * (1 - target)) / n + tau2)
  const clamp = (value: number) => Math.min(1, Math.max(0, value))
  return {
    low95: clamp(target - z95 * spread),
    high95: clamp(target + z95 * spread),
    low998: clamp(target - z998 * spread),
    high998: clamp(target + z998 * spread),
  }
}

/** Replaces the lowest and highest `share` of values by the nearest values inside (10 % each side by default). */
export function winsorise(values: readonly number[], share = 0.1): number[] {
  if (values.length === 0) return []
  const sorted = [...values].sort((a, b) => a - b)
  const cut = Math.floor(values.length * share)
  const low = sorted[cut] as number
  const high = sorted[values.length - 1 - cut] as number
  return values.map((value) => Math.min(high, Math.max(low, value)))
}

/**
 * The funnel of a set of units. Over-dispersion: φ̂ = mean of the squared winsorised z; when I·φ̂ > I − 1 the
 * units vary more than sampling explains, and τ̂² = (I·φ̂ − (I − 1)) / (Σw − Σw² / Σw), w = 1/s², is added to each
 * unit's variance (DerSimonian–Laird on winsorised z, as Spiegelhalter recommends for large bases).
 */
export function funnel(units: readonly Unit[]): Funnel {
  const known = units.filter((unit) => unit.denominator > 0)
  const total = known.reduce((sum, unit) => sum + unit.denominator, 0)
  const target = total > 0 ? known.reduce((sum, unit) => sum + unit.numerator, 0) / total : 0
  const variance = (n: number) => (target * (1 - target)) / n
  const zs = known.map((unit) =>
    variance(unit.denominator) > 0
      ? (unit.numerator / unit.denominator - target) / Math.sqrt(variance(unit.denominator))
      : 0,
  )
  const count = known.length
  const phi = count > 0 ? winsorise(zs).reduce((sum, z) => sum + z * z, 0) / count : 1
  const weights = known.map((unit) => (variance(unit.denominator) > 0 ? 1 / variance(unit.denominator) : 0))
  const sumW = weights.reduce((sum, w) => sum + w, 0)
  const sumW2 = weights.reduce((sum, w) => sum + w * w, 0)
  const overdispersed = count > 1 && count * phi > count - 1
  const tau2 = overdispersed && sumW > 0 ? Math.max(0, (count * phi - (count - 1)) / (sumW - sumW2 / sumW)) : 0
  return {
    target,
    phi,
    tau2,
    overdispersed,
    units: known.map((unit, index) => {
      const value = unit.numerator / unit.denominator
      const limits = limitsAt(target, unit.denominator, tau2)
      const signal: Signal = value > limits.high998 ? 'above' : value < limits.low998 ? 'below' : 'within'
      return {
        ...unit,
        ...limits,
        value,
        z: zs[index] as number,
        signal,
        beyond95: value > limits.high95 || value < limits.low95,
      }
    }),
  }
}
