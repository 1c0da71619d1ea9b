// Series periods a feed left incomplete carry `incomplete` in JSON and CSV, for the region and channel of the feed
// only, until the day is made good.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bearer, openTestApi, type TestApi } from '../testing.ts'

let api: TestApi
beforeAll(async () => {
  api = await openTestApi(20_000)
})
afterAll(() => api.close())

const markDay = (day: string, state: 'silent' | 'on_time') =>
  api.store.insert('test:feed-days', 'monitor_feed_days', [
    { day, source: 'tson-import', channel: 'tson', region: '75', state, rows: 0, completed: 0 },
  ])

type Row = { period: string; region?: string; incomplete: boolean; provisional: boolean }
const series = async (query: string) => {
  const response = await api.app.inject({
    url: `/api/v1/metrics/requests/series?from=2026-07-01&to=2026-09-30&interval=month&${query}`,
    headers: bearer(api.tokens.analyst),
  })
  expect(response.statusCode, response.body).toBe(200)
  return response.json<{ rows: Row[] }>().rows
}
const flagged = (rows: Row[]) => rows.filter((row) => row.incomplete).map((row) => `${row.period} ${row.region ?? ''}`)

describe('incomplete periods', () => {
  it('marks the month of a silent feed day in its region and channel, and nowhere else', async () => {
    await markDay('2026-08-12', 'silent')
    expect(flagged(await series(''))).toEqual(['2026-08-01 '])
    expect(flagged(await series('region=75'))).toEqual(['2026-08-01 '])
    expect(flagged(await series('region=71'))).toEqual([])
    expect(flagged(await series('channel=portal'))).toEqual([])
    expect(flagged(await series('by=region'))).toEqual(['2026-08-01 75'])
    const days = await api.app.inject({
      url: '/api/v1/metrics/requests/series?from=2026-08-10&to=2026-08-14&interval=day&region=75&format=csv',
      headers: bearer(api.tokens.analyst),
    })
    const [header, ...lines] = days.body.trim().split('\n')
    const column = header?.split(',').indexOf('"incomplete"') ?? -1
    expect(column).toBeGreaterThan(0)
    expect(lines.map((line) => `${line.split(',')[0]} ${line.split(',')[column]}`)).toEqual([
      '"2026-08-10" false',
      '"2026-08-11" false',
      '"2026-08-12" true',
      '"2026-08-13" false',
      '"2026-08-14" false',
    ])
  })

  it('clears the mark when the day is made good', async () => {
    await markDay('2026-08-12', 'on_time')
    // Cached answers are tied to the data version, read at most once a second.
    await new Promise((done) => setTimeout(done, 1100))
    expect(flagged(await series('by=region'))).toEqual([])
  })
})
