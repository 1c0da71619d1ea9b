// The closed rollups answer completion rate, median processing time and open cases as raw events define them: each
// figure recomputed in JavaScript from raw rows (closing days by Intl in the deployment's zone, medians by sorting),
// under random filters, breakdowns and ranges, then again after late rows land in days already rolled up.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ApiDimension, FilterQuery } from '../contract/index.ts'
import { seeded } from '../fuzz-inputs.ts'
import { parseFilters } from '../query/filters.ts'
import { periodsOf } from '../query/periods.ts'
import { runRows } from '../query/run.ts'
import { loadReferenceData, type Reference } from '../reference.ts'
import { openTestApi, type TestApi } from '../testing.ts'
import { metricById, plan, type QuerySpec } from './index.ts'

let api: TestApi
let reference: Reference
let dayIn: (ms: number) => string
beforeAll(async () => {
  api = await openTestApi(100_000)
  reference = await loadReferenceData(api.store)
  const calendar = new Intl.DateTimeFormat('en-CA', { timeZone: api.store.config.timezone })
  dayIn = (ms) => calendar.format(new Date(ms))
})
afterAll(() => api.close())

interface Case {
  day: string
  region: string
  channel: string
  assisted_by: string
  status: string
  seconds: number | null
  closedOn: string | null
}

async function cases(): Promise<Case[]> {
  const rows = await api.store.rows<Omit<Case, 'closedOn'> & { at: string }>(
    'test:closed-cases',
    `SELECT toString(occurred_at) AS at, toString(occurred_on) AS day, region, channel,
            toString(assisted_by) AS assisted_by, toString(status) AS status, processing_seconds AS seconds
     FROM events`,
  )
  return rows.map(({ at, ...row }) => {
    const seconds = row.seconds === null ? null : Number(row.seconds)
    const closedOn =
      row.status === 'in_progress'
        ? null
        : seconds === null
          ? row.day
          : dayIn(Date.parse(`${at.replace(' ', 'T')}Z`) + seconds * 1000)
    return { ...row, seconds, closedOn }
  })
}

/** METHODOLOGY.md's rounding in arithmetic: 6 significant binary digits, half up. */
const roundTo6Bits = (seconds: number) => {
  if (seconds < 64) return seconds
  const step = 2 ** (Math.floor(Math.log2(seconds)) - 5)
  return Math.floor(seconds / step + 0.5) * step
}

/** Closed, completed, open at `end`, and the exact lower median of the timed completions closed in [from, to]. */
function expected(scope: Case[], from: string, to: string, end: string) {
  const closed = scope.filter((c) => c.closedOn !== null && c.closedOn >= from && c.closedOn <= to)
  const completed = closed.filter((c) => c.status === 'completed')
  const times = completed
    .filter((c) => c.seconds !== null)
    .map((c) => c.seconds as number)
    .sort((a, b) => a - b)
  return {
    closed: closed.length,
    completed: completed.length,
    open: scope.filter((c) => c.day <= end && (c.closedOn === null || c.closedOn > end)).length,
    timed: times.length,
    median: times.length ? (times[Math.ceil(times.length / 2) - 1] as number) : null,
  }
}

const regions = ['75', '71', '19', '47', '63']
const channels = ['portal', 'mobile', 'tson', 'bank', 'kiosk']
const assistance = ['self', 'staff', 'volunteer']
const byChoices: ApiDimension[][] = [[], ['region'], ['channel'], ['assisted_by'], ['region', 'channel']]

/** A random request the closed rollups can answer: filters and breakdowns on their dimensions, any range. */
function randomRequest(random: ReturnType<typeof seeded>) {
  const day = (year: number) =>
    `${year}-${String(random.int(1, 12)).padStart(2, '0')}-${String(random.int(1, 28)).padStart(2, '0')}`
  const years = [random.int(2019, 2026), random.int(2019, 2026)].sort()
  let [from, to] = [day(years[0] as number), day(years[1] as number)].sort() as [string, string]
  if (random.chance(0.3)) from = `${from.slice(0, 8)}01` // months whole at the start
  if (random.chance(0.3)) to = '2026-10-17' // a range "ending today"
  const query: FilterQuery = { from, to }
  if (random.chance(0.4)) query.region = regions.filter(() => random.chance(0.5))
  if (random.chance(0.3)) query.channel = channels.filter(() => random.chance(0.5))
  if (random.chance(0.2)) query.assisted_by = [random.pick(assistance)]
  const series = random.chance(0.6)
  if (series) query.interval = random.pick(['week', 'month', 'quarter', 'year'] as const)
  if (series && query.interval === 'week') query.from = `${to.slice(0, 4)}-01-01` // a year of weeks at most
  return { query, series, by: random.pick(byChoices) }
}

type Figure = 'completion_rate' | 'processing_time_median'

