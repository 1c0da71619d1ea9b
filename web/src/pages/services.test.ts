// Where to push: transactions still to move, counted only for services available online, from given rows.
import { describe, expect, it } from 'vitest'
import { serviceFigures } from './Services.tsx'

describe('serviceFigures', () => {
  it('measures volume × the self-service gap to the target, and nothing to move for services not yet online', () => {
    const figures = serviceFigures(
      {
        volume: [
          { service: 'S1', value: 1000 },
          { service: 'S2', value: 500 },
          { service: 'S3', value: 800 },
          { service: 'S4', value: 100 },
        ],
        share: [
          { service: 'S1', value: 0.95 },
          { service: 'S2', value: 0.99 },
          { service: 'S3', value: 0 },
          { service: 'S4', value: 1 },
        ],
        selfShare: [
          { service: 'S1', value: 0.7 },
          { service: 'S2', value: 0.95 },
          { service: 'S3', value: 0 },
          { service: 'S4', value: 0.5 },
        ],
        availableOnline: new Set(['S1', 'S2', 'S4']),
        target: 0.9,
      },
      (code) => `name ${code}`,
      () => 'category',
    )
    expect(figures.map((item) => [item.code, item.online, item.toMove])).toEqual([
      ['S1', true, 200],
      ['S2', true, 0],
      ['S3', false, 0],
      ['S4', true, 40],
    ])
  })
})
