// The embedded engine (chdb in this process): its connection, each query's settings kept to it, and its directory watched.
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { type ClickHouseClient, type ClickHouseSettings, createClient } from '@clickhouse/client'
import { drainPending } from 'chdb'
import { createChdbConnection } from 'chdb/connection'
import { type Config, ConfigError } from './config.ts'
import { EngineUnavailable } from './engine-errors.ts'
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

/** The embedded connection with every statement's settings moved into its own SETTINGS clause (see scoped-settings). */
function scoped(connection: ClientConnection): ClientConnection {
  const rewrite = <P extends { query: string; clickhouse_settings?: ClickHouseSettings }>(params: P): P => ({
    ...params,
    query: params.clickhouse_settings ? withSettings(params.query, params.clickhouse_settings) : params.query,
    clickhouse_settings: httpSettings(params.clickhouse_settings) as ClickHouseSettings | undefined,
  })
  return new Proxy(connection, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver)
      if (typeof value !== 'function') return value
      // Methods run on the connection itself: it keeps private state that a proxy cannot reach.
      if (!['query', 'exec', 'command', 'insert'].includes(String(property))) return value.bind(target)
      return async (params: { query: string; clickhouse_settings?: ClickHouseSettings; values?: unknown }) =>
        value.call(target, { ...rewrite(params), values: await whole(params.values) })
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
  let client: ClickHouseClient
  try {
    // chdb implements the same Connection contract, typed against its own copy of @clickhouse/client-common.
    const connection = createChdbConnection({ path: dataDir }) as unknown as ClientConnection
    client = createClient({ connection: scoped(connection) })
  } catch (error) {
    if (error instanceof Error && lockFailure.test(error.message)) throw inUse(dataDir)
    throw error
  }
  try {
    await client.command({ query: `CREATE DATABASE IF NOT EXISTS ${config.database}` })
    // The embedded engine is one session: USE sets the database for every later query of this process.
    await client.command({ query: `USE ${config.database}` })
  } catch (error) {
    await client.close().catch(() => undefined)
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
