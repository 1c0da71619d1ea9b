// Test support for monitoring: hand-made events written straight into the store, arriving when a case says.
import { eventColumns, type Store } from '@qyzmet/sql'

let counter = 0

export interface MadeEvent {
  /** When it happened and when it was loaded (ISO instants). */
  at: string
  loadedAt?: string
  channel?: string
  region?: string
  source?: string
  service?: string
  status?: 'completed' | 'rejected' | 'cancelled' | 'in_progress'
}

/** An event row as the events table stores it, with the lineage a feed gives it. */
export function madeEvent(event: MadeEvent): Record<(typeof eventColumns)[number], unknown> {
  counter++
  return {
    event_id: `monitor-${process.pid}-${counter}`,
    occurred_at: event.at.replace('T', ' ').replace('Z', ''),
    service_code: event.service ?? 'S001',
    channel: event.channel ?? 'portal',
    assisted_by: 'self',
    region: event.region ?? '75',
    district: '',
    office_id: '',
    status: event.status ?? 'completed',
    processing_seconds: 60,
    age_band: '30-49',
    gender: 'f',
    applicant_key: `applicant-${counter}`,
    satisfaction: null,
    source: event.source ?? 'egov-portal',
    batch_id: 'monitor-test',
    ingested_at: (event.loadedAt ?? event.at).replace('T', ' ').replace('Z', ''),
  }
}

export async function insertEvents(store: Store, events: MadeEvent[]): Promise<void> {
  await store.insert('test:events', 'events', events.map(madeEvent), {
    columns: [...eventColumns] as [string, ...string[]],
  })
}
