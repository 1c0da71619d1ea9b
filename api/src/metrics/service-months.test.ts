// Digital take-up and the age divide read from rollups by month and service equal the figures recomputed in
// JavaScript from raw rows and the register (services.csv, channels.csv), under random filters and ranges: across a
// service's going online mid-month, ranges ending today, and after a late row lands in a month already rolled up.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ApiDimension, FilterQuery } from '../contract/index.ts'
import { seeded } from '../fuzz-inputs.ts'
import { parseFilters } from '../query/filters.ts'
import { runRows } from '../query/run.ts'
import { loadReferenceData, type Reference } from '../reference.ts'
import { openTestApi, type TestApi } from '../testing.ts'
import { onlineChannelCodes, referenceLines } from '../testing-reference.ts'
import { metricById, plan, type QuerySpec } from './index.ts'

let api: TestApi
let reference: Reference
beforeAll(async () => {
  api = await openTestApi(80_000)
  reference = await loadReferenceData(api.store)
})
afterAll(() => api.close())

/** Each service's first day online (empty: never) and its category, from the file's columns. */
const register = new Map(
  referenceLines('services.csv').map((line) => {
    const since = /,(\d{4}-\d{2}-\d{2})?$/.exec(line)?.[1]
    const category = /,([a-z_]+),[^,]*,(\d{4}-\d{2}-\d{2})?$/.exec(line)?.[1]
    return [line.slice(0, line.indexOf(',')), { since, category }]
  }),
)
const online = new Set(onlineChannelCodes())

interface Event {
  day: string
  region: string
  service: string
  channel: string
  assisted: string
  status: string
  age: string
}

const events = () =>
  api.store.rows<Event>(
    'test:service-months',
    `SELECT toString(occurred_on) AS day, region, service_code AS service, channel, toString(assisted_by) AS assisted,
            toString(status) AS status, toString(age_band) AS age
     FROM events`,
  )

const periodOf = (interval: string | undefined, day: string) => {
  if (interval === 'year') return `${day.slice(0, 4)}-01-01`
  if (interval === 'quarter')
    return `${day.slice(0, 4)}-${String(Math.floor((Number(day.slice(5, 7)) - 1) / 3) * 3 + 1).padStart(2, '0')}-01`
  return `${day.slice(0, 7)}-01`
}

/** Take-up's counts and the age divide's parts for one row of the answer. */
function figures(rows: Event[]) {
  let [x, n] = [0, 0]
  let unknown = 0
  const services = new Map<string, { young: number; youngSelf: number; old: number; oldSelf: number; all: number }>()
  for (const event of rows) {
    if (event.status !== 'completed') continue
    const since = register.get(event.service)?.since
    if (since !== undefined && since <= event.day) {
      n++
      if (online.has(event.channel)) x++
    }
    const entry = services.get(event.service) ?? { young: 0, youngSelf: 0, old: 0, oldSelf: 0, all: 0 }
    const self = online.has(event.channel) && event.assisted === 'self' ? 1 : 0
    entry.all++
    if (event.age === '18-29') [entry.young, entry.youngSelf] = [entry.young + 1, entry.youngSelf + self]
    if (event.age === '65+') [entry.old, entry.oldSelf] = [entry.old + 1, entry.oldSelf + self]
    if (event.age === 'unknown') unknown++
    services.set(event.service, entry)
  }
  let [weighted, weights, young, old] = [0, 0, 0, 0]
  for (const entry of services.values()) {
    young += entry.young
    old += entry.old
    if (entry.young === 0 || entry.old === 0) continue
    weighted += entry.all * (entry.youngSelf / entry.young - entry.oldSelf / entry.old)
    weights += entry.all
  }
  return {
    x,
    n,
    transactions: rows.length,
    divide: weights ? weighted / weights : null,
    unknown,
    base: Math.min(young, old),
  }
}

interface Request {
  query: FilterQuery
  series: boolean
  by: ApiDimension[]
}

/** Both figures planned as the API would, checked row by row against the events; returns the tables read. */
async function check(all: Event[], request: Request): Promise<string[]> {
  const filters = parseFilters(request.query, { reference, today: '2026-10-17' })
  const scope = all.filter(
    (e) =>
      e.day >= filters.from &&
      e.day <= filters.to &&
      (!filters.regions.length || filters.regions.includes(e.region)) &&
      (!filters.services.length || filters.services.includes(e.service)) &&
      (!filters.categories.length || filters.categories.includes(register.get(e.service)?.category ?? '')),
  )
  const groups = new Map<string, Event[]>()
  for (const event of scope) {
    const key = [
      ...(request.series ? [periodOf(filters.interval, event.day)] : []),
      ...(request.by.includes('region') ? [event.region] : []),
    ].join('|')
    const group = groups.get(key) ?? []
    group.push(event)
    groups.set(key, group)
  }
  if (!request.series && !request.by.length && groups.size === 0) groups.set('', [])
  const sources: string[] = []
  for (const id of ['digital_take_up', 'age_divide']) {
    const metric = metricById(id)
    if (!metric) throw new Error(id)
    const spec: QuerySpec = { metric, filters, by: request.by, series: request.series, today: '2026-10-17' }
    const planned = plan(spec, reference)
    sources.push(planned.source)
    const rows = await runRows(api.store, planned, 'test:service-months')
    const label = `${id} ${JSON.stringify(request)} via ${planned.source}`
    expect(rows.map((row) => [row.period, row.region].filter(Boolean).join('|')).sort(), label).toEqual(
      [...groups.keys()].sort(),
    )
    for (const row of rows) {
      const want = figures(groups.get([row.period, row.region].filter(Boolean).join('|')) ?? [])
      if (id === 'digital_take_up')
        expect([row.numerator, row.denominator, row.transactions], label).toEqual([want.x, want.n, want.transactions])
      else {
        expect([Number(row.unknown_age), Number(row.base), row.transactions], label).toEqual([
          want.unknown,
          want.base,
          want.transactions,
        ])
        if (want.divide === null) expect(row.value, label).toBeNull()
        else expect(row.value as number, label).toBeCloseTo(want.divide, 12)
      }
    }
  }
  return sources
}

