// The decomposition endpoint against a hand-worked example stored as events, and against raw events for random filters.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bearer, openTestApi, type TestApi } from '../testing.ts'
import { onlineChannelCodes, referenceLines } from '../testing-reference.ts'
import { insertEvents, type TestEvent } from './test-events.ts'

let api: TestApi
beforeAll(async () => {
  api = await openTestApi(60_000)
  // After the demo's years: months of 2030 hold only these events. Rejected requests leave every share unchanged.
  const month = (day: string, service: string, online: number, offline: number): TestEvent[] => [
    ...Array.from({ length: online }, () => ({ day, service, channel: 'portal', assisted_by: 'self' as const })),
    ...Array.from({ length: offline }, () => ({ day, service, channel: 'tson', assisted_by: 'staff' as const })),
    ...Array.from({ length: 7 }, () => ({ day, service, channel: 'portal', status: 'rejected' as const })),
  ]
  await insertEvents(api.store, [
    // The worked example: base 0.35 (50/100, 20/100), current 0.6 (210/300, 30/100).
    ...month('2030-01-15', 'S001', 50, 50),
    ...month('2030-01-20', 'S002', 20, 80),
    ...month('2030-02-15', 'S001', 210, 90),
    ...month('2030-02-20', 'S002', 30, 70),
    // A mix change alone (March → April) and a change of shares alone (March → May).
    ...month('2030-03-15', 'S001', 50, 50),
    ...month('2030-03-20', 'S002', 20, 80),
    ...month('2030-04-15', 'S001', 150, 150),
    ...month('2030-04-20', 'S002', 20, 80),
    ...month('2030-05-15', 'S001', 140, 60),
    ...month('2030-05-20', 'S002', 60, 140),
  ])
})
afterAll(() => api.close())

interface Row {
  [dimension: string]: unknown
  base_numerator: number
  base_denominator: number
  current_numerator: number
  current_denominator: number
  mix: number
  within: number
  interaction: number
  total: number
}
interface Answer {
  base: { from: string; to: string; value: number; numerator: number; denominator: number }
  current: { from: string; to: string; value: number; numerator: number; denominator: number }
  filters: { regions: string[] }
  provisional: boolean
  change: number
  effects: { mix: number; within: number; interaction: number }
  rows: Row[]
  raising: Row[]
  lowering: Row[]
}

async function decompose(query: string, token = api.tokens.analyst): Promise<Answer> {
  const response = await api.app.inject({ url: `/api/v1/metrics/${query}`, headers: bearer(token) })
  expect(response.statusCode, response.body).toBe(200)
  return response.json<Answer>()
}

