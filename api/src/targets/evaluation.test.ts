// Target statuses on hand-made monthly series whose answers are known, and the projection on a known logit line.
import { addMonths, format, parseISO } from 'date-fns'
import { describe, expect, it } from 'vitest'
import { bandOf, evaluateTarget, type Point } from './evaluation.ts'
import { fitTrend, t95 } from './projection.ts'

/** Monthly points from `start`, one per value (null: a month without data). */
const months = (start: string, values: (number | null)[]): Point[] =>
  values.map((value, i) => ({ period: format(addMonths(parseISO(start), i), 'yyyy-MM-dd'), value }))

const share90 = (dueDate: string, baseline?: string) => ({
  value: 0.9,
  dueDate,
  higherIsBetter: true,
  share: true,
  baseline,
})

describe('evaluateTarget', () => {
  it('reached and held: the first month at or past the target, and every month since', () => {
    const points = months('2024-01-01', [0.85, 0.87, 0.9, 0.91, 0.92, 0.93, 0.93, 0.94])
    const result = evaluateTarget(points, share90('2027-12-31'), '2024-09-15')
    expect(result).toMatchObject({ status: 'reached', reachedOn: '2024-03-01', held: true, current: 0.94 })
    expect(result.monthlyGainNeeded).toBe(0)
  })

  it('reached then lost: the date it was reached, not held, judged again by its projection', () => {
    const points = months('2024-01-01', [0.88, 0.9, 0.91, 0.89, 0.88, 0.87, 0.86, 0.85])
    const result = evaluateTarget(points, share90('2027-12-31'), '2024-09-15')
    expect(result.reachedOn).toBe('2024-02-01')
    expect(result.held).toBe(false)
    expect(['at_risk', 'off_track']).toContain(result.status)
    expect(result.projectedDate).toBeNull()
  })

  it('missed: judged on the value at the due date, whatever came after it', () => {
    // 2020: 0.82 … 0.872 in December (the due month); 2021 climbs past 90 %.
    const values = [0.82, 0.83, 0.835, 0.84, 0.845, 0.85, 0.855, 0.86, 0.863, 0.866, 0.869, 0.872]
    const points = months('2020-01-01', values)
    const missed = evaluateTarget(points, share90('2020-12-31'), '2026-11-29')
    expect(missed).toMatchObject({ status: 'missed', atDueDate: { period: '2020-12-01', value: 0.872 } })
    expect(missed.projection).toEqual([])
    // Baseline January (0.82): 0.052 of the 0.08 required by the due date, a ratio of 0.65.
    expect(missed.progressRatio).toBeCloseTo(0.052 / 0.08, 12)
    expect(missed.progressBand).toBe('moderate')
    const late = evaluateTarget(
      [...points, ...months('2021-01-01', [0.88, 0.89, 0.9, 0.91])],
      share90('2020-12-31'),
      '2026-11-29',
    )
    expect(late).toMatchObject({ status: 'reached_late', reachedOn: '2021-03-01', held: true })
  })

  it('reached by the due date: reached, even if today stands lower', () => {
    const points = months('2020-01-01', [0.88, 0.9, 0.91, 0.85])
    expect(evaluateTarget(points, share90('2020-02-29'), '2026-11-29')).toMatchObject({
      status: 'reached',
      reachedOn: '2020-02-01',
      atDueDate: { period: '2020-02-01', value: 0.9 },
      held: false,
    })
  })

  it('on track and off track before the due date, by the projection at the due date', () => {
    // A steady rise on the logit scale: 0.80 rising by 0.04 logits a month reaches 0.9 in about 20 months.
    const line = (start: number, step: number, n: number) =>
      Array.from({ length: n }, (_, i) => 1 / (1 + Math.exp(-(Math.log(start / (1 - start)) + step * i))))
    const onTrack = evaluateTarget(months('2024-01-01', line(0.8, 0.04, 12)), share90('2027-12-31'), '2025-01-10')
    expect(onTrack.status).toBe('on_track')
    expect(onTrack.projectedDate).not.toBeNull()
    expect((onTrack.projectedDate as string) <= '2027-12-31').toBe(true)
    const offTrack = evaluateTarget(months('2024-01-01', line(0.6, 0.001, 12)), share90('2025-06-30'), '2025-01-10')
    expect(offTrack.status).toBe('off_track')
    expect(offTrack.progressBand).toBe('limited')
  })

  it('never judges the provisional month, nor a month that has not ended', () => {
    const points = [
      ...months('2024-01-01', [0.8, 0.81, 0.82, 0.83, 0.84, 0.85]),
      { period: '2024-07-01', value: 0.99, provisional: true },
    ]
    const result = evaluateTarget(points, share90('2027-12-31'), '2024-07-20')
    expect(result.currentPeriod).toBe('2024-06-01')
    expect(result.reachedOn).toBeNull()
  })

  it('has no status without data, and none from data that begins after a past due date', () => {
    expect(evaluateTarget([], share90('2027-12-31'), '2024-07-20').status).toBe('no_data')
    expect(evaluateTarget(months('2024-01-01', [null, null]), share90('2027-12-31'), '2024-07-20').status).toBe(
      'no_data',
    )
    expect(evaluateTarget(months('2024-01-01', [0.5, 0.6]), share90('2020-12-31'), '2024-07-20').status).toBe('no_data')
  })

  it('reads "lower is better" targets the other way round', () => {
    const points = months('2024-01-01', [100, 90, 80, 70, 60, 50, 40, 30])
    const result = evaluateTarget(
      points,
      { value: 20, dueDate: '2026-12-31', higherIsBetter: false, share: false },
      '2024-09-10',
    )
    expect(result.status).toBe('on_track')
    expect(result.trendPerMonth).toBeCloseTo(-10, 9)
    expect(result.projectedDate).toBe('2024-09-30')
  })

  it('bands the progress ratio as Open SDG does', () => {
    expect([1.2, 0.95, 0.7, 0.6, 0.3, 0, -0.1, null].map(bandOf)).toEqual([
      'substantial',
      'substantial',
      'moderate',
      'moderate',
      'limited',
      'limited',
      'deterioration',
      null,
    ])
  })
})

