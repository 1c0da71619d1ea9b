// `npx tsx bench/ingest.ts`: ingest (validation, dedupe, quarantine, ledger) against the engine's own INSERT … SELECT FROM file().
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { exportDemo } from '@qyzmet/fixtures/export'
import { loadFile } from '@qyzmet/ingest/load'
import { loadConfig, loadReference, migrate, openStore, type Store } from '@qyzmet/sql'

const rows = Number(process.env.BENCH_ROWS ?? 10_000_000)
const work = mkdtempSync(join(tmpdir(), 'qyzmet-bench-ingest-'))
const say = (line: string) => process.stderr.write(`${line}\n`)
const peakRss = () => Math.round(process.resourceUsage().maxRSS / 1024)

/** Every table a load writes, emptied so each run starts from the same empty store. */
const written = [
  'events',
  'rollup_daily',
  'rollup_monthly',
  'rollup_people_monthly',
  'rollup_service_monthly',
  'rollup_region_service_monthly',
  'rollup_ingest_freshness',
  'ingest_batches',
  'quarantine',
  'ingest_stage',
]

async function empty(store: Store): Promise<void> {
  for (const table of written) await store.command('bench:truncate', `TRUNCATE TABLE ${table}`)
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now()
  await run()
  return (performance.now() - started) / 1000
}

interface Result {
  format: string
  bytes: number
  engineSeconds: number
  ingestSeconds: number
  engineRss: number
  ingestRss: number
}

async function main(): Promise<void> {
  const store = await openStore(loadConfig({ QYZMET_DATA_DIR: join(work, 'store'), CLICKHOUSE_URL: '' }))
  try {
    await migrate(store)
    await loadReference(store)
    const results: Result[] = []
    for (const [format, engineFormat] of [
      ['csv', 'CSVWithNames'],
      ['parquet', 'Parquet'],
    ] as const) {
      const path = join(work, `events.${format}`)
      say(`${format}: writing ${rows.toLocaleString('en')} demo events…`)
      await exportDemo(store, { rows, seed: 42, until: '2026-10-31' }, path)
      await empty(store)
      say(`${format}: the engine's own INSERT INTO events SELECT * FROM file()…`)
      const engineSeconds = await timed(() =>
        store.command(
          'bench:engine',
          `INSERT INTO events SELECT * FROM file({path:String}, '${engineFormat}')`,
          { path },
          { retry: false },
        ),
      )
      const engineRss = peakRss()
      await empty(store)
      say(`${format}: ingest…`)
      let loaded = 0
      const ingestSeconds = await timed(async () => {
        const summary = await loadFile(store, path, { source: 'bench' })
        loaded = summary.loaded
      })
      const [check] = await store.rows<{ n: string }>('bench:count', 'SELECT count() AS n FROM events')
      if (loaded !== rows || Number(check?.n) !== rows) throw new Error(`${format}: loaded ${loaded} of ${rows} rows`)
      results.push({
        format,
        bytes: statSync(path).size,
        engineSeconds,
        ingestSeconds,
        engineRss,
        ingestRss: peakRss(),
      })
      rmSync(path)
    }
    report(results)
  } finally {
    await store.close()
    rmSync(work, { recursive: true, force: true })
  }
}

function report(results: Result[]): void {
  const rate = (seconds: number) => Math.round(rows / seconds).toLocaleString('en')
  const lines = [
    '# Benchmark: ingest against the engine loading the same file',
    '',
    `${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores (${cpus()[0]?.model.trim()}), ` +
      `${Math.round(totalmem() / 1024 ** 3)} GiB, Node ${process.version}, embedded ClickHouse (chdb); one run each.`,
    '',
    `${rows.toLocaleString('en')} demo events per file into an empty events table with its five rollup views and the`,
    'freshness view. Engine: `INSERT INTO events SELECT * FROM file(…)` (no checks). Ingest: hash, parse and validate',
    'every row in one engine pass into the stage, quarantine, publish in buckets with event_id dedupe, ledger.',
    '',
    '| file | size | engine rows/s | ingest rows/s | ratio (goal ≥ 0.8) | peak RSS after engine | peak RSS after ingest |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...results.map(
      (r) =>
        `| ${r.format} | ${(r.bytes / 1024 ** 2).toFixed(0)} MiB | ${rate(r.engineSeconds)} | ${rate(r.ingestSeconds)} | ` +
        `${(r.engineSeconds / r.ingestSeconds).toFixed(2)} | ${r.engineRss} MiB | ${r.ingestRss} MiB |`,
    ),
    '',
    'Peak RSS is the whole process (Node and the embedded engine), the highest so far when the step ended.',
  ]
  const text = `${lines.join('\n')}\n`
  process.stdout.write(text)
  mkdirSync(new URL('./results/', import.meta.url), { recursive: true })
  writeFileSync(new URL(`./results/ingest-${rows}.md`, import.meta.url), text)
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(1)
})
