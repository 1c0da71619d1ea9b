// How the engine reads a batch: file() on the embedded engine, input() with the body streamed to a server.
import type { ClickHouseSettings } from '@clickhouse/client'
import { type EventField, eventFields } from './fields.ts'
import type { Mapping } from './mapping.ts'

/** Text the engine will never find in a field: with it as the NULL spelling, NULL means "no such field in the row". */
const absent = '\0'

/** The reader side of the stage query: the columns it yields and the SQL expression of each field. */
export interface RowSource {
  /** Structure of the rows as the engine reads them (generated names only, never text from the file). */
  structure: string
  format: string
  /** Per-row expressions the fields are read from (NDJSON's parsed line), computed first. */
  prelude: string[]
  /** Expression of a field's trimmed source text ('' when absent), by field. */
  fields: Partial<Record<EventField, string>>
  rowNumber: string
  /** Expressions true when the row itself is malformed (reason codes as keys). */
  rowProblems: Record<string, string>
  raw: string
  /** Rows to leave out entirely (blank NDJSON lines). */
  where: string
  settings: ClickHouseSettings
  params: Record<string, unknown>
}

/** Backquotes a column name; only names matched to the mapping or to event fields get here. */
export const quoteIdentifier = (name: string) => `\`${name.replaceAll('\\', '\\\\').replaceAll('`', '\\`')}\``

const cell = (column: string) => `if(${column} = '\\\\N', '', trimBoth(ifNull(${column}, '')))`

/** CSV and TSV are read by position (c1…cK after the header, x1 for a field beyond it). */
export function delimitedSource(
  format: 'csv' | 'tsv',
  header: string[],
  fields: Partial<Record<EventField, number>>,
  crlf: boolean,
): RowSource {
  const columns = header.map((_, index) => `c${index + 1}`)
  const structure = [...columns, 'x1'].map((column) => `${column} Nullable(String)`).join(', ')
  const last = columns[columns.length - 1] ?? 'c1'
  const prefix = format === 'csv' ? 'input_format_csv' : 'input_format_tsv'
  return {
    structure,
    format: format === 'csv' ? 'CSV' : 'TSV',
    prelude: [],
    fields: Object.fromEntries(Object.entries(fields).map(([field, index]) => [field, cell(`c${index + 1}`)])),
    rowNumber: '_row_number + 1',
    rowProblems: { missing_fields: `${last} IS NULL`, extra_fields: 'x1 IS NOT NULL' },
    raw: `toJSONString(mapFromArrays(arrayConcat({header:Array(String)}, if(x1 IS NULL, [], ['(extra)'])), arrayConcat([${columns.join(', ')}], if(x1 IS NULL, [], [x1]))))`,
    where: '1',
    settings: {
      [`${prefix}_skip_first_lines`]: '1',
      [`${prefix}_allow_variable_number_of_columns`]: 1,
      [`${prefix}_empty_as_default`]: 0,
      [`format_${format}_null_representation`]: absent,
      ...(format === 'tsv' && crlf ? { input_format_tsv_crlf_end_of_line: 1 } : {}),
    },
    params: { header },
  }
}

/** NDJSON is read line by line, so one broken line is one quarantined row, not a failed file. */
export function ndjsonSource(mapping: Mapping): RowSource {
  const keys = new Map<EventField, string[]>(eventFields.map((field) => [field, [field]]))
  for (const [column, field] of Object.entries(mapping.columns)) keys.get(field)?.push(column.trim().toLowerCase())
  const params: Record<string, unknown> = {}
  const prelude = [
    "trimBoth(replaceRegexpOne(line, '^\\xEF\\xBB\\xBF', '')) AS json",
    'JSONExtractKeysAndValuesRaw(json) AS kvs',
  ]
  const fields: Partial<Record<EventField, string>> = {}
  for (const [field, names] of keys) {
    params[`key_${field}`] = names
    prelude.push(`arrayFirst(kv -> has({key_${field}:Array(String)}, lower(kv.1)), kvs).2 AS kv_${field}`)
    // A JSON string is unescaped; numbers and booleans keep their text; null and absent keys are empty.
    fields[field] =
      `trimBoth(multiIf(startsWith(kv_${field}, '"'), JSONExtractString(kv_${field}), kv_${field} = 'null', '', kv_${field}))`
  }
  return {
    structure: 'line String',
    format: 'LineAsString',
    prelude,
    fields,
    rowNumber: '_row_number + 1',
    rowProblems: { invalid_json: "NOT (isValidJSON(json) AND startsWith(json, '{'))" },
    raw: 'json',
    where: "json != ''",
    settings: {},
    params,
  }
}

/** Parquet columns are read by name, as text, so one validation serves every format. */
export function parquetSource(columns: string[], fields: Partial<Record<EventField, number>>): RowSource {
  const used = Object.entries(fields) as [EventField, number][]
  const names = used.map(([, index]) => columns[index] ?? '')
  return {
    structure: names.map((name) => `${quoteIdentifier(name)} Nullable(String)`).join(', '),
    format: 'Parquet',
    prelude: [],
    fields: Object.fromEntries(used.map(([field, index]) => [field, cell(quoteIdentifier(columns[index] ?? ''))])),
    rowNumber: '_row_number + 1',
    rowProblems: {},
    raw: `toJSONString(mapFromArrays({header:Array(String)}, [${names.map(quoteIdentifier).join(', ')}]))`,
    where: '1',
    settings: { input_format_parquet_allow_missing_columns: 1 },
    params: { header: names },
  }
}
