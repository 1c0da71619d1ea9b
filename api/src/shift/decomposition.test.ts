// The decomposition against examples worked by hand, and the identities every weighting must keep.
import { describe, expect, it } from 'vitest'
import { type CellCounts, contributors, decompose, exactSum } from './decomposition.ts'

const cell = (service: string, base: [number, number], current: [number, number]): CellCounts => ({
  key: { service },
  base: { numerator: base[0], denominator: base[1] },
  current: { numerator: current[0], denominator: current[1] },
})

/**
 * Two services. Base: S001 50 of 100 online (0.5), S002 20 of 100 (0.2) — share 70/200 = 0.35, weights ½, ½.
 * Current: S001 210 of 300 (0.7), S002 30 of 100 (0.3) — share 240/400 = 0.6, weights ¾, ¼. Change 0.25.
 * Δw = (+¼, −¼), Δp = (+0.2, +0.1).
 */
const twoServices = [cell('S001', [50, 100], [210, 300]), cell('S002', [20, 100], [30, 100])]

describe('shift-share decomposition worked by hand', () => {
  it('base weights: mix Σ Δw·p0 = 0.075, within Σ w0·Δp = 0.15, interaction Σ Δw·Δp = 0.025', () => {
    const result = decompose(twoServices, 'base')
    expect(result.base.value).toBe(0.35)
    expect(result.current.value).toBe(0.6)
    expect(result.change).toBeCloseTo(0.25, 15)
    expect(result.effects?.mix).toBeCloseTo(0.25 * 0.5 - 0.25 * 0.2, 15)
    expect(result.effects?.within).toBeCloseTo(0.5 * 0.2 + 0.5 * 0.1, 15)
    expect(result.effects?.interaction).toBeCloseTo(0.25 * 0.2 - 0.25 * 0.1, 15)
    const [s001, s002] = result.cells
    expect(s001).toMatchObject({ baseWeight: 0.5, currentWeight: 0.75, baseShare: 0.5, currentShare: 0.7 })
    expect(s001?.mix).toBeCloseTo(0.125, 15)
    expect(s001?.within).toBeCloseTo(0.1, 15)
    expect(s001?.interaction).toBeCloseTo(0.05, 15)
    expect(s002?.mix).toBeCloseTo(-0.05, 15)
    expect(s002?.within).toBeCloseTo(0.05, 15)
    expect(s002?.interaction).toBeCloseTo(-0.025, 15)
  })

  it('current weights: mix Σ Δw·p1 = 0.1, within Σ w1·Δp = 0.175, interaction −Σ Δw·Δp = −0.025', () => {
    const result = decompose(twoServices, 'current')
    expect(result.effects?.mix).toBeCloseTo(0.25 * 0.7 - 0.25 * 0.3, 15)
    expect(result.effects?.within).toBeCloseTo(0.75 * 0.2 + 0.25 * 0.1, 15)
    expect(result.effects?.interaction).toBeCloseTo(-0.025, 15)
  })

  it('symmetric weights: mix Σ Δw·p̄ = 0.0875, within Σ w̄·Δp = 0.1625, no interaction', () => {
    const result = decompose(twoServices, 'symmetric')
    expect(result.effects?.mix).toBeCloseTo(0.25 * 0.6 - 0.25 * 0.25, 15)
    expect(result.effects?.within).toBeCloseTo(0.625 * 0.2 + 0.375 * 0.1, 15)
    expect(result.effects?.interaction).toBe(0)
  })

  for (const weights of ['base', 'current', 'symmetric'] as const) {
    it(`${weights} weights: a pure mix change has no within or interaction effect, and the reverse`, () => {
      // Shares stay 0.5 and 0.2; only the weights move (½, ½ → ¾, ¼).
      const mixOnly = decompose([cell('S001', [50, 100], [150, 300]), cell('S002', [20, 100], [20, 100])], weights)
      expect(mixOnly.effects?.within).toBe(0)
      expect(mixOnly.effects?.interaction).toBe(0)
      expect(mixOnly.effects?.mix).toBeCloseTo(0.425 - 0.35, 15)
      // Weights stay ½, ½; only the shares move.
      const withinOnly = decompose([cell('S001', [50, 100], [140, 200]), cell('S002', [20, 100], [60, 200])], weights)
      expect(withinOnly.effects?.mix).toBe(0)
      expect(withinOnly.effects?.interaction).toBe(0)
      expect(withinOnly.effects?.within).toBeCloseTo(0.5 - 0.35, 15)
    })
  }

  it('treats a service that appears or disappears as mix alone', () => {
    const result = decompose([cell('S001', [50, 100], [60, 100]), cell('S003', [0, 0], [90, 100])], 'base')
    const appeared = result.cells.find((item) => item.key.service === 'S003')
    expect(appeared).toMatchObject({ baseShare: null, currentShare: 0.9, within: 0, interaction: 0 })
    expect(appeared?.mix).toBeCloseTo(0.5 * 0.9, 15)
    const gone = decompose([cell('S001', [50, 100], [60, 100]), cell('S003', [9, 10], [0, 0])], 'current')
    expect(gone.cells[1]).toMatchObject({ currentShare: null, within: 0 })
    expect(gone.cells[1]?.mix).toBeCloseTo(-(10 / 110) * 0.9, 15)
  })

  it('has nothing to decompose when a period has no denominator', () => {
    const result = decompose([cell('S001', [0, 0], [5, 10])], 'base')
    expect(result).toMatchObject({ change: null, effects: null, cells: [] })
    expect(result.current.value).toBe(0.5)
  })
})

describe('exactness', () => {
  it('parts add up to the headline change to 1e-12 over thousands of uneven cells, for every weighting', () => {
    let seed = 7
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31
      return seed / 2 ** 31
    }
    const cells = Array.from({ length: 5000 }, (_, index) => {
      const base = Math.floor(random() ** 4 * 100_000)
      const current = Math.floor(random() ** 4 * 100_000)
      return cell(`S${index}`, [Math.floor(base * random()), base], [Math.floor(current * random()), current])
    })
    for (const weights of ['base', 'current', 'symmetric'] as const) {
      const { change, effects, cells: parts } = decompose(cells, weights)
      if (change === null || effects === null) throw new Error('expected a change')
      expect(Math.abs(effects.mix + effects.within + effects.interaction - change)).toBeLessThan(1e-12)
      expect(Math.abs(exactSum(parts.map((part) => part.total)) - change)).toBeLessThan(1e-12)
    }
  })

  it('sums with compensation: 1 + 1e-16 × 10 000 − 1 is 1e-12, not 0', () => {
    expect(exactSum([1, ...Array(10_000).fill(1e-16), -1])).toBeCloseTo(1e-12, 20)
  })

  it('lists the largest contributors each way', () => {
    const { cells } = decompose(twoServices, 'base')
    const { raising, lowering } = contributors(cells, 1)
    expect(raising.map((item) => item.key.service)).toEqual(['S001'])
    // S002's share rose, but its weight fell more: −0.05 + 0.05 − 0.025.
    expect(lowering.map((item) => item.key.service)).toEqual(['S002'])
    const down = decompose([cell('S001', [50, 100], [40, 100]), cell('S002', [20, 100], [15, 100])], 'base')
    expect(contributors(down.cells, 5).lowering.map((item) => item.key.service)).toEqual(['S001', 'S002'])
  })
})
