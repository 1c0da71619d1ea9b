// Per capita with populations by year, against a table worked by hand from kz_region_populations.csv: each period
// divides by its own year's population, in the boundaries of the time across the split of 8 June 2022.
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bearer, openTestApi, type TestApi } from '../testing.ts'

let api: TestApi
let fraction: number
beforeAll(async () => {
  api = await openTestApi(60_000)
  const [dataset] = await api.store.rows<{ fraction: number }>(
    'test:fraction',
    "SELECT sampling_fraction AS fraction FROM dataset WHERE kind = 'demo' ORDER BY generated_at DESC LIMIT 1",
  )
  fraction = dataset?.fraction ?? 1
})
afterAll(() => api.close())

/** population(region, year, boundaries), read from the file itself. */
const table = new Map(
  readFileSync(new URL('../../../sql/reference/kz_region_populations.csv', import.meta.url), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split(','))
    .map((cells) => [`${cells[0]}|${cells[1]}|${cells[2]}`, Number(cells[3])]),
)
const population = (region: string, year: number, boundaries: '2018' | '2024') => {
  const found = table.get(`${region}|${year}|${boundaries}`)
  if (found === undefined) throw new Error(`no population of ${region} in ${year} (${boundaries})`)
  return found
}

async function completed(where: string, params: Record<string, unknown>): Promise<number> {
  const [row] = await api.store.rows<{ n: string }>(
    'test:completed',
    `SELECT toString(countIf(status = 'completed')) AS n FROM events WHERE ${where}`,
    params,
  )
  return Number(row?.n)
}

async function yearly(query: string) {
  const response = await api.app.inject({
    url: `/api/v1/metrics/per_capita/series?interval=year&${query}`,
    headers: bearer(api.tokens.analyst),
  })
  expect(response.statusCode, response.body).toBe(200)
  return response.json<{ rows: { period: string; value: number | null }[] }>().rows
}

/** Completed × 1000 ÷ the residents, scaled to the sample and rounded to whole residents. */
const perThousand = (count: number, residents: number) => (count * 1000) / Math.round(residents * fraction)

// 2022: 1 January – 7 June (158 days) in the boundaries of 2018, 8 June – 31 December (207 days) in those of 2024.
const before = 158
const after = 207

describe('per capita with populations by year', () => {
  it('divides East Kazakhstan by its population of each year: with Abai until 8 June 2022, without it after', async () => {
    const rows = await yearly('region=63&from=2021-01-01&to=2023-12-31')
    const count = (year: number) => completed("region = '63' AND toYear(occurred_on) = {year:UInt16}", { year })
    const expected = [
      perThousand(await count(2021), population('63', 2021, '2018')),
      perThousand(
        await count(2022),
        (before * population('63', 2022, '2018') + after * population('63', 2022, '2024')) / 365,
      ),
      perThousand(await count(2023), population('63', 2023, '2024')),
    ]
    expect(rows.map((row) => row.period)).toEqual(['2021-01-01', '2022-01-01', '2023-01-01'])
    for (const [index, row] of rows.entries()) expect(row.value).toBeCloseTo(expected[index] as number, 9)
    // In the boundaries of the time the parent's figure falls with the split, not because people moved.
    expect(population('63', 2021, '2018')).toBeGreaterThan(1.5 * population('63', 2021, '2024'))
  })

  it('gives Abai no figure before it existed, and divides 2022 by the part of the year it did', async () => {
    const rows = await yearly('region=10&from=2021-01-01&to=2022-12-31')
    const abai2022 = await completed("region = '10' AND toYear(occurred_on) = 2022", {})
    expect(rows.find((row) => row.period === '2021-01-01')?.value ?? null).toBeNull()
    expect(rows.find((row) => row.period === '2022-01-01')?.value).toBeCloseTo(
      perThousand(abai2022, (after * population('10', 2022, '2024')) / 365),
      9,
    )
  })

  it('divides the country by the sum of its regions, each in the boundaries of its day', async () => {
    const [row] = await yearly('from=2022-01-01&to=2022-12-31')
    const regions = [...new Set([...table.keys()].map((key) => key.split('|')[0] as string))]
    let residentDays = 0
    for (const region of regions) {
      const has2018 = table.has(`${region}|2022|2018`)
      const isNew = ['10', '33', '62'].includes(region)
      residentDays += isNew
        ? after * population(region, 2022, '2024')
        : has2018
          ? before * population(region, 2022, '2018') + after * population(region, 2022, '2024')
          : 365 * population(region, 2022, '2024')
    }
    const count = await completed('toYear(occurred_on) = 2022', {})
    expect(row?.value).toBeCloseTo(perThousand(count, residentDays / 365), 9)
  })

  it('refuses per capita by age band or gender, saying why', async () => {
    for (const [query, parameter] of [
      ['age_band=65%2B', 'age_band'],
      ['gender=f', 'gender'],
      ['by=age_band', 'by'],
      ['by=gender', 'by'],
    ] as const) {
      const response = await api.app.inject({
        url: `/api/v1/metrics/per_capita/${query.startsWith('by') ? 'breakdown' : 'series'}?period=last_12m&${query}`,
        headers: bearer(api.tokens.analyst),
      })
      expect(response.statusCode, query).toBe(400)
      expect(response.json(), query).toMatchObject({ parameter, message: expect.stringMatching(/no population by/) })
    }
  })
})
