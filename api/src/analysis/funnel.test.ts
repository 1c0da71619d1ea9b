// The funnel against values worked out by hand: pooled share, z-scores, φ, τ² and the limits of each unit.
import { describe, expect, it } from 'vitest'
import { funnel, funnelLimitsAt, limitsAt, winsorise, z95, z998 } from './funnel.ts'

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

  describe('additive against multiplicative widening, worked by hand', () => {
    // Two large units (100,000) a little off the pooled share and eight small ones (1,000) spread widely.
    const units = [
      { key: 'big+', numerator: 84_500, denominator: 100_000 },
      { key: 'big-', numerator: 83_500, denominator: 100_000 },
      ...[800, 880, 780, 900, 820, 860, 840, 840].map((x, i) => ({ key: `s${i}`, numerator: x, denominator: 1000 })),
    ]
    // Pooled 174,720 / 208,000 = 0.84 exactly; p(1 − p) = 0.1344.
    const big = Math.sqrt(0.1344 / 100_000)
    const small = Math.sqrt(0.1344 / 1000)
    // z² of the units: 0.005²/s_big² = 25/1.344 twice; (0.04, 0.02, 0.06)²/s_small² = 16, 4, 36 (/1.344) twice each;
    // winsorising one of ten at each end brings ±0.06 (36) down to the next, ±4.31 (25): Σ = (4·25 + 2·16 + 2·4)/1.344.
    const phi = (4 * 25 + 2 * 16 + 2 * 4) / 1.344 / 10
    // w = 1/s²: 100,000/0.1344 twice and 1,000/0.1344 eight times.
    const wBig = 100_000 / 0.1344
    const wSmall = 1000 / 0.1344
    const sumW = 2 * wBig + 8 * wSmall
    const sumW2 = 2 * wBig ** 2 + 8 * wSmall ** 2
    const tau2 = (10 * phi - 9) / (sumW - sumW2 / sumW)

    it('estimates the same φ̂ and τ̂ under both, reported with the model', () => {
      for (const model of ['additive', 'multiplicative'] as const) {
        const result = funnel(units, model)
        expect(result.model).toBe(model)
        expect(result.target).toBeCloseTo(0.84, 12)
        expect(result.phi).toBeCloseTo(phi, 9)
        expect(result.tau2).toBeCloseTo(tau2, 12)
        expect(result.tau).toBeCloseTo(Math.sqrt(tau2), 12)
      }
    })

    it('draws additive limits at p₀ ± z·√(s² + τ²): the small extremes are told apart', () => {
      const result = funnel(units, 'additive')
      const extreme = result.units.find((unit) => unit.key === 's2')
      expect(extreme?.low998).toBeCloseTo(0.84 - z998 * Math.sqrt(small ** 2 + tau2), 12)
      expect(result.units.find((unit) => unit.key === 'big+')?.high998).toBeCloseTo(
        0.84 + z998 * Math.sqrt(big ** 2 + tau2),
        12,
      )
      // |0.84 − 0.78| = 0.06 > 3.09·√(s² + τ²) ≈ 0.049; the large units' 0.005 < 3.09·√(s² + τ²) ≈ 0.033.
      expect(result.units.filter((unit) => unit.signal !== 'within').map((unit) => [unit.key, unit.signal])).toEqual([
        ['s2', 'below'],
        ['s3', 'above'],
      ])
      expect(result.flaggedBy).toEqual({ additive: { above: 1, below: 1 }, multiplicative: { above: 0, below: 0 } })
    })

    it('draws multiplicative limits at p₀ ± z·√φ̂·s: every unit within, the small ones widened most', () => {
      const result = funnel(units, 'multiplicative')
      expect(result.units.find((unit) => unit.key === 's2')?.low998).toBeCloseTo(
        0.84 - z998 * Math.sqrt(phi) * small,
        12,
      )
      expect(result.units.find((unit) => unit.key === 'big-')?.low95).toBeCloseTo(0.84 - z95 * Math.sqrt(phi) * big, 12)
      expect(result.units.every((unit) => unit.signal === 'within')).toBe(true)
      // The drawn lines follow the model too.
      expect(funnelLimitsAt(result, 1000).high998).toBeCloseTo(0.84 + z998 * Math.sqrt(phi) * small, 12)
    })
  })

  it('winsorises the given share at each end', () => {
    expect(winsorise([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.1)).toEqual([2, 2, 3, 4, 5, 6, 7, 8, 9, 9])
    expect(winsorise([5])).toEqual([5])
  })
})
