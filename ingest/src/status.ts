// Ingest status for the API: recent batches from the ledger, freshness per feed, and quarantined rows by reason.
import type { Store } from '@qyzmet/sql'
import { type BatchRecord, fromRow, ledgerColumns } from './ledger.ts'

export async function recentBatches(store: Store, limit: number, state?: string): Promise<BatchRecord[]> {
  const rows = await store.rows<Record<string, unknown>>(
    'ingest:batches',
    `SELECT ${ledgerColumns} FROM ingest_batches FINAL
     WHERE {state:String} = '' OR toString(state) = {state:String}
     ORDER BY started_at DESC, batch_id LIMIT {limit:UInt32}`,
    { limit, state: state ?? '' },
  )
  return rows.map(fromRow)
}

export interface Freshness {
  source: string
  region: string
  channel: string
  last_event_at: string
  last_loaded_at: string
  events: number
}

export interface QuarantineReason {
  reason: string
  rows: number
  batches: number
  last_at: string
}

export async function dataQuality(store: Store): Promise<{ freshness: Freshness[]; quarantine: QuarantineReason[] }> {
  const freshness = await store.rows<Freshness>(
    'ingest:freshness',
    `SELECT source, region, channel, toString(max(last_event_at)) AS last_event_at,
            toString(max(last_loaded_at)) AS last_loaded_at, sum(events) AS events
     FROM rollup_ingest_freshness GROUP BY source, region, channel ORDER BY source, region, channel`,
  )
  const quarantine = await store.rows<QuarantineReason>(
    'ingest:quarantine-reasons',
    `SELECT reason, count() AS rows, uniqExact(batch_id) AS batches, toString(max(quarantined_at)) AS last_at
     FROM quarantine FINAL ARRAY JOIN reasons AS reason GROUP BY reason ORDER BY rows DESC, reason`,
  )
  return {
    freshness: freshness.map((row) => ({ ...row, events: Number(row.events) })),
    quarantine: quarantine.map((row) => ({ ...row, rows: Number(row.rows), batches: Number(row.batches) })),
  }
}
