// Loads one file as one batch: identify it, stage it through the engine, quarantine, publish exactly once.
import { createHash } from 'node:crypto'
import { basename } from 'node:path'
import { inBackground, rebuildRollups, type Store, withLease } from '@qyzmet/sql'
import { chooseFormat, FileError, type Format, formatFromName, isFormat, sha256, sniff } from './formats.ts'
import { type BatchRecord, nowText, readBatch, writeBatch } from './ledger.ts'
import { identityMapping, type Mapping, MappingError } from './mapping.ts'
import { releaseMemory } from './memory.ts'
import { blockMark, publishBucket, publishCounts, quarantineBatch, tokenStillValid } from './publish.ts'
import { exclusive } from './serial.ts'
import { dropStage, planStage, runStage, stageStats, type Transport } from './stage.ts'
import { hashSlots } from './validate.ts'

export interface LoadOptions {
  format?: Format
  mapping?: Mapping
  /** The feed's name, stored with every row that has no source column of its own. */
  source?: string
  /** Name recorded for the file (an upload's original name); default the path's base name. */
  name?: string
  /** Valid rows per published bucket: bounds the memory of publishing (up to 1,024 buckets, one per hash slot). */
  bucketRows?: number
  transport?: Transport
  onProgress?: (progress: Progress) => void
  /** Stops between buckets; the batch stays resumable. */
  signal?: AbortSignal
}

export interface Progress {
  phase: 'hash' | 'stage' | 'quarantine' | 'publish' | 'done'
  bytes: number
  totalBytes: number
  rows: number
  totalRows: number
}

export type LoadState = 'done' | 'already_loaded' | 'failed' | 'interrupted'

export interface LoadSummary {
  file: string
  source: string
  batchId: string | null
  format: Format | null
  state: LoadState
  rows: number
  loaded: number
  duplicatesInBatch: number
  duplicatesExisting: number
  quarantined: number
  reasons: Record<string, number>
  ignoredColumns: string[]
  seconds: number
  error: string | null
}

export const defaultSource = 'upload'
/** The lease every worker on a database takes to publish a bucket (sql/src/lock.ts). */
export const publishLease = 'ingest:publish'
export const defaultBucketRows = 1_000_000

const batchIdOf = (source: string, sha: string) =>
  createHash('sha256').update(`${source}\n${sha}`).digest('hex').slice(0, 32)

/** The ledger's format as a known format, or null (a file refused before its format was known says 'unknown'). */
const formatOrNull = (name: string): Format | null => (isFormat(name) ? name : null)

function summaryOf(record: BatchRecord, state: LoadState, seconds: number, ignored: string[] = []): LoadSummary {
  return {
    file: record.file,
    source: record.source,
    batchId: record.batch_id,
    format: formatOrNull(record.format.replace('+gzip', '')),
    state,
    rows: record.rows,
    loaded: state === 'already_loaded' ? 0 : record.loaded,
    duplicatesInBatch: record.duplicates_in_batch,
    duplicatesExisting:
      state === 'already_loaded' ? record.valid - record.duplicates_in_batch : record.duplicates_existing,
    quarantined: record.quarantined,
    reasons: record.reasons,
    ignoredColumns: ignored,
    seconds,
    error: record.error || null,
  }
}

/** Loads a file; a file that cannot be read comes back as a failed summary (and a failed batch), never half-loaded. */
export function loadFile(store: Store, path: string, options: LoadOptions = {}): Promise<LoadSummary> {
  // Background work: on the embedded engine, dashboard reads waiting for a connection go before the load's statements.
  return inBackground(() => loadFileNow(store, path, options))
}

