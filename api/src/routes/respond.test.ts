// JSON answers written by the engine: a large one leaves the event loop free and equals the figures from raw events.
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { metricById, plan } from '../metrics/index.ts'
import { parseFilters } from '../query/filters.ts'
import { runRows } from '../query/run.ts'
import { loadReferenceData } from '../reference.ts'
import { bearer, openTestApi, type TestApi } from '../testing.ts'

let api: TestApi
beforeAll(async () => {
  // Events up to today: a series ending today has a provisional last period.
  api = await openTestApi(400_000, new Date().toISOString().slice(0, 10))
})
afterAll(() => api.close())

interface Answer {
  metric: string
  unit: string
  by: string[]
  provisional: boolean
  rows: Record<string, unknown>[]
}

describe('JSON answers from the engine', () => {
  it('sends a large answer without holding the event loop, with the values of raw events', async () => {
    // Every day of 20 months by region and service: tens of thousands of rows, read from raw events.
    const url = '/api/v1/metrics/volume/series?interval=day&by=region,service&from=2025-03-01&to=2026-10-31'
    const headers = { ...bearer(api.tokens.analyst), 'accept-encoding': 'gzip', 'cache-control': 'no-cache' }
    // The median of five tries: on a shared machine the process itself is paused now and then, which the monitor
    // counts too; work that holds the loop shows in most tries (the rows built in JavaScript: 327–451 ms in all five).
    const delays: number[] = []
    // A first, untimed request compiles the route's schemas, once per process.
    let response = await api.app.inject({ url, headers })
    for (let attempt = 0; attempt < 5; attempt++) {
      const delay = monitorEventLoopDelay({ resolution: 10 })
      delay.enable()
      response = await api.app.inject({ url, headers })
      delay.disable()
      delays.push(delay.percentile(99) / 1e6)
    }
    expect(response.statusCode, response.body.slice(0, 300)).toBe(200)
    expect(response.headers['content-encoding']).toBe('gzip')
    const answer = JSON.parse(gunzipSync(response.rawPayload).toString('utf8')) as Answer
    // Loosely: building and serialising these rows in JavaScript held the loop for 0.4–0.5 s (issue 16).
    expect([...delays].sort((a, b) => a - b)[2]).toBeLessThan(200)

    const raw = await api.store.rows<{ period: string; region: string; service: string; value: string; n: string }>(
      'test:raw',
      `SELECT toString(occurred_on) AS period, region, service_code AS service,
              countIf(status = 'completed') AS value, count() AS n
       FROM events WHERE occurred_on BETWEEN '2025-03-01' AND '2026-10-31'
       GROUP BY occurred_on, region, service_code ORDER BY occurred_on, region, service_code`,
    )
    expect(raw.length).toBeGreaterThan(50_000)
    expect(answer).toMatchObject({ metric: 'volume', unit: 'count', by: ['region', 'service'], provisional: false })
    expect(answer.rows).toHaveLength(raw.length)
    answer.rows.forEach((row, index) => {
      const expected = raw[index]
      expect(row).toEqual({
        period: expected?.period,
        region: expected?.region,
        service: expected?.service,
        value: Number(expected?.value),
        numerator: null,
        denominator: null,
        ci_low: null,
        ci_high: null,
        transactions: Number(expected?.n),
        // A count of completed services rests on those services; no expected feed was registered, so no period is
        // incomplete.
        base: Number(expected?.value),
        provisional: false,
        incomplete: false,
      })
    })
  })

  it('gives the rows the API built in JavaScript before: numbers, nulls and booleans alike', async () => {
    const reference = await loadReferenceData(api.store)
    const today = api.app.today()
    const metric = metricById('online_share')
    if (!metric) throw new Error('online_share is missing')
    for (const [query, by, series] of [
      ['interval=month&from=2025-06-10', [], true],
      ['by=channel&from=2025-06-10', ['channel'], false],
      ['interval=quarter&by=region&from=2024-01-01', ['region'], true],
    ] as const) {
      const response = await api.app.inject({
        url: `/api/v1/metrics/online_share/${series ? 'series' : 'breakdown'}?${query}`,
        headers: bearer(api.tokens.analyst),
      })
      expect(response.statusCode, response.body).toBe(200)
      const answer = response.json<Answer>()
      const filters = parseFilters(Object.fromEntries(new URLSearchParams(query)), { reference, today })
      const objects = await runRows(
        api.store,
        plan({ metric, filters, by: [...by], series, today }, reference),
        'test:objects',
      )
      expect(answer.rows).toEqual(objects)
      if (series) expect(answer.rows.some((row) => row.provisional === true)).toBe(true)
      expect(answer.rows.some((row) => row.ci_low === null || typeof row.ci_low === 'number')).toBe(true)
    }
  })
})
