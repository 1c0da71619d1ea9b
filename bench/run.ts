// `npm run bench`: demo generation speed, and each dashboard query on its rollup against the same query on raw events.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { demoQuery, generateDemo, generatorSettings } from '@qyzmet/fixtures'
import {
  chooseRollup,
  type Dimension,
  type Grain,
  loadConfig,
  loadReference,
  type Measure,
  migrate,
  onlineChannels,
  openStore,
  rawMeasures,
  rollupMeasures,
  rollups,
  type Store,
} from '@qyzmet/sql'

const rows = Number(process.env.BENCH_ROWS ?? 10_000_000)
const repeats = Number(process.env.BENCH_REPEATS ?? 7)
const until = '2026-10-31'

interface DashboardQuery {
  name: string
  dimensions: Dimension[]
  grain: Grain
  from: string
  to: string
  measures: Measure[]
  /** Group by the period too (a time series), or only by the dimensions (a breakdown). */
  series: boolean
}

const share: Measure[] = ['transactions', 'completed', 'completed_online', 'completed_online_self']
const queries: DashboardQuery[] = [
  {
    name: 'Overview KPIs, last 12 months',
    dimensions: [],
    grain: 'month',
    from: '2025-11-01',
    to: '2026-10-31',
    measures: [...share, 'rejected', 'cancelled', 'satisfaction_sum', 'satisfaction_count'],
    series: false,
  },
  {
    name: 'Overview online-share trend, monthly since 2019',
    dimensions: [],
    grain: 'month',
    from: '2019-01-01',
    to: '2026-10-31',
    measures: share,
    series: true,
  },
  {
    name: 'Daily volume, last 90 days',
    dimensions: [],
    grain: 'day',
    from: '2026-08-02',
    to: '2026-10-31',
    measures: share,
    series: true,
  },
  {
    name: 'Channels mix, monthly since 2019',
    dimensions: ['channel'],
    grain: 'month',
    from: '2019-01-01',
    to: '2026-10-31',
    measures: share,
    series: true,
  },
  {
    name: 'Processing time by channel, last 12 months',
    dimensions: ['channel'],
    grain: 'month',
    from: '2025-11-01',
    to: '2026-10-31',
    measures: ['completed', 'processing_hist'],
    series: false,
  },
  {
    name: 'Regions ranking, last 12 months',
    dimensions: ['region'],
    grain: 'month',
    from: '2025-11-01',
    to: '2026-10-31',
    measures: share,
    series: false,
  },
  {
    name: 'Services table, last 12 months',
    dimensions: ['service_code'],
    grain: 'month',
    from: '2025-11-01',
    to: '2026-10-31',
    measures: share,
    series: false,
  },
  {
    name: 'Services in one region, last 12 months',
    dimensions: ['region', 'service_code'],
    grain: 'month',
    from: '2025-11-01',
    to: '2026-10-31',
    measures: share,
    series: false,
  },
  {
    name: 'People: age band by gender, last 12 months',
    dimensions: ['age_band', 'gender'],
    grain: 'month',
    from: '2025-11-01',
    to: '2026-10-31',
    measures: share,
    series: false,
  },
]

function sqlFor(query: DashboardQuery, source: 'rollup' | 'raw'): string {
  const rollup = chooseRollup(query.dimensions, query.grain, { processing: query.measures.includes('processing_hist') })
  if (source === 'rollup' && !rollup) throw new Error(`no rollup answers "${query.name}"`)
  const period =
    source === 'raw' ? (query.grain === 'day' ? 'occurred_on' : 'toStartOfMonth(occurred_on)') : (rollup?.time ?? 'day')
  const dateColumn = source === 'raw' ? 'occurred_on' : (rollup?.time ?? 'day')
  const keys = [...(query.series ? ['period'] : []), ...query.dimensions]
  const where = [`${dateColumn} BETWEEN {from:Date} AND {to:Date}`]
  if (query.dimensions.includes('region') && query.dimensions.includes('service_code')) where.push("region = '75'")
  const measures = query.measures.map(
    (measure) => `${source === 'raw' ? rawMeasures()[measure] : rollupMeasures[measure]} AS ${measure}`,
  )
  return `${source === 'raw' ? `WITH ${onlineChannels} ` : ''}SELECT ${[...(query.series ? [`${period} AS period`] : []), ...query.dimensions, ...measures].join(', ')}
    FROM ${source === 'raw' ? 'events' : rollup?.table} WHERE ${where.join(' AND ')}
    ${keys.length ? `GROUP BY ${keys.join(', ')} ORDER BY ${keys.join(', ')}` : ''}`
}

