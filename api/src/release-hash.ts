// What a release's figures rest on: per period, the rows of its scope ingested by the cut-off and a content hash.
import type { Store } from '@qyzmet/sql'
import type { Filters } from './contract/index.ts'
import { dimensionConditions, periodOf } from './metrics/sql.ts'
import type { Metric } from './metrics/types.ts'
import type { Reference } from './reference.ts'

/** Every stored column a figure can read, nulls made explicit so that the hash never skips a row. */
const hashed = `cityHash64(event_id, occurred_at, service_code, channel, toString(assisted_by), region, district,
  office_id, toString(status), ifNull(processing_seconds, 4294967295), toString(age_band), toString(gender),
  applicant_key, ifNull(satisfaction, 255))`

export interface RowsHash {
  rows: number
  /** The sum of the rows' 64-bit hashes (modulo 2⁶⁴) in hex: the same rows give it whatever their order. */
  hash: string
}

/**
 * Per period of the series, the rows of the scope ingested at or before the cut-off and their content hash. The
 * register (catalogue coverage) is not versioned: its figures' rows are the events of the scope all the same.
 */
export async function rowsHashes(
  store: Store,
  _metric: Metric,
  filters: Filters,
  cutoff: string,
  reference: Reference,
): Promise<Map<string, RowsHash>> {
  const params: Record<string, unknown> = { from: filters.from, to: filters.to, as_of: cutoff }
  const conditions = dimensionConditions(filters, reference, params)
  const rows = await store.rows<{ period: string; rows: string; hash: string }>(
    'publish:hash',
    `SELECT toString(${periodOf(filters.interval, 'occurred_on')}) AS period, toString(count()) AS rows,
            lower(hex(sum(${hashed}))) AS hash
     FROM events
     WHERE occurred_on BETWEEN {from:Date} AND {to:Date}
       AND ingested_at <= parseDateTime64BestEffort({as_of:String}, 3, 'UTC')
       ${conditions.map((condition) => `AND ${condition}`).join(' ')}
     GROUP BY period ORDER BY period`,
    params,
  )
  return new Map(rows.map((row) => [row.period, { rows: Number(row.rows), hash: row.hash }]))
}
