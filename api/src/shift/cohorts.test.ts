// Cohorts as the API answers them equal the same cohorts recomputed here in JavaScript from the raw events.
import { addDays, addMonths, endOfMonth, format, parseISO } from 'date-fns'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bearer, openTestApi, type TestApi } from '../testing.ts'
import { onlineChannelCodes, referenceLines } from '../testing-reference.ts'
import { insertEvents, type TestEvent } from './test-events.ts'

/**
 * A worked example after the demo's years. January 2030: A is helped by a volunteer, self-serves 10 days later and
 * comes back to a one-stop-shop on day 50 for a service available online; B is served by staff and never
 * self-serves; C is helped by staff and self-serves on day 106. February: D is helped by a volunteer, self-serves
 * the next day, then visits an office for an identity card (S013, never online): not a fall-back. E only makes the
 * data run to 31 December.
 */
const worked: TestEvent[] = [
  { day: '2030-01-10', citizen: 'A', channel: 'portal', assisted_by: 'volunteer' },
  { day: '2030-01-20', citizen: 'A', channel: 'mobile' },
  { day: '2030-03-01', citizen: 'A', channel: 'tson', assisted_by: 'staff' },
  { day: '2030-01-12', citizen: 'B', channel: 'tson', assisted_by: 'staff' },
  { day: '2030-01-15', citizen: 'C', channel: 'portal', assisted_by: 'staff' },
  { day: '2030-05-01', citizen: 'C', channel: 'portal', status: 'rejected' },
  { day: '2030-05-01', citizen: 'C', channel: 'portal', minute: 5 },
  { day: '2030-02-03', citizen: 'D', channel: 'mobile', assisted_by: 'volunteer' },
  { day: '2030-02-04', citizen: 'D', channel: 'telegram' },
  { day: '2030-02-05', citizen: 'D', channel: 'tson', assisted_by: 'staff', service: 'S013' },
  { day: '2030-12-31', citizen: 'E', channel: 'portal' },
]

let api: TestApi
let events: RawEvent[]
beforeAll(async () => {
  api = await openTestApi(60_000)
  await insertEvents(api.store, worked)
  events = (
    await api.store.rows<RawEvent & { t: string }>(
      'test:events',
      `SELECT applicant_key AS citizen, toUnixTimestamp64Milli(occurred_at) AS t, toString(occurred_on) AS day, event_id,
              channel, toString(assisted_by) AS assisted_by, toString(status) AS status, region,
              toString(age_band) AS age_band, service_code
       FROM events`,
    )
  ).map((event) => ({ ...event, t: Number(event.t) }))
})
afterAll(() => api.close())

interface RawEvent {
  citizen: string
  t: number
  day: string
  event_id: string
  channel: string
  assisted_by: string
  status: string
  region: string
  age_band: string
  service_code: string
}

/** Reference facts from the files themselves. */
const online = new Set(onlineChannelCodes())
const onlineSince = new Map(
  referenceLines('services.csv').map((line) => [line.split(',')[0], /(\d{4}-\d{2}-\d{2})?$/.exec(line)?.[1]]),
)

const iso = (date: Date) => format(date, 'yyyy-MM-dd')
const plusDays = (day: string, days: number) => iso(addDays(parseISO(day), days))
const monthEnd = (day: string, months = 0) => iso(endOfMonth(addMonths(parseISO(day), months)))

interface Case {
  from: string
  to: string
  start: 'assisted' | 'first'
  by?: 'assisted_by' | 'age_band' | 'channel'
  region?: string
  months: number
}

interface ApiRow {
  cohort: string
  citizens: number
  horizon: 'days' | 'months'
  after: number
  known: boolean
  moved: number | null
  fell_back: number | null
  moved_share: number | null
  [trait: string]: unknown
}

interface Expected {
  cohort: string
  citizens: number
  horizon: 'days' | 'months'
  after: number
  known: boolean
  moved: number | null
  fell_back: number | null
}

