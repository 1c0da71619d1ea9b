// `npx tsx bench/ingest.ts`: ingest against the engine's bare load of the same file, interleaved A B A B ….
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { demoQuery, generatorSettings } from '@qyzmet/fixtures'
import { loadFile } from '@qyzmet/ingest/load'
import { loadConfig, loadReference, migrate, openStore, rollups, type Store } from '@qyzmet/sql'
import { conditions, interleave, median, min, rate, type Sample } from './pairs.ts'

const rows = Number(process.env.BENCH_ROWS ?? 1_000_000)
const rounds = Number(process.env.BENCH_PAIRS ?? 5)
const formats = (process.env.BENCH_FORMATS ?? 'csv,parquet').split(',')
const work = mkdtempSync(join(tmpdir(), 'qyzmet-bench-ingest-'))
const say = (line: string) => process.stderr.write(`${line}\n`)
const engineFormat: Record<string, string> = { csv: 'CSVWithNames', parquet: 'Parquet' }

/** Every table a load writes, emptied before each run so that every run starts from the same empty store. */
const written = [
  'events',
  ...rollups.map((rollup) => rollup.table),
  'rollup_ingest_freshness',
  'ingest_batches',
  'quarantine',
  'ingest_stage',
]

async function truncate(store: Store, tables: string[]): Promise<void> {
  for (const table of tables) await store.command('bench:truncate', `TRUNCATE TABLE ${table}`)
}

const steps = {
  bare: "the engine's own INSERT INTO … SELECT * FROM file() into a plain events table (same schema, no views)",
  unrolled: 'ingest (stage, validate, dedupe, publish) into events with the rollup views detached',
  ingest: 'ingest into events with its rollups',
} as const

/** The rollups' views, detached for the step that shows what ingest costs without them. */
const rollupViews = rollups.map((rollup) => `${rollup.table}_mv`)

async function attachRollups(store: Store, attached: boolean): Promise<void> {
  const [row] = await store.rows<{ n: string }>(
    'bench:views',
    'SELECT toString(count()) AS n FROM system.tables WHERE database = currentDatabase() AND name IN {views:Array(String)}',
    { views: rollupViews },
  )
  if ((Number(row?.n) === rollupViews.length) === attached) return
  for (const view of rollupViews) await store.command('bench:views', `${attached ? 'ATTACH' : 'DETACH'} TABLE ${view}`)
}

/** The engine writes the demo file itself: a 10-million-row CSV is larger than one Node buffer can hold. */
async function writeDemoFile(store: Store, format: string, path: string): Promise<void> {
  const { sql, params } = await demoQuery(store, { rows, seed: 42, until: '2026-10-31' })
  await store.command(
    'bench:export',
    `INSERT INTO FUNCTION file({path:String}, '${engineFormat[format]}') SELECT * FROM (${sql})`,
    { ...params, path },
    {
      retry: false,
      settings: {
        ...generatorSettings,
        date_time_output_format: 'iso',
        output_format_parquet_compression_method: 'zstd',
      },
    },
  )
}
type StepName = keyof typeof steps

interface FormatResult {
  bytes: number
  samples: Map<string, Sample[]>
}

async function benchFormat(store: Store, format: string): Promise<FormatResult> {
  const path = join(work, `events.${format}`)
  say(`${format}: writing ${rows.toLocaleString('en')} demo events…`)
  await writeDemoFile(store, format, path)
  const ingest = async () => {
    const summary = await loadFile(store, path, { source: 'bench' })
    if (summary.loaded !== rows) throw new Error(`${format}: ingest loaded ${summary.loaded} of ${rows} rows`)
  }
  const samples = await interleave(
    rounds,
    [
      {
        name: 'bare',
        before: () => truncate(store, ['events_bare']),
        run: () =>
          store.command(
            'bench:engine',
            `INSERT INTO events_bare SELECT * FROM file({path:String}, '${engineFormat[format]}')`,
            { path },
            { retry: false },
          ),
      },
      {
        name: 'unrolled',
        before: async () => {
          await attachRollups(store, false)
          await truncate(store, written)
        },
        run: ingest,
      },
      {
        name: 'ingest',
        before: async () => {
          await attachRollups(store, true)
          await truncate(store, written)
        },
        run: ingest,
      },
    ],
    (step, round, sample) =>
      say(`${format} round ${round + 1}: ${step} ${sample.wall.toFixed(2)} s, ${sample.cpu.toFixed(2)} CPU-s`),
  )
  const [check] = await store.rows<{ n: string }>('bench:count', 'SELECT count() AS n FROM events_bare')
  if (Number(check?.n) !== rows) throw new Error(`${format}: the bare table holds ${check?.n} of ${rows} rows`)
  const bytes = statSync(path).size
  rmSync(path)
  return { bytes, samples }
}

function report(results: Map<string, FormatResult>, started: number[]): string {
  const lines = [
    `# Benchmark: ingest against the engine's bare load of the same file, ${rows.toLocaleString('en')} rows`,
    '',
    conditions(started),
    '',
    `${rows.toLocaleString('en')} demo events (2019–2026) per file, ${rounds} rounds, each round running the three`,
    'steps below in this order on emptied tables (A B C A B C …); every step keeps the freshness view, which is not',
    'a rollup. Ingest publishes in buckets of 1,000,000 rows. Wall time is elapsed seconds; CPU is the',
    "process's CPU seconds (Node and the embedded engine, background merges included), so rows per CPU-second",
    'is the rate per core. Ratios divide the bare load by the other step, median by median and min by min.',
    '',
    ...Object.entries(steps).map(([name, description]) => `- **${name}**: ${description}`),
    '',
    '| file | step | wall min | wall median | rows/s (median) | CPU-s median | rows per CPU-s | bare ÷ step (median; min) |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ]
  for (const [format, { bytes, samples }] of results) {
    const bare = samples.get('bare') ?? []
    for (const name of Object.keys(steps) as StepName[]) {
      const wall = (samples.get(name) ?? []).map((sample) => sample.wall)
      const cpu = (samples.get(name) ?? []).map((sample) => sample.cpu)
      const bareWall = bare.map((sample) => sample.wall)
      lines.push(
        `| ${format} (${(bytes / 1024 ** 2).toFixed(0)} MiB) | ${name} | ${min(wall).toFixed(2)} s | ` +
          `${median(wall).toFixed(2)} s | ${rate(rows, median(wall))} | ${median(cpu).toFixed(2)} | ` +
          `${rate(rows, median(cpu))} | ${(median(bareWall) / median(wall)).toFixed(2)}; ${(min(bareWall) / min(wall)).toFixed(2)} |`,
      )
    }
  }
  return `${lines.join('\n')}\n`
}

async function main(): Promise<void> {
  const started = loadavg()
  const store = await openStore(loadConfig({ QYZMET_DATA_DIR: join(work, 'store'), CLICKHOUSE_URL: '' }))
  try {
    await migrate(store)
    await loadReference(store)
    // The same schema as events (its computed columns included) without any view reading it.
    await store.command('bench:bare', 'CREATE TABLE events_bare AS events')
    const results = new Map<string, FormatResult>()
    for (const format of formats) results.set(format, await benchFormat(store, format))
    const text = report(results, started)
    process.stdout.write(text)
    mkdirSync(new URL('./results/', import.meta.url), { recursive: true })
    const date = new Date().toISOString().slice(0, 10)
    writeFileSync(new URL(`./results/ingest-${rows}-${date}.md`, import.meta.url), text)
  } finally {
    await store.close()
    rmSync(work, { recursive: true, force: true })
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(1)
})
