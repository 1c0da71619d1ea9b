// Where to push: a region's transactions still to move, with national and best-region benchmarks, against raw events.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bearer, openTestApi, type TestApi } from '../testing.ts'
import { onlineChannelCodes, referenceLines } from '../testing-reference.ts'

let api: TestApi
beforeAll(async () => {
  api = await openTestApi(80_000)
})
afterAll(() => api.close())

const online = onlineChannelCodes()
const onlineBy = (day: string) =>
  referenceLines('services.csv')
    .map((line) => [line.split(',')[0] ?? '', /(\d{4}-\d{2}-\d{2})?$/.exec(line)?.[1]] as const)
    .filter(([, since]) => since !== undefined && since <= day)
    .map(([code]) => code)

interface Row {
  [key: string]: unknown
  completed: number
  self_service: number
  share: number | null
  to_move: number
  national_share: number | null
  best_share: number | null
  best_region: string | null
  gain_at_national: number
  gain_at_best: number
}

/** The list written out again from raw counts per region and key. */
async function expected(by: string, from: string, to: string, regions: string[], nameBest: boolean) {
  const column = by === 'service' ? 'service_code' : 'toString(age_band)'
  const counts = await api.store.rows<{ region: string; key: string; completed: string; self: string }>(
    'test:push',
    `SELECT region, ${column} AS key, countIf(status = 'completed') AS completed,
            countIf(status = 'completed' AND has({online:Array(String)}, channel) AND assisted_by = 'self') AS self
     FROM events WHERE occurred_on BETWEEN {from:Date} AND {to:Date} AND service_code IN {services:Array(String)}
     GROUP BY region, key`,
    { online, from, to, services: onlineBy(to) },
  )
  const keys = new Map<string, { own: [number, number]; all: [number, number]; regions: [string, number, number][] }>()
  for (const row of counts) {
    const [completed, self] = [Number(row.completed), Number(row.self)]
    const entry = keys.get(row.key) ?? { own: [0, 0], all: [0, 0], regions: [] }
    entry.all = [entry.all[0] + completed, entry.all[1] + self]
    if (regions.includes(row.region)) entry.own = [entry.own[0] + completed, entry.own[1] + self]
    entry.regions.push([row.region, completed, self])
    keys.set(row.key, entry)
  }
  return [...keys]
    .filter(([, entry]) => entry.own[0] > 0)
    .map(([key, entry]) => {
      const share = entry.own[1] / entry.own[0]
      const national = entry.all[1] / entry.all[0]
      const best = entry.regions
        .filter(([, completed]) => completed >= 100)
        .sort((a, b) => b[2] / b[1] - a[2] / a[1] || a[0].localeCompare(b[0]))[0]
      const bestShare = best ? best[2] / best[1] : null
      return {
        [by]: key,
        completed: entry.own[0],
        self_service: entry.own[1],
        share,
        to_move: entry.own[0] - entry.own[1],
        national_share: national,
        best_share: bestShare,
        best_region: best && nameBest ? best[0] : null,
        gain_at_national: entry.own[0] * Math.max(0, national - share),
        gain_at_best: bestShare === null ? 0 : entry.own[0] * Math.max(0, bestShare - share),
      }
    })
    .sort((a, b) => b.to_move - a.to_move || String(a[by]).localeCompare(String(b[by])))
}

async function push(query: string, token = api.tokens.analyst): Promise<Row[]> {
  const response = await api.app.inject({ url: `/api/v1/shift/where-to-push?${query}`, headers: bearer(token) })
  expect(response.statusCode, response.body).toBe(200)
  return response.json<{ rows: Row[] }>().rows
}

function expectClose(actual: Row[], wanted: Record<string, unknown>[]) {
  expect(
    actual.map((row) => ({
      ...row,
      share: null,
      national_share: null,
      best_share: null,
      gain_at_national: 0,
      gain_at_best: 0,
    })),
  ).toEqual(
    wanted.map((row) => ({
      ...row,
      share: null,
      national_share: null,
      best_share: null,
      gain_at_national: 0,
      gain_at_best: 0,
    })),
  )
  actual.forEach((row, index) => {
    const want = wanted[index] as Row
    for (const key of ['share', 'national_share', 'best_share', 'gain_at_national', 'gain_at_best'] as const) {
      if (want[key] === null) expect(row[key]).toBeNull()
      else expect(row[key]).toBeCloseTo(want[key] as number, 9)
    }
  })
}

describe('where to push', () => {
  it('lists a region’s services by transactions still to move, with the national and best shares', async () => {
    const rows = await push('from=2025-01-01&to=2025-12-31&region=75')
    expectClose(rows, await expected('service', '2025-01-01', '2025-12-31', ['75'], true))
    expect(rows.some((row) => row.best_region !== null)).toBe(true)
    // Services that can never be done online have nothing to move: S013 (identity card) is not listed.
    expect(rows.some((row) => row.service === 'S013')).toBe(false)
  })

  it('sums several regions, outside whole months too (from raw events)', async () => {
    const rows = await push('from=2024-03-10&to=2024-11-20&region=75,71')
    expectClose(rows, await expected('service', '2024-03-10', '2024-11-20', ['75', '71'], true))
  })

  it('by age band for a regional token: its own region, the best region unnamed', async () => {
    const rows = await push('from=2025-01-01&to=2025-12-31&by=age_band', api.tokens.regional)
    expectClose(rows, await expected('age_band', '2025-01-01', '2025-12-31', ['75'], false))
    expect(rows.every((row) => row.best_region === null)).toBe(true)
  })

  it('asks for a region, and keeps a regional token to its own', async () => {
    const none = await api.app.inject({ url: '/api/v1/shift/where-to-push', headers: bearer(api.tokens.analyst) })
    expect([none.statusCode, none.json().parameter]).toEqual([400, 'region'])
    const other = await api.app.inject({
      url: '/api/v1/shift/where-to-push?region=71',
      headers: bearer(api.tokens.regional),
    })
    expect(other.statusCode).toBe(403)
    const csv = await api.app.inject({
      url: '/api/v1/shift/where-to-push?from=2025-01-01&to=2025-12-31&region=75&format=csv',
      headers: bearer(api.tokens.analyst),
    })
    expect(csv.body.split('\r\n')[0]).toBe(
      'service,completed,self_service,share,to_move,national_share,best_share,best_region,gain_at_national,gain_at_best',
    )
  })
})
