// The detector on hand-made series: weekdays and holidays are expected, planted drops and spikes are found, small
// cells and known breaks are not flagged.
import { type CalendarDay, calendar } from '@qyzmet/sql'
import { describe, expect, it } from 'vitest'
import { type DailySeries, defaultDetector, judgeSeries } from './detect.ts'

const days = calendar('2023-01-01', '2024-12-31')
const index = (date: string) => days.findIndex((day) => day.date === date)
const weekdayWeight = [0.25, 1.1, 1.05, 1, 1, 0.9, 0.45]

/** Deterministic noise in [−1, 1) from a day's index. */
const noise = (i: number, salt = 1) => {
  const x = Math.sin(i * 12.9898 + salt * 78.233) * 43758.5453
  return (x - Math.floor(x)) * 2 - 1
}

/** A volume: `level` on an ordinary weekday, weekday weights, holidays at 0.15, ±5 % noise. */
function volume(level: number, change: (day: CalendarDay, i: number) => number = () => 1): DailySeries {
  const counts = days.map((day, i) =>
    Math.round(
      level * (day.holiday ? 0.15 : (weekdayWeight[day.weekday] ?? 1)) * (1 + 0.05 * noise(i)) * change(day, i),
    ),
  )
  return { metric: 'requests', numerator: counts, denominator: counts }
}

const anomalies = (series: DailySeries, from = '2024-01-01', breaks: { from: string; to: string }[] = []) =>
  judgeSeries(series, days, index(from), breaks).filter((judgement) => judgement.anomalous)

describe('anomaly detection', () => {
  it('expects each weekday and every public holiday as it usually is, and flags none of them', () => {
    const judged = judgeSeries(volume(1000), days, index('2024-01-01'), [])
    const holidays = days.filter((day) => day.holiday && day.date >= '2024-01-01')
    expect(holidays.length).toBeGreaterThan(10)
    // Every holiday is judged (not skipped), expected near its own level, and not flagged.
    for (const holiday of holidays) {
      const judgement = judged.find((each) => each.day === holiday.date && each.days === 1)
      expect(judgement, holiday.date).toBeDefined()
      expect(judgement?.holiday).toBe(true)
      expect(Math.abs((judgement?.expected ?? 0) / (judgement?.value ?? 1) - 1)).toBeLessThan(0.25)
    }
    expect(judged.filter((judgement) => judgement.anomalous)).toEqual([])
    // A Sunday is expected at about a quarter of a Monday (the series' own weights, not a flat mean).
    const sunday = judged.find((each) => each.day === '2024-06-02' && each.days === 1)
    const monday = judged.find((each) => each.day === '2024-06-03' && each.days === 1)
    expect((sunday?.expected ?? 0) / (monday?.expected ?? 1)).toBeCloseTo(0.25 / 1.1, 1)
  })

  it('finds a day at half its volume and a day at three times it, with the expected value and its range', () => {
    const series = volume(1000, (day) => (day.date === '2024-03-13' ? 0.5 : day.date === '2024-09-18' ? 3 : 1))
    const found = anomalies(series).filter((judgement) => judgement.days === 1)
    expect(found.map((judgement) => judgement.day)).toEqual(['2024-03-13', '2024-09-18'])
    const [drop, spike] = found
    // A Wednesday: 1000 × 1.0, ± the noise.
    expect(drop?.expected).toBeGreaterThan(950)
    expect(drop?.expected).toBeLessThan(1050)
    expect(drop?.value).toBeLessThan(drop?.low ?? 0)
    expect(drop?.score).toBeLessThan(-defaultDetector.threshold)
    expect(spike?.value).toBeGreaterThan(spike?.high ?? Number.POSITIVE_INFINITY)
    expect(spike?.score).toBeGreaterThan(defaultDetector.threshold)
  })

  it('finds three quiet days in a row that no single day shows, and leaves small cells alone', () => {
    // About 15 a weekday: three working days at zero are each within a count's own noise (√15 ≈ 3.9), together not.
    const series = volume(15, (day) => (day.date >= '2024-10-14' && day.date <= '2024-10-16' ? 0 : 1))
    const found = anomalies(series)
    expect(found.filter((judgement) => judgement.days === 1)).toEqual([])
    const run = found.find((judgement) => judgement.days === defaultDetector.runDays)
    expect(run?.day).toBe('2024-10-16')
    expect(run?.value).toBe(0)
    expect(run?.expected).toBeGreaterThan(40)
    // A cell of about 3 a day: even at zero for three days, too small to judge.
    const tiny = volume(3, (day) => (day.date >= '2024-10-14' && day.date <= '2024-10-16' ? 0 : 1))
    expect(anomalies(tiny)).toEqual([])
  })

  it('does not flag a known break, where an unknown one would be', () => {
    const shifted = volume(1000, (day) => (day.date >= '2024-04-01' && day.date <= '2024-05-15' ? 2.5 : 1))
    expect(anomalies(shifted, '2024-03-01').length).toBeGreaterThan(5)
    const known = anomalies(shifted, '2024-03-01', [{ from: '2024-04-01', to: '2024-05-15' }])
    expect(known).toEqual([])
  })

  it('finds a drop in a share with its base, not a wobble of a small one', () => {
    const completed = days.map((day) => Math.round(800 * (day.holiday ? 0.15 : (weekdayWeight[day.weekday] ?? 1))))
    const online = completed.map((n, i) =>
      Math.round(n * (0.85 + 0.01 * noise(i, 3)) * (days[i]?.date === '2024-05-22' ? 0.8 : 1)),
    )
    const found = anomalies({ metric: 'online_request_share', numerator: online, denominator: completed })
    expect(found.map((judgement) => [judgement.day, judgement.days])).toContainEqual(['2024-05-22', 1])
    const drop = found.find((judgement) => judgement.day === '2024-05-22' && judgement.days === 1)
    expect(drop?.expected).toBeCloseTo(0.85, 2)
    expect(drop?.value).toBeCloseTo(0.68, 2)
    // The same drop on 20 transactions a day is within what a proportion of 20 does by itself.
    const few = completed.map(() => 20)
    const fewOnline = few.map((n, i) => Math.round(n * (days[i]?.date === '2024-05-22' ? 0.7 : 0.85)))
    expect(anomalies({ metric: 'online_request_share', numerator: fewOnline, denominator: few })).toEqual([])
  })
})
