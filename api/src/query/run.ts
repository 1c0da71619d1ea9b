// Runs a plan: rows as JSON for the API's own answers, or the engine's CSV, Arrow or Parquet streamed as they come.
import type { Readable } from 'node:stream'
import type { Store } from '@qyzmet/sql'
import type { TabularFormat } from '../contract/index.ts'
import type { Plan } from '../metrics/index.ts'

/** How each answer format is asked of the engine and sent. */
export const formatSpecs: Record<TabularFormat, { engine: string; type: string; extension: string }> = {
  json: { engine: 'JSONEachRow', type: 'application/json; charset=utf-8', extension: 'json' },
  csv: { engine: 'CSVWithNames', type: 'text/csv; charset=utf-8', extension: 'csv' },
  arrow: { engine: 'ArrowStream', type: 'application/vnd.apache.arrow.stream', extension: 'arrow' },
  parquet: { engine: 'Parquet', type: 'application/vnd.apache.parquet', extension: 'parquet' },
}

export interface Row {
  [column: string]: string | number | boolean | null
}

const numeric = new Set(['value', 'numerator', 'denominator', 'ci_low', 'ci_high', 'transactions'])

/** How long one API query may run: past it the engine stops it (TIMEOUT_EXCEEDED) and the API answers 503 with Retry-After. */
const limits = (store: Store, seconds?: number) => ({
  max_execution_time: seconds ?? store.config.queryTimeout,
  timeout_overflow_mode: 'throw' as const,
})

/** The engine's error when a JSON answer would pass QYZMET_MAX_JSON_ROWS (TOO_MANY_ROWS_OR_BYTES). */
export const tooManyRowsCode = '396'

/** JSON rows with numbers as numbers (the engine quotes 64-bit integers); at most QYZMET_MAX_JSON_ROWS of them. */
export async function runRows(store: Store, plan: Plan, name: string, timeoutSeconds?: number): Promise<Row[]> {
  const rows = await store.rows<Row>(name, plan.sql, plan.params, {
    ...limits(store, timeoutSeconds),
    max_result_rows: String(store.config.maxJsonRows),
    result_overflow_mode: 'throw',
  })
  for (const row of rows) {
    for (const key of Object.keys(row)) {
      const value = row[key]
      if (numeric.has(key) && typeof value === 'string') row[key] = Number(value)
      else if (key === 'suppressed' || key === 'provisional') row[key] = Boolean(value)
      if (typeof value === 'number' && !Number.isFinite(value)) row[key] = null
    }
  }
  return rows
}

/** The engine's own serialisation, streamed: nothing is parsed or rebuilt in JavaScript. */
export async function runStream(store: Store, plan: Plan, format: Exclude<TabularFormat, 'json'>): Promise<Readable> {
  // Within QYZMET_QUERY_TIMEOUT like every read: the store sets max_execution_time and ends a stream past it.
  return store.stream(`api:${format}`, plan.sql, plan.params, formatSpecs[format].engine, {
    // HTTP compression (brotli or gzip, by Accept-Encoding) packs Arrow answers for every client; Arrow's own
    // zstd would need a codec in JavaScript readers. Codes of low cardinality travel as dictionaries.
    output_format_arrow_compression_method: 'none',
    output_format_arrow_low_cardinality_as_dictionary: 1,
    output_format_arrow_string_as_string: 1,
    // A missing value is an empty cell, as spreadsheets and statistics packages read it (not ClickHouse's \N).
    format_csv_null_representation: '',
    output_format_parquet_compression_method: 'zstd',
  })
}
