// Ingest over HTTP: a pushed file's summary, the batch ledger and data quality.
import { type Static, Type } from 'typebox'
import { Nullable } from './common.ts'

export const ingestFormats = ['csv', 'tsv', 'ndjson', 'parquet'] as const

export const PushQuery = Type.Object(
  {
    source: Type.Optional(
      Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$', description: "the feed's name (default http-push)" }),
    ),
    format: Type.Optional(Type.Enum(ingestFormats, { description: 'default: from Content-Type or the name' })),
    name: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 255,
        pattern: '^[^\\u0000-\\u001f/\\\\]*$',
        description: "the file's name, recorded in the ledger (no slashes or control characters)",
      }),
    ),
  },
  { additionalProperties: false },
)
export type PushQuery = Static<typeof PushQuery>

export const loadStates = ['done', 'already_loaded', 'failed', 'interrupted'] as const

export const LoadSummary = Type.Object({
  file: Type.String(),
  source: Type.String(),
  batchId: Nullable(Type.String()),
  format: Nullable(Type.Enum(ingestFormats)),
  state: Type.Enum(loadStates),
  rows: Type.Integer(),
  loaded: Type.Integer(),
  duplicatesInBatch: Type.Integer(),
  duplicatesExisting: Type.Integer(),
  quarantined: Type.Integer(),
  reasons: Type.Record(Type.String(), Type.Integer()),
  ignoredColumns: Type.Array(Type.String()),
  seconds: Type.Number(),
  error: Nullable(Type.String()),
})
export type LoadSummary = Static<typeof LoadSummary>

export const PushRefused = Type.Object({
  error: Type.String(),
  message: Type.String(),
  summary: LoadSummary,
})

export const batchStates = ['staging', 'publishing', 'done', 'failed'] as const

export const BatchesQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
    state: Type.Optional(Type.Enum(batchStates)),
  },
  { additionalProperties: false },
)

export const Batch = Type.Object({
  batch_id: Type.String(),
  source: Type.String(),
  file: Type.String(),
  content_sha256: Type.String(),
  format: Type.String(),
  size_bytes: Type.Number(),
  state: Type.Enum(batchStates),
  rows: Type.Number(),
  valid: Type.Number(),
  loaded: Type.Number(),
  duplicates_in_batch: Type.Number(),
  duplicates_existing: Type.Number(),
  quarantined: Type.Number(),
  reasons: Type.Record(Type.String(), Type.Number()),
  error: Type.String(),
  started_at: Type.String(),
  finished_at: Nullable(Type.String()),
})
export type Batch = Static<typeof Batch>

export const BatchList = Type.Object({ batches: Type.Array(Batch) })

export const Quality = Type.Object({
  freshness: Type.Array(
    Type.Object({
      source: Type.String(),
      region: Type.String(),
      channel: Type.String(),
      last_event_at: Type.String(),
      last_loaded_at: Type.String(),
      events: Type.Number(),
    }),
  ),
  quarantine: Type.Array(
    Type.Object({ reason: Type.String(), rows: Type.Number(), batches: Type.Number(), last_at: Type.String() }),
  ),
})
export type Quality = Static<typeof Quality>
