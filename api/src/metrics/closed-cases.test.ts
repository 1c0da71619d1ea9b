// Completion rate and median processing time over cases closed in each period, and the cases open at its end,
// recomputed in JavaScript from raw rows: each case's day of closing is its request time plus its processing time,
// read in the deployment's calendar by Intl, not by the engine.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bearer, openTestApi, type TestApi } from '../testing.ts'

let api: TestApi
let cases: Case[]
let dayIn: (ms: number) => string
beforeAll(async () => {
  api = await openTestApi(60_000)
  const calendar = new Intl.DateTimeFormat('en-CA', { timeZone: api.store.config.timezone })
  dayIn = (ms) => calendar.format(new Date(ms))
  const rows = await api.store.rows<{
    at: string
    day: string
    channel: string
    status: string
    seconds: number | null
  }>(
    'test:cases',
    `SELECT toString(occurred_at) AS at, toString(occurred_on) AS day, channel, toString(status) AS status,
            processing_seconds AS seconds
     FROM events WHERE occurred_on <= '2025-06-30'`,
  )
  cases = rows.map((row) => {
    const seconds = row.seconds === null ? null : Number(row.seconds)
    const closedOn =
      row.status === 'in_progress'
        ? null
        : seconds === null
          ? row.day
          : dayIn(Date.parse(`${row.at.replace(' ', 'T')}Z`) + seconds * 1000)
    return { day: row.day, channel: row.channel, status: row.status, seconds, closedOn }
  })
})
afterAll(() => api.close())

interface Case {
  day: string
  channel: string
  status: string
  seconds: number | null
  closedOn: string | null
}

interface Row {
  period?: string
  channel?: string
  value: number | null
  numerator: number | null
  denominator: number | null
  base: number
  open_cases: number
}

async function get(metric: string, path: string): Promise<Row[]> {
  const response = await api.app.inject({
    url: `/api/v1/metrics/${metric}/${path}`,
    headers: bearer(api.tokens.analyst),
  })
  expect(response.statusCode, response.body).toBe(200)
  return response.json<{ rows: Row[] }>().rows
}

/** METHODOLOGY.md's rounding in arithmetic: 6 significant binary digits, half up. */
const roundTo6Bits = (seconds: number) => {
  if (seconds < 64) return seconds
  const step = 2 ** (Math.floor(Math.log2(seconds)) - 5)
  return Math.floor(seconds / step + 0.5) * step
}

const lowerMedian = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.ceil(sorted.length / 2) - 1] ?? null
}

/** What the API should say over the cases in `scope`, closed in [from, to] and open at `end`. */
function expected(scope: Case[], from: string, to: string, end: string) {
  const closed = scope.filter((c) => c.closedOn !== null && c.closedOn >= from && c.closedOn <= to)
  const completed = closed.filter((c) => c.status === 'completed')
  const open = scope.filter((c) => c.day <= end && (c.closedOn === null || c.closedOn > end))
  const times = completed.filter((c) => c.seconds !== null).map((c) => c.seconds as number)
  return {
    completed: completed.length,
    closed: closed.length,
    open: open.length,
    median: lowerMedian(times),
    timed: times.length,
  }
}

const months = ['01', '02', '03', '04', '05', '06'].map((month) => {
  const last = new Date(Date.UTC(2025, Number(month), 0)).getUTCDate()
  return { start: `2025-${month}-01`, end: `2025-${month}-${last}` }
})

describe('cases closed in the period', () => {
  it('completion rate by month: completed ÷ closed in the month, and the cases open at its last day', async () => {
    const rows = await get('completion_rate', 'series?from=2025-01-01&to=2025-06-30&interval=month')
    expect(rows.map((row) => row.period)).toEqual(months.map((month) => month.start))
    for (const [index, row] of rows.entries()) {
      const month = months[index] as { start: string; end: string }
      const want = expected(cases, month.start, month.end, month.end)
      expect([row.numerator, row.denominator, row.open_cases]).toEqual([want.completed, want.closed, want.open])
      expect(row.open_cases).toBeGreaterThan(0)
    }
    // Closing day, not request day: cases requested in one month and closed in the next count in the next.
    const byRequest = cases.filter((c) => c.day >= '2025-03-01' && c.day <= '2025-03-31' && c.closedOn !== null)
    expect(byRequest.some((c) => (c.closedOn as string) > '2025-03-31')).toBe(true)
  })

  it('median processing time by channel over an unaligned range: completions closed in it, timed', async () => {
    const from = '2025-02-10'
    const to = '2025-05-20'
    const rows = await get('processing_time_median', `breakdown?from=${from}&to=${to}&by=channel`)
    const channels = new Set(cases.map((c) => c.channel))
    expect(rows.length).toBeGreaterThan(3)
    for (const row of rows) {
      expect(channels.has(row.channel ?? '')).toBe(true)
      const want = expected(
        cases.filter((c) => c.channel === row.channel),
        from,
        to,
        to,
      )
      // The exact lower median rounded to 6 significant binary digits, as the rollups keep times: within 1/64 of it.
      const exact = want.median as number
      expect([row.value, Number(row.base), Number(row.open_cases)]).toEqual([
        roundTo6Bits(exact),
        want.timed,
        want.open,
      ])
      expect(Math.abs((row.value as number) - exact)).toBeLessThanOrEqual(exact / 64)
    }
  })
})
