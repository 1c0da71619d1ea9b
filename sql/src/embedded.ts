// The embedded engine (chdb in this process): its connections, each query's settings kept to it, and its directory watched.
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { type ClickHouseClient, type ClickHouseSettings, createClient } from '@clickhouse/client'
import { drainPending } from 'chdb'
import { createChdbConnection } from 'chdb/connection'
import { type Config, ConfigError } from './config.ts'
import { connectionPool } from './embedded-pool.ts'
import { EngineUnavailable } from './engine-errors.ts'
import { inlineParams, type Refusal } from './inline-params.ts'
import { httpSettings, withSettings } from './scoped-settings.ts'
import type { Engine, EngineCall } from './store.ts'

type ClientConnection = NonNullable<NonNullable<Parameters<typeof createClient>[0]>['connection']>

/**
 * A stream body as one string. chdb decodes a body chunk by chunk, so a character whose UTF-8 bytes straddle two
 * chunks became two U+FFFD (found in a service name of the reference data, 64 KiB into the file).
 */
async function whole(values: unknown): Promise<unknown> {
  if (!(values instanceof Readable)) return values
  const chunks: Buffer[] = []
  for await (const chunk of values) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk))
  return Buffer.concat(chunks).toString('utf8')
}

/**
 * Whether statements run side by side: on unless QYZMET_EMBEDDED_PARALLEL=off, which sends them one at a time with
 * their parameters bound by the engine, as before the pool (read per statement, so that a benchmark can compare the
 * two in one process).
 */
const parallel = () => process.env.QYZMET_EMBEDDED_PARALLEL !== 'off'

/**
 * Connections in the pool: enough that a long load statement and a monitor read leave room for dashboard reads, and
 * fewer than libuv's worker threads. chdb runs each statement on one of those threads, which zlib (compressed
 * answers) and file reads share: with all four busy, a gzip of 1 KB waited 1.3 s for a statement to end. More
 * connections come with a larger UV_THREADPOOL_SIZE.
 */
const threadPool = Number(process.env.UV_THREADPOOL_SIZE) || 4
const poolSize = Math.max(2, Math.min(8, availableParallelism() * 2, threadPool - 1))

/** How statements were sent since the process started: inlined (run side by side) or with bound parameters. */
export const embeddedStatements = {
  inlined: 0,
  bound: 0,
  refused: {} as Partial<Record<Refusal, number>>,
}

type StatementParams = {
  query: string
  clickhouse_settings?: ClickHouseSettings
  query_params?: Record<string, unknown>
}

/**
 * The statement as the embedded engine is sent it: settings in its own SETTINGS clause (see scoped-settings), then,
 * when statements run side by side, the parameters written in as literals (see inline-params); a statement the
 * inliner refuses keeps its parameters, and chdb runs it one at a time.
 */
function prepare<P extends StatementParams>(params: P): P {
  const query = params.clickhouse_settings ? withSettings(params.query, params.clickhouse_settings) : params.query
  const clickhouse_settings = httpSettings(params.clickhouse_settings) as ClickHouseSettings | undefined
  const given = params.query_params
  if (!given || Object.keys(given).length === 0) return { ...params, query, clickhouse_settings }
  if (!parallel()) {
    embeddedStatements.bound++
    return { ...params, query, clickhouse_settings }
  }
  const inlined = inlineParams(query, given)
  if ('sql' in inlined) {
    embeddedStatements.inlined++
    return { ...params, query: inlined.sql, query_params: undefined, clickhouse_settings }
  }
  embeddedStatements.bound++
  embeddedStatements.refused[inlined.refused] = (embeddedStatements.refused[inlined.refused] ?? 0) + 1
  return { ...params, query, clickhouse_settings }
}

/** The embedded connection with every statement prepared as above and its body read whole. */
function scoped(connection: ClientConnection): ClientConnection {
  return new Proxy(connection, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver)
      if (typeof value !== 'function') return value
      // Methods run on the connection itself: it keeps private state that a proxy cannot reach.
      if (!['query', 'exec', 'command', 'insert'].includes(String(property))) return value.bind(target)
      return async (params: StatementParams & { values?: unknown }) =>
        value.call(target, { ...prepare(params), values: await whole(params.values) })
    },
  })
}

