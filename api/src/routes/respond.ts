// Sends a tabular answer in the format asked for: JSON by default, CSV, Arrow IPC stream or Parquet from the engine.
import type { FastifyReply, FastifyRequest } from 'fastify'
import { BadRequest } from '../query/filters.ts'
import type { Plan } from '../query/plan.ts'
import { runRows, runStream, type TabularFormat, tabularFormats } from '../query/run.ts'

const byAccept: [string, TabularFormat][] = [
  ['text/csv', 'csv'],
  ['application/vnd.apache.arrow.stream', 'arrow'],
  ['application/vnd.apache.parquet', 'parquet'],
]

export function requestedFormat(request: FastifyRequest): TabularFormat {
  const asked = (request.query as { format?: string }).format
  if (asked !== undefined) {
    if (!(asked in tabularFormats)) {
      throw new BadRequest('format', `unknown format "${asked}": one of ${Object.keys(tabularFormats).join(', ')}`)
    }
    return asked as TabularFormat
  }
  const accept = request.headers.accept ?? ''
  return byAccept.find(([type]) => accept.includes(type))?.[1] ?? 'json'
}

/** Answers with the plan's rows; `meta` describes them in JSON, `name` is the download's file name. */
export async function sendTable(
  request: FastifyRequest,
  reply: FastifyReply,
  plan: Plan,
  meta: Record<string, unknown>,
  name: string,
): Promise<unknown> {
  const format = requestedFormat(request)
  reply.header('x-qyzmet-source', plan.source)
  if (format === 'json') {
    const rows = await runRows(request.server.store, plan, name)
    return reply.type(tabularFormats.json.type).send({ ...meta, source: plan.source, rows })
  }
  const stream = await runStream(request.server.store, plan, format)
  return reply
    .type(tabularFormats[format].type)
    .header('content-disposition', `attachment; filename="${name}.${tabularFormats[format].extension}"`)
    .send(stream)
}
