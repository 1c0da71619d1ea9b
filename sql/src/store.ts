// The one way to reach ClickHouse, embedded or a server: named operations, each within a deadline, retried where safe.
import { PassThrough, type Readable } from 'node:stream'
import type { ClickHouseClient, ClickHouseSettings, DataFormat } from '@clickhouse/client'
import type { Config } from './config.ts'
import { type CallPolicy, withinDeadline } from './deadline.ts'
import { openEmbedded } from './embedded.ts'
import { classify, EngineUnavailable } from './engine-errors.ts'
import { createProbe } from './probe.ts'
import { openServer } from './server.ts'

export { inBackground, type Priority } from './embedded-pool.ts'
export { EngineUnavailable, engineCode, isTransient, type UnavailableReason } from './engine-errors.ts'

export type Params = Record<string, unknown>

export interface CommandOptions {
  settings?: ClickHouseSettings
  /** False for statements that must not run twice, such as an INSERT … SELECT without a deduplication token. */
  retry?: boolean
}

export interface InsertOptions {
  /** Default JSONEachRow for rows; a stream says what it holds (CSVWithNames, …). */
  format?: DataFormat
  columns?: [string, ...string[]]
  settings?: ClickHouseSettings
  /** Rows are retried on transient errors unless told not to; a stream is retried only when given as a factory. */
  retry?: boolean
}

/** A byte stream to send, or a function that opens it (then a failed try can be sent again from the start). */
export type Body = Readable | (() => Readable)

export interface ProbeReport {
  ok: boolean
  /** Milliseconds the write and the read back took together. */
  ms: number
  /** Why the store is not usable, when it is not. */
  reason?: EngineUnavailable['reason']
  message?: string
}

export interface Store {
  readonly config: Config
  /** Runs a named SELECT and returns its rows as objects; stopped after QYZMET_QUERY_TIMEOUT unless told otherwise. */
  rows<T>(name: string, query: string, params?: Params, settings?: ClickHouseSettings): Promise<T[]>
  /** Runs a named statement that returns no rows (DDL, INSERT … SELECT); retried on transient errors unless told not to. */
  command(name: string, query: string, params?: Params, options?: CommandOptions): Promise<void>
  /** Inserts rows (as JSONEachRow) or a stream in the given format into a table. */
  insert(name: string, table: string, values: readonly object[] | Body, options?: InsertOptions): Promise<void>
  /** Runs `INSERT … SELECT … FROM input('…') FORMAT X` with the body as the input; never retried. */
  insertFrom(name: string, query: string, body: Body, params?: Params, settings?: ClickHouseSettings): Promise<void>
  /** The engine's own serialisation of a SELECT, streamed; the stream ends in an error if the engine fails midway. */
  stream(name: string, query: string, params: Params, format: string, settings?: ClickHouseSettings): Promise<Readable>
  /** Whether the store can write and read back now, within a short deadline. */
  probe(): Promise<ProbeReport>
  close(): Promise<void>
}

/** What each engine (embedded, server) gives the store; the store adds names, deadlines, retries and error meaning. */
export interface Engine {
  client: ClickHouseClient
  /** Throws EngineUnavailable('storage') when the storage is known to be gone (the embedded engine's directory). */
  checkStorage(name: string): void
  /** Runs an INSERT … FROM input() itself (the embedded engine has no request body to read), or returns false. */
  input(call: EngineCall, body: Readable): Promise<boolean>
  /** Runs a statement whose parameters are too long for a URL and returns its answer, or null to leave it to the client. */
  long(call: EngineCall): Promise<Readable | null>
  /** Ends a stream with the engine's error when the engine reported one after the answer had begun. */
  watchStream(stream: Readable, headers: Record<string, unknown>): Readable
  close(): Promise<void>
}

export interface EngineCall {
  query: string
  params?: Params
  settings: ClickHouseSettings
  queryId: string
  signal: AbortSignal
}

let queryCounter = 0
const queryId = (name: string) => `qyzmet:${name}:${process.pid}:${++queryCounter}`

/** Seconds past the engine's own limit before the store stops waiting: the engine's answer (e.g. TIMEOUT_EXCEEDED) comes first. */
const graceMs = (seconds: number) => Math.min(5_000, Math.max(1_000, seconds * 100))

/** Statements that run a query pipeline, which the engine's max_execution_time bounds. */
const runsQuery = /^\s*(INSERT|SELECT|WITH)\b/i

const open = (body: Body): Readable => (typeof body === 'function' ? body() : body)

/** The engine's limit for a call: the caller's max_execution_time, else the default for its kind. */
function limitOf(settings: ClickHouseSettings | undefined, fallback: number): number {
  const given = Number(settings?.max_execution_time ?? Number.NaN)
  return Number.isFinite(given) && given > 0 ? given : fallback
}

