// Test support: hand-made events written straight into the events table (and, through its views, the rollups).
import type { Store } from '@qyzmet/sql'

export interface TestEvent {
  /** The calendar day (Asia/Almaty); the event happens at 11:00 local time plus `minute` minutes. */
  day: string
  minute?: number
  service?: string
  channel?: string
  assisted_by?: 'self' | 'staff' | 'volunteer'
  status?: 'completed' | 'rejected' | 'cancelled' | 'in_progress'
  region?: string
  age_band?: string
  citizen?: string
}

let counter = 0

export async function insertEvents(store: Store, events: TestEvent[]): Promise<void> {
  const values = events.map((event) => {
    counter++
    // 06:00 UTC is 11:00 in Almaty (UTC+5): the same calendar day in either.
    const at = new Date(Date.parse(`${event.day}T06:00:00Z`) + (event.minute ?? 0) * 60_000)
    return {
      event_id: `shift-test-${process.pid}-${counter}`,
      occurred_at: at.toISOString().replace('T', ' ').replace('Z', ''),
      service_code: event.service ?? 'S001',
      channel: event.channel ?? 'portal',
      assisted_by: event.assisted_by ?? 'self',
      region: event.region ?? '75',
      status: event.status ?? 'completed',
      age_band: event.age_band ?? '30-49',
      gender: 'f',
      applicant_key: event.citizen ?? `shift-citizen-${counter}`,
      source: 'test',
      batch_id: 'shift-test',
    }
  })
  await store.insert('test:shift-events', 'events', values)
}