const regions = ['75', '71', '19', '47', '63', '55']

function randomRequest(random: ReturnType<typeof seeded>): Request {
  const day = (year: number) =>
    `${year}-${String(random.int(1, 12)).padStart(2, '0')}-${String(random.int(1, 28)).padStart(2, '0')}`
  const years = [random.int(2017, 2026), random.int(2017, 2026)].sort()
  let [from, to] = [day(years[0] as number), day(years[1] as number)].sort() as [string, string]
  if (random.chance(0.3)) from = `${from.slice(0, 8)}01`
  if (random.chance(0.3)) to = '2026-10-17'
  if (to > '2026-10-17') to = '2026-10-17'
  if (to.slice(0, 7) === from.slice(0, 7)) from = `${Number(from.slice(0, 4)) - 1}${from.slice(4)}`
  const query: FilterQuery = { from, to }
  if (random.chance(0.4)) query.region = regions.filter(() => random.chance(0.5))
  if (random.chance(0.2)) query.category = [random.pick(['social_benefits', 'civil_registration', 'tax'])]
  const series = random.chance(0.6)
  if (series) query.interval = random.pick(['month', 'quarter', 'year'] as const)
  return { query, series, by: random.chance(0.5) ? ['region'] : [] }
}

describe('digital take-up and the age divide by month and service', () => {
  it('equal the figures recomputed from raw rows under random filters and ranges', async () => {
    const all = await events()
    const random = seeded(1016)
    const sources = new Set<string>()
    for (let round = 0; round < 12; round++)
      for (const source of await check(all, randomRequest(random))) sources.add(source)
    // Both rollups by service are met (a range with no whole month is read from raw events, as it should be).
    const rolled = [...sources].filter((source) => source.startsWith('rollup_'))
    expect(
      rolled.some((source) => source.startsWith('rollup_service_monthly')),
      rolled.join('; '),
    ).toBe(true)
    expect(
      rolled.some((source) => source.startsWith('rollup_region_service_monthly')),
      rolled.join('; '),
    ).toBe(true)
    // Days outside whole months: from the daily rollup by service nationally, from raw events by region.
    expect([...sources].some((source) => source.endsWith(' + rollup_service_daily'))).toBe(true)
    expect([...sources].some((source) => source.endsWith(' + events'))).toBe(true)
  })

  it('count a service from the day it went online inside a whole month, and a late row in a month rolled up', async () => {
    const went = [...register].find(([, { since }]) => since && since >= '2019-01-01' && !since.endsWith('-01'))
    expect(went).toBeDefined()
    const [service, { since }] = went as [string, { since: string }]
    await api.store.command(
      'test:late',
      `INSERT INTO events (event_id, occurred_at, service_code, channel, assisted_by, region, status,
                           processing_seconds, age_band, gender, applicant_key, source, batch_id)
       VALUES ('late-a', {at:String}, {service:String}, 'portal', 'self', '75', 'completed', 600, '18-29', 'f', 'a', 'test', 'late'),
              ('late-b', {at:String}, {service:String}, 'tson', 'staff', '75', 'completed', 600, '65+', 'm', 'b', 'test', 'late')`,
      { at: `${since} 06:00:00.000`, service },
    )
    const all = await events()
    const year = since.slice(0, 4)
    for (const by of [[], ['region']] as ApiDimension[][]) {
      const query = { from: `${year}-01-01`, to: `${year}-12-31`, interval: 'month' } as FilterQuery
      expect(await check(all, { query, series: true, by })).toContain('rollup_region_service_monthly')
      const one = { from: `${year}-01-01`, to: `${year}-12-31`, service: [service] } as FilterQuery
      await check(all, { query: one, series: false, by })
    }
  })

  it('read raw events for a release’s rows as of its cut-off, weeks, and dimensions no rollup holds with services', () => {
    const metric = metricById('digital_take_up')
    if (!metric) throw new Error('digital_take_up')
    const filters = parseFilters({ from: '2025-01-01', to: '2025-12-31' }, { reference, today: '2026-10-17' })
    const spec: QuerySpec = { metric, filters, by: [], series: false, today: '2026-10-17' }
    expect(plan(spec, reference).source).toBe('rollup_service_monthly')
    expect(plan({ ...spec, by: ['region'] }, reference).source).toBe('rollup_region_service_monthly')
    expect(plan({ ...spec, asOf: '2026-10-17T00:00:00Z' }, reference).source).toBe('events')
    expect(plan({ ...spec, by: ['gender'] }, reference).source).toBe('events')
    const weeks = parseFilters(
      { from: '2025-01-06', to: '2025-03-30', interval: 'week' },
      { reference, today: '2026-10-17' },
    )
    expect(plan({ ...spec, filters: weeks, series: true }, reference).source).toBe('events')
    const divide = metricById('age_divide')
    if (!divide) throw new Error('age_divide')
    expect(plan({ ...spec, metric: divide }, reference).source).toBe('rollup_region_service_monthly')
    expect(plan({ ...spec, metric: divide, by: ['channel'] }, reference).source).toBe('events')
  })
})
