// The funnel against values worked out by hand: pooled share, z-scores, φ, τ² and the limits of each unit.
import { describe, expect, it } from 'vitest'
import { funnel, limitsAt, winsorise, z95, z998 } from './funnel.ts'

describe('funnel', () => {
  it('has binomial limits when the units do not vary more than sampling explains', () => {
    // Two units at exactly the pooled share 0.5: z = 0, φ = 0, not over-dispersed.
    const result = funnel([
      { key: 'A', numerator: 50, denominator: 100 },
      { key: 'B', numerator: 200, denominator: 400 },
    ])
    expect(result).toMatchObject({ target: 0.5, phi: 0, tau2: 0, overdispersed: false })
    const [a] = result.units
    // s = sqrt(0.25 / 100) = 0.05: limits 0.5 ± 1.959964 × 0.05 and 0.5 ± 3.090232 × 0.05.
    expect(a?.low95).toBeCloseTo(0.5 - z95 * 0.05, 12)
    expect(a?.high998).toBeCloseTo(0.5 + z998 * 0.05, 12)
    expect(a?.signal).toBe('within')
  })

  it('estimates φ and τ² by hand and widens the limits with τ²', () => {
    const units = [
      { key: 'A', numerator: 900, denominator: 1000 },
      { key: 'B', numerator: 800, denominator: 1000 },
      { key: 'C', numerator: 850, denominator: 1000 },
    ]
    const result = funnel(units)
    // Pooled 2550 / 3000 = 0.85; s = sqrt(0.85 × 0.15 / 1000) for each; z = ±0.05 / s and 0.
    const s = Math.sqrt((0.85 * 0.15) / 1000)
    expect(result.target).toBeCloseTo(0.85, 12)
    expect(result.units.map((unit) => unit.z)).toEqual([
      expect.closeTo(0.05 / s, 9),
      expect.closeTo(-0.05 / s, 9),
      expect.closeTo(0, 9),
    ])
    // Three units: winsorising cuts floor(0.3) = 0 from each side, so φ = (2 × (0.05/s)²) / 3.
    const phi = (2 * (0.05 / s) ** 2) / 3
    expect(result.phi).toBeCloseTo(phi, 9)
    // w = 1/s² each: Σw − Σw²/Σw = 3w − w = 2w; τ² = (3φ − 2) / (2 / s²).
    const tau2 = (3 * phi - 2) / (2 / s ** 2)
    expect(result.overdispersed).toBe(true)
    expect(result.tau2).toBeCloseTo(tau2, 12)
    const limits = limitsAt(0.85, 1000, tau2)
    // The 99.8 % upper limit passes 100 % and is clamped to it.
    expect(result.units[0]?.high998).toBe(Math.min(1, 0.85 + z998 * Math.sqrt(s ** 2 + tau2)))
    expect(limits.low95).toBeCloseTo(0.85 - z95 * Math.sqrt(s ** 2 + tau2), 12)
    // Widened, none of the three is beyond the 99.8 % limits: they cannot be told apart.
    expect(result.units.map((unit) => unit.signal)).toEqual(['within', 'within', 'within'])
  })

  it('flags a unit far outside the others as above or below expectation', () => {
    const units = Array.from({ length: 10 }, (_, i) => ({ key: `U${i}`, numerator: 800 + (i % 3), denominator: 1000 }))
    units.push({ key: 'low', numerator: 500, denominator: 1000 })
    const result = funnel(units)
    // Winsorising (one unit cut at each side of eleven) keeps the outlier from widening its own limits.
    expect(result.units.find((unit) => unit.key === 'low')?.signal).toBe('below')
    expect(result.units.filter((unit) => unit.signal !== 'within').map((unit) => unit.key)).toEqual(['low'])
  })

  it('winsorises the given share at each end', () => {
    expect(winsorise([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.1)).toEqual([2, 2, 3, 4, 5, 6, 7, 8, 9, 9])
    expect(winsorise([5])).toEqual([5])
  })
})