export function wrapEngine(engine: Engine, config: Config, probe: (store: Store) => Promise<ProbeReport>): Store {
  const { client } = engine
  let closed = false

  function call<T>(
    name: string,
    seconds: number,
    retry: boolean,
    run: (signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    const policy: CallPolicy = { name, deadlineMs: seconds * 1000 + graceMs(seconds), retry }
    return withinDeadline(policy, (signal) => {
      if (closed) throw new EngineUnavailable('unreachable', name, 'the store was closed')
      engine.checkStorage(name)
      return run(signal)
    })
  }

  const store: Store = {
    config,
    rows: <T>(name: string, query: string, params?: Params, settings?: ClickHouseSettings) => {
      const seconds = limitOf(settings, config.queryTimeout)
      const clickhouse_settings = { ...settings, max_execution_time: seconds }
      return call(name, seconds, true, async (abort_signal) => {
        const id = queryId(name)
        const text = `${query}\nFORMAT JSONEachRow`
        const long = await engine.long({
          query: text,
          params,
          settings: clickhouse_settings,
          queryId: id,
          signal: abort_signal,
        })
        if (long) return parseRows<T>(long)
        const result = await client.query({
          query,
          query_params: params,
          format: 'JSONEachRow',
          query_id: id,
          clickhouse_settings,
          abort_signal,
        })
        return result.json<T>()
      })
    },

    command: (name, query, params, options = {}) => {
      const seconds = limitOf(options.settings, config.writeTimeout)
      // DDL takes no query limit (a trailing SETTINGS of CREATE TABLE would even be the table's own settings).
      const settings = runsQuery.test(query)
        ? { ...options.settings, max_execution_time: seconds }
        : (options.settings ?? {})
      return call(name, seconds, options.retry !== false, async (signal) => {
        const id = queryId(name)
        const long = await engine.long({
          query,
          params,
          settings: { ...settings, wait_end_of_query: 1 },
          queryId: id,
          signal,
        })
        if (long) return void (await drain(long))
        await client.command({
          query,
          query_params: params,
          query_id: id,
          clickhouse_settings: settings,
          abort_signal: signal,
        })
      })
    },

    insert: (name, table, values, options = {}) => {
      const rows = Array.isArray(values)
      const retry = options.retry !== false && (rows || typeof values === 'function')
      return call(name, config.writeTimeout, retry, async (abort_signal) => {
        await client.insert({
          table,
          values: rows ? (values as object[]) : open(values as Body),
          format: options.format ?? 'JSONEachRow',
          columns: options.columns,
          query_id: queryId(name),
          clickhouse_settings: options.settings,
          abort_signal,
        })
      })
    },

    insertFrom: (name, query, body, params, settings) => {
      const seconds = limitOf(settings, config.writeTimeout)
      return call(name, seconds, false, async (abort_signal) => {
        const limits = { ...settings, max_execution_time: seconds }
        const request = { query, params, settings: limits, queryId: queryId(name), signal: abort_signal }
        const values = open(body)
        if (await engine.input(request, values)) return
        const result = await client.exec({
          query,
          values,
          query_params: params,
          query_id: request.queryId,
          clickhouse_settings: limits,
          abort_signal,
        })
        await new Promise((done, fail) => result.stream.on('end', done).on('error', fail).resume())
      })
    },

    stream: async (name, query, params, format, settings) => {
      if (!/^[A-Za-z]+$/.test(format)) throw new Error(`not a format name: ${format}`)
      const seconds = limitOf(settings, config.queryTimeout)
      const limits = { ...settings, max_execution_time: seconds, timeout_overflow_mode: 'throw' as const }
      const started = performance.now()
      const source = await call(name, seconds, true, async (signal) => {
        const text = `${query}\nFORMAT ${format}`
        const request = { query: text, params, settings: limits, queryId: queryId(name), signal }
        const long = await engine.long(request)
        if (long) return long
        const result = await client.exec({
          query: text,
          query_params: params,
          query_id: request.queryId,
          clickhouse_settings: limits,
          abort_signal: signal,
        })
        return engine.watchStream(result.stream, result.response_headers)
      })
      return bounded(source, name, seconds * 1000 + graceMs(seconds) - (performance.now() - started))
    },

    probe: () => probe(store),

    close: async () => {
      if (closed) return
      closed = true
      await engine.close()
    },
  }
  return store
}

async function drain(stream: Readable): Promise<void> {
  for await (const _ of stream);
}

async function parseRows<T>(stream: Readable): Promise<T[]> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(chunk)
  // Decoded once: a character may straddle two chunks.
  return Buffer.concat(chunks)
    .toString('utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as T)
}

/** The stream, ended with EngineUnavailable('timeout') if it has not finished within the deadline left. */
function bounded(source: Readable, name: string, leftMs: number): Readable {
  const output = new PassThrough()
  const timer = setTimeout(
    () => source.destroy(new EngineUnavailable('timeout', name, 'the answer did not finish in time')),
    Math.max(0, leftMs),
  )
  source.on('error', (error) => {
    clearTimeout(timer)
    const failure = classify(error)
    output.destroy(
      failure.kind === 'unavailable' && !(error instanceof EngineUnavailable)
        ? new EngineUnavailable(failure.reason, name, error.message.split('\n')[0] ?? '', { cause: error })
        : error,
    )
  })
  source.on('end', () => clearTimeout(timer))
  output.on('close', () => {
    clearTimeout(timer)
    if (!source.readableEnded) source.destroy()
  })
  source.pipe(output)
  return output
}

/** Opens the store the configuration names; fails with a ConfigError that says what to fix. */
export async function openStore(config: Config): Promise<Store> {
  const engine = config.engine
  const opened =
    engine.kind === 'embedded'
      ? await openEmbedded(config, engine.dataDir)
      : await openServer(config, { url: engine.url, username: engine.user, password: engine.password })
  return wrapEngine(opened, config, createProbe())
}
