// The fields an ingested row may carry, which are required, and the limits every value is checked against.
import { sourceFields } from '@qyzmet/sql'

/** Fields of an event that a source provides; lineage (batch_id, ingested_at) is set by ingest. */
export const eventFields = sourceFields

export type EventField = (typeof eventFields)[number]

export const isEventField = (name: string): name is EventField => (eventFields as readonly string[]).includes(name)

/** A row without one of these (empty, or no such column and no default) is quarantined. */
export const requiredFields: readonly EventField[] = [
  'event_id',
  'occurred_at',
  'service_code',
  'channel',
  'assisted_by',
  'region',
  'status',
]

/** Allowed values of the events table's Enum columns (sql/migrations/0002_events.sql). */
export const enumValues = {
  assisted_by: ['self', 'staff', 'volunteer'],
  status: ['completed', 'rejected', 'cancelled', 'in_progress'],
  age_band: ['<18', '18-29', '30-49', '50-64', '65+', 'unknown'],
  gender: ['f', 'm', 'unknown'],
} as const satisfies Partial<Record<EventField, readonly string[]>>

/** Longest accepted value, so a runaway field is quarantined rather than stored. */
export const maxLength: Partial<Record<EventField, number>> = {
  event_id: 128,
  applicant_key: 128,
  office_id: 64,
  source: 64,
  service_code: 32,
}

/** Earliest accepted event time, and how far ahead of the engine's clock a timestamp may be. */
export const earliestEvent = '2000-01-01 00:00:00'
export const clockSkewSeconds = 300
/** Ten years: a processing time beyond it is a unit or sign error. */
export const maxProcessingSeconds = 315_360_000
/** The stored raw row is cut here: quarantine must stay small when a row is a 10 MB line. */
export const maxRawBytes = 65_536
