// Sends an answer computed after the engine: the JSON body, or its table as CSV (RFC 4180) for the download link.
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { ComputedFormat } from '../contract/index.ts'
import { BadRequest } from '../query/errors.ts'
import { requestedFormat } from '../routes/respond.ts'

export type Cell = string | number | boolean | null | undefined

/** One CSV field: quoted when it holds a comma, a quote or a line break; empty for no value. */
function field(value: Cell): string {
  if (value === null || value === undefined) return ''
  const text = typeof value === 'number' && !Number.isFinite(value) ? '' : String(value)
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

/** A CSV document: a header of `columns`, then one line per row, CRLF-terminated as RFC 4180 asks. */
export function toCsv(columns: readonly string[], rows: readonly Record<string, Cell>[]): string {
  const lines = [
    columns.map(field).join(','),
    ...rows.map((row) => columns.map((column) => field(row[column])).join(',')),
  ]
  return `${lines.join('\r\n')}\r\n`
}

/**
 * Answers `body` as JSON, or `table` as a CSV download named `name`. The format is `format=`, else the Accept
 * header; Arrow and Parquet stream from the engine elsewhere, and these answers are not the engine's rows.
 */
export function sendComputed(
  request: FastifyRequest,
  reply: FastifyReply,
  asked: ComputedFormat | undefined,
  body: object,
  table: { columns: readonly string[]; rows: readonly Record<string, Cell>[] },
  name: string,
): FastifyReply {
  const chosen = requestedFormat(request, asked)
  if (chosen === 'json') return reply.send(body)
  if (chosen !== 'csv')
    throw new BadRequest('format', 'this answer is computed from several queries: ask for json or csv')
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${name.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 120)}.csv"`)
    .send(toCsv(table.columns, table.rows))
}
