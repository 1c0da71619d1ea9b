// The day-boundary measurement against days and hours worked out by Intl from each event's time and its region's zone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestApi, type TestApi } from '../testing.ts'
import { type BoundaryRow, dayBoundarySql, defaultZone, regionZones } from './day-boundary.ts'

let api: TestApi
beforeAll(async () => {
  api = await openTestApi(40_000)
  // Events near midnight, which the demo (generated in the deployment's calendar, 06:00–24:00) never has: 00:30 in
  // Almaty is 23:30 of the day before in Aktobe (UTC+5) in 2023, and the same day after 1 March 2024.
  await api.store.command(
    'test:midnight',
    `INSERT INTO events (event_id, occurred_at, service_code, channel, assisted_by, region, status, age_band, gender,
                         applicant_key, source, batch_id)
     SELECT concat('midnight-', toString(number)), toDateTime64(['2023-05-10 18:30:00', '2023-05-10 17:30:00', '2024-05-10 18:30:00'][number % 3 + 1], 3, 'UTC'),
            'S001', 'portal', 'self', ['15', '75', '15'][number % 3 + 1], 'completed', '30-49', 'f', 'x', 'test', 'midnight'
     FROM numbers(30)`,
  )
})
afterAll(() => api.close())

describe('day boundary', () => {
  it('counts the events a second zone would date differently, region by region', async () => {
    const timezone = api.store.config.timezone
    const rows = await api.store.rows<BoundaryRow>('test:boundary', dayBoundarySql(), { timezone })
    const events = await api.store.rows<{ region: string; at: string; day: string }>(
      'test:boundary-raw',
      "SELECT region, toString(occurred_at) AS at, toString(occurred_on) AS day FROM events WHERE occurred_on < '2024-03-01'",
    )
    const format = (zone: string, options: Intl.DateTimeFormatOptions) =>
      new Intl.DateTimeFormat('en-CA', { timeZone: zone, ...options })
    const expected = new Map<string, { events: number; otherDay: number; lastHour: number }>()
    for (const event of events) {
      const instant = new Date(`${event.at.replace(' ', 'T')}Z`)
      const zone = regionZones[event.region] ?? defaultZone
      const entry = expected.get(event.region) ?? { events: 0, otherDay: 0, lastHour: 0 }
      entry.events++
      if (format(zone, {}).format(instant) !== event.day) entry.otherDay++
      if (format(timezone, { hour: '2-digit', hourCycle: 'h23' }).format(instant) === '23') entry.lastHour++
      expected.set(event.region, entry)
    }
    expect(rows).toHaveLength(expected.size)
    for (const row of rows) {
      expect({ events: Number(row.events), otherDay: Number(row.otherDay), lastHour: Number(row.lastHour) }).toEqual(
        expected.get(row.region),
      )
    }
    // The inserted 00:30 events of Aktobe in 2023 (10 of them) are on another day there; Almaty's are not.
    expect(Number(rows.find((row) => row.region === '15')?.otherDay)).toBe(10)
    expect(Number(rows.find((row) => row.region === '75')?.otherDay)).toBe(0)
  })
})
