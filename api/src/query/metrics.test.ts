// Every metric, as the API serves it, equals the same figure recomputed here from raw events and reference files.
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bearer, openTestApi, type TestApi } from '../testing.ts'

let api: TestApi
beforeAll(async () => {
  api = await openTestApi()
})
afterAll(() => api.close())

/** Reference facts read straight from the fixture files, not through the code under test. */
const csv = (path: string) =>
  readFileSync(new URL(`../../../sql/reference/${path}`, import.meta.url), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
const onlineChannels = csv('channels.csv')
  .map((line) => line.split(','))
  .filter((cells) => cells[1] === 'online')
  .map((cells) => cells[0])
const population = new Map(csv('kz_regions.csv').map((line) => [line.split(',')[0], Number(line.split(',')[9])]))
const onlineSince = csv('services.csv').map((line) => /(\d{4}-\d{2}-\d{2})?$/.exec(line)?.[1] ?? null)

interface ApiRow {
  period?: string
  region?: string
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

function expectSame(actual: ApiRow[], expected: Map<string, number | null>, key: 'period' | 'region') {
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

const formulas: Record<string, string> = {
  volume: `countIf(${completed})`,
  requests: 'count()',
  online_share: `countIf(${online}) / countIf(${completed})`,
  online_share_self: `countIf(${online} AND assisted_by = 'self') / countIf(${completed})`,
  assisted_digital_share: `countIf(${online} AND assisted_by != 'self') / countIf(${completed})`,
  completion_rate: `countIf(${completed}) / countIf(status != 'in_progress')`,
  // Times rounded to 6 significant binary digits, half up (METHODOLOGY.md), written here in arithmetic.
  processing_time_median: `quantileExactLowIf(0.5)(
    if(processing_seconds < 64, processing_seconds,
       floor(processing_seconds / exp2(floor(log2(processing_seconds)) - 5) + 0.5) * exp2(floor(log2(processing_seconds)) - 5)),
    ${completed} AND processing_seconds IS NOT NULL)`,
  satisfaction: '(avg(satisfaction) - 1) / 4',
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

  it('per_capita: completed transactions per 1,000 residents of each region, at the demo sample’s scale', async () => {
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

  it('age_divide: self-service share of 18-29 minus that of 65+', async () => {
    const years = await series('age_divide', 'from=2020-01-01&to=2025-12-31&interval=year')
    const share = (band: string) =>
      `countIf(${online} AND assisted_by = 'self' AND age_band = '${band}') / countIf(${completed} AND age_band = '${band}')`
    const expected = await raw(
      'toStartOfYear(occurred_on)',
      `${share('18-29')} - ${share('65+')}`,
      "occurred_on BETWEEN '2020-01-01' AND '2025-12-31'",
    )
    expectSame(years, expected, 'period')
    expect(years.every((row) => (row.value ?? 0) > 0.05)).toBe(true)
  })

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

  it('channel_migration: assisted citizens who self-serve online within 90 days, counted in JavaScript', async () => {
    const events = await api.store.rows<{ applicant_key: string; at: string; assisted_by: string; online: number }>(
      'test:migration',
      `SELECT applicant_key, toString(occurred_at) AS at, toString(assisted_by) AS assisted_by,
              status = 'completed' AND channel IN {online:Array(String)} AS online
       FROM events WHERE occurred_on BETWEEN '2024-01-01' AND '2024-09-28' ORDER BY occurred_at`,
      { online: onlineChannels },
    )
    const first = new Map<string, number>()
    const selfTimes = new Map<string, number[]>()
    for (const event of events) {
      const at = Date.parse(`${event.at}Z`)
      if (event.assisted_by !== 'self' && event.at < '2024-07-01' && !first.has(event.applicant_key))
        first.set(event.applicant_key, at)
      if (event.assisted_by === 'self' && Number(event.online))
        selfTimes.set(event.applicant_key, [...(selfTimes.get(event.applicant_key) ?? []), at])
    }
    const moved = [...first].filter(([key, at]) =>
      (selfTimes.get(key) ?? []).some((t) => t > at && t <= at + 90 * 86_400_000),
    ).length
    const [row] = await series('channel_migration', 'from=2024-01-01&to=2024-06-30&interval=year')
    expect(first.size).toBeGreaterThan(100)
    expect(row?.value).toBeCloseTo(moved / first.size, 12)
  })
})