async function loadFileNow(store: Store, path: string, options: LoadOptions): Promise<LoadSummary> {
  const started = performance.now()
  const seconds = () => (performance.now() - started) / 1000
  const file = options.name ?? basename(path)
  const source = options.source ?? defaultSource
  const mapping = options.mapping ?? identityMapping
  const progress = (phase: Progress['phase'], bytes: number, totalBytes: number) =>
    options.onProgress?.({ phase, bytes, totalBytes, rows: 0, totalRows: 0 })

  let sniffed: Awaited<ReturnType<typeof sniff>>
  try {
    sniffed = await sniff(path)
  } catch (error) {
    throw new FileError(file, `cannot open it (${(error as NodeJS.ErrnoException).code ?? String(error)})`)
  }
  let hashed = 0
  const sha = await sha256(path, (bytes) => {
    hashed += bytes
    progress('hash', hashed, sniffed.size)
  })
  const batchId = batchIdOf(source, sha)
  // One worker per batch, even across processes: the same file pushed twice at once is loaded once.
  return withLease(store, `ingest:batch:${batchId}`, () =>
    loadBatch(store, path, { ...options, name: file, source, mapping }, { batchId, sha, sniffed, elapsed: seconds }),
  )
}

interface Identified {
  batchId: string
  sha: string
  sniffed: Awaited<ReturnType<typeof sniff>>
  /** Seconds since the load began. */
  elapsed: () => number
}

async function loadBatch(
  store: Store,
  path: string,
  options: LoadOptions & { name: string; source: string; mapping: Mapping },
  { batchId, sha, sniffed, elapsed: seconds }: Identified,
): Promise<LoadSummary> {
  const { name: file, source, mapping } = options
  const transport: Transport = options.transport ?? (store.config.engine.kind === 'embedded' ? 'file' : 'stream')
  const progress = (phase: Progress['phase'], bytes: number, totalBytes: number, rows = 0, totalRows = 0) =>
    options.onProgress?.({ phase, bytes, totalBytes, rows, totalRows })
  const previous = await readBatch(store, batchId)
  if (previous?.state === 'done') return summaryOf(previous, 'already_loaded', seconds())

  const named = options.format ?? formatFromName(file)
  // A batch that failed is tried afresh (it may now be read as another format, under another name); a batch that
  // stopped while staging or publishing resumes as it was.
  const resumable = previous && previous.state !== 'failed' ? previous : null
  const record: BatchRecord = resumable ?? {
    batch_id: batchId,
    source,
    file,
    content_sha256: sha,
    format: `${named ?? 'unknown'}${sniffed.gzip ? '+gzip' : ''}`,
    size_bytes: sniffed.size,
    state: 'staging',
    rows: 0,
    valid: 0,
    loaded: 0,
    duplicates_in_batch: 0,
    duplicates_existing: 0,
    quarantined: 0,
    reasons: {},
    buckets: 0,
    buckets_done: 0,
    bucket_block_mark: 0,
    min_occurred_at: null,
    max_occurred_at: null,
    error: '',
    started_at: nowText(),
    finished_at: null,
  }
  const save = (changes: Partial<BatchRecord>) => writeBatch(store, Object.assign(record, changes))

  let ignored: string[] = []
  try {
    const format = chooseFormat(file, options.format, sniffed)
    const plan = await planStage(store, path, file, format, sniffed.gzip, mapping, transport)
    ignored = plan.ignored
    // A batch that stopped while publishing keeps its stage; anything earlier is staged again from the start.
    const resuming = record.state === 'publishing' && (await stageStats(store, batchId)).rows === record.rows
    if (!resuming) {
      await save({ state: 'staging', error: '', buckets_done: 0, bucket_block_mark: 0 })
      await dropStage(store, batchId)
      progress('stage', 0, sniffed.size)
      await runStage(store, plan, path, file, sniffed.gzip, mapping, { id: batchId, source }, transport)
      await releaseMemory(store)
      const stats = await stageStats(store, batchId)
      const bucketRows = options.bucketRows ?? defaultBucketRows
      await save({
        state: 'publishing',
        rows: stats.rows,
        valid: stats.valid,
        quarantined: stats.rows - stats.valid,
        reasons: stats.reasons,
        min_occurred_at: stats.minOccurredAt,
        max_occurred_at: stats.maxOccurredAt,
        // A batch published before under another bucket count keeps it, so its tokens stay the same.
        // A bucket is a range of hash slots, so there are never more buckets than slots.
        buckets: record.buckets || Math.min(hashSlots, Math.max(1, Math.ceil(stats.valid / bucketRows))),
      })
    }
    progress('quarantine', sniffed.size, sniffed.size)
    await quarantineBatch(store, record)
    const interrupted = await exclusive(() => publish(store, record, save, progress, sniffed.size, options.signal))
    await releaseMemory(store)
    if (interrupted) return summaryOf(record, 'interrupted', seconds(), ignored)
    const counts = record.valid > 0 ? await publishCounts(store, record) : { loaded: 0, distinctValid: 0 }
    await save({
      state: 'done',
      loaded: counts.loaded,
      duplicates_in_batch: record.valid - counts.distinctValid,
      duplicates_existing: counts.distinctValid - counts.loaded,
      finished_at: nowText(),
    })
    await dropStage(store, batchId)
    progress('done', sniffed.size, sniffed.size, record.valid, record.valid)
    return summaryOf(record, 'done', seconds(), ignored)
  } catch (error) {
    if (!(error instanceof FileError || error instanceof MappingError)) {
      // The engine or the network failed: the batch stays resumable and says why it stopped.
      await save({ error: error instanceof Error ? error.message.slice(0, 500) : String(error) }).catch(() => undefined)
      throw error
    }
    await save({ state: 'failed', error: error.message, finished_at: nowText() })
    await dropStage(store, batchId)
    return summaryOf(record, 'failed', seconds(), ignored)
  }
}

