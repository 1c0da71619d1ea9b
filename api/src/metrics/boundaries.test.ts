// Series and regional tables on 2024 boundaries against hand-made events in the three parents, with and without
// districts, across the split: each expectation recomputed here from the rows as written and from the districts CSV
// read apart from the code (its own parsing, its own attribution), with rollups and raw events both.
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Filters } from '../contract/index.ts'
import { unfiltered } from '../query/filters.ts'
import { loadReferenceData } from '../reference.ts'
import { bearer, openTestApi, type TestApi } from '../testing.ts'
import { boundariesNote } from './boundaries-note.ts'
import { plan, requireMetric } from './index.ts'

interface Made {
  region: string
  district: string
  day: string
  channel: 'portal' | 'tson'
  status: 'completed' | 'rejected'
  times: number
}

const made: Made[] = [
  // East Kazakhstan before the split: Semey and Urzhar (now Abai), Oskemen (stays), none, divided, unknown.
  { region: '63', district: '6328', day: '2022-03-15', channel: 'portal', status: 'completed', times: 5 },
  { region: '63', district: '6328', day: '2022-03-16', channel: 'tson', status: 'completed', times: 2 },
  { region: '63', district: '6364', day: '2022-05-02', channel: 'tson', status: 'completed', times: 3 },
  { region: '63', district: '6310', day: '2022-03-15', channel: 'portal', status: 'completed', times: 4 },
  { region: '63', district: '6310', day: '2022-04-01', channel: 'tson', status: 'rejected', times: 1 },
  { region: '63', district: '', day: '2022-03-20', channel: 'portal', status: 'completed', times: 3 },
  { region: '63', district: '6350', day: '2022-04-11', channel: 'tson', status: 'completed', times: 2 },
  { region: '63', district: '9999', day: '2022-05-30', channel: 'portal', status: 'completed', times: 1 },
  // On and after the split day: recorded in the boundaries of 2024 already, never moved (even an old code).
  { region: '63', district: '6328', day: '2022-06-08', channel: 'portal', status: 'completed', times: 1 },
  { region: '63', district: '6310', day: '2022-07-10', channel: 'tson', status: 'completed', times: 4 },
  { region: '10', district: '1010', day: '2022-07-10', channel: 'portal', status: 'completed', times: 6 },
  // Almaty Region: Taldykorgan (1910 of the time, now Zhetisu), Talgar (stays), none; Zhetisu after.
  { region: '19', district: '1910', day: '2022-05-20', channel: 'portal', status: 'completed', times: 4 },
  { region: '19', district: '1962', day: '2022-05-20', channel: 'tson', status: 'completed', times: 3 },
  { region: '19', district: '', day: '2022-05-21', channel: 'tson', status: 'completed', times: 2 },
  { region: '33', district: '3310', day: '2022-08-01', channel: 'portal', status: 'completed', times: 3 },
  // Karaganda: Zhezkazgan (now Ulytau) and Karaganda city.
  { region: '35', district: '3514', day: '2022-02-01', channel: 'portal', status: 'completed', times: 2 },
  { region: '35', district: '3510', day: '2022-02-01', channel: 'tson', status: 'completed', times: 2 },
  // A city untouched by the reform.
  { region: '75', district: '', day: '2022-03-15', channel: 'portal', status: 'completed', times: 5 },
]

/** The districts CSV as a map from a code of before the split to its region of 2024 (empty: divided). */
function districtsBeforeSplit(): Map<string, string> {
  const text = readFileSync(new URL('../../../sql/reference/kz_districts.csv', import.meta.url), 'utf8')
  const [header = '', ...lines] = text.trim().split('\n')
  const names = header.split(',')
  const at = (name: string) => names.indexOf(name)
  const map = new Map<string, string>()
  for (const line of lines) {
    // The columns before `source` hold no commas or quotes.
    const cells = line.split(',')
    if (cells[at('valid_to')] === '2022-06-07') map.set(cells[at('code')] as string, cells[at('region_2024')] as string)
  }
  return map
}

const split = '2022-06-08'
const parents = ['63', '19', '35']
const before = districtsBeforeSplit()
/** The region of 2024 of a made event, worked out here. */
const regionOf2024 = (event: Made) =>
  parents.includes(event.region) && event.day < split && before.get(event.district)
    ? (before.get(event.district) as string)
    : event.region
const leftWithParent = (event: Made) =>
  parents.includes(event.region) && event.day < split && !before.get(event.district)

