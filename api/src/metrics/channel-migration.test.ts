// Channel migration counted in JavaScript from raw rows: citizens first assisted in the range and never before it,
// only those whose whole window has passed by today, moved if a self-service online completion follows within it.
import { todayIn } from '@qyzmet/sql'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bearer, openTestApi, type TestApi } from '../testing.ts'
import { onlineChannelCodes } from '../testing-reference.ts'

let api: TestApi
let events: { key: string; at: number; day: string; assisted: string; selfOnline: boolean }[]
beforeAll(async () => {
  // Demo events up to today, so that the latest cohorts' windows are still open whenever the test runs.
  api = await openTestApi(80_000, todayIn('Asia/Almaty'))
  const online = new Set(onlineChannelCodes())
  const rows = await api.store.rows<{
    key: string
    at: string
    day: string
    assisted: string
    status: string
    channel: string
  }>(
    'test:migration',
    `SELECT applicant_key AS key, toString(occurred_at) AS at, toString(occurred_on) AS day,
            toString(assisted_by) AS assisted, toString(status) AS status, channel
     FROM events ORDER BY occurred_at`,
  )
  events = rows.map((row) => ({
    key: row.key,
    at: Date.parse(`${row.at.replace(' ', 'T')}Z`),
    day: row.day,
    assisted: row.assisted,
    selfOnline: row.assisted === 'self' && row.status === 'completed' && online.has(row.channel),
  }))
})
afterAll(() => api.close())

const dayMs = 86_400_000
const addDays = (day: string, days: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * dayMs).toISOString().slice(0, 10)

/** moved / cohort over [from, to] with a window of `within` days, observed until `today` (exclusive). */
function migration(from: string, to: string, within: number, today: string) {
  const before = new Set(events.filter((e) => e.assisted !== 'self' && e.day < from).map((e) => e.key))
  const first = new Map<string, { at: number; day: string }>()
  for (const e of events)
    if (e.assisted !== 'self' && e.day >= from && e.day <= to && !first.has(e.key)) first.set(e.key, e)
  let cohort = 0
  let moved = 0
  let censored = 0
  let returning = 0
  for (const [key, start] of first) {
    if (before.has(key)) {
      returning++
      continue
    }
    if (addDays(start.day, within) >= today) {
      censored++
      continue
    }
    cohort++
    if (events.some((e) => e.key === key && e.selfOnline && e.at > start.at && e.at <= start.at + within * dayMs))
      moved++
  }
  return { cohort, moved, censored, returning }
}

async function total(query: string) {
  const response = await api.app.inject({
    url: `/api/v1/metrics/channel_migration/series?interval=year&${query}`,
    headers: bearer(api.tokens.analyst),
  })
  expect(response.statusCode, response.body).toBe(200)
  const rows = response.json<{ rows: { numerator: number; denominator: number; value: number | null }[] }>().rows
  return {
    numerator: rows.reduce((sum, row) => sum + row.numerator, 0),
    denominator: rows.reduce((sum, row) => sum + row.denominator, 0),
  }
}

describe('channel migration', () => {
  it('leaves out citizens assisted before the range', async () => {
    const want = migration('2024-01-01', '2024-06-30', 90, '2099-01-01')
    expect(want.returning).toBeGreaterThan(0)
    expect(await total('from=2024-01-01&to=2024-06-30')).toEqual({ numerator: want.moved, denominator: want.cohort })
  })

  it('counts a citizen only once their window has passed by today (right-censoring)', async () => {
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: api.store.config.timezone }).format(new Date())
    const [from, to] = [addDays(today, -150), addDays(today, -1)]
    const want = migration(from, to, 60, today)
    expect(want.censored).toBeGreaterThan(0)
    expect(want.cohort).toBeGreaterThan(0)
    expect(await total(`from=${from}&to=${to}&within_days=60`)).toEqual({
      numerator: want.moved,
      denominator: want.cohort,
    })
  })
})