/** The cohorts written out again: each citizen's start, then their first self-service and fall-back after it. */
function expected(spec: Case, observed: string): Map<string, Expected> {
  const byCitizen = new Map<string, RawEvent[]>()
  for (const event of events) {
    if (event.day > observed) continue
    byCitizen.set(event.citizen, [...(byCitizen.get(event.citizen) ?? []), event])
  }
  const rows = new Map<string, Expected>()
  for (const history of byCitizen.values()) {
    history.sort((a, b) => a.t - b.t || (a.event_id < b.event_id ? -1 : 1))
    const start = history.find((event) => spec.start === 'first' || event.assisted_by !== 'self')
    if (!start || start.day < spec.from || start.day > spec.to) continue
    if (spec.region && start.region !== spec.region) continue
    const later = history.filter((event) => event.day >= spec.from && event.t > start.t)
    const moved = later.find(
      (event) => event.status === 'completed' && online.has(event.channel) && event.assisted_by === 'self',
    )
    const back = moved
      ? later.find((event) => {
          const since = onlineSince.get(event.service_code)
          return (
            event.t > moved.t &&
            (!online.has(event.channel) || event.assisted_by !== 'self') &&
            since !== undefined &&
            event.day >= since
          )
        })
      : undefined
    const cohort = `${start.day.slice(0, 7)}-01`
    const trait = spec.by ? String(start[spec.by]) : ''
    const lastStart = [monthEnd(cohort), spec.to].sort()[0] ?? spec.to
    const cells: [ApiRow['horizon'], number, string, boolean][] = [
      ...[30, 90, 180].map((days): [ApiRow['horizon'], number, string, boolean] => [
        'days',
        days,
        plusDays(start.day, days),
        plusDays(lastStart, days) <= observed,
      ]),
      ...Array.from({ length: spec.months + 1 }, (_, k): [ApiRow['horizon'], number, string, boolean] => [
        'months',
        k,
        monthEnd(cohort, k),
        monthEnd(cohort, k) <= observed,
      ]),
    ]
    for (const [horizon, after, limit, known] of cells) {
      const id = [cohort, trait, horizon, after].join('|')
      const row: Expected = rows.get(id) ?? { cohort, citizens: 0, horizon, after, known, moved: 0, fell_back: 0 }
      row.citizens += 1
      if (moved && moved.day <= limit) row.moved = (row.moved ?? 0) + 1
      if (back && back.day <= limit) row.fell_back = (row.fell_back ?? 0) + 1
      rows.set(id, row)
    }
  }
  for (const row of rows.values()) {
    if (!row.known) {
      row.moved = null
      row.fell_back = null
    }
  }
  return rows
}

async function cohorts(spec: Case, token = api.tokens.analyst) {
  const query = new URLSearchParams({ from: spec.from, to: spec.to, start: spec.start, months: String(spec.months) })
  if (spec.by) query.set('by', spec.by)
  if (spec.region) query.set('region', spec.region)
  const response = await api.app.inject({ url: `/api/v1/shift/cohorts?${query}`, headers: bearer(token) })
  expect(response.statusCode, response.body).toBe(200)
  return response.json<{ observed_until: string; filters: { regions: string[] }; rows: ApiRow[] }>()
}

function expectSame(answer: { observed_until: string; rows: ApiRow[] }, spec: Case) {
  const want = expected(spec, answer.observed_until)
  expect(answer.rows.length).toBe(want.size)
  expect(want.size).toBeGreaterThan(0)
  for (const row of answer.rows) {
    const id = [row.cohort, spec.by ? row[spec.by] : '', row.horizon, row.after].join('|')
    const { moved_share, ...rest } = row
    const trait = spec.by ? { [spec.by]: row[spec.by] } : {}
    expect({ id, ...rest }).toEqual({ id, ...trait, ...want.get(id), fell_back_share: rest.fell_back_share })
    expect(moved_share).toBe(row.moved === null ? null : row.moved / row.citizens)
    expect(row.fell_back_share).toBe(row.fell_back === null ? null : row.fell_back / row.citizens)
  }
}

