// Satisfaction as the share of ratings 4–5 with its Wilson interval, and its response rate, counted in JavaScript
// from raw rows; the rollup and raw paths agree on them (plan.test.ts covers every metric).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bearer, openTestApi, type TestApi } from '../testing.ts'

let api: TestApi
beforeAll(async () => {
  api = await openTestApi(60_000)
})
afterAll(() => api.close())

interface Row {
  channel?: string
  period?: string
  value: number | null
  numerator: number | null
  denominator: number | null
  ci_low: number | null
  ci_high: number | null
  base: number
}

async function get(metric: string, path: string): Promise<Row[]> {
  const response = await api.app.inject({
    url: `/api/v1/metrics/${metric}/${path}`,
    headers: bearer(api.tokens.analyst),
  })
  expect(response.statusCode, response.body).toBe(200)
  return response.json<{ rows: Row[] }>().rows
}

/** The 95 % Wilson score interval written out from its textbook form. */
function wilson(x: number, n: number): [number, number] {
  const z = 1.959964
  const p = x / n
  const centre = p + (z * z) / (2 * n)
  const half = z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))
  return [(centre - half) / (1 + (z * z) / n), (centre + half) / (1 + (z * z) / n)]
}

async function counts(from: string, to: string) {
  const events = await api.store.rows<{ channel: string; status: string; rating: number | null }>(
    'test:ratings',
    `SELECT channel, toString(status) AS status, satisfaction AS rating FROM events
     WHERE occurred_on BETWEEN {from:Date} AND {to:Date}`,
    { from, to },
  )
  const byChannel = new Map<string, { high: number; rated: number; decided: number }>()
  for (const event of events) {
    const entry = byChannel.get(event.channel) ?? { high: 0, rated: 0, decided: 0 }
    if (event.rating !== null) entry.rated++
    if (event.rating !== null && Number(event.rating) >= 4) entry.high++
    if (event.status === 'completed' || event.status === 'rejected') entry.decided++
    byChannel.set(event.channel, entry)
  }
  return byChannel
}

describe('satisfaction', () => {
  it('is the share of ratings of 4 or 5, with a Wilson interval on the ratings given', async () => {
    const expected = await counts('2025-01-01', '2025-06-30')
    // Whole months: read from the monthly rollup's `satisfied` measure.
    const rows = await get('satisfaction', 'breakdown?from=2025-01-01&to=2025-06-30&by=channel')
    expect(rows).toHaveLength(expected.size)
    for (const row of rows) {
      const want = expected.get(row.channel ?? '')
      if (!want) throw new Error(`no raw rows for ${row.channel}`)
      expect([row.numerator, row.denominator, row.base]).toEqual([want.high, want.rated, want.rated])
      expect(row.value).toBeCloseTo(want.high / want.rated, 12)
      const [low, high] = wilson(want.high, want.rated)
      expect(row.ci_low).toBeCloseTo(low, 9)
      expect(row.ci_high).toBeCloseTo(high, 9)
    }
    const ratings = [...expected.values()].reduce((sum, entry) => sum + entry.rated, 0)
    expect(ratings).toBeGreaterThan(100)
  })

  it('reports its response rate: ratings ÷ transactions completed or rejected', async () => {
    const expected = await counts('2025-02-03', '2025-05-18')
    // Not whole months: read from the daily rollup.
    const rows = await get('satisfaction_response_rate', 'breakdown?from=2025-02-03&to=2025-05-18&by=channel')
    for (const row of rows) {
      const want = expected.get(row.channel ?? '')
      if (!want) throw new Error(`no raw rows for ${row.channel}`)
      expect([row.numerator, row.denominator]).toEqual([want.rated, want.decided])
      expect(row.value).toBeGreaterThan(0)
      expect(row.value).toBeLessThan(1)
    }
  })
})
