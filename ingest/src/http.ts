// HTTP push and status: POST /ingest/events (streamed body, size limit, backpressure) and GET batches and quality.
import { randomUUID } from 'node:crypto'
import { createWriteStream, mkdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { Principal } from '@qyzmet/api/principal'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { isFormat } from './formats.ts'
import { type LoadSummary, loadFile } from './load.ts'
import { type Mapping, MappingError, parseMapping } from './mapping.ts'
import { LoadQueue } from './queue.ts'
import { dataQuality, recentBatches } from './status.ts'

export interface IngestRouteOptions {
  /** Largest accepted body in bytes (default 2 GiB). */
  bodyLimit?: number
  /** Pushes waiting or running before new ones get 503 (default 4). */
  queueCapacity?: number
  /** Where bodies are spooled before the engine reads them (default: the system temp dir). */
  spoolDir?: string
  /** Seconds a refused client is told to wait. */
  retryAfter?: number
}

const sourcePattern = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/
const contentFormats: Record<string, string> = {
  'text/csv': 'csv',
  'text/tab-separated-values': 'tsv',
  'application/x-ndjson': 'ndjson',
  'application/jsonl': 'ndjson',
  'application/vnd.apache.parquet': 'parquet',
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

function allow(request: FastifyRequest, roles: Principal['role'][]): void {
  const role = request.principal?.role ?? 'public'
  if (role === 'public') throw new HttpError(401, 'unauthorized', 'send an API token with the ingest or analyst role')
  if (!roles.includes(role)) throw new HttpError(403, 'forbidden', `the ${role} role may not use ingest endpoints`)
}

function mappingFrom(header: string | string[] | undefined): Mapping | undefined {
  if (typeof header !== 'string' || header === '') return undefined
  try {
    return parseMapping(JSON.parse(Buffer.from(header, 'base64url').toString('utf8')), 'x-ingest-mapping')
  } catch (error) {
    const reason = error instanceof MappingError ? error.message : 'not base64url-encoded JSON'
    throw new HttpError(400, 'bad_mapping', `x-ingest-mapping: ${reason}`)
  }
}

/** Copies the body to disk, refusing it at the limit: the engine then reads a whole, hashed file. */
async function spool(body: Readable, path: string, limit: number): Promise<number> {
  let bytes = 0
  await pipeline(
    body,
    async function* (chunks: AsyncIterable<Buffer>) {
      for await (const chunk of chunks) {
        bytes += chunk.length
        if (bytes > limit) throw new HttpError(413, 'too_large', `the body is larger than ${limit} bytes; split it`)
        yield chunk
      }
    },
    createWriteStream(path),
  )
  return bytes
}

export async function ingestRoutes(app: FastifyInstance, options: IngestRouteOptions = {}): Promise<void> {
  const bodyLimit = options.bodyLimit ?? 2 * 1024 ** 3
  const queue = new LoadQueue(options.queueCapacity ?? 4)
  const spoolDir = options.spoolDir ?? join(tmpdir(), 'qyzmet-ingest-spool')
  mkdirSync(spoolDir, { recursive: true })
  const retryAfter = String(options.retryAfter ?? 5)

  // Bodies of any type reach the handler as the raw stream; the handler streams them to disk.
  app.addContentTypeParser('*', { bodyLimit }, (_request, payload, done) => done(null, payload))
  app.addHook('onClose', () => queue.close())
  app.setErrorHandler((error: Error & { statusCode?: number; validation?: unknown }, _request, reply) => {
    if (error instanceof HttpError) {
      if (error.status === 503) reply.header('retry-after', retryAfter)
      return reply.code(error.status).send({ error: error.code, message: error.message })
    }
    if (error.validation) return reply.code(400).send({ error: 'bad_request', message: error.message })
    if (error.statusCode === 413) return reply.code(413).send({ error: 'too_large', message: error.message })
    app.log.error(error)
    return reply.code(500).send({ error: 'internal', message: 'ingest failed; the server log has the details' })
  })

  app.post<{ Querystring: { source?: string; format?: string; name?: string } }>(
    '/ingest/events',
    {
      schema: {
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            source: { type: 'string', pattern: sourcePattern.source },
            format: { type: 'string', enum: ['csv', 'tsv', 'ndjson', 'parquet'] },
            name: { type: 'string', maxLength: 255 },
          },
        },
      },
    },
    async (request, reply: FastifyReply) => {
      allow(request, ['ingest', 'analyst'])
      if (queue.closed) throw new HttpError(503, 'shutting_down', 'the server is shutting down; retry shortly')
      if (queue.full) throw new HttpError(503, 'busy', 'the ingest queue is full; retry after the Retry-After seconds')
      const type =
        String(request.headers['content-type'] ?? '')
          .split(';')[0]
          ?.trim() ?? ''
      const guessed = request.query.format ?? contentFormats[type]
      const format = guessed && isFormat(guessed) ? guessed : undefined
      const mapping = mappingFrom(request.headers['x-ingest-mapping'])
      const name = request.query.name?.replace(/[/\\]/g, '_') ?? `push.${format ?? 'bin'}`
      if (!request.body) throw new HttpError(400, 'empty_body', 'the request has no body')
      const path = join(spoolDir, `${randomUUID()}-${name}`)
      try {
        await spool(request.body as Readable, path, bodyLimit)
        const summary: LoadSummary = await queue.run(() =>
          loadFile(app.store, path, {
            format,
            mapping,
            name,
            source: request.query.source ?? 'http-push',
            signal: queue.signal,
          }),
        )
        if (summary.state === 'failed') {
          return reply.code(422).send({ error: 'unreadable_file', message: summary.error, summary })
        }
        if (summary.state === 'interrupted') {
          reply.header('retry-after', retryAfter)
          return reply
            .code(503)
            .send({ error: 'interrupted', message: 'the server stopped mid-load; send it again', summary })
        }
        return summary
      } finally {
        rmSync(path, { force: true })
      }
    },
  )

  app.get<{ Querystring: { limit?: number; state?: string } }>(
    '/ingest/batches',
    {
      schema: {
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
            state: { type: 'string', enum: ['staging', 'publishing', 'done', 'failed'] },
          },
        },
      },
    },
    async (request) => {
      allow(request, ['ingest', 'analyst'])
      return { batches: await recentBatches(app.store, request.query.limit ?? 100, request.query.state) }
    },
  )

  app.get('/ingest/quality', async (request) => {
    allow(request, ['ingest', 'analyst'])
    return dataQuality(app.store)
  })
}