/** The batch's days, widened by one on each side: its timestamps are UTC, the rollups' days local. */
function rangeOf(record: BatchRecord): { from: string; to: string } {
  const day = (text: string | null, shift: number) =>
    new Date(Date.parse(`${(text ?? '1970-01-01 00:00:00').replace(' ', 'T')}Z`) + shift * 86_400_000)
      .toISOString()
      .slice(0, 10)
  return { from: day(record.min_occurred_at, -1), to: day(record.max_occurred_at, 1) }
}

async function stagedSources(store: Store, batchId: string): Promise<string[]> {
  const rows = await store.rows<{ source: string }>(
    'ingest:sources',
    'SELECT DISTINCT source FROM ingest_stage WHERE batch_id = {batch:String} AND valid',
    { batch: batchId },
  )
  return rows.map((row) => row.source)
}

/** Publishes the buckets not yet done; true when stopped by the signal between buckets. */
async function publish(
  store: Store,
  record: BatchRecord,
  save: (changes: Partial<BatchRecord>) => Promise<void>,
  progress: (phase: Progress['phase'], bytes: number, totalBytes: number, rows?: number, totalRows?: number) => void,
  size: number,
  signal: AbortSignal | undefined,
): Promise<boolean> {
  if (record.valid === 0) return false
  const perBucket = record.valid / record.buckets
  for (let bucket = record.buckets_done; bucket < record.buckets; bucket++) {
    if (signal?.aborted) return true
    progress('publish', size, size, Math.round(bucket * perBucket), record.valid)
    // Every worker on this database publishes one bucket at a time: another batch's bucket sharing an event_id
    // then finds it stored, and a rebuild of the rollups meets no other insert.
    await withLease(store, publishLease, async () => {
      // The bucket in flight when a worker stopped is retried with its token while events still remembers it.
      const retry = record.bucket_block_mark > 0 && (await tokenStillValid(store, record.bucket_block_mark))
      if (!retry) await save({ buckets_done: bucket, bucket_block_mark: (await blockMark(store)) + 1 })
      await publishBucket(store, record, bucket, retry ? 'retry' : 'fresh')
      if (retry) {
        await publishBucket(store, record, bucket, 'topUp')
        // A worker killed mid-insert can leave a view with a block that events lost (and the top-up then sends it
        // again): recompute the rollups of the batch's months from events, which are now exact.
        await rebuildRollups(store, rangeOf(record), await stagedSources(store, record.batch_id))
      }
      await save({ buckets_done: bucket + 1, bucket_block_mark: 0 })
    })
  }
  return false
}
