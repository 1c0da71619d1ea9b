// Moves a staged batch on: invalid rows to quarantine, valid rows to events in hash buckets, exactly once.
import type { ClickHouseSettings } from '@clickhouse/client'
import type { Store } from '@qyzmet/sql'
import type { BatchRecord } from './ledger.ts'
import { boundedBlocks } from './memory.ts'
import { hashSlots } from './validate.ts'

const eventInsertColumns =
  'event_id, occurred_at, service_code, channel, assisted_by, region, district, office_id, status, ' +
  'processing_seconds, age_band, gender, applicant_key, satisfaction, source, batch_id'

/** events keeps the last 10,000 block ids (0002_events.sql); a resumed token older than this margin is not trusted. */
const dedupWindow = 10_000
const windowMargin = 2_000

export async function quarantineBatch(store: Store, batch: BatchRecord): Promise<void> {
  // quarantine collapses on (batch_id, row_number), so inserting a batch's rows again changes nothing.
  await store.command(
    'ingest:quarantine',
    `INSERT INTO quarantine (batch_id, source, file, row_number, raw, reasons)
     SELECT batch_id, {source:String}, {file:String}, row_number, raw, reasons
     FROM ingest_stage WHERE batch_id = {batch:String} AND NOT valid`,
    { batch: batch.batch_id, source: batch.source, file: batch.file },
    // A raw row may be 64 KiB: blocks of bounded bytes however many rows are quarantined.
    { settings: boundedBlocks },
  )
}

/** The hash slots of a bucket: buckets split the batch's slots into equal ranges. */
export function bucketSlots(batch: Pick<BatchRecord, 'buckets'>, bucket: number): { lo: number; hi: number } {
  return {
    lo: Math.floor((bucket * hashSlots) / batch.buckets),
    hi: Math.floor(((bucket + 1) * hashSlots) / batch.buckets) - 1,
  }
}

/** The events table's highest block number: how far its deduplication window has moved since a mark. */
export async function blockMark(store: Store): Promise<number> {
  const [row] = await store.rows<{ mark: string }>(
    'ingest:block-mark',
    `SELECT max(max_block_number) AS mark FROM system.parts
     WHERE database = currentDatabase() AND table IN ('events', 'events_local')`,
  )
  return Number(row?.mark ?? 0)
}

/**
 * fresh: skip every stored event_id; retry: skip other batches' only, resending the same block; topUp: after a
 * retry, insert what is still missing under a new token (the engine may have logged a block id whose part a
 * killed process never committed, so the retry alone could come back short).
 */
export type BucketMode = 'fresh' | 'retry' | 'topUp'

/**
 * Inserts one bucket's valid rows that events does not hold yet, the first of each event_id in the batch.
 * A fresh bucket skips every event_id already stored. A retry of the bucket in flight when a worker stopped
 * skips only other batches' rows, so it sends the same block with the same token: events drops it, and views
 * that missed it (the worker stopped between the table and its views) receive it.
 */
export async function publishBucket(
  store: Store,
  batch: BatchRecord,
  bucket: number,
  mode: BucketMode,
  settings: ClickHouseSettings = {},
): Promise<void> {
  const { lo, hi } = bucketSlots(batch, bucket)
  const zone = store.config.timezone
  await store.command(
    'ingest:publish',
    `INSERT INTO events (${eventInsertColumns})
     SELECT ${eventInsertColumns}
     FROM ingest_stage
     WHERE batch_id = {batch:String} AND bucket BETWEEN {lo:UInt16} AND {hi:UInt16} AND valid
       AND event_id NOT IN (
           SELECT event_id FROM events
           WHERE occurred_on BETWEEN toDate({from:DateTime64(3, 'UTC')}, {zone:String}) AND toDate({to:DateTime64(3, 'UTC')}, {zone:String})
             AND cityHash64(event_id) % ${hashSlots} BETWEEN {lo:UInt16} AND {hi:UInt16}
             AND ${mode === 'retry' ? 'batch_id != {batch:String}' : '1'})
     ORDER BY bucket, valid, event_id, row_number
     LIMIT 1 BY event_id`,
    { batch: batch.batch_id, lo, hi, from: batch.min_occurred_at, to: batch.max_occurred_at, zone },
    {
      // Transient failures are retried with the same token, which makes the retry a no-op if the first try landed.
      settings: {
        insert_deduplication_token: `${batch.batch_id}:${batch.buckets}:${bucket}${mode === 'topUp' ? `:top-up:${Date.now()}` : ''}`,
        deduplicate_blocks_in_dependent_materialized_views: 1,
        // One block per bucket: the token then names exactly the rows it guards.
        min_insert_block_size_rows: String(Math.max(batch.valid, 1) + 1),
        min_insert_block_size_bytes: String(2 ** 36),
        max_insert_threads: '1',
        max_partitions_per_insert_block: '0',
        optimize_on_insert: 0,
        // The rollup views each aggregate the whole block: side by side they use both cores.
        parallel_view_processing: 1,
        // The stage's sort key is (bucket, valid, event_id, row_number): read in that order, nothing is sorted.
        optimize_read_in_order: 1,
        ...settings,
      },
    },
  )
}

/** Whether a bucket's token, taken at `mark` (block number + 1), is still inside events' deduplication window. */
export async function tokenStillValid(store: Store, mark: number): Promise<boolean> {
  return mark > 0 && (await blockMark(store)) + 1 - mark < dedupWindow - windowMargin
}

export interface PublishCounts {
  loaded: number
  distinctValid: number
}

/** Distinct ids counted per statement, at most (about): bounds the memory of counting, like a bucket's. */
const idsPerCount = 1_000_000

/**
 * Rows of the batch now in events, and distinct valid event ids staged. An event_id has one hash slot, so the ids
 * are counted over ranges of slots of about a million ids, one statement each: memory holds one range's ids,
 * however large the batch (one statement over the whole stage held every id: 1.4 GiB at 10 million rows).
 */
export async function publishCounts(store: Store, batch: BatchRecord): Promise<PublishCounts> {
  const zone = store.config.timezone
  const [row] = await store.rows<{ loaded: string }>(
    'ingest:counts',
    `SELECT count() AS loaded FROM events
     WHERE occurred_on BETWEEN toDate({from:DateTime64(3, 'UTC')}, {zone:String}) AND toDate({to:DateTime64(3, 'UTC')}, {zone:String})
       AND batch_id = {batch:String}`,
    { batch: batch.batch_id, from: batch.min_occurred_at, to: batch.max_occurred_at, zone },
    // Part of a load, not an API read: it may take as long as a write over a batch of many millions.
    { max_execution_time: store.config.writeTimeout },
  )
  const ranges = { buckets: Math.min(hashSlots, Math.max(1, Math.ceil(batch.valid / idsPerCount))) }
  let distinctValid = 0
  for (let range = 0; range < ranges.buckets; range++) {
    const [ids] = await store.rows<{ ids: string }>(
      'ingest:distinct-ids',
      `SELECT uniqExact(event_id) AS ids FROM ingest_stage
       WHERE batch_id = {batch:String} AND valid AND bucket BETWEEN {lo:UInt16} AND {hi:UInt16}`,
      { batch: batch.batch_id, ...bucketSlots(ranges, range) },
      { max_execution_time: store.config.writeTimeout },
    )
    distinctValid += Number(ids?.ids ?? 0)
  }
  return { loaded: Number(row?.loaded ?? 0), distinctValid }
}
