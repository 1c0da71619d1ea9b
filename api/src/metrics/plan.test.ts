// The planner's two paths agree: each metric read from the chosen rollup equals the same metric over raw events.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ApiDimension, FilterQuery } from '../contract/index.ts'
import { parseFilters } from '../query/filters.ts'
import { type Row, runRows } from '../query/run.ts'
import { parseQueryString } from '../querystring.ts'
import { loadReferenceData, type Reference } from '../reference.ts'
import { openTestApi, type TestApi } from '../testing.ts'
import { type Metric, metrics, plan } from './index.ts'
import { splitByMonth } from './sources.ts'

let api: TestApi
let reference: Reference
beforeAll(async () => {
  api = await openTestApi(120_000)
  reference = await loadReferenceData(api.store)
})
afterAll(() => api.close())

// The demo data runs to 2026-10-31; ranges "ending today" end on 2026-10-17, a day with data, as a live store's do.
const shapes: { by: ApiDimension[]; query: Record<string, string>; series: boolean }[] = [
  { by: [], query: { from: '2024-01-01', to: '2025-12-31', interval: 'quarter' }, series: true },
  { by: [], query: { from: '2025-03-03', to: '2025-05-20', interval: 'week' }, series: true },
  { by: ['region'], query: { from: '2025-01-01', to: '2025-12-31' }, series: false },
  { by: ['channel'], query: { from: '2025-01-01', to: '2025-06-30', region: '75,71' }, series: true },
  { by: ['service'], query: { from: '2025-01-01', to: '2025-12-31', channel: 'tson' }, series: false },
  { by: ['category'], query: { from: '2024-07-01', to: '2025-06-30', region: '19' }, series: false },
  { by: ['age_band', 'gender'], query: { from: '2025-01-01', to: '2025-12-31', assisted_by: 'self' }, series: false },
  // Ranges that are not whole months: monthly rows for the whole months, daily rows or raw events for the rest.
  { by: [], query: { from: '2019-01-01', to: '2026-10-17', interval: 'month' }, series: true },
  { by: [], query: { from: '2024-11-20', to: '2026-10-17', interval: 'quarter' }, series: true },
  { by: ['region'], query: { from: '2024-02-14', to: '2025-11-09' }, series: false },
  { by: ['channel'], query: { from: '2024-12-31', to: '2026-10-17', interval: 'year', region: '75' }, series: true },
  { by: ['service'], query: { from: '2025-01-01', to: '2026-10-17', channel: 'tson' }, series: false },
  { by: ['category'], query: { from: '2025-06-02', to: '2026-10-17', region: '19' }, series: false },
  { by: ['age_band', 'gender'], query: { from: '2025-10-15', to: '2026-10-17' }, series: false },
  { by: ['region'], query: { from: '2026-09-03', to: '2026-10-17', interval: 'month' }, series: true },
]

function close(actual: Row[], expected: Row[]) {
  expect(actual.length).toBe(expected.length)
  actual.forEach((row, index) => {
    const other = expected[index] as Row
    for (const [key, value] of Object.entries(row)) {
      if (typeof value === 'number' && typeof other[key] === 'number')
        expect(value).toBeCloseTo(other[key] as number, 9)
      else expect(value).toEqual(other[key])
    }
  })
}

