// Ingest over HTTP: POST /ingest/events streams a file to a spool, then ingest's loadFile loads it exactly once;
// GET /ingest/batches and /ingest/quality show the ledger and data quality.
import { randomUUID } from 'node:crypto'
import { createWriteStream, mkdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { type Format, LoadQueue, loadFile, type Mapping, MappingError, parseMapping } from '@qyzmet/ingest'
import { dataQuality, recentBatches } from '@qyzmet/ingest/status'
import type { FastifyReply, FastifyRequest } from 'fastify'
import {
  BatchesQuery,
  BatchList,
  type ErrorBody,
  errorResponses,
  ingestFormats,
  LoadSummary,
  PushQuery,
  PushRefused,
  Quality,
} from '../contract/index.ts'
import { BadRequest } from '../query/errors.ts'
import { requireRole } from '../query/guard.ts'

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

/** Content types that name a format; anything else needs `format=` (or a file name that says it). */
const contentFormats = new Map<string, Format>([
  ['text/csv', 'csv'],
  ['text/tab-separated-values', 'tsv'],
  ['application/x-ndjson', 'ndjson'],
  ['application/jsonl', 'ndjson'],
  ['application/vnd.apache.parquet', 'parquet'],
])
/** Content types that say nothing about the format: the name or `format=` decides. */
const neutralTypes = new Set(['', 'application/octet-stream', 'application/gzip', 'application/x-gzip'])

class Refused extends Error {
  constructor(
    readonly status: 413 | 415,
    readonly body: ErrorBody,
  ) {
    super(body.message)
  }
}

function mappingFrom(header: string | string[] | undefined): Mapping | undefined {
  if (typeof header !== 'string' || header === '') return undefined
  try {
    return parseMapping(JSON.parse(Buffer.from(header, 'base64url').toString('utf8')), 'x-ingest-mapping')
  } catch (error) {
    const reason = error instanceof MappingError ? error.message : 'not base64url-encoded JSON'
    throw new BadRequest('x-ingest-mapping', reason)
  }
}

/** The format from `format=`, else the content type; a content type that names no format we load is a 415. */
function formatOf(request: FastifyRequest, asked: Format | undefined): Format | undefined {
  if (asked) return asked
  const type = String(request.headers['content-type'] ?? '')
    .split(';')[0]
    ?.trim()
    .toLowerCase()
  if (type === undefined || neutralTypes.has(type)) return undefined
  const format = contentFormats.get(type)
  if (format) return format
  throw new Refused(415, {
    error: 'unsupported_media_type',
    parameter: 'content-type',
    message: `content-type: ${JSON.stringify(type.slice(0, 80))} is not a format Qyzmet loads; send ${[...contentFormats.keys()].join(', ')} or application/octet-stream with format=${ingestFormats.join('|')}`,
  })
}

/** Copies the body to disk, refusing it at the limit: the engine then reads a whole, hashed file. */
async function spool(body: Readable, path: string, limit: number): Promise<number> {
  let bytes = 0
  await pipeline(
    body,
    async function* (chunks: AsyncIterable<Buffer>) {
      for await (const chunk of chunks) {
        bytes += chunk.length
        if (bytes > limit) {
          throw new Refused(413, { error: 'too_large', message: `body: larger than ${limit} bytes; split the file` })
        }
        yield chunk
      }
    },
    createWriteStream(path, { flags: 'wx' }),
  )
  return bytes
}

export const ingestRoutes: FastifyPluginAsyncTypebox<IngestRouteOptions> = async (app, options) => {
  const bodyLimit = options.bodyLimit ?? 2 * 1024 ** 3
  const queue = new LoadQueue(options.queueCapacity ?? 4)
  const spoolDir = options.spoolDir ?? join(tmpdir(), 'qyzmet-ingest-spool')
  mkdirSync(spoolDir, { recursive: true })
  const retryAfter = String(options.retryAfter ?? 5)
  const busy = (reply: FastifyReply, body: ErrorBody) => reply.header('retry-after', retryAfter).code(503).send(body)

  // Every body, JSON included, reaches the handler as the raw stream; the handler streams it to disk.
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', { bodyLimit }, (_request, payload, done) => done(null, payload))
  app.addHook('onClose', () => queue.close())

  app.post(
    '/ingest/events',
    {
      schema: {
        tags: ['ingest'],
        summary: 'Load a file of events (CSV, TSV, NDJSON or Parquet, optionally gzip) exactly once',
        querystring: PushQuery,
        response: {
          200: LoadSummary,
          422: PushRefused,
          ...errorResponses(400, 401, 403, 413, 415, 503),
        },
      },
      // Roles before the body is read: an anonymous or wrong client is refused whatever it sends.
      onRequest: async (request) => requireRole(request, ['ingest', 'analyst'], 'load data'),
    },
    async (request, reply) => {
      if (queue.closed)
        return busy(reply, { error: 'unavailable', message: 'the server is shutting down; retry shortly' })
      if (queue.full)
        return busy(reply, { error: 'busy', message: 'the ingest queue is full; retry after Retry-After seconds' })
      let format: Format | undefined
      try {
        format = formatOf(request, request.query.format)
      } catch (error) {
        if (error instanceof Refused) return reply.code(error.status).send(error.body)
        throw error
      }
      const mapping = mappingFrom(request.headers['x-ingest-mapping'])
      if (!(request.body instanceof Readable)) throw new BadRequest('body', 'the request has no body')
      const name = request.query.name ?? `push.${format ?? 'bin'}`
      // The spool's name is ours alone: nothing from the request reaches the file system.
      const path = join(spoolDir, `${randomUUID()}.spool`)
      try {
        await spool(request.body, path, bodyLimit)
        const summary = await queue.run(() =>
          loadFile(app.store, path, {
            format,
            mapping,
            name,
            source: request.query.source ?? 'http-push',
            signal: queue.signal,
          }),
        )
        if (summary.state === 'failed') {
          return reply.code(422).send({ error: 'unreadable_file', message: summary.error ?? 'unreadable', summary })
        }
        if (summary.state === 'interrupted') {
          return busy(reply, { error: 'unavailable', message: 'the server stopped mid-load; send the file again' })
        }
        return summary
      } catch (error) {
        if (error instanceof Refused) return reply.code(error.status).send(error.body)
        throw error
      } finally {
        rmSync(path, { force: true })
      }
    },
  )

  app.get(
    '/ingest/batches',
    {
      schema: {
        tags: ['ingest'],
        summary: 'Recent batches of the ledger, newest first',
        querystring: BatchesQuery,
        response: { 200: BatchList, ...errorResponses(400, 401, 403, 503) },
      },
    },
    async (request) => {
      requireRole(request, ['ingest', 'analyst'], 'read the ingest ledger')
      return { batches: await recentBatches(app.store, request.query.limit ?? 100, request.query.state) }
    },
  )

  app.get(
    '/ingest/quality',
    {
      schema: {
        tags: ['ingest'],
        summary: 'Freshness per source, region and channel, and quarantined rows by reason',
        response: { 200: Quality, ...errorResponses(401, 403, 503) },
      },
    },
    async (request) => {
      requireRole(request, ['ingest', 'analyst'], 'read data quality')
      return dataQuality(app.store)
    },
  )
}