async function timed(
  store: Store,
  sql: string,
  params: Record<string, unknown>,
): Promise<{ ms: number; rows: number }> {
  const times: number[] = []
  let count = 0
  for (let i = 0; i < repeats; i++) {
    const started = performance.now()
    count = (await store.rows('bench', sql, params)).length
    times.push(performance.now() - started)
  }
  times.sort((a, b) => a - b)
  return { ms: times[Math.floor(times.length / 2)] ?? 0, rows: count }
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'qyzmet-bench-'))
  const store = await openStore(loadConfig({ QYZMET_DATA_DIR: dataDir }))
  const lines: string[] = []
  const say = (line: string) => {
    console.log(line)
    lines.push(line)
  }
  try {
    await migrate(store)
    await loadReference(store)
    say(`# Benchmark: demo generation and rollups vs raw events`)
    say('')
    say(
      `${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, embedded ClickHouse (chdb); median of ${repeats} runs.`,
    )
    say('')

    const { sql, params } = await demoQuery(store, { rows, seed: 42, until })
    let started = performance.now()
    await store.command('bench:select', `SELECT * FROM (${sql}) FORMAT Null`, params, { settings: generatorSettings })
    const selectRate = rows / ((performance.now() - started) / 1000)

    started = performance.now()
    await generateDemo(store, { rows, seed: 42, until })
    const insertRate = rows / ((performance.now() - started) / 1000)
    say('## Demo generation')
    say('')
    say(`| rows | generator SELECT only | INSERT into events with ${rollups.length} rollup views |`)
    say('| ---: | ---: | ---: |')
    say(
      `| ${rows.toLocaleString('en')} | ${Math.round(selectRate).toLocaleString('en')} rows/s | ${Math.round(insertRate).toLocaleString('en')} rows/s |`,
    )
    say('')

    // Queries are timed on merged parts, as background merges leave the tables in a running system.
    for (const table of ['events', ...rollups.map((rollup) => rollup.table)]) {
      await store.command('bench:optimize', `OPTIMIZE TABLE ${table} FINAL`, undefined, { retry: false })
    }
    const sizes = await store.rows<{ table: string; rows: string; bytes: string }>(
      'bench:sizes',
      `SELECT table, toString(sum(rows)) AS rows, toString(sum(bytes_on_disk)) AS bytes FROM system.parts
       WHERE database = currentDatabase() AND active AND (table = 'events' OR table LIKE 'rollup_%') GROUP BY table ORDER BY table`,
    )
    say('## Table sizes')
    say('')
    say('| table | rows | on disk |')
    say('| --- | ---: | ---: |')
    for (const size of sizes)
      say(
        `| ${size.table} | ${Number(size.rows).toLocaleString('en')} | ${(Number(size.bytes) / 2 ** 20).toFixed(1)} MiB |`,
      )
    say('')

    say(`## Dashboard queries at ${rows.toLocaleString('en')} events`)
    say('')
    say('| query | rollup | rollup ms | raw ms | ratio (goal ≤ 0.10) |')
    say('| --- | --- | ---: | ---: | ---: |')
    for (const query of queries) {
      const queryParams = { from: query.from, to: query.to }
      const raw = await timed(store, sqlFor(query, 'raw'), queryParams)
      const rolled = await timed(store, sqlFor(query, 'rollup'), queryParams)
      if (raw.rows !== rolled.rows)
        throw new Error(`"${query.name}": ${rolled.rows} rows from the rollup, ${raw.rows} raw`)
      const table = chooseRollup(query.dimensions, query.grain, {
        processing: query.measures.includes('processing_hist'),
      })?.table
      say(
        `| ${query.name} | ${table} | ${rolled.ms.toFixed(1)} | ${raw.ms.toFixed(1)} | ${(rolled.ms / raw.ms).toFixed(3)} |`,
      )
    }
  } finally {
    await store.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
  mkdirSync(new URL('results/', import.meta.url), { recursive: true })
  writeFileSync(new URL(`results/foundation-${rows}.md`, import.meta.url), `${lines.join('\n')}\n`)
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