let api: TestApi
beforeAll(async () => {
  api = await openTestApi(0)
  const rows = made.flatMap((event, index) =>
    Array.from({ length: event.times }, (_, n) => ({
      event_id: `b-${index}-${n}`,
      occurred_at: `${event.day} 06:00:00.000`,
      service_code: 'S001',
      channel: event.channel,
      assisted_by: 'self',
      region: event.region,
      district: event.district,
      status: event.status,
      age_band: '30-49',
      gender: 'f',
      applicant_key: `a-${index}-${n}`,
      source: 'test',
      batch_id: 'boundaries',
    })),
  )
  await api.store.command(
    'test:boundaries',
    `INSERT INTO events (event_id, occurred_at, service_code, channel, assisted_by, region, district, status, age_band,
                         gender, applicant_key, source, batch_id)
     SELECT * FROM format(JSONEachRow, {rows:String})`,
    { rows: rows.map((row) => JSON.stringify(row)).join('\n') },
  )
})
afterAll(() => api.close())

interface Row {
  period?: string
  region?: string
  value: number | null
  numerator?: number | null
  denominator?: number | null
  unattributed?: number | null
}

async function get(path: string) {
  const response = await api.app.inject({ url: `/api/v1/metrics/${path}`, headers: bearer(api.tokens.analyst) })
  return response
}

async function rows(path: string) {
  const response = await get(path)
  expect(response.statusCode, response.body).toBe(200)
  return response.json<{ rows: Row[]; boundaries?: { unattributed: Record<string, unknown>[] } }>()
}

const month = (day: string) => `${day.slice(0, 7)}-01`
const range = 'from=2022-01-01&to=2022-08-31'

