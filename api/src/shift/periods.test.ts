// Base periods: given dates checked, a year earlier by default, the span just before when asked.
import { describe, expect, it } from 'vitest'
import { BadRequest } from '../query/errors.ts'
import { baseRange, wholeMonths } from './periods.ts'

describe('base range', () => {
  it('is the same dates a year earlier by default, whole months staying whole', () => {
    expect(baseRange({ from: '2025-11-01', to: '2026-10-31' }, {})).toEqual({ from: '2024-11-01', to: '2025-10-31' })
    expect(baseRange({ from: '2025-02-01', to: '2025-02-28' }, {})).toEqual({ from: '2024-02-01', to: '2024-02-29' })
    expect(baseRange({ from: '2024-02-10', to: '2024-02-29' }, { base: 'previous_year' })).toEqual({
      from: '2023-02-10',
      to: '2023-02-28',
    })
  })

  it('is the same number of whole months just before, or of days when the range is not whole months', () => {
    expect(baseRange({ from: '2026-01-01', to: '2026-03-31' }, { base: 'previous' })).toEqual({
      from: '2025-10-01',
      to: '2025-12-31',
    })
    expect(baseRange({ from: '2026-03-10', to: '2026-03-19' }, { base: 'previous' })).toEqual({
      from: '2026-02-28',
      to: '2026-03-09',
    })
  })

  it('takes given dates, and names what is wrong with them', () => {
    expect(
      baseRange({ from: '2026-01-01', to: '2026-01-31' }, { base_from: '2020-05-01', base_to: '2020-05-31' }),
    ).toEqual({ from: '2020-05-01', to: '2020-05-31' })
    const refused = (asked: Parameters<typeof baseRange>[1]): [string, string] | null => {
      try {
        baseRange({ from: '2026-01-01', to: '2026-01-31' }, asked)
      } catch (error) {
        if (error instanceof BadRequest) return [error.parameter, error.message]
        throw error
      }
      return null
    }
    expect(refused({ base_from: '2020-05-01' })).toEqual(['base_to', 'give both base_from and base_to'])
    expect(refused({ base: 'previous', base_from: '2020-05-01', base_to: '2020-05-02' })?.[0]).toBe('base')
    expect(refused({ base_from: '2020-05-02', base_to: '2020-05-01' })?.[0]).toBe('base_from')
    expect(refused({ base_from: '1999-05-02', base_to: '2020-05-01' })?.[0]).toBe('base_from')
  })

  it('knows whole months', () => {
    expect(wholeMonths('2024-02-01', '2024-02-29')).toBe(true)
    expect(wholeMonths('2024-02-01', '2024-02-28')).toBe(false)
    expect(wholeMonths('2024-02-02', '2024-03-31')).toBe(false)
  })
})