describe('the worked example, stored as events', () => {
  const february = 'online_share/decompose?from=2030-02-01&to=2030-02-28&base_from=2030-01-01&base_to=2030-01-31'

  it('splits 0.35 → 0.6 into mix 0.075, within 0.15 and interaction 0.025 (base weights)', async () => {
    const answer = await decompose(february)
    expect(answer.base).toMatchObject({ value: 0.35, numerator: 70, denominator: 200 })
    // 2030 is after today: the current range has not ended, so its figures are provisional.
    expect(answer.provisional).toBe(true)
    expect(answer.current).toMatchObject({ value: 0.6, numerator: 240, denominator: 400 })
    expect(answer.change).toBeCloseTo(0.25, 15)
    expect(answer.effects.mix).toBeCloseTo(0.075, 15)
    expect(answer.effects.within).toBeCloseTo(0.15, 15)
    expect(answer.effects.interaction).toBeCloseTo(0.025, 15)
    const s001 = answer.rows.find((row) => row.service === 'S001')
    expect(s001).toMatchObject({ base_numerator: 50, base_denominator: 100, current_numerator: 210 })
    expect(s001?.mix).toBeCloseTo(0.125, 15)
    expect(answer.raising.map((row) => row.service)).toEqual(['S001'])
    expect(answer.lowering.map((row) => row.service)).toEqual(['S002'])
  })

  it('gives the hand-worked current and symmetric effects', async () => {
    const current = await decompose(`${february}&weights=current`)
    expect(
      [current.effects.mix, current.effects.within, current.effects.interaction].map((x) => x.toFixed(12)),
    ).toEqual(['0.100000000000', '0.175000000000', '-0.025000000000'])
    const symmetric = await decompose(`${february}&weights=symmetric`)
    expect(symmetric.effects.mix).toBeCloseTo(0.0875, 15)
    expect(symmetric.effects.within).toBeCloseTo(0.1625, 15)
    expect(symmetric.effects.interaction).toBe(0)
  })

  it('finds no within effect in a change of mix alone, and no mix effect in a change of shares alone', async () => {
    const mix = await decompose('online_share/decompose?from=2030-04-01&to=2030-04-30&base=previous')
    expect(mix.base.from).toBe('2030-03-01')
    expect(mix.effects.within).toBe(0)
    expect(mix.effects.interaction).toBe(0)
    expect(mix.effects.mix).toBeCloseTo(0.425 - 0.35, 15)
    const within = await decompose(
      'online_share/decompose?from=2030-05-01&to=2030-05-31&base_from=2030-03-01&base_to=2030-03-31',
    )
    expect(within.effects.mix).toBe(0)
    expect(within.effects.interaction).toBe(0)
    expect(within.effects.within).toBeCloseTo(0.15, 15)
  })

  it('answers the table as CSV, every cell once', async () => {
    const response = await api.app.inject({
      url: `/api/v1/metrics/${february}&format=csv`,
      headers: bearer(api.tokens.analyst),
    })
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toContain('text/csv')
    const lines = response.body.trim().split('\r\n')
    expect(lines[0]).toBe(
      'service,base_numerator,base_denominator,current_numerator,current_denominator,base_weight,current_weight,base_share,current_share,mix,within,interaction,total',
    )
    expect(lines[1]?.startsWith('S001,50,100,210,300,0.5,0.75,0.5,0.7,')).toBe(true)
    expect(lines).toHaveLength(3)
  })
})

/** Facts from the reference files, read apart from the code under test. */
const onlineChannels = onlineChannelCodes()
const regionCodes = referenceLines('kz_regions.csv').map((line) => line.split(',')[0] ?? '')
const categoryOf = new Map(
  referenceLines('services.csv').map((line) => {
    const cells = line.split(',')
    return [cells[0] ?? '', cells.at(-3) ?? '']
  }),
)

const completed = "status = 'completed'"
const online = `${completed} AND has({online:Array(String)}, channel)`
const shares: Record<string, [string, string]> = {
  online_share: [online, completed],
  online_share_self: [`${online} AND assisted_by = 'self'`, completed],
  assisted_digital_share: [`${online} AND assisted_by != 'self'`, completed],
  completion_rate: [completed, "status != 'in_progress'"],
}
const columnOf: Record<string, string> = {
  service: 'service_code',
  region: 'region',
  age_band: 'toString(age_band)',
  gender: 'toString(gender)',
  category: 'service_code',
}

/** Counts per cell straight from events; categories are summed here from their services. */
async function rawCells(metric: string, by: string[], where: string): Promise<Map<string, [number, number]>> {
  const [numerator, denominator] = shares[metric] ?? ['0', '1']
  const rows = await api.store.rows<Record<string, string>>(
    'test:raw-cells',
    `SELECT ${by.map((dimension) => `${columnOf[dimension]} AS ${dimension}`).join(', ')},
            countIf(${numerator}) AS n, countIf(${denominator}) AS d
     FROM events WHERE ${where} GROUP BY ${by.join(', ')}`,
    { online: onlineChannels },
  )
  const cells = new Map<string, [number, number]>()
  for (const row of rows) {
    const key = by.map((dimension) =>
      dimension === 'category' ? categoryOf.get(row[dimension] ?? '') : row[dimension],
    )
    const id = key.join('|')
    const [n, d] = cells.get(id) ?? [0, 0]
    cells.set(id, [n + Number(row.n), d + Number(row.d)])
  }
  return cells
}

let seed = 20_260_101
const random = () => {
  seed = (seed * 48_271) % 2_147_483_647
  return seed / 2_147_483_647
}
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T
const some = <T>(items: readonly T[], most: number): T[] =>
  [...items].sort(() => random() - 0.5).slice(0, Math.floor(random() * (most + 1)))

