// Channel costs against a table worked by hand: unit costs and events written here, every figure computed below.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bearer, openTestApi, type TestApi } from '../testing.ts'
import { insertEvents, type TestEvent } from './test-events.ts'

let api: TestApi

const times = (count: number, event: TestEvent): TestEvent[] => Array.from({ length: count }, () => event)

beforeAll(async () => {
  api = await openTestApi(0)
  // This file's own unit costs: none for the contact centre, and the bank's in another currency (so not costed).
  await api.store.command('test:costs', 'TRUNCATE TABLE channel_costs')
  await api.store.insert('test:costs', 'channel_costs', [
    { channel: 'tson', assisted_by: '', cost_per_transaction: 2000, currency: 'KZT', source: 'test' },
    { channel: 'portal', assisted_by: '', cost_per_transaction: 40, currency: 'KZT', source: 'test' },
    { channel: 'portal', assisted_by: 'staff', cost_per_transaction: 1000, currency: 'KZT', source: 'test' },
    { channel: 'mobile', assisted_by: '', cost_per_transaction: 50, currency: 'KZT', source: 'test' },
    { channel: 'bank', assisted_by: '', cost_per_transaction: 0.1, currency: 'USD', source: 'test' },
  ])
  const staff = { assisted_by: 'staff' as const }
  await insertEvents(api.store, [
    // January 2031: 10 at a one-stop-shop (S001), 10 on the portal (S002), 5 rejected (not counted).
    ...times(10, { day: '2031-01-10', service: 'S001', channel: 'tson', ...staff }),
    ...times(10, { day: '2031-01-11', service: 'S002', channel: 'portal' }),
    ...times(5, { day: '2031-01-12', service: 'S002', channel: 'portal', status: 'rejected' }),
    // February 2031: S001 5 at a one-stop-shop, 5 on the portal by staff, 2 by telephone (no cost known);
    // S002 10 on the portal, 4 in the app, 1 in a bank app (a cost in USD only).
    ...times(5, { day: '2031-02-10', service: 'S001', channel: 'tson', ...staff }),
    ...times(5, { day: '2031-02-10', service: 'S001', channel: 'portal', ...staff }),
    ...times(2, { day: '2031-02-10', service: 'S001', channel: 'callcenter', ...staff }),
    ...times(10, { day: '2031-02-11', service: 'S002', channel: 'portal' }),
    ...times(4, { day: '2031-02-11', service: 'S002', channel: 'mobile' }),
    ...times(1, { day: '2031-02-11', service: 'S002', channel: 'bank' }),
    // March 2031: 2 on the portal in Almaty city (75), 3 at a one-stop-shop in Astana (71).
    ...times(2, { day: '2031-03-05', service: 'S002', channel: 'portal', region: '75' }),
    ...times(3, { day: '2031-03-05', service: 'S001', channel: 'tson', region: '71', ...staff }),
  ])
})
afterAll(() => api.close())

async function costs(query: string, token = api.tokens.analyst) {
  const response = await api.app.inject({ url: `/api/v1/shift/costs?${query}`, headers: bearer(token) })
  expect(response.statusCode, response.body).toBe(200)
  return response.json()
}

