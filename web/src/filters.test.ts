// The dates a view covers and the interval its series are asked for.
import { describe, expect, it } from 'vitest'
import { periodRange, seriesInterval, spansDay } from './filters.ts'

describe('ranges and intervals', () => {
  const bounds = { firstDay: '2019-01-01', today: '2026-11-24' }
  it('resolves presets as the API does', () => {
    expect(periodRange({}, bounds)).toEqual({ from: '2025-11-01', to: '2026-10-31' })
    expect(periodRange({ period: 'last_7d' }, bounds)).toEqual({ from: '2026-11-18', to: '2026-11-24' })
    expect(periodRange({ period: 'previous_year' }, bounds)).toEqual({ from: '2025-01-01', to: '2025-12-31' })
    expect(periodRange({ period: 'all' }, bounds)).toEqual({ from: '2019-01-01', to: '2026-11-24' })
    expect(periodRange({ from: '2022-01-01' }, bounds)).toEqual({ from: '2022-01-01', to: '2026-11-24' })
  })
  it('knows whether a range spans the day three regions were split off', () => {
    expect(spansDay({ from: '2022-01-01', to: '2022-12-31' }, '2022-06-08')).toBe(true)
    expect(spansDay({ from: '2022-06-08', to: '2022-12-31' }, '2022-06-08')).toBe(false)
    expect(spansDay({ from: '2021-01-01', to: '2022-06-07' }, '2022-06-08')).toBe(false)
  })
  it('switches a day series over a long range to a coarser interval', () => {
    const year = { from: '2025-11-01', to: '2026-10-31' }
    expect(seriesInterval(year, 'day')).toBe('day')
    expect(seriesInterval(year, 'day', 9)).toBe('week')
    expect(seriesInterval({ from: '2019-01-01', to: '2026-10-31' }, 'day')).toBe('week')
    expect(seriesInterval({ from: '2019-01-01', to: '2026-10-31' }, 'day', 9)).toBe('month')
    expect(seriesInterval(year, 'quarter', 9)).toBe('quarter')
  })
})
