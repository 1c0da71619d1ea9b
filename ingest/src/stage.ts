// Runs the stage query over a file: read by the engine itself (embedded) or streamed to it through input() (server).
import { createReadStream } from 'node:fs'
import type { Readable } from 'node:stream'
import { createGunzip } from 'node:zlib'
import { ClickHouseError, type ClickHouseSettings } from '@clickhouse/client'
import { isTransient, type Store } from '@qyzmet/sql'
import { type EventField, eventFields, requiredFields } from './fields.ts'
import { FileError, type Format, readHeader } from './formats.ts'
import { type Mapping, resolveColumns } from './mapping.ts'
import { boundedBlocks } from './memory.ts'
import { delimitedSource, ndjsonSource, parquetSource, type RowSource } from './source.ts'
import { stageQuery } from './validate.ts'

/** 'file': the engine opens the path (embedded engine, same machine). 'stream': the bytes go in the request body. */
export type Transport = 'file' | 'stream'

export interface StagePlan {
  source: RowSource
  /** Source columns that map to no field. */
  ignored: string[]
}

function requireFields(file: string, found: Partial<Record<EventField, number>>, mapping: Mapping, names: string[]) {
  const missing = requiredFields.filter((field) => found[field] === undefined && mapping.defaults[field] === undefined)
  if (missing.length > 0) {
    throw new FileError(
      file,
      `the header has no column for ${missing.join(', ')} (columns: ${names.slice(0, 30).join(', ') || 'none'}); ` +
        'rename the columns or map them with --mapping',
    )
  }
}

/** Reads what the engine needs to know before it reads the rows: the header, and so where each field is. */
export async function planStage(
  store: Store,
  path: string,
  file: string,
  format: Format,
  gzip: boolean,
  mapping: Mapping,
  transport: Transport,
): Promise<StagePlan> {
  if (format === 'csv' || format === 'tsv') {
    const header = await readHeader(path, format, gzip, file)
    if (!header) throw new FileError(file, 'the file is empty: there is no header line')
    const { fields, ignored } = resolveColumns(header.names, mapping)
    requireFields(file, fields, mapping, header.names)
    return { source: delimitedSource(format, header.names, fields, header.crlf), ignored }
  }
  if (format === 'ndjson') return { source: ndjsonSource(mapping), ignored: [] }
  // Parquet's columns are in its footer: the engine reads them when it has the file; a stream is read by the
  // names the mapping knows, and a column the file lacks shows up as missing values.
  const columns =
    transport === 'file'
      ? (
          await store
            .rows<{ name: string }>('ingest:parquet-schema', "DESCRIBE file({path:String}, 'Parquet')", { path })
            .catch((error: unknown) => {
              throw new FileError(file, `cannot read it as Parquet (${engineMessage(error)})`)
            })
        ).map((column) => column.name)
      : [...eventFields, ...Object.keys(mapping.columns)]
  const { fields, ignored } = resolveColumns(columns, mapping)
  if (transport === 'file') requireFields(file, fields, mapping, columns)
  return { source: parquetSource(columns, fields), ignored }
}

/** The engine's error without its code, version, stack or SQL: what a user can act on. */
export function engineMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error)
  return (
    text
      .replace(/^Code: \d+\.\s*/, '')
      .replace(/^DB::Exception:\s*/, '')
      .replace(/\s*\(version [^)]*\)\s*$/s, '')
      .replace(/\s*\([A-Z_]+\)\s*$/, '')
      .split(/: While |\s*\(in file\/uri |\n/)[0]
      ?.slice(0, 400) ?? 'unknown error'
  )
}

const literal = (text: string) => `'${text.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`

