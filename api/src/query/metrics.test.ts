// Every metric, as the API serves it, equals the same figure recomputed here from raw events and reference files.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bearer, openTestApi, type TestApi } from '../testing.ts'
import { onlineChannelCodes, referenceLines } from '../testing-reference.ts'

let api: TestApi
beforeAll(async () => {
  // Events up to today, as a live store has them: ranges ending today read days of the current month.
  api = await openTestApi(150_000, new Date().toISOString().slice(0, 10))
})
afterAll(() => api.close())

/** Reference facts read straight from the fixture files, not through the code under test. */
const onlineChannels = onlineChannelCodes()
/** Mid-year populations of 2025 (one year, after the 2022 split: the boundaries of 2024). */
const population = new Map(
  referenceLines('kz_region_populations.csv')
    .map((line) => line.split(','))
    .filter((cells) => cells[1] === '2025' && cells[2] === '2024')
    .map((cells) => [cells[0], Number(cells[3])]),
)
const onlineSince = referenceLines('services.csv').map((line) => /(\d{4}-\d{2}-\d{2})?$/.exec(line)?.[1] ?? null)

interface ApiRow {
  period?: string
  region?: string
  service?: string
  value: number | null
}

async function series(metric: string, query: string): Promise<ApiRow[]> {
  const response = await api.app.inject({
    url: `/api/v1/metrics/${metric}/series?${query}`,
    headers: bearer(api.tokens.analyst),
  })
  expect(response.statusCode, response.body).toBe(200)
  return response.json<{ rows: ApiRow[] }>().rows
}

async function breakdown(metric: string, query: string): Promise<ApiRow[]> {
  const response = await api.app.inject({
    url: `/api/v1/metrics/${metric}/breakdown?${query}`,
    headers: bearer(api.tokens.analyst),
  })
  expect(response.statusCode, response.body).toBe(200)
  return response.json<{ rows: ApiRow[] }>().rows
}

/** Expected values per key from a raw SQL aggregate over events, grouped by `key`. */
async function raw(key: string, value: string, where: string): Promise<Map<string, number | null>> {
  const rows = await api.store.rows<{ key: string; value: number | null }>(
    'test:raw',
    `SELECT toString(${key}) AS key, ${value} AS value FROM events WHERE ${where} GROUP BY key`,
    { online: onlineChannels },
  )
  return new Map(rows.map((row) => [row.key, row.value === null ? null : Number(row.value)]))
}

function expectSame(actual: ApiRow[], expected: Map<string, number | null>, key: 'period' | 'region' | 'service') {
  expect(actual.length).toBe(expected.size)
  for (const row of actual) {
    const want = expected.get(String(row[key]))
    if (want === null || want === undefined || Number.isNaN(want)) expect(row.value).toBeNull()
    else expect(row.value).toBeCloseTo(want, 9)
  }
}

const completed = "status = 'completed'"
const online = `${completed} AND channel IN {online:Array(String)}`
const h1 = "occurred_on BETWEEN '2025-01-01' AND '2025-06-30'"

// completion_rate and processing_time_median count cases by their day of closing: api/src/metrics/closed-cases.test.ts.
const formulas: Record<string, string> = {
  volume: `countIf(${completed})`,
  requests: 'count()',
  online_share: `countIf(${online}) / countIf(${completed})`,
  online_share_self: `countIf(${online} AND assisted_by = 'self') / countIf(${completed})`,
  assisted_digital_share: `countIf(${online} AND assisted_by != 'self') / countIf(${completed})`,
  satisfaction: 'countIf(satisfaction >= 4) / countIf(satisfaction IS NOT NULL)',
  satisfaction_response_rate: "countIf(satisfaction IS NOT NULL) / countIf(status IN ('completed', 'rejected'))",
}