describe('fitTrend', () => {
  it('recovers a logit-linear series with month-of-year effects, and projects it with a band around the truth', () => {
    const truth = (i: number, month: number) => -0.5 + 0.03 * i + (month === 0 ? -0.2 : month === 6 ? 0.1 : 0)
    const points = Array.from({ length: 36 }, (_, i) => {
      const period = format(addMonths(parseISO('2022-01-01'), i), 'yyyy-MM-dd')
      const noise = ((i * 7919) % 13) / 13 / 100 - 0.005
      return { period, value: 1 / (1 + Math.exp(-(truth(i, i % 12) + noise))) }
    })
    const fit = fitTrend(points, { share: true })
    expect(fit?.seasonal).toBe(true)
    expect(fit?.slope).toBeCloseTo(0.03, 3)
    const ahead = fit?.project('2026-01-01')
    const expected = 1 / (1 + Math.exp(-truth(48, 0)))
    expect(ahead?.value).toBeCloseTo(expected, 2)
    expect(ahead?.low).toBeLessThan(expected)
    expect(ahead?.high).toBeGreaterThan(expected)
    // A gap is a gap in time: dropping a year in the middle changes nothing about the slope per month.
    const gapped = fitTrend([...points.slice(0, 12), ...points.slice(24)], { share: true })
    expect(gapped?.slope).toBeCloseTo(0.03, 3)
  })

  it('needs six months, and uses Student t for small samples', () => {
    expect(
      fitTrend(
        months('2024-01-01', [0.1, 0.2, 0.3]).map((p) => ({ period: p.period, value: p.value as number })),
        { share: false },
      ),
    ).toBeNull()
    expect(t95(1)).toBeCloseTo(12.706, 3)
    expect(t95(1000)).toBe(1.96)
  })
})