/** Parses, maps and validates the whole file into the batch's stage partition. */
export async function runStage(
  store: Store,
  plan: StagePlan,
  path: string,
  file: string,
  gzip: boolean,
  mapping: Mapping,
  batch: { id: string; source: string },
  transport: Transport,
): Promise<void> {
  const source: RowSource =
    transport === 'file' ? plan.source : { ...plan.source, rowNumber: 'rowNumberInAllBlocks() + 1' }
  const { sql, params } = stageQuery(source, mapping, batch, store.config.timezone)
  const settings: ClickHouseSettings = {
    ...source.settings,
    input_format_allow_errors_num: '0',
    // row_number is unique in a batch, so the Replacing stage has nothing to collapse: merging every inserted
    // block on insert only cost time (measured: more than half the stage's time at 1M rows).
    optimize_on_insert: 0,
    // The validation expression is large and runs once per file: compiling it is not repaid (measured at 1M rows:
    // the stage was no faster with it, and once 0.8 s slower).
    compile_expressions: 0,
    // The embedded engine maps files into memory by default: every page of the file read then counts in the
    // process's resident memory (and a container's limit), so memory grew with the file. Read, not mapped, the
    // stage holds a few blocks whatever the size (bench/results/ingest-memory-*.md).
    storage_file_read_method: 'pread',
    // Blocks of a bounded size, however large the file: the stage's memory is one block's, not the file's.
    ...boundedBlocks,
  }
  try {
    if (transport === 'file') {
      const reader = `file({path:String}, '${source.format}', ${literal(source.structure)}, '${gzip ? 'gzip' : 'none'}')`
      // Not retried: a failed stage is dropped and staged again from the start.
      await store.command(
        'ingest:stage',
        sql.replace('{{source}}', reader),
        { ...params, path },
        { settings, retry: false },
      )
    } else {
      const body = (): Readable => (gzip ? createReadStream(path).pipe(createGunzip()) : createReadStream(path))
      await store.insertFrom(
        'ingest:stage',
        `${sql.replace('{{source}}', `input(${literal(source.structure)})`)} FORMAT ${source.format}`,
        body,
        params,
        // One reader thread keeps rowNumberInAllBlocks() equal to the row's place in the file.
        { ...settings, input_format_parallel_parsing: 0, max_threads: 1 },
      )
    }
  } catch (error) {
    // The engine's own errors (chdb's copy of ClickHouseError is another class, so judged by shape) mean the
    // bytes could not be read as this format; a network or busy engine is not the file's fault.
    const shaped = typeof (error as { type?: unknown }).type === 'string' || error instanceof ClickHouseError
    if (!isTransient(error) && (shaped || (error as NodeJS.ErrnoException).code === 'Z_BUF_ERROR')) {
      throw new FileError(file, `cannot read it as ${source.format}${gzip ? ' (gzip)' : ''}: ${engineMessage(error)}`)
    }
    throw error
  }
}

export interface StageStats {
  rows: number
  valid: number
  minOccurredAt: string | null
  maxOccurredAt: string | null
  reasons: Record<string, number>
}

export async function stageStats(store: Store, batchId: string): Promise<StageStats> {
  const [row] = await store.rows<{ n: string; n_valid: string; lo: string | null; hi: string | null }>(
    'ingest:stage-stats',
    `SELECT count() AS n, countIf(valid) AS n_valid,
            if(n_valid > 0, toString(minIf(occurred_at, valid)), NULL) AS lo,
            if(n_valid > 0, toString(maxIf(occurred_at, valid)), NULL) AS hi
     FROM ingest_stage WHERE batch_id = {batch:String}`,
    { batch: batchId },
  )
  const reasons = await store.rows<{ reason: string; n: string }>(
    'ingest:stage-reasons',
    `SELECT reason, count() AS n FROM ingest_stage ARRAY JOIN reasons AS reason
     WHERE batch_id = {batch:String} AND NOT valid GROUP BY reason ORDER BY n DESC, reason`,
    { batch: batchId },
  )
  return {
    rows: Number(row?.n ?? 0),
    valid: Number(row?.n_valid ?? 0),
    minOccurredAt: row?.lo ?? null,
    maxOccurredAt: row?.hi ?? null,
    reasons: Object.fromEntries(reasons.map((r) => [r.reason, Number(r.n)])),
  }
}

/** Batch ids are hex digests made here, so the partition literal cannot carry anything else. */
export async function dropStage(store: Store, batchId: string): Promise<void> {
  if (!/^[0-9a-f]{32}$/.test(batchId)) throw new Error(`not a batch id: ${batchId}`)
  await store.command('ingest:drop-stage', `ALTER TABLE ingest_stage DROP PARTITION '${batchId}'`)
}
