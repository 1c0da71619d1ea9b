// A ClickHouse server over HTTP: a bounded start-up check, long parameters in the request body, errors found mid-stream.
import { randomUUID } from 'node:crypto'
import { Readable, Transform } from 'node:stream'
import {
  type ClickHouseClient,
  ClickHouseError,
  ClickHouseLogLevel,
  createClient,
  EXCEPTION_TAG_HEADER_NAME,
  extractErrorAtTheEndOfChunk,
  parseError,
} from '@clickhouse/client'
import {
  buildMultipartBody,
  formatQueryParams,
  formatQuerySettings,
  serializeQueryParamsForUrl,
} from '@clickhouse/client-common'
import { type Config, ConfigError } from './config.ts'
import type { Engine, EngineCall } from './store.ts'

/** How long start-up waits for the server to answer each of its checks. */
export const connectTimeoutMs = 10_000

export interface ServerTarget {
  url: string
  username: string
  password: string
}

function unreachable(problem: string): ConfigError {
  return new ConfigError(
    'CLICKHOUSE_URL',
    problem,
    'Start the server, check the address and port, or unset CLICKHOUSE_URL to use the embedded engine.',
  )
}

/** Runs a start-up step within connectTimeoutMs; a server that accepts connections but never answers fails here. */
async function startupStep<T>(url: string, what: string, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(), connectTimeoutMs)
  const late = () => unreachable(`ClickHouse at ${url} did not answer ${what} within ${connectTimeoutMs / 1000} s`)
  try {
    const result = await run(controller.signal)
    // A ping reports its failure as a value, not an exception.
    if (controller.signal.aborted) throw late()
    return result
  } catch (error) {
    if (controller.signal.aborted) throw late()
    if (error instanceof ClickHouseError || error instanceof ConfigError) throw error
    throw unreachable(`could not reach ClickHouse at ${url} (${error instanceof Error ? error.message : error})`)
  } finally {
    clearTimeout(timer)
  }
}

/** Checks the server answers and the database exists (creating it when missing and allowed), within a bounded time. */
async function bootstrap(config: Config, target: ServerTarget): Promise<void> {
  const { url, username } = target
  // Quiet: an unreachable server is reported once, as a ConfigError, not also by the client's logger.
  // The socket timeout comes after the step's own deadline, which then names what did not answer.
  const request_timeout = connectTimeoutMs + 1_000
  const client = createClient({ ...target, request_timeout, log: { level: ClickHouseLogLevel.OFF } })
  try {
    const ping = await startupStep(url, 'a ping', (abort_signal) => client.ping({ select: false, abort_signal }))
    if (!ping.success) {
      const reason = ping.error instanceof Error ? ping.error.message : 'no answer'
      throw unreachable(`could not reach ClickHouse at ${url} (${reason})`)
    }
    const refused = (error: unknown): never => {
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
    const existing = await startupStep(url, 'a query', async (abort_signal) => {
      const result = await client.query({
        query: 'SELECT count() AS n FROM system.databases WHERE name = {name:String}',
        query_params: { name: config.database },
        format: 'JSONEachRow',
        abort_signal,
      })
      return result.json<{ n: string }>()
    }).catch(refused)
    if (Number(existing[0]?.n ?? 0) === 0) {
      const onCluster = config.cluster && config.clusterDdl === 'on-cluster' ? ` ON CLUSTER ${config.cluster}` : ''
      await startupStep(url, 'CREATE DATABASE', (abort_signal) =>
        client.command({ query: `CREATE DATABASE IF NOT EXISTS ${config.database}${onCluster}`, abort_signal }),
      ).catch(refused)
    }
  } finally {
    await client.close()
  }
}

/** Bytes kept back at the end of a streamed answer, where the server writes an error that happened midway. */
const tailBytes = 64 * 1024

/** Passes the stream on, but ends it with the server's error when the server appended one after a 200 had begun. */
function watchForException(source: Readable, tag: string): Readable {
  let tail = Buffer.alloc(0)
  const ending = Buffer.from(` ${tag}\r\n__exception__\r\n`)
  const watcher = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      tail = Buffer.concat([tail, chunk])
      if (tail.length > tailBytes * 2) {
        this.push(tail.subarray(0, tail.length - tailBytes))
        tail = Buffer.from(tail.subarray(tail.length - tailBytes))
      }
      done()
    },
    flush(done) {
      if (endsInException()) return done(extractErrorAtTheEndOfChunk(tail, tag))
      done(null, tail)
    },
  })
  const endsInException = () =>
    tail.length >= ending.length && tail.subarray(tail.length - ending.length).equals(ending)
  // The server resets the connection right after writing its error: the error, not the reset, is what happened.
  source.on('error', (error) => watcher.destroy(endsInException() ? extractErrorAtTheEndOfChunk(tail, tag) : error))
  return source.pipe(watcher)
}

