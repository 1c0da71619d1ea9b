// The one way to reach ClickHouse: an @clickhouse/client over the embedded engine or a server, with named, retried queries.
import {
  type ClickHouseClient,
  ClickHouseError,
  ClickHouseLogLevel,
  type ClickHouseSettings,
  createClient,
} from '@clickhouse/client'
import { drainPending } from 'chdb'
import { createChdbConnection } from 'chdb/connection'
import { type Config, ConfigError } from './config.ts'
import { httpSettings, withSettings } from './scoped-settings.ts'

export type Params = Record<string, unknown>

export interface CommandOptions {
  settings?: ClickHouseSettings
  /** False for statements that must not run twice, such as an INSERT … SELECT without a deduplication token. */
  retry?: boolean
}

export interface Store {
  readonly client: ClickHouseClient
  readonly config: Config
  /** Runs a named SELECT and returns its rows as objects. */
  rows<T>(name: string, query: string, params?: Params, settings?: ClickHouseSettings): Promise<T[]>
  /** Runs a named statement that returns no rows (DDL, INSERT … SELECT); retried on transient errors unless told not to. */
  command(name: string, query: string, params?: Params, options?: CommandOptions): Promise<void>
  close(): Promise<void>
}

/** ClickHouse error codes worth a second try: the server was busy, not wrong. */
const transientCodes = new Set(['202', '209', '210', '252', '242', '999', '425'])
const networkCodes = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'UND_ERR_SOCKET'])

/** ClickHouse's error code, from the client's error or chdb's (another copy of the same class, so not `instanceof`). */
export function engineCode(error: unknown): string | null {
  if (error instanceof ClickHouseError) return String(error.code)
  const candidate = error as { code?: unknown; type?: unknown } | null
  return typeof candidate?.type === 'string' && /^\d+$/.test(String(candidate.code)) ? String(candidate.code) : null
}

export function isTransient(error: unknown): boolean {
  const code = engineCode(error)
  if (code !== null) return transientCodes.has(code)
  const network = (error as { code?: string } | null)?.code
  if (network && networkCodes.has(network)) return true
  return error instanceof Error && /socket hang up|ECONNRESET|Timeout error/i.test(error.message)
}

export async function withRetry<T>(run: () => Promise<T>, attempts = 4, firstDelayMs = 200): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run()
    } catch (error) {
      if (attempt >= attempts || !isTransient(error)) throw error
      const delay = firstDelayMs * 2 ** (attempt - 1) * (0.75 + Math.random() / 2)
      await new Promise((done) => setTimeout(done, delay))
    }
  }
}

let queryCounter = 0
const queryId = (name: string) => `qyzmet:${name}:${process.pid}:${++queryCounter}`

function wrap(client: ClickHouseClient, config: Config, onClose: () => Promise<void>): Store {
  return {
    client,
    config,
    rows: <T>(name: string, query: string, params?: Params, settings?: ClickHouseSettings) =>
      withRetry(async () => {
        const result = await client.query({
          query,
          query_params: params,
          format: 'JSONEachRow',
          query_id: queryId(name),
          clickhouse_settings: settings,
        })
        return result.json<T>()
      }),
    command: (name, query, params, options = {}) =>
      withRetry(
        async () => {
          await client.command({
            query,
            query_params: params,
            query_id: queryId(name),
            clickhouse_settings: options.settings,
          })
        },
        options.retry === false ? 1 : undefined,
      ),
    close: onClose,
  }
}

type ClientConnection = NonNullable<NonNullable<Parameters<typeof createClient>[0]>['connection']>

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
      return (params: { query: string; clickhouse_settings?: ClickHouseSettings }) =>
        value.call(target, rewrite(params))
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

async function openEmbedded(config: Config, dataDir: string): Promise<Store> {
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
  return wrap(client, config, async () => {
    await client.close()
    await drainPending()
  })
}

async function openServer(config: Config, url: string, username: string, password: string): Promise<Store> {
  // Quiet: an unreachable server is reported once, as a ConfigError, not also by the client's logger.
  const bootstrap = createClient({
    url,
    username,
    password,
    request_timeout: 10_000,
    log: { level: ClickHouseLogLevel.OFF },
  })
  try {
    const ping = await bootstrap.ping()
    if (!ping.success) {
      const reason = ping.error instanceof Error ? ping.error.message : 'no answer'
      throw new ConfigError(
        'CLICKHOUSE_URL',
        `could not reach ClickHouse at ${url} (${reason})`,
        'Start the server, check the address and port, or unset CLICKHOUSE_URL to use the embedded engine.',
      )
    }
    const onCluster = config.cluster ? ` ON CLUSTER ${config.cluster}` : ''
    const refused = (error: unknown) => {
      if (error instanceof ClickHouseError && /Authentication|password/i.test(error.message)) {
        throw new ConfigError(
          'CLICKHOUSE_USER',
          `ClickHouse at ${url} refused user "${username}"`,
          'Check CLICKHOUSE_USER and CLICKHOUSE_PASSWORD.',
        )
      }
      throw error
    }
    // Only create what is missing: the API's and ingest's users may read and insert but not create databases.
    const existing = await bootstrap
      .query({
        query: 'SELECT count() AS n FROM system.databases WHERE name = {name:String}',
        query_params: { name: config.database },
        format: 'JSONEachRow',
      })
      .then((result) => result.json<{ n: string }>())
      .catch(refused)
    if (Number(existing[0]?.n ?? 0) === 0) {
      await bootstrap.command({ query: `CREATE DATABASE IF NOT EXISTS ${config.database}${onCluster}` }).catch(refused)
    }
  } finally {
    await bootstrap.close()
  }
  const client = createClient({ url, username, password, database: config.database, request_timeout: 300_000 })
  return wrap(client, config, () => client.close())
}

/** Opens the store the configuration names; fails with a ConfigError that says what to fix. */
export function openStore(config: Config): Promise<Store> {
  const engine = config.engine
  return engine.kind === 'embedded'
    ? openEmbedded(config, engine.dataDir)
    : openServer(config, engine.url, engine.user, engine.password)
}