describe('against raw events, for random filters', () => {
  for (let round = 1; round <= 8; round++) {
    it(`round ${round}: every cell's counts and effects, and parts summing to the change to 1e-12`, async () => {
      const metric = pick(Object.keys(shares))
      const by = pick([
        ['service'],
        ['category'],
        ['region'],
        ['age_band'],
        ['gender'],
        ['service', 'region'],
        ['age_band', 'region'],
      ])
      const weights = pick(['base', 'current', 'symmetric'] as const)
      const year = pick([2023, 2024, 2025])
      const aligned = random() < 0.5
      const from = aligned
        ? `${year}-0${1 + Math.floor(random() * 6)}-01`
        : `${year}-0${1 + Math.floor(random() * 6)}-1${Math.floor(random() * 9)}`
      const to = aligned ? `${year + 1}-01-31` : `${year}-12-2${Math.floor(random() * 9)}`
      const regions = some(regionCodes, 3)
      const ageBands = some(['18-29', '30-49', '50-64', '65+'], 2)
      const explicitBase = random() < 0.3
      const query = new URLSearchParams({ from, to, by: by.join(','), weights })
      if (regions.length) query.set('region', regions.join(','))
      if (ageBands.length && !by.includes('age_band')) query.set('age_band', ageBands.join(','))
      if (explicitBase) {
        query.set('base_from', `${year - 2}-03-01`)
        query.set('base_to', `${year - 2}-09-30`)
      }
      const answer = await decompose(`${metric}/decompose?${query}`)
      const yearEarlier = (day: string) => `${Number(day.slice(0, 4)) - 1}${day.slice(4)}`
      if (!explicitBase) expect([answer.base.from, answer.base.to]).toEqual([yearEarlier(from), yearEarlier(to)])
      const scope = [
        ...(regions.length ? [`region IN (${regions.map((code) => `'${code}'`).join(', ')})`] : []),
        ...(query.has('age_band') ? [`toString(age_band) IN (${ageBands.map((band) => `'${band}'`).join(', ')})`] : []),
      ]
      // The completion rate counts cases by the day they closed (request time + processing time, METHODOLOGY.md).
      const day =
        metric === 'completion_rate'
          ? `if(processing_seconds IS NULL, occurred_on, toDate(occurred_at + toIntervalSecond(assumeNotNull(processing_seconds)), '${api.store.config.timezone}'))`
          : 'occurred_on'
      const where = (range: { from: string; to: string }) =>
        [`${day} BETWEEN '${range.from}' AND '${range.to}'`, ...scope].join(' AND ')
      const before = await rawCells(metric, by, where(answer.base))
      const after = await rawCells(metric, by, where(answer.current))
      const totals = (cells: Map<string, [number, number]>) =>
        [...cells.values()].reduce(([n, d], [x, y]) => [n + x, d + y], [0, 0])
      const [n0, d0] = totals(before)
      const [n1, d1] = totals(after)
      expect([
        answer.base.numerator,
        answer.base.denominator,
        answer.current.numerator,
        answer.current.denominator,
      ]).toEqual([n0, d0, n1, d1])
      expect(Math.abs(answer.change - (n1 / d1 - n0 / d0))).toBeLessThan(1e-15)
      const { mix, within, interaction } = answer.effects
      expect(Math.abs(mix + within + interaction - answer.change)).toBeLessThan(1e-12)
      const ids = new Set([...before.keys(), ...after.keys()])
      const nonEmpty = [...ids].filter((id) => (before.get(id)?.[1] ?? 0) + (after.get(id)?.[1] ?? 0) > 0)
      expect(answer.rows).toHaveLength(nonEmpty.length)
      for (const row of answer.rows) {
        const id = by.map((dimension) => row[dimension]).join('|')
        const [x0, y0] = before.get(id) ?? [0, 0]
        const [x1, y1] = after.get(id) ?? [0, 0]
        expect([row.base_numerator, row.base_denominator, row.current_numerator, row.current_denominator]).toEqual([
          x0,
          y0,
          x1,
          y1,
        ])
        // The effects written out again: shares from the counts, a missing period taking the other's share.
        const w0 = y0 / d0
        const w1 = y1 / d1
        const p0 = y0 ? x0 / y0 : x1 / y1
        const p1 = y1 ? x1 / y1 : x0 / y0
        const expected = {
          base: [(w1 - w0) * p0, w0 * (p1 - p0), (w1 - w0) * (p1 - p0)],
          current: [(w1 - w0) * p1, w1 * (p1 - p0), -(w1 - w0) * (p1 - p0)],
          symmetric: [((w1 - w0) * (p0 + p1)) / 2, ((w0 + w1) / 2) * (p1 - p0), 0],
        }[weights]
        expect(Math.abs(row.mix - (expected[0] ?? Number.NaN))).toBeLessThan(1e-15)
        expect(Math.abs(row.within - (expected[1] ?? Number.NaN))).toBeLessThan(1e-15)
        expect(Math.abs(row.interaction - (expected[2] ?? Number.NaN))).toBeLessThan(1e-15)
      }
    })
  }
})