function watchStream(stream: Readable, headers: Record<string, unknown>): Readable {
  const tag = headers[EXCEPTION_TAG_HEADER_NAME]
  return typeof tag === 'string' && tag !== '' ? watchForException(stream, tag) : stream
}

/** Longest parameter sent as a form field: the server's http_max_field_value_size is 128 KiB by default. */
const fieldBytes = 100_000

const basic = (target: ServerTarget) =>
  `Basic ${Buffer.from(`${target.username}:${target.password}`).toString('base64')}`

async function post(url: URL, init: RequestInit): Promise<Response> {
  let response: Response
  try {
    response = await fetch(url, { ...init, method: 'POST' })
  } catch (error) {
    // fetch reports a refused or reset connection as "fetch failed" with the socket's error as its cause.
    throw (error as { cause?: unknown }).cause ?? error
  }
  if (!response.ok) throw parseError(await response.text())
  return response
}

/**
 * Sends a statement whose parameters would make the URL too long (some proxies refuse 8 KiB, the server 1 MiB) in
 * the request body, as a multipart form (the client does so only for SELECTs, and would leave the rows, commands
 * and streams of the store on two paths). A parameter too long even for a form field is set first in an HTTP session of
 * its own (`SET param_x = …`, also in a body), which the statement then runs in: behind a load balancer such
 * requests need a sticky one. Returns null when the parameters fit in the URL.
 */
async function longRequest(target: ServerTarget, database: string, call: EngineCall): Promise<Readable | null> {
  if (!call.params || serializeQueryParamsForUrl(call.params) !== null) return null
  const url = new URL(target.url)
  url.searchParams.set('database', database)
  const headers = { authorization: basic(target) }
  const form: Record<string, string> = { query: call.query }
  const session: [string, string][] = []
  for (const [key, value] of Object.entries(call.params)) {
    const text = formatQueryParams({ value })
    if (text.length <= fieldBytes) form[`param_${key}`] = text
    else session.push([key, text])
  }
  if (session.length > 0) {
    url.searchParams.set('session_id', `qyzmet-${randomUUID()}`)
    url.searchParams.set('session_timeout', '60')
    for (const [key, text] of session) {
      if (!/^\w+$/.test(key)) throw new Error(`invalid parameter name ${JSON.stringify(key)}`)
      const statement = `SET param_${key} = '${text.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`
      const setting = new URL(url)
      setting.searchParams.set('max_query_size', String(statement.length + 1024))
      await (await post(setting, { body: statement, headers, signal: call.signal })).arrayBuffer()
    }
  }
  url.searchParams.set('query_id', call.queryId)
  for (const [key, value] of Object.entries(call.settings)) {
    if (value !== undefined) url.searchParams.set(key, formatQuerySettings(value as string | number | boolean))
  }
  const boundary = `----qyzmet-${randomUUID()}`
  const response = await post(url, {
    body: buildMultipartBody(form, boundary),
    headers: { ...headers, 'content-type': `multipart/form-data; boundary=${boundary}` },
    signal: call.signal,
  })
  if (!response.body) return Readable.from([])
  const body = Readable.fromWeb(response.body as import('node:stream/web').ReadableStream)
  return watchStream(body, { [EXCEPTION_TAG_HEADER_NAME]: response.headers.get(EXCEPTION_TAG_HEADER_NAME) ?? '' })
}

export async function openServer(config: Config, target: ServerTarget): Promise<Engine> {
  await bootstrap(config, target)
  // The store gives each call its own deadline (an abort signal), so the socket timeout is only a backstop and
  // must outlast the longest call. Progress headers would keep proxies from closing idle sockets, but a command's
  // error raised after they began would arrive inside a 200 answer, which the client does not read for commands:
  // proxies in front of ClickHouse must allow idle requests as long as QYZMET_WRITE_TIMEOUT. The client's logger
  // is off because every failure reaches the caller, which reports it once.
  const client: ClickHouseClient = createClient({
    ...target,
    database: config.database,
    request_timeout: (Math.max(config.queryTimeout, config.writeTimeout) + 10) * 1000,
    // Through a Distributed table an insert returns once every shard has its rows, so what was written can be
    // counted at once (ingest's counts, the lease's claims), as on a single node.
    clickhouse_settings: config.cluster ? { distributed_foreground_insert: 1 } : {},
    log: { level: ClickHouseLogLevel.OFF },
  })
  return {
    client,
    checkStorage: () => undefined,
    // The server reads input() from the request body itself.
    input: async () => false,
    long: (call) => longRequest(target, config.database, call),
    watchStream,
    close: () => client.close(),
  }
}
