// What the stored events stand for: a demo at a stated 1-in-N sample of the national volume, or real data.
import type { Store } from './store.ts'

export interface Dataset {
  kind: 'demo' | 'real'
  /** Events stored. */
  rows: number
  /** National transactions over the same days, which the rows stand for. */
  nationalTransactions: number
  /** rows ÷ nationalTransactions: multiply a population by it to compare it with counts of rows. */
  samplingFraction: number
  /** 1 ÷ samplingFraction: national transactions one row stands for (the N of "a 1:N sample"). */
  oneIn: number
  seed: number | null
  from: string
  until: string
  /** ISO timestamps (UTC). */
  asOf: string
  generatedAt: string
}

export type DatasetRecord = Omit<Dataset, 'samplingFraction' | 'oneIn' | 'generatedAt'>

/** Records what the events stand for; the newest record replaces earlier ones. */
export async function recordDataset(store: Store, record: DatasetRecord): Promise<void> {
  if (!(record.rows > 0 && record.nationalTransactions >= record.rows)) {
    throw new Error(
      `a dataset of ${record.rows} rows cannot stand for ${record.nationalTransactions} national transactions`,
    )
  }
  await store.command(
    'dataset:record',
    `INSERT INTO dataset (kind, rows, national_transactions, sampling_fraction, seed, data_from, data_until, as_of)
     VALUES ({kind:String}, {rows:UInt64}, {national:Float64}, {fraction:Float64}, {seed:Nullable(UInt64)},
             {from:Date}, {until:Date}, parseDateTime64BestEffort({as_of:String}, 3, 'UTC'))`,
    {
      kind: record.kind,
      rows: record.rows,
      national: record.nationalTransactions,
      fraction: record.rows / record.nationalTransactions,
      seed: record.seed,
      from: record.from,
      until: record.until,
      as_of: record.asOf,
    },
  )
}

interface DatasetRow {
  kind: 'demo' | 'real'
  rows: string
  national_transactions: number
  sampling_fraction: number
  seed: string | null
  data_from: string
  data_until: string
  as_of: string
  generated_at: string
}

/** '2026-11-20 18:59:59.000' (a UTC DateTime64 as text) → '2026-11-20T18:59:59.000Z'. */
const isoTimestamp = (text: string) => `${text.replace(' ', 'T')}Z`

/** The newest record, or null when none was made: the events are real data at full scale. */
export async function readDataset(store: Store): Promise<Dataset | null> {
  const [row] = await store.rows<DatasetRow>(
    'dataset:read',
    `SELECT kind, toString(rows) AS rows, national_transactions, sampling_fraction, toString(seed) AS seed,
            toString(data_from) AS data_from, toString(data_until) AS data_until,
            toString(as_of) AS as_of, toString(generated_at) AS generated_at
     FROM dataset ORDER BY generated_at DESC LIMIT 1`,
  )
  if (!row) return null
  return {
    kind: row.kind,
    rows: Number(row.rows),
    nationalTransactions: row.national_transactions,
    samplingFraction: row.sampling_fraction,
    oneIn: 1 / row.sampling_fraction,
    seed: row.seed === null ? null : Number(row.seed),
    from: row.data_from,
    until: row.data_until,
    asOf: isoTimestamp(row.as_of),
    generatedAt: isoTimestamp(row.generated_at),
  }
}