describe('2024 boundaries', () => {
  it('gives Abai a series before the split, from the East Kazakhstan events of its districts', async () => {
    const answer = await rows(`volume/series?${range}&interval=month&region=10&boundaries=2024`)
    const expected = new Map<string, number>()
    for (const event of made)
      if (regionOf2024(event) === '10' && event.status === 'completed')
        expected.set(month(event.day), (expected.get(month(event.day)) ?? 0) + event.times)
    const got = new Map(answer.rows.filter((row) => row.value).map((row) => [row.period, row.value]))
    expect(got).toEqual(expected)
    // On the boundaries of the time Abai has nothing before June 2022.
    const ofTheTime = await rows(`volume/series?${range}&interval=month&region=10`)
    expect(ofTheTime.rows.filter((row) => (row.period ?? '') < '2022-06-01' && row.value)).toEqual([])
  })

  it('makes East Kazakhstan comparable across the break and says what stayed with it unattributed', async () => {
    // Fifteen whole months read the monthly rollup after the split; a ragged range reads days; a release's cut-off
    // (here, office) reads raw events only.
    for (const [from, to, source] of [
      ['2021-06-01', '2022-08-31', /rollup_monthly/],
      ['2022-01-03', '2022-08-29', /rollup_daily/],
    ] as const) {
      const path = `requests/series?from=${from}&to=${to}&interval=month&region=63&boundaries=2024`
      expect((await get(path)).headers['x-qyzmet-source']).toMatch(source)
      const answer = await rows(path)
      const expected = new Map<string, { value: number; unattributed: number }>()
      for (const event of made) {
        if (regionOf2024(event) !== '63') continue
        const cell = expected.get(month(event.day)) ?? { value: 0, unattributed: 0 }
        cell.value += event.times
        if (leftWithParent(event)) cell.unattributed += event.times
        expected.set(month(event.day), cell)
      }
      const got = new Map(
        answer.rows
          .filter((row) => row.value)
          .map((row) => [row.period, { value: row.value, unattributed: row.unattributed }]),
      )
      expect(got).toEqual(expected)
    }
    const note = (await rows(`requests/series?${range}&interval=month&region=10&boundaries=2024`)).boundaries
    const left = made.filter((event) => event.region === '63' && leftWithParent(event))
    const sum = (events: Made[]) => events.reduce((total, event) => total + event.times, 0)
    // Abai's series concerns East Kazakhstan, where its unattributed events stayed.
    expect(note?.unattributed).toEqual([
      {
        region: '63',
        events: sum(left),
        noDistrict: sum(left.filter((event) => event.district === '')),
        divided: sum(left.filter((event) => before.get(event.district) === '')),
        unknown: sum(left.filter((event) => !before.has(event.district) && event.district !== '')),
      },
    ])
  })

  it('puts a regional table on 2024 boundaries, shares included', async () => {
    const answer = await rows(`online_share/breakdown?from=2022-01-01&to=2022-05-31&by=region&boundaries=2024`)
    const expected = new Map<string, { numerator: number; denominator: number }>()
    for (const event of made) {
      if (event.day > '2022-05-31' || event.status !== 'completed') continue
      const region = regionOf2024(event)
      const cell = expected.get(region) ?? { numerator: 0, denominator: 0 }
      cell.denominator += event.times
      if (event.channel === 'portal') cell.numerator += event.times
      expected.set(region, cell)
    }
    const got = new Map(
      answer.rows.map((row) => [row.region, { numerator: row.numerator, denominator: row.denominator }]),
    )
    expect(got).toEqual(expected)
    expect(new Set(answer.boundaries?.unattributed.map((row) => row.region))).toEqual(new Set(parents))
  })

  it('answers every format with the unattributed column', async () => {
    const response = await get(`requests/breakdown?${range}&by=region&boundaries=2024&format=csv`)
    expect(response.statusCode, response.body).toBe(200)
    const [header = '', ...lines] = response.body.trim().split('\n')
    const columns = header.replaceAll('"', '').split(',')
    const eastKazakhstan = lines.map((line) => line.split(',')).find((cells) => cells[0] === '"63"')
    const left = made.filter((event) => event.region === '63' && leftWithParent(event))
    expect(Number(eastKazakhstan?.[columns.indexOf('unattributed')])).toBe(
      left.reduce((total, event) => total + event.times, 0),
    )
  })

  it('divides per capita by the populations of 2024 boundaries', async () => {
    // The populations file read here: each region's 2022 mid-year figure in the boundaries of 2024 and of 2018.
    const text = readFileSync(new URL('../../../sql/reference/kz_region_populations.csv', import.meta.url), 'utf8')
    const population = (kato: string, boundaries: string) =>
      Number(
        text
          .split('\n')
          .map((line) => line.split(','))
          .find((cells) => cells[0] === kato && cells[1] === '2022' && cells[2] === boundaries)?.[3],
      )
    const completedIn = (region: string, from: string, to: string, boundaries2024: boolean) =>
      made
        .filter((event) => (boundaries2024 ? regionOf2024(event) : event.region) === region)
        .filter((event) => event.status === 'completed' && event.day >= from && event.day <= to)
        .reduce((total, event) => total + event.times, 0)
    const march = 'from=2022-03-01&to=2022-03-31'
    for (const [region, boundaries2024, residents] of [
      ['10', true, population('10', '2024')],
      ['63', true, population('63', '2024')],
      ['63', false, population('63', '2018')],
    ] as const) {
      const answer = await rows(
        `per_capita/breakdown?${march}&by=region&region=${region}${boundaries2024 ? '&boundaries=2024' : ''}`,
      )
      expect(answer.rows[0]?.value).toBeCloseTo(
        (completedIn(region, '2022-03-01', '2022-03-31', boundaries2024) * 1000) / residents,
        12,
      )
    }
  })

  it('withholds a small unattributed count in public answers, as any other figure', async () => {
    const reference = await loadReferenceData(api.store)
    const filters: Filters = { from: '2022-01-01', to: '2022-08-31', interval: 'month', ...unfiltered, regions: ['63'] }
    const left = made
      .filter((event) => event.region === '63' && leftWithParent(event))
      .reduce((total, event) => total + event.times, 0)
    const base = made.filter((event) => regionOf2024(event) === '63').reduce((total, event) => total + event.times, 0)
    for (const threshold of [left, left + 1]) {
      const spec = {
        metric: requireMetric('requests'),
        filters,
        by: ['region' as const],
        series: false,
        today: '2026-11-24',
        boundaries: '2024' as const,
        suppressBelow: threshold,
      }
      expect(base).toBeGreaterThanOrEqual(threshold)
      const [row] = await api.store.rows<{ value: number | null; unattributed: number | null }>(
        'test:suppressed',
        plan(spec, reference).sql,
        plan(spec, reference).params,
      )
      // The row's own base passes; the count beside it is shown at the threshold and withheld below it.
      expect(Number(row?.value)).toBe(base)
      expect(row?.unattributed === null ? null : Number(row?.unattributed)).toBe(threshold === left ? left : null)
      const note = await boundariesNote(api.store, spec, reference)
      expect(note.unattributed[0]?.events).toBe(threshold === left ? left : null)
    }
  })

  it('refuses a bad value, and metrics it cannot attribute, with a 400 naming boundaries', async () => {
    const bad = await get(`requests/series?${range}&boundaries=2018`)
    expect(bad.statusCode).toBe(400)
    expect(bad.json()).toMatchObject({ parameter: 'boundaries' })
    const refused = await get(`completion_rate/series?${range}&region=10&boundaries=2024`)
    expect(refused.statusCode).toBe(400)
    expect(refused.json()).toMatchObject({ parameter: 'boundaries' })
    expect(refused.json().message).toMatch(/online_share/)
  })
})
