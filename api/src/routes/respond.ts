// Sends a tabular answer in the format asked for: JSON by default, CSV, Arrow IPC stream or Parquet from the engine.
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
    const rows = await runJsonArray(request.server.store, plan, name)
    return reply.type(formatSpecs.json.type).send(Buffer.concat([Buffer.from(envelope.slice(0, -3)), rows, closing]))
  }
  const stream = await runStream(request.server.store, plan, chosen)
  return reply
    .type(formatSpecs[chosen].type)
    .header('content-disposition', `attachment; filename="${safeName(name)}.${formatSpecs[chosen].extension}"`)
    .send(stream)
}
