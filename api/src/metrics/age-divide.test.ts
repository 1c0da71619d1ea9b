// The age divide standardised for service mix, recomputed in JavaScript from raw rows: within each service the
// self-service online share of 18–29 minus that of 65+, weighted by the service's completed transactions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bearer, openTestApi, type TestApi } from '../testing.ts'
import { onlineChannelCodes } from '../testing-reference.ts'

let api: TestApi
beforeAll(async () => {
  api = await openTestApi(80_000)
})
afterAll(() => api.close())

const online = new Set(onlineChannelCodes())

interface Event {
  year: string
  gender: string
  service: string
  channel: string
  assisted: string
  status: string
  age: string
}

async function events(): Promise<Event[]> {
  return api.store.rows<Event>(
    'test:age',
    `SELECT toString(toYear(occurred_on)) AS year, toString(gender) AS gender, service_code AS service, channel,
            toString(assisted_by) AS assisted, toString(status) AS status, toString(age_band) AS age
     FROM events WHERE occurred_on BETWEEN '2023-01-01' AND '2025-12-31'`,
  )
}

/** Standardised divide, crude divide and unknown ages of each group of events. */
function divide(rows: Event[]) {
  const services = new Map<string, { young: number; youngSelf: number; old: number; oldSelf: number; all: number }>()
  let unknown = 0
  for (const event of rows) {
    if (event.status !== 'completed') continue
    const entry = services.get(event.service) ?? { young: 0, youngSelf: 0, old: 0, oldSelf: 0, all: 0 }
    const self = online.has(event.channel) && event.assisted === 'self' ? 1 : 0
    entry.all++
    if (event.age === '18-29') {
      entry.young++
      entry.youngSelf += self
    }
    if (event.age === '65+') {
      entry.old++
      entry.oldSelf += self
    }
    if (event.age === 'unknown') unknown++
    services.set(event.service, entry)
  }
  let weighted = 0
  let weights = 0
  const totals = { young: 0, youngSelf: 0, old: 0, oldSelf: 0 }
  for (const entry of services.values()) {
    totals.young += entry.young
    totals.youngSelf += entry.youngSelf
    totals.old += entry.old
    totals.oldSelf += entry.oldSelf
    if (entry.young === 0 || entry.old === 0) continue
    weighted += entry.all * (entry.youngSelf / entry.young - entry.oldSelf / entry.old)
    weights += entry.all
  }
  return {
    standardised: weighted / weights,
    crude: totals.youngSelf / totals.young - totals.oldSelf / totals.old,
    unknown,
  }
}

async function get(path: string) {
  const response = await api.app.inject({
    url: `/api/v1/metrics/age_divide/${path}`,
    headers: bearer(api.tokens.analyst),
  })
  expect(response.statusCode, response.body).toBe(200)
  return response.json<{ rows: { period?: string; gender?: string; value: number; unknown_age: number }[] }>().rows
}

describe('age divide standardised for service mix', () => {
  it('by year: the weighted within-service difference, and the unknown ages counted', async () => {
    const all = await events()
    const rows = await get('series?from=2023-01-01&to=2025-12-31&interval=year')
    expect(rows.map((row) => row.period)).toEqual(['2023-01-01', '2024-01-01', '2025-01-01'])
    let moved = 0
    for (const row of rows) {
      const want = divide(all.filter((event) => event.year === row.period?.slice(0, 4)))
      expect(row.value).toBeCloseTo(want.standardised, 12)
      expect(row.unknown_age).toBe(want.unknown)
      moved = Math.max(moved, Math.abs(want.standardised - want.crude))
    }
    // Standardisation changes the figure on these data: the two age groups use different services.
    expect(moved).toBeGreaterThan(0.001)
  })

  it('by gender over one year', async () => {
    const all = (await events()).filter((event) => event.year === '2024')
    const rows = await get('breakdown?from=2024-01-01&to=2024-12-31&by=gender')
    for (const row of rows) {
      const want = divide(all.filter((event) => event.gender === row.gender))
      expect(row.value).toBeCloseTo(want.standardised, 12)
      expect(row.unknown_age).toBe(want.unknown)
    }
  })
})
