// Test support: small valid events and writers that shape them into the awkward files real feeds send.
import { writeFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { sourceFields } from '@qyzmet/sql'

export type Row = Record<string, string>

/** The header of well-formed test files: every source field but `source`, which loads take from the feed. */
export const csvHeader: string[] = sourceFields.filter((field) => field !== 'source')

let counter = 0

/** A valid event (codes from sql/reference), with the fields a case needs changed. */
export function event(changes: Row = {}): Row {
  counter++
  return {
    event_id: `test-${process.pid}-${counter}`,
    occurred_at: '2024-03-05T10:15:00.123Z',
    service_code: 'S001',
    channel: 'portal',
    assisted_by: 'self',
    region: '75',
    district: '',
    office_id: '',
    status: 'completed',
    processing_seconds: '3600',
    age_band: '30-49',
    gender: 'f',
    applicant_key: `key-${counter}`,
    satisfaction: '5',
    ...changes,
  }
}

const quote = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value)

export interface CsvShape {
  header?: string[]
  bom?: boolean
  crlf?: boolean
  delimiter?: ',' | '\t'
}

/** Rows as CSV (or TSV) text; a row given as an array is written field by field, however many there are. */
export function csv(rows: (Row | string[])[], shape: CsvShape = {}): string {
  const header = shape.header ?? csvHeader
  const end = shape.crlf ? '\r\n' : '\n'
  const delimiter = shape.delimiter ?? ','
  const line = (fields: string[]) => fields.map((f) => (delimiter === ',' ? quote(f) : f)).join(delimiter)
  const body = rows.map((row) => line(Array.isArray(row) ? row : header.map((name) => row[name] ?? '')))
  return `${shape.bom ? '\uFEFF' : ''}${[line(header), ...body].join(end)}${end}`
}

export const ndjson = (rows: unknown[]) => `${rows.map((row) => JSON.stringify(row)).join('\n')}\n`

export function write(path: string, text: string | Buffer, gzip = false): string {
  writeFileSync(path, gzip ? gzipSync(text) : text)
  return path
}