describe('channel costs worked by hand', () => {
  it('prices each period, the base, and what the shift saved, by service', async () => {
    const answer = await costs('from=2031-02-01&to=2031-02-28&base_from=2031-01-01&base_to=2031-01-31&by=service')
    expect(answer.currency).toBe('KZT')
    expect(answer.unit_costs.map((unit: { channel: string }) => unit.channel)).toEqual([
      'mobile',
      'portal',
      'portal',
      'tson',
    ])
    // Base: 10 × 2000 + 10 × 40 = 20 400 over 20 → 1020 each.
    expect(answer.base).toEqual({
      from: '2031-01-01',
      to: '2031-01-31',
      completed: 20,
      costed: 20,
      cost: 20_400,
      cost_per_transaction: 1020,
    })
    // Current: 5 × 2000 + 5 × 1000 + 10 × 40 + 4 × 50 = 15 600 over the 24 costed of 27 → 650 each.
    expect(answer.current).toEqual({
      from: '2031-02-01',
      to: '2031-02-28',
      completed: 27,
      costed: 24,
      cost: 15_600,
      cost_per_transaction: 650,
    })
    // 24 × (1020 − 650).
    expect(answer.saved).toBe(8880)
    expect(answer.rows).toEqual([
      // S002: 10 × 40 + 4 × 50 = 600 over 14 (the bank's one not costed), 40 before: 14 × (40 − 600/14) = −40.
      {
        service: 'S002',
        completed: 15,
        costed: 14,
        cost: 600,
        cost_per_transaction: 600 / 14,
        base_cost_per_transaction: 40,
        saved: 14 * (40 - 600 / 14),
      },
      // S001: 5 × 2000 + 5 × 1000 = 15 000 over 10 (the calls not costed), 2000 before: 10 × 500.
      {
        service: 'S001',
        completed: 12,
        costed: 10,
        cost: 15_000,
        cost_per_transaction: 1500,
        base_cost_per_transaction: 2000,
        saved: 5000,
      },
    ])
  })

  it('gives each period of a series its own mix, and nothing saved without a base', async () => {
    const answer = await costs('from=2031-01-01&to=2031-02-28&interval=month')
    expect(answer.periods).toEqual([
      // Periods after today (these tests run before 2031) are provisional: their figures may still change.
      { period: '2031-01-01', completed: 20, costed: 20, cost: 20_400, cost_per_transaction: 1020, provisional: true },
      { period: '2031-02-01', completed: 27, costed: 24, cost: 15_600, cost_per_transaction: 650, provisional: true },
    ])
    expect(answer.provisional).toBe(true)
    expect(answer.base).toMatchObject({
      from: '2030-01-01',
      to: '2030-02-28',
      completed: 0,
      cost_per_transaction: null,
    })
    expect(answer.saved).toBeNull()
    expect(answer.rows).toEqual([])
  })

  it('prices only its own regions for a regional token', async () => {
    const march = 'from=2031-03-01&to=2031-03-31'
    expect((await costs(march)).current).toMatchObject({ completed: 5, cost: 2 * 40 + 3 * 2000 })
    const own = await costs(march, api.tokens.regional)
    expect(own.filters.regions).toEqual(['75'])
    expect(own.current).toMatchObject({ completed: 2, cost: 80, cost_per_transaction: 40 })
  })

  it('answers the by-service table, or the periods, as CSV', async () => {
    const byService = await api.app.inject({
      url: '/api/v1/shift/costs?from=2031-02-01&to=2031-02-28&base_from=2031-01-01&base_to=2031-01-31&by=service&format=csv',
      headers: bearer(api.tokens.analyst),
    })
    expect(byService.body.split('\r\n').slice(0, 3)).toEqual([
      'service,completed,costed,cost,cost_per_transaction,base_cost_per_transaction,saved',
      `S002,15,14,600,${600 / 14},40,${14 * (40 - 600 / 14)}`,
      'S001,12,10,15000,1500,2000,5000',
    ])
    const periods = await api.app.inject({
      url: '/api/v1/shift/costs?from=2031-01-01&to=2031-02-28&format=csv',
      headers: { ...bearer(api.tokens.analyst) },
    })
    expect(periods.body).toBe(
      'period,completed,costed,cost,cost_per_transaction,provisional\r\n2031-01-01,20,20,20400,1020,true\r\n2031-02-01,27,24,15600,650,true\r\n',
    )
  })

  it('refuses a breakdown it does not offer', async () => {
    for (const [query, parameter] of [
      ['by=channel', 'by'],
      ['by=service,region', 'by'],
      ['base=later', 'base'],
    ]) {
      const response = await api.app.inject({
        url: `/api/v1/shift/costs?${query}`,
        headers: bearer(api.tokens.analyst),
      })
      expect([query, response.statusCode, response.json().parameter]).toEqual([query, 400, parameter])
    }
  })
})