describe('metrics recomputed from raw events', () => {
  for (const [metric, formula] of Object.entries(formulas)) {
    it(`${metric}: monthly series in one region and a breakdown by region`, async () => {
      const months = await series(metric, 'from=2025-01-01&to=2025-06-30&interval=month&region=75')
      expectSame(months, await raw('toStartOfMonth(occurred_on)', formula, `${h1} AND region = '75'`), 'period')
      const regions = await breakdown(metric, 'from=2025-01-10&to=2025-06-20&by=region&channel=portal,tson,mobile')
      expectSame(
        regions,
        await raw(
          'region',
          formula,
          "occurred_on BETWEEN '2025-01-10' AND '2025-06-20' AND channel IN ('portal', 'tson', 'mobile')",
        ),
        'region',
      )
    })
  }

  for (const [metric, formula] of Object.entries(formulas)) {
    it(`${metric}: ranges ending mid-month and today (whole months from monthly rows, the rest from days)`, async () => {
      const today = api.app.today()
      const months = await series(metric, `from=2024-11-20&to=${today}&interval=month`)
      expectSame(
        months,
        await raw('toStartOfMonth(occurred_on)', formula, `occurred_on BETWEEN '2024-11-20' AND '${today}'`),
        'period',
      )
      const regions = await breakdown(metric, 'from=2024-02-14&to=2025-11-09&by=region')
      expectSame(regions, await raw('region', formula, "occurred_on BETWEEN '2024-02-14' AND '2025-11-09'"), 'region')
      const services = await breakdown(metric, 'from=2025-02-14&to=2025-11-09&by=service&region=75')
      const where = "occurred_on BETWEEN '2025-02-14' AND '2025-11-09' AND region = '75'"
      expectSame(services, await raw('service_code', formula, where), 'service')
    })
  }

  it('compare: the range, the same number of days before and the same dates a year earlier, in one query', async () => {
    // 2025-02-14 … 2025-11-09 is 269 days; the 269 days before it start on 2024-05-21.
    const ranges = [
      ['2025-02-14', '2025-11-09'],
      ['2024-05-21', '2025-02-13'],
      ['2024-02-14', '2024-11-09'],
    ] as const
    for (const [metric, formula] of Object.entries(formulas)) {
      const response = await api.app.inject({
        url: `/api/v1/metrics/${metric}/compare?from=2025-02-14&to=2025-11-09`,
        headers: bearer(api.tokens.analyst),
      })
      expect(response.statusCode, response.body).toBe(200)
      const answer =
        response.json<Record<string, { from: string; to: string; value: number | null; transactions: number }>>()
      const parts = [answer.current, answer.previous, answer.previousYear]
      for (const [index, [from, to]] of ranges.entries()) {
        const where = `occurred_on BETWEEN '${from}' AND '${to}'`
        const expected = await raw("'all'", formula, where)
        const [count] = (await raw("'all'", 'count()', where)).values()
        expect(parts[index]).toMatchObject({ from, to, transactions: count })
        expect(parts[index]?.value, `${metric} ${from}`).toBeCloseTo(expected.get('all') as number, 9)
      }
    }
    for (const metric of ['per_capita', 'age_divide', 'catalogue_coverage', 'channel_migration']) {
      const response = await api.app.inject({
        url: `/api/v1/metrics/${metric}/compare?period=last_12m`,
        headers: bearer(api.tokens.analyst),
      })
      expect(response.statusCode, `${metric}: ${response.body}`).toBe(200)
    }
  })

  it('per_capita: completed transactions per 1,000 residents of each region in 2025, at the demo sample’s scale', async () => {
    const regions = await breakdown('per_capita', 'from=2025-01-01&to=2025-06-30&by=region')
    const counts = await raw('region', `countIf(${completed})`, h1)
    // The demo's rows are a 1:N sample: they serve the population × the recorded sampling fraction.
    const [dataset] = await api.store.rows<{ fraction: number }>(
      'test:fraction',
      "SELECT sampling_fraction AS fraction FROM dataset WHERE kind = 'demo' ORDER BY generated_at DESC LIMIT 1",
    )
    const fraction = dataset?.fraction ?? 1
    expect(fraction).toBeLessThan(1)
    const served = (people: number) => Math.round(people * fraction)
    const expected = new Map(
      [...counts].map(([region, count]) => [region, ((count ?? 0) * 1000) / served(population.get(region) ?? 0)]),
    )
    expectSame(regions, expected, 'region')
    const [national] = await series('per_capita', 'from=2025-01-01&to=2025-06-30&interval=year')
    const total = [...counts.values()].reduce<number>((sum, count) => sum + (count ?? 0), 0)
    const residents = [...population.values()].reduce((sum, count) => sum + count, 0)
    expect(national?.value).toBeCloseTo((total * 1000) / served(residents), 9)
  })

  // age_divide is standardised for service mix: api/src/metrics/age-divide.test.ts recomputes it.

  it('catalogue_coverage: services online by the end of each year, from services.csv', async () => {
    const years = await series('catalogue_coverage', 'from=2019-01-01&to=2023-12-31&interval=year')
    for (const row of years) {
      const end = `${row.period?.slice(0, 4)}-12-31`
      const online = onlineSince.filter((date) => date !== null && date <= end).length
      expect(row.value).toBeCloseTo(online / onlineSince.length, 12)
    }
    expect(years.map((row) => row.period)).toEqual([
      '2019-01-01',
      '2020-01-01',
      '2021-01-01',
      '2022-01-01',
      '2023-01-01',
    ])
  })

  it('funnel: each region’s share and base from raw events, limits around the pooled share', async () => {
    const response = await api.app.inject({
      url: '/api/v1/metrics/online_share/funnel?from=2025-01-01&to=2025-06-30',
      headers: bearer(api.tokens.analyst),
    })
    expect(response.statusCode, response.body).toBe(200)
    const answer = response.json<{
      target: number
      tau2: number
      units: { key: string; numerator: number; denominator: number; low998: number; high998: number; signal: string }[]
    }>()
    const raw = await api.store.rows<{ region: string; x: string; n: string }>(
      'test:funnel',
      `SELECT region, countIf(${online}) AS x, countIf(${completed}) AS n FROM events WHERE ${h1} GROUP BY region`,
      { online: onlineChannels },
    )
    const totalX = raw.reduce((sum, row) => sum + Number(row.x), 0)
    const totalN = raw.reduce((sum, row) => sum + Number(row.n), 0)
    expect(answer.target).toBeCloseTo(totalX / totalN, 12)
    expect(answer.units).toHaveLength(raw.length)
    for (const row of raw) {
      const unit = answer.units.find((item) => item.key === row.region)
      expect(unit).toMatchObject({ numerator: Number(row.x), denominator: Number(row.n) })
      const spread = Math.sqrt((answer.target * (1 - answer.target)) / Number(row.n) + answer.tau2)
      expect(unit?.high998).toBeCloseTo(Math.min(1, answer.target + 3.090232 * spread), 9)
      const share = Number(row.x) / Number(row.n)
      const expected = share > (unit?.high998 ?? 1) ? 'above' : share < (unit?.low998 ?? 0) ? 'below' : 'within'
      expect(unit?.signal).toBe(expected)
    }
    const notShare = await api.app.inject({
      url: '/api/v1/metrics/volume/funnel?period=last_12m',
      headers: bearer(api.tokens.analyst),
    })
    expect(notShare.json()).toMatchObject({ parameter: 'metric' })
  })

  // channel_migration (first assisted in the range, whole windows only): api/src/metrics/channel-migration.test.ts.
})