describe('the worked example', () => {
  it('counts who moved and who fell back, volunteers against staff, within 30, 90 and 180 days', async () => {
    const answer = await cohorts({
      from: '2030-01-01',
      to: '2030-12-31',
      start: 'assisted',
      by: 'assisted_by',
      months: 4,
    })
    expect(answer.observed_until).toBe('2030-12-31')
    const days = (cohort: string, helper: string) =>
      answer.rows
        .filter((row) => row.cohort === cohort && row.assisted_by === helper && row.horizon === 'days')
        .map((row) => [row.after, row.citizens, row.moved, row.fell_back])
    expect(days('2030-01-01', 'volunteer')).toEqual([
      [30, 1, 1, 0],
      [90, 1, 1, 1],
      [180, 1, 1, 1],
    ])
    expect(days('2030-01-01', 'staff')).toEqual([
      [30, 2, 0, 0],
      [90, 2, 0, 0],
      [180, 2, 1, 0],
    ])
    expect(days('2030-02-01', 'volunteer')).toEqual([
      [30, 1, 1, 0],
      [90, 1, 1, 0],
      [180, 1, 1, 0],
    ])
    const months = answer.rows
      .filter((row) => row.cohort === '2030-01-01' && row.assisted_by === 'staff' && row.horizon === 'months')
      .map((row) => row.moved_share)
    expect(months).toEqual([0, 0, 0, 0, 0.5])
  })
})

describe('cohorts recomputed from raw events', () => {
  it('first assisted transaction, by who helped, a year of cohorts', async () => {
    const spec: Case = { from: '2020-01-01', to: '2020-12-31', start: 'assisted', by: 'assisted_by', months: 12 }
    const answer = await cohorts(spec)
    expect(answer.observed_until).toBe('2020-12-31')
    expectSame(answer, spec)
  })

  it('first transaction of any kind, by channel, in one region', async () => {
    const spec: Case = { from: '2019-01-01', to: '2019-12-31', start: 'first', by: 'channel', region: '75', months: 6 }
    expectSame(await cohorts(spec), spec)
  })

  it('marks windows that reach past the range end as not yet known (right-censoring)', async () => {
    const spec: Case = { from: '2019-01-01', to: '2019-06-30', start: 'assisted', months: 12 }
    const answer = await cohorts(spec)
    expectSame(answer, spec)
    const cell = (cohort: string, horizon: string, after: number) =>
      answer.rows.find((row) => row.cohort === cohort && row.horizon === horizon && row.after === after)
    // January's starts are all 90 days old by 30 June; not all are 180 days old.
    expect(cell('2019-01-01', 'days', 90)?.known).toBe(true)
    expect(cell('2019-01-01', 'days', 180)).toMatchObject({ known: false, moved: null, moved_share: null })
    expect(cell('2019-06-01', 'days', 30)?.known).toBe(false)
    expect(cell('2019-06-01', 'months', 0)?.known).toBe(true)
    expect(cell('2019-05-01', 'months', 2)?.known).toBe(false)
  })

  it('a regional token sees the cohorts that start in its regions only', async () => {
    const spec: Case = { from: '2019-01-01', to: '2019-12-31', start: 'assisted', by: 'age_band', months: 3 }
    const answer = await cohorts(spec, api.tokens.regional)
    expect(answer.filters.regions).toEqual(['75'])
    expectSame(answer, { ...spec, region: '75' })
    // Split by region, it still sees its own region only: cohorts are citizens' detail.
    const byRegion = await cohorts({ ...spec, by: undefined }, api.tokens.regional)
    expect(byRegion.filters.regions).toEqual(['75'])
  })

  it('answers CSV, and refuses what it cannot answer', async () => {
    const csv = await api.app.inject({
      url: '/api/v1/shift/cohorts?from=2019-01-01&to=2019-03-31&months=2&format=csv',
      headers: bearer(api.tokens.analyst),
    })
    expect(csv.body.split('\r\n')[0]).toBe(
      'cohort,citizens,horizon,after,known,moved,moved_share,fell_back,fell_back_share',
    )
    expect(csv.body.trim().split('\r\n')).toHaveLength(1 + 3 * (3 + 3))
    for (const [query, parameter] of [
      ['assisted_by=self', 'assisted_by'],
      ['start=later', 'start'],
      ['months=37', 'months'],
      ['months=Infinity', 'months'],
      ['by=service', 'by'],
      ['by=region,channel', 'by'],
    ]) {
      const response = await api.app.inject({
        url: `/api/v1/shift/cohorts?${query}`,
        headers: bearer(api.tokens.analyst),
      })
      expect([query, response.statusCode, response.json().parameter]).toEqual([query, 400, parameter])
    }
  })
})