/** The metric planned as the API would and its rows, checked against the cases; returns the tables it read. */
async function check(all: Case[], figure: Figure, request: ReturnType<typeof randomRequest>): Promise<string> {
  const metric = metricById(figure)
  if (!metric) throw new Error(figure)
  const filters = parseFilters(request.query, { reference, today: '2026-10-17' })
  const spec: QuerySpec = { metric, filters, by: request.by, series: request.series, today: '2026-10-17' }
  const planned = plan(spec, reference)
  const rows = await runRows(api.store, planned, 'test:closed')
  const inScope = all.filter(
    (c) =>
      c.day <= filters.to &&
      (!filters.regions.length || filters.regions.includes(c.region)) &&
      (!filters.channels.length || filters.channels.includes(c.channel)) &&
      (!filters.assistedBy.length || filters.assistedBy.includes(c.assisted_by)),
  )
  const periods = request.series ? periodsOf(filters) : [{ start: filters.from, end: filters.to }]
  const groups = new Map<string, Case[]>()
  for (const c of inScope) {
    const key = request.by.map((dimension) => c[dimension as 'region' | 'channel' | 'assisted_by']).join('|')
    const group = groups.get(key) ?? []
    group.push(c)
    groups.set(key, group)
  }
  const wanted: Record<string, unknown>[] = []
  for (const [key, scope] of [...groups].sort(([a], [b]) => (a < b ? -1 : 1))) {
    for (const period of periods) {
      // biome-ignore lint/complexity/useMathMinMax: ISO dates compared as strings, not numbers
      const from = period.start < filters.from ? filters.from : period.start
      const want = expected(scope, from, period.end, period.end)
      // A total is one row even when empty; a group or a period is shown when it has a case closed or open.
      if (want.closed === 0 && want.open === 0 && (request.series || request.by.length)) continue
      wanted.push({ key, period: request.series ? period.start : undefined, ...want })
    }
  }
  const order = (row: Record<string, unknown>) => `${row.key}|${row.period}`
  wanted.sort((a, b) => (order(a) < order(b) ? -1 : 1))
  const got = rows
    .map(
      (row): Record<string, unknown> => ({
        ...row,
        key: request.by.map((dimension) => row[dimension]).join('|'),
        period: row.period,
      }),
    )
    .sort((a, b) => (order(a) < order(b) ? -1 : 1))
  const label = `${figure} ${JSON.stringify(request)} via ${planned.source}`
  expect(got.length, label).toBe(wanted.length)
  for (const [index, row] of got.entries()) {
    const want = wanted[index] as ReturnType<typeof expected> & { period: string }
    if (request.series) expect(row.period, label).toBe(want.period)
    expect([Number(row.transactions), Number(row.open_cases)], label).toEqual([want.closed, want.open])
    if (figure === 'completion_rate') {
      expect([row.numerator, row.denominator], label).toEqual([want.completed, want.closed])
    } else {
      expect(Number(row.base), label).toBe(want.timed)
      if (want.median === null) expect(row.value, label).toBeNull()
      else {
        // The exact lower median, rounded: within 1/64 of it (METHODOLOGY.md, "Processing time").
        expect(row.value, label).toBe(roundTo6Bits(want.median))
        expect(Math.abs((row.value as number) - want.median), label).toBeLessThanOrEqual(want.median / 64)
      }
    }
  }
  return planned.source
}

describe('completion rate and median processing time from the closed rollups', () => {
  it('equal the figures recomputed from raw rows under random filters, breakdowns and ranges', async () => {
    const all = await cases()
    const random = seeded(16)
    const sources = new Set<string>()
    for (let round = 0; round < 14; round++) {
      const request = randomRequest(random)
      for (const figure of ['completion_rate', 'processing_time_median'] as const)
        sources.add(await check(all, figure, request))
    }
    expect([...sources].every((source) => source.includes('rollup_closed_'))).toBe(true)
    expect([...sources].some((source) => source.includes('rollup_closed_monthly'))).toBe(true)
    expect([...sources].some((source) => source.includes('rollup_closed_daily'))).toBe(true)
  })

  it('count a late case in the day it closed, a month after its request, and as open at the months between', async () => {
    // Requested on 10 March 2025 at 09:00 in Almaty (04:00 UTC), closed 40 days later: 19 April 2025, a day the
    // rollups already hold; and a late case still in progress, requested in February.
    await api.store.command(
      'test:late',
      `INSERT INTO events (event_id, occurred_at, service_code, channel, assisted_by, region, status,
                           processing_seconds, age_band, gender, applicant_key, source, batch_id)
       VALUES ('late-1', '2025-03-10 04:00:00.000', 'S001', 'portal', 'self', '75', 'completed', 3456000, '30-49', 'f', 'x', 'test', 'late'),
              ('late-2', '2025-02-20 04:00:00.000', 'S001', 'tson', 'staff', '75', 'in_progress', NULL, '30-49', 'f', 'y', 'test', 'late')`,
    )
    const all = await cases()
    expect(all.find((c) => c.closedOn === '2025-04-19' && c.day === '2025-03-10')).toBeDefined()
    for (const figure of ['completion_rate', 'processing_time_median'] as const) {
      const query = { from: '2025-01-01', to: '2025-06-30', region: ['75'], interval: 'month' } as FilterQuery
      expect(await check(all, figure, { query, series: true, by: ['channel'] })).toContain('rollup_closed_monthly')
      const days = { from: '2025-04-10', to: '2025-04-25', interval: 'day' } as FilterQuery
      expect(await check(all, figure, { query: days, series: true, by: ['region'] })).toBe(
        'rollup_closed_monthly + rollup_monthly + rollup_closed_daily + rollup_daily',
      )
    }
  })

  it('read raw events for dimensions the rollups lack and for a release’s rows as of its cut-off', () => {
    const metric = metricById('completion_rate')
    if (!metric) throw new Error('completion_rate')
    const filters = parseFilters({ from: '2025-01-01', to: '2025-12-31' }, { reference, today: '2026-10-17' })
    const spec: QuerySpec = { metric, filters, by: [], series: false, today: '2026-10-17' }
    expect(plan(spec, reference).source).toBe('rollup_closed_monthly + rollup_monthly')
    expect(plan({ ...spec, asOf: '2026-10-17T00:00:00Z' }, reference).source).toBe('events')
    expect(plan({ ...spec, by: ['service'] }, reference).source).toBe('events')
    const byAge = parseFilters({ from: '2025-01-01', to: '2025-12-31', age_band: ['65+'] } as FilterQuery, {
      reference,
      today: '2026-10-17',
    })
    expect(plan({ ...spec, filters: byAge }, reference).source).toBe('events')
  })
})
