// The batch ledger (ingest_batches): each batch's identity, state and counts, one new version per change.
import type { Store } from '@qyzmet/sql'

export type BatchState = 'staging' | 'publishing' | 'done' | 'failed'

export interface BatchRecord {
  batch_id: string
  source: string
  file: string
  content_sha256: string
  format: string
  size_bytes: number
  state: BatchState
  rows: number
  valid: number
  loaded: number
  duplicates_in_batch: number
  duplicates_existing: number
  quarantined: number
  reasons: Record<string, number>
  buckets: number
  buckets_done: number
  bucket_block_mark: number
  min_occurred_at: string | null
  max_occurred_at: string | null
  error: string
  started_at: string
  finished_at: string | null
}

const counts = [
  'size_bytes',
  'rows',
  'valid',
  'loaded',
  'duplicates_in_batch',
  'duplicates_existing',
  'quarantined',
  'buckets',
  'buckets_done',
  'bucket_block_mark',
] as const

/** JSON gives 64-bit integers as strings; the ledger's callers want numbers. */
export function fromRow(row: Record<string, unknown>): BatchRecord {
  const record = { ...row } as Record<string, unknown>
  for (const key of counts) record[key] = Number(record[key] ?? 0)
  record.reasons = Object.fromEntries(
    Object.entries((row.reasons ?? {}) as Record<string, unknown>).map(([reason, n]) => [reason, Number(n)]),
  )
  return record as unknown as BatchRecord
}

export const ledgerColumns =
  'batch_id, source, file, content_sha256, format, size_bytes, state, rows, valid, loaded, duplicates_in_batch, ' +
  'duplicates_existing, quarantined, reasons, buckets, buckets_done, bucket_block_mark, min_occurred_at, ' +
  'max_occurred_at, error, started_at, finished_at, updated_at'

export async function readBatch(store: Store, batchId: string): Promise<BatchRecord | null> {
  const [row] = await store.rows<Record<string, unknown>>(
    'ingest:batch',
    `SELECT ${ledgerColumns} FROM ingest_batches FINAL WHERE batch_id = {batch:String}`,
    { batch: batchId },
  )
  return row ? fromRow(row) : null
}

/** Writes a new version of the batch's record; the newest version is the batch's state. */
export async function writeBatch(store: Store, record: BatchRecord): Promise<void> {
  // Retried by the store on transient errors: a version written twice is the same state.
  await store.insert('ingest:ledger', 'ingest_batches', [{ ...record, updated_at: undefined }], {
    settings: { date_time_input_format: 'best_effort', input_format_skip_unknown_fields: 1 },
  })
}

export const nowText = () => new Date().toISOString()