describe('access and refusals', () => {
  it('narrows a regional token to its regions, and lets it see totals by region', async () => {
    const own = await decompose('online_share/decompose?from=2025-01-01&to=2025-06-30&by=service', api.tokens.regional)
    expect(own.filters.regions).toEqual(['75'])
    expect(own.provisional).toBe(false)
    const [n1, d1] = [
      ...(
        await rawCells(
          'online_share',
          ['service'],
          "occurred_on BETWEEN '2025-01-01' AND '2025-06-30' AND region = '75'",
        )
      ).values(),
    ].reduce(([n, d], [x, y]) => [n + x, d + y], [0, 0])
    expect(own.current.value).toBeCloseTo(n1 / d1, 15)
    const byRegion = await decompose(
      'online_share/decompose?from=2025-01-01&to=2025-06-30&by=region',
      api.tokens.regional,
    )
    expect(byRegion.rows.length).toBeGreaterThan(10)
    const outside = await api.app.inject({
      url: '/api/v1/metrics/online_share/decompose?from=2025-01-01&to=2025-06-30&by=service&region=71',
      headers: bearer(api.tokens.regional),
    })
    expect(outside.statusCode).toBe(403)
  })

  it('refuses what it cannot answer with a 400 that names the parameter', async () => {
    const cases: [string, string, number][] = [
      ['volume/decompose', 'metric', 400],
      ['nothing/decompose', 'metric', 400],
      ['online_share/decompose?by=service,service', 'by', 400],
      ['online_share/decompose?by=channel', 'by', 400],
      ['online_share/decompose?base=previous&base_from=2020-01-01&base_to=2020-01-31', 'base', 400],
      ['online_share/decompose?base_to=2020-01-31', 'base_from', 400],
      ['online_share/decompose?format=parquet', 'format', 400],
      ['online_share/decompose?weights=heavy', 'weights', 400],
      ['online_share/decompose?region=99', 'region', 400],
      ['online_share/decompose?interval=day', 'interval', 400],
      // The schema's coercion lets "Infinity" past minimum and maximum; the app refuses it by name.
      ['online_share/decompose?top=Infinity', 'top', 400],
      ['online_share/decompose?top=1e400', 'top', 400],
    ]
    for (const [path, parameter, status] of cases) {
      const response = await api.app.inject({ url: `/api/v1/metrics/${path}`, headers: bearer(api.tokens.analyst) })
      expect([path, response.statusCode, response.json().parameter]).toEqual([path, status, parameter])
    }
    const arrow = await api.app.inject({
      url: '/api/v1/metrics/online_share/decompose',
      headers: { ...bearer(api.tokens.analyst), accept: 'application/vnd.apache.arrow.stream' },
    })
    expect([arrow.statusCode, arrow.json().parameter]).toEqual([400, 'format'])
    expect((await api.app.inject({ url: '/api/v1/metrics/online_share/decompose' })).statusCode).toBe(401)
    const ingest = await api.app.inject({
      url: '/api/v1/metrics/online_share/decompose',
      headers: bearer(api.tokens.ingest),
    })
    expect(ingest.statusCode).toBe(403)
  })
})
