// Sends a tabular answer in the format asked for: JSON by default, CSV, Arrow IPC stream or Parquet from the engine.
import { Readable } from 'node:stream'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { TabularFormat } from '../contract/index.ts'
import type { Plan } from '../metrics/index.ts'
import { formatSpecs, type Row, runJsonArray, runRows, runStream } from '../query/run.ts'

const byAccept: [string, TabularFormat][] = [
  ['text/csv', 'csv'],
  ['application/vnd.apache.arrow.stream', 'arrow'],
  ['application/vnd.apache.parquet', 'parquet'],
]

/** The format a request asks for: `format=` (checked by the schema), else its Accept header, else JSON. */
export function requestedFormat(request: FastifyRequest, asked: TabularFormat | undefined): TabularFormat {
  if (asked !== undefined) return asked
  const accept = request.headers.accept ?? ''
  return byAccept.find(([type]) => accept.includes(type))?.[1] ?? 'json'
}

const closing = Buffer.from('}')

/** JSON answers up to this size are sent whole (cached and revalidated, as the cache keeps up to 2 MiB). */
const wholeUpTo = 2 * 2 ** 20
/** Larger ones go out in slices of this size (views, not copies), so that compression and sockets take turns. */
const slice = 64 * 2 ** 10

function* slices(parts: readonly Buffer[]): Generator<Buffer> {
  for (const part of parts) for (let at = 0; at < part.length; at += slice) yield part.subarray(at, at + slice)
}

/** A file name for a download: only letters, digits, dots, dashes and underscores. */
const safeName = (name: string) => name.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 120)

/**
 * Answers with the plan's rows: as JSON, `meta` plus `rows`, the rows written by the engine into the envelope the
 * route's response schema writes (`shape`, which adjusts rows in JavaScript, takes the rows as objects instead);
 * otherwise the engine's own serialisation, streamed, as a download named `name`.
 */
export async function sendTable(
  request: FastifyRequest,
  reply: FastifyReply,
  plan: Plan,
  format: TabularFormat | undefined,
  meta: Record<string, unknown>,
  name: string,
  shape?: (rows: Row[]) => unknown[],
): Promise<FastifyReply> {
  const chosen = requestedFormat(request, format)
  reply.header('x-qyzmet-source', plan.source)
  if (chosen === 'json') {
    // The envelope as the schema writes it, rows last: the engine's array of rows goes where `[]` stands.
    const envelope = String(reply.serialize({ ...meta, rows: [] }))
    if (shape || !envelope.endsWith('"rows":[]}'))
      return reply.send({ ...meta, rows: (shape ?? ((rows) => rows))(await runRows(request.server.store, plan, name)) })
    const parts = [
      Buffer.from(envelope.slice(0, -3)),
      ...(await runJsonArray(request.server.store, plan, name)),
      closing,
    ]
    const size = parts.reduce((sum, part) => sum + part.length, 0)
    reply.type(formatSpecs.json.type)
    return reply.send(size <= wholeUpTo ? Buffer.concat(parts, size) : Readable.from(slices(parts)))
  }
  const stream = await runStream(request.server.store, plan, chosen)
  return reply
    .type(formatSpecs[chosen].type)
    .header('content-disposition', `attachment; filename="${safeName(name)}.${formatSpecs[chosen].extension}"`)
    .send(stream)
}
