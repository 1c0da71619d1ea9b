// Target progress on series whose answers are known: a straight line, a target already met, a trend going away.
import { describe, expect, it } from 'vitest'
import { progressWindow, slope, targetProgress } from './progress.ts'

const line = (start: number, step: number, months: number) =>
  Array.from({ length: months }, (_, i) => ({
    period: `2025-${String(i + 1).padStart(2, '0')}-01`,
    value: start + step * i,
  }))

describe('targetProgress', () => {
  it('projects a steady rise to the month it crosses the target', () => {
    // 0.80 in January 2025 rising 0.01 a month: 0.91 in December; 0.95 four months later, April 2026.
    const progress = targetProgress(line(0.8, 0.01, 12), { value: 0.95, dueDate: '2026-06-30', higherIsBetter: true })
    expect(progress.current).toBeCloseTo(0.91, 12)
    expect(progress.trendPerMonth).toBeCloseTo(0.01, 12)
    expect(progress.projectedDate).toBe('2026-04-30')
    expect(progress.monthlyGainNeeded).toBeCloseTo(0.04 / 6, 12)
    expect(progress.onTrack).toBe(true)
  })

  it('is off track when the projection lands after the due date', () => {
    const progress = targetProgress(line(0.8, 0.005, 12), { value: 0.95, dueDate: '2026-06-30', higherIsBetter: true })
    expect(progress.projectedDate).toBe('2027-07-31')
    expect(progress.onTrack).toBe(false)
  })

  it('has no projection when the trend moves away, and counts a met target as on track', () => {
    const away = targetProgress(line(0.9, -0.01, 12), { value: 0.95, dueDate: '2026-06-30', higherIsBetter: true })
    expect(away.projectedDate).toBeNull()
    expect(away.onTrack).toBe(false)
    const met = targetProgress(line(0.96, 0, 12), { value: 0.95, dueDate: '2026-06-30', higherIsBetter: true })
    expect(met).toMatchObject({ reached: true, onTrack: true, monthlyGainNeeded: 0 })
  })

  it('reads "lower is better" targets the other way round', () => {
    const faster = targetProgress(line(100, -5, 12), { value: 20, dueDate: '2026-12-31', higherIsBetter: false })
    expect(faster.projectedDate).toBe('2026-05-31')
    expect(faster.onTrack).toBe(true)
  })

  it('judges on 24 complete months and fits slopes by least squares', () => {
    expect(progressWindow('2026-11-24')).toEqual({ from: '2024-11-01', to: '2026-10-31' })
    expect(slope([1, 3, 2, 4])).toBeCloseTo(0.8, 12)
    expect(slope([1, 2])).toBeNull()
  })
})