describe('rollup and raw paths', () => {
  const eventMetrics = metrics.filter((metric) => metric.kind === 'events')
  /** A query as the server's parser reads it (lists split), taken as the schema would pass it. */
  const query = (values: Record<string, string>) =>
    parseQueryString(new URLSearchParams(values).toString()) as unknown as FilterQuery
  for (const shape of shapes) {
    it(`agree for every metric by [${shape.by.join(', ')}] over ${JSON.stringify(shape.query)}`, async () => {
      const filters = parseFilters(query(shape.query), { reference, today: '2026-11-24' })
      let rollupsUsed = 0
      for (const metric of eventMetrics) {
        if (shape.by.some((dimension) => !metric.breakdowns.includes(dimension))) continue
        if (metric.refuses?.(filters) || (metric.id === 'age_divide' && shape.by.includes('age_band'))) continue
        const spec = { metric, filters, by: shape.by, series: shape.series, today: '2026-11-24' }
        const chosen = plan(spec, reference)
        if (chosen.source !== 'events') rollupsUsed++
        close(
          await runRows(api.store, chosen, 'test:rollup'),
          await runRows(api.store, plan({ ...spec, forceRaw: true }, reference), 'test:raw'),
        )
      }
      expect(rollupsUsed).toBeGreaterThan(0)
    })
  }

  it('reads raw events only when no rollup holds the dimensions', () => {
    const filters = parseFilters(query({ from: '2025-01-01', to: '2025-01-31' }), { reference, today: '2026-11-24' })
    const metric = metrics.find((m) => m.id === 'online_share') as Metric
    expect(plan({ metric, filters, by: ['office'], series: false, today: '2026-11-24' }, reference).source).toBe(
      'events',
    )
    expect(plan({ metric, filters, by: ['region'], series: false, today: '2026-11-24' }, reference).source).toBe(
      'rollup_monthly',
    )
    const days = parseFilters(query({ from: '2025-01-05', to: '2025-01-20', interval: 'day' }), {
      reference,
      today: '2026-11-24',
    })
    expect(plan({ metric, filters: days, by: ['service'], series: true, today: '2026-11-24' }, reference).source).toBe(
      'events',
    )
    expect(plan({ metric, filters: days, by: ['channel'], series: true, today: '2026-11-24' }, reference).source).toBe(
      'rollup_daily',
    )
  })

  it('reads whole months from a monthly rollup and the days around them from daily rows or raw events', () => {
    const metric = metrics.find((m) => m.id === 'online_share') as Metric
    const sourceOf = (values: Record<string, string>, by: ApiDimension[], series: boolean) =>
      plan(
        {
          metric,
          filters: parseFilters(query(values), { reference, today: '2026-10-17' }),
          by,
          series,
          today: '2026-10-17',
        },
        reference,
      ).source
    expect(sourceOf({ from: '2019-01-01', to: '2026-10-17', interval: 'month' }, [], true)).toBe(
      'rollup_monthly + rollup_daily',
    )
    expect(sourceOf({ from: '2024-02-14', to: '2025-11-09' }, ['region'], false)).toBe('rollup_daily + rollup_monthly')
    // Under a year of whole months, the daily rollup alone costs less than a second table; raw events never do.
    expect(sourceOf({ from: '2025-02-14', to: '2025-11-09' }, ['region'], false)).toBe('rollup_daily')
    expect(sourceOf({ from: '2025-02-14', to: '2025-11-09' }, ['service'], false)).toBe(
      'events + rollup_service_monthly',
    )
    expect(sourceOf({ from: '2025-01-01', to: '2026-10-17' }, ['service'], false)).toBe(
      'rollup_service_monthly + events',
    )
    // Weeks and days cross month boundaries: the daily rollup alone; so does a range inside one month.
    expect(sourceOf({ from: '2025-01-01', to: '2026-10-17', interval: 'week' }, [], true)).toBe('rollup_daily')
    expect(sourceOf({ from: '2025-02-03', to: '2025-02-20' }, [], false)).toBe('rollup_daily')
    expect(sourceOf({ from: '2025-01-01', to: '2025-12-31' }, [], false)).toBe('rollup_monthly')
  })
})

describe('splitByMonth', () => {
  it('cuts a range into the partial months at its ends and the whole months between', () => {
    const cut = (from: string, to: string) => {
      const { head, months, tail } = splitByMonth(from, to)
      return [head, months, tail].map((piece) => (piece ? `${piece.from}..${piece.to}` : null))
    }
    expect(cut('2025-02-14', '2025-11-09')).toEqual([
      '2025-02-14..2025-02-28',
      '2025-03-01..2025-10-31',
      '2025-11-01..2025-11-09',
    ])
    expect(cut('2024-01-01', '2024-02-29')).toEqual([null, '2024-01-01..2024-02-29', null])
    expect(cut('2024-02-01', '2024-03-30')).toEqual([null, '2024-02-01..2024-02-29', '2024-03-01..2024-03-30'])
    expect(cut('2024-01-31', '2024-02-29')).toEqual(['2024-01-31..2024-01-31', '2024-02-01..2024-02-29', null])
    expect(cut('2024-01-02', '2024-02-28')).toEqual([null, null, null])
    expect(cut('2024-01-02', '2024-01-30')).toEqual([null, null, null])
  })
})
