// `npx tsx bench/ingest.ts`: ingest against the engine's bare load of the same file, interleaved A B A B ….
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { exportDemo } from '@qyzmet/fixtures/export'
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
  bare: 'engine into a plain events table (no views)',
  views: 'engine into events with its rollups',
  ingest: 'ingest (stage, validate, dedupe, publish) into events with its rollups',
} as const
type StepName = keyof typeof steps

interface FormatResult {
  bytes: number
  samples: Map<string, Sample[]>
}

async function benchFormat(store: Store, format: string): Promise<FormatResult> {
  const path = join(work, `events.${format}`)
  say(`${format}: writing ${rows.toLocaleString('en')} demo events…`)
  await exportDemo(store, { rows, seed: 42, until: '2026-10-31' }, path)
  const load = (table: string) => () =>
    store.command(
      'bench:engine',
      `INSERT INTO ${table} SELECT * FROM file({path:String}, '${engineFormat[format]}')`,
      { path },
      { retry: false },
    )
  const samples = await interleave(
    rounds,
    [
      { name: 'bare', before: () => truncate(store, ['events_bare']), run: load('events_bare') },
      { name: 'views', before: () => truncate(store, written), run: load('events') },
      {
        name: 'ingest',
        before: () => truncate(store, written),
        run: async () => {
          const summary = await loadFile(store, path, { source: 'bench' })
          if (summary.loaded !== rows) throw new Error(`${format}: ingest loaded ${summary.loaded} of ${rows} rows`)
        },
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
    'steps below in this order on emptied tables (A B C A B C …). Wall time is elapsed seconds; CPU is the',
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