function inUse(dataDir: string): ConfigError {
  return new ConfigError(
    'QYZMET_DATA_DIR',
    `${dataDir} is in use by another process (the embedded engine allows one)`,
    'Stop the other Qyzmet process, send the work to it over HTTP, or use another directory.',
  )
}

const lockFailure = /Cannot lock file|Failed to create connection|already running/i

/**
 * INSERT … FROM input('structure') FORMAT X, run on the embedded engine: it reads a request body only for
 * INSERT … FORMAT, so the body is spooled to a temporary file that file() reads in input()'s place.
 */
async function viaFile(client: ClickHouseClient, call: EngineCall, body: Readable): Promise<boolean> {
  const input = /\binput\(\s*('(?:[^'\\]|\\.)*')\s*\)/.exec(call.query)
  const format = /\sFORMAT\s+(\w+)\s*$/i.exec(call.query)
  if (!input || !format) throw new Error("insertFrom takes INSERT … SELECT … FROM input('…') FORMAT X")
  const spool = mkdtempSync(join(tmpdir(), 'qyzmet-input-'))
  const path = join(spool, 'body')
  try {
    await pipeline(body, createWriteStream(path), { signal: call.signal })
    const query = call.query
      .slice(0, format.index)
      .replace(input[0], `file({qyzmet_input:String}, '${format[1]}', ${input[1]})`)
    await client.command({
      query,
      query_params: { ...call.params, qyzmet_input: path },
      query_id: call.queryId,
      clickhouse_settings: call.settings,
      abort_signal: call.signal,
    })
    return true
  } finally {
    rmSync(spool, { recursive: true, force: true })
  }
}

/** The directory's identity: a directory deleted (and perhaps made again) under the engine is another one. */
function identity(dataDir: string): string | null {
  try {
    const stat = statSync(dataDir)
    return `${stat.dev}:${stat.ino}`
  } catch {
    return null
  }
}

/**
 * Opens the engine on its directory. The engine keeps files open and creates missing folders as it writes, so a
 * deleted directory is not reported by the engine itself (reads may go on from open files, writes land in a new
 * empty folder): the store checks the directory before every call and stops with EngineUnavailable('storage').
 */
export async function openEmbedded(config: Config, dataDir: string): Promise<Engine> {
  const connections: ClientConnection[] = []
  let client: ClickHouseClient
  try {
    // chdb implements the same Connection contract, typed against its own copy of @clickhouse/client-common.
    connections.push(createChdbConnection({ path: dataDir }) as unknown as ClientConnection)
  } catch (error) {
    if (error instanceof Error && lockFailure.test(error.message)) throw inUse(dataDir)
    throw error
  }
  try {
    const use = async (connection: ClientConnection, query: string) =>
      void (await connection.command({ query, query_id: `qyzmet:open:${process.pid}` }))
    await use(connections[0] as ClientConnection, `CREATE DATABASE IF NOT EXISTS ${config.database}`)
    // Further connections share the engine the first one started (the directory is this process's already).
    while (connections.length < poolSize)
      connections.push(createChdbConnection({ path: dataDir }) as unknown as ClientConnection)
    // Each connection is a session of its own: USE sets the database for every later statement on it.
    for (const connection of connections) await use(connection, `USE ${config.database}`)
    client = createClient({ connection: scoped(connectionPool(connections, () => (parallel() ? poolSize : 1))) })
  } catch (error) {
    await Promise.allSettled(connections.map((connection) => connection.close()))
    await drainPending()
    if (error instanceof Error && lockFailure.test(error.message)) throw inUse(dataDir)
    throw error
  }
  const opened = identity(dataDir)
  let lost: string | null = null
  return {
    client,
    checkStorage(name) {
      if (lost === null && identity(dataDir) !== opened) lost = `${dataDir} was removed or replaced under the engine`
      if (lost !== null) throw new EngineUnavailable('storage', name, lost)
    },
    input: (call, body) => viaFile(client, call, body),
    // chdb binds parameters in process: no URL, nothing is too long.
    long: async () => null,
    watchStream: (stream: Readable) => stream,
    close: async () => {
      await client.close()
      await drainPending()
    },
  }
}
