// The columns of an event as sources send them (DESIGN.md, "Data"); the events table adds lineage and computed ones.

/** Fields a source provides, in the order files written by Qyzmet carry them. */
export const sourceFields = [
  'event_id',
  'occurred_at',
  'service_code',
  'channel',
  'assisted_by',
  'region',
  'district',
  'office_id',
  'status',
  'processing_seconds',
  'age_band',
  'gender',
  'applicant_key',
  'satisfaction',
  'source',
] as const

/** Every column an INSERT into events supplies (occurred_on is computed by the table). */
export const eventColumns = [...sourceFields, 'batch_id', 'ingested_at'] as const
