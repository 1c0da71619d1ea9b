// Calendar and weekday-aligned comparisons: the ranges against weekdays and holidays counted here from holidays.json,
// and the compared values against raw events.
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Filters } from '../contract/index.ts'
import { bearer, openTestApi, type TestApi } from '../testing.ts'
import { comparedRanges, holidaysOn } from './compare.ts'

const rules = JSON.parse(readFileSync(new URL('../../../sql/reference/holidays.json', import.meta.url), 'utf8')) as {
  fixed: { date: string }[]
}

/** Days of [from, to] as UTC dates, with their weekday. */
function days(from: string, to: string): { iso: string; weekday: number }[] {
  const out = []
  for (let ms = Date.parse(`${from}T00:00:00Z`); ms <= Date.parse(`${to}T00:00:00Z`); ms += 86_400_000)
    out.push({ iso: new Date(ms).toISOString().slice(0, 10), weekday: new Date(ms).getUTCDay() })
  return out
}
const weekdayCounts = (from: string, to: string) =>
  days(from, to).reduce((counts, day) => {
    counts[day.weekday] = (counts[day.weekday] ?? 0) + 1
    return counts
  }, [] as number[])

const filters = (from: string, to: string) => ({ from, to, interval: 'month' }) as unknown as Filters

describe('compared ranges', () => {
  it('counts working days lost to holidays: 2024 Q1 by hand', () => {
    // 1–2 Jan (Mon, Tue), 8 Mar (Fri), 21 Mar (Thu), 22 Mar (Fri); 7 Jan is a Sunday and Orthodox Christmas does
    // not move; 23 Mar is a Saturday and moves to Monday 25 March.
    expect(holidaysOn('2024-01-01', '2024-03-31')).toBe(6)
    expect(rules.fixed.some((rule) => rule.date === '03-23')).toBe(true)
  })

  it('calendar: the days just before and the same dates a year earlier, 29 February to 28 February', () => {
    const [, previous, earlier] = comparedRanges(filters('2024-02-01', '2024-02-29'), 'calendar')
    expect([previous.from, previous.to]).toEqual(['2024-01-03', '2024-01-31'])
    expect([earlier.from, earlier.to]).toEqual(['2023-02-01', '2023-02-28'])
  })

  it('weekday: the same number of each weekday and of working days lost to holidays', () => {
    // March 2025: 8 March is a Saturday (moved to Monday 10th), 21–23 March Friday to Sunday (23rd moved to Monday
    // 24th): the calendar year earlier, March 2024, loses a different number of working days.
    const asked = filters('2025-03-01', '2025-03-31')
    const [current, previous, earlier] = comparedRanges(asked, 'weekday')
    for (const range of [previous, earlier]) {
      expect(weekdayCounts(range.from, range.to)).toEqual(weekdayCounts(current.from, current.to))
      expect(range.holidays).toBe(holidaysOn(range.from, range.to))
      expect((range.shiftDays ?? 0) % 7).toBe(0)
      expect(range.to < current.from).toBe(true)
    }
    expect(earlier.holidays).toBe(current.holidays)
    // February has no holiday to match March's: the nearest weeks are taken, and the answer says what each lost.
    expect([previous.from, previous.to, previous.holidays, current.holidays]).toEqual([
      '2025-01-25',
      '2025-02-24',
      0,
      4,
    ])
    expect(earlier.shiftDays).toBeGreaterThanOrEqual(357)
    expect(earlier.shiftDays).toBeLessThanOrEqual(371)
    const [, , calendarEarlier] = comparedRanges(asked, 'calendar')
    expect(weekdayCounts(calendarEarlier.from, calendarEarlier.to)).not.toEqual(weekdayCounts(current.from, current.to))
  })
})

describe('GET /metrics/{metric}/compare?compare=weekday', () => {
  let api: TestApi
  beforeAll(async () => {
    api = await openTestApi(40_000)
  })
  afterAll(() => api.close())

  it('answers each range’s value from raw events and says how it was aligned', async () => {
    const response = await api.app.inject({
      url: '/api/v1/metrics/volume/compare?from=2025-03-01&to=2025-03-31&compare=weekday',
      headers: bearer(api.tokens.analyst),
    })
    expect(response.statusCode, response.body).toBe(200)
    const answer = response.json<{
      alignment: string
      previousYear: { from: string; to: string; value: number; shiftDays: number; holidays: number }
    }>()
    expect(answer.alignment).toBe('weekday')
    const { from, to } = answer.previousYear
    const [row] = await api.store.rows<{ n: string }>(
      'test:compare',
      "SELECT toString(countIf(status = 'completed')) AS n FROM events WHERE occurred_on BETWEEN {from:Date} AND {to:Date}",
      { from, to },
    )
    expect(answer.previousYear.value).toBe(Number(row?.n))
    expect(answer.previousYear.shiftDays % 7).toBe(0)
    const wrong = await api.app.inject({
      url: '/api/v1/metrics/volume/compare?from=2025-03-01&to=2025-03-31&compare=fortnight',
      headers: bearer(api.tokens.analyst),
    })
    expect(wrong.statusCode).toBe(400)
    expect(wrong.json()).toMatchObject({ parameter: 'compare' })
  })
})
