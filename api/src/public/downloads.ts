// Downloads of published values: CSV or Parquet of one version (series or a breakdown), streamed by the engine,
// with column names in the page's language and the release number in every row and in the file name.
import { PassThrough, type Readable } from 'node:stream'
import type { Store } from '@qyzmet/sql'
import type { Interval, Lang, PublishedBreakdown } from '../contract/index.ts'
import { NotFound } from '../query/errors.ts'
import type { Reference } from '../reference.ts'
import { sayer } from './messages.ts'
import { namer } from './pages/blocks.ts'
import type { Publication } from './published.ts'

/** The last day of a period in SQL, by interval: the same rule as periodEnd() in published.ts. */
const periodEndSql: Record<Interval, string> = {
  day: 'period',
  week: 'period + 6',
  month: 'toLastDayOfMonth(period)',
  quarter: 'toLastDayOfMonth(addMonths(period, 2))',
  year: 'toLastDayOfMonth(addMonths(period, 11))',
}

/** A column name for SQL: our own translated words only, quoted; a quote or backslash in them would be a bug. */
function column(name: string): string {
  if (/[`\\]/.test(name)) throw new Error(`column name ${name} cannot be quoted`)
  return `\`${name}\``
}

export interface Download {
  sql: string
  params: Record<string, unknown>
  fileName: string
}

export function planDownload(
  publication: Publication,
  options: { version?: number; lang: Lang; part: 'series' | PublishedBreakdown; format: 'csv' | 'parquet' },
  reference: Reference,
): Download {
  const { definition } = publication
  const version = publication.versions.find((entry) => entry.version === (options.version ?? publication.version))
  if (!version) throw new NotFound(`indicator ${definition.id} has no version ${options.version}`)
  const breakdown = options.part === 'series' ? null : options.part
  if (breakdown && !definition.breakdowns?.includes(breakdown)) {
    throw new NotFound(`indicator ${definition.id} publishes no breakdown by ${breakdown}`)
  }
  const say = sayer(options.lang)
  const hidden = (expression: string, name: string) => `if(suppressed = 1, NULL, ${expression}) AS ${column(name)}`
  const nameOf = breakdown ? namer(reference, options.lang, breakdown) : null
  const codes = breakdown
    ? [
        ...new Set([
          ...reference.regionCodes,
          ...reference.channelCodes,
          '<18',
          '18-29',
          '30-49',
          '50-64',
          '65+',
          'unknown',
        ]),
      ]
    : []
  const sql = `SELECT {indicator:String} AS ${column(say('indicatorColumn'))},
       {release:UInt32} AS ${column(say('releaseColumn'))},
       {version:UInt32} AS ${column(say('versionColumn'))},
       toString(period) AS ${column(say('periodColumn'))},
       ${breakdown ? `code AS ${column(say('codeColumn'))}, transform(code, {codes:Array(String)}, {names:Array(String)}, code) AS ${column(say('nameColumn'))},` : ''}
       ${hidden('value', say('value'))},
       ${hidden('ci_low', say('low'))},
       ${hidden('ci_high', say('high'))},
       ${hidden('transactions', say('transactions'))},
       toBool(${periodEndSql[version.interval]} > {cutoff:Date}) AS ${column(say('provisionalColumn'))},
       toBool(suppressed = 1) AS ${column(say('suppressedColumn'))}
FROM ${breakdown ? 'indicator_breakdowns' : 'indicator_values'} FINAL
WHERE indicator_id = {indicator:String} AND version = {version:UInt32} ${breakdown ? 'AND dimension = {dimension:String}' : ''}
ORDER BY period${breakdown ? ', code' : ''}`
  return {
    sql,
    params: {
      indicator: definition.id,
      release: version.release,
      version: version.version,
      cutoff: version.cutoff,
      ...(breakdown ? { dimension: breakdown, codes, names: codes.map((code) => nameOf?.(code) ?? code) } : {}),
    },
    fileName: `${definition.id}-release-${version.release}-v${version.version}${breakdown ? `-${breakdown}` : ''}-${options.lang}.${options.format}`,
  }
}

/** The engine's CSV (empty cells for no value, a byte-order mark so that spreadsheets read UTF-8) or Parquet. */
export async function streamDownload(store: Store, download: Download, format: 'csv' | 'parquet'): Promise<Readable> {
  // Within QYZMET_QUERY_TIMEOUT like every read (the store sets the engine's limit and ends the stream past it).
  const stream = await store.stream(
    'public:download',
    download.sql,
    download.params,
    format === 'csv' ? 'CSVWithNames' : 'Parquet',
    {
      format_csv_null_representation: '',
      output_format_parquet_compression_method: 'zstd',
    },
  )
  if (format === 'parquet') return stream
  const out = new PassThrough()
  out.write('\uFEFF')
  stream.pipe(out)
  stream.on('error', (error: Error) => out.destroy(error))
  return out
}
