// Peak memory of ingest by file size: each file written and loaded by processes of their own; `npx tsx bench/ingest-memory.ts`.
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { demoQuery, generatorSettings } from '@qyzmet/fixtures'
import { loadFile } from '@qyzmet/ingest/load'
import { loadConfig, loadReference, migrate, openStore } from '@qyzmet/sql'
import { conditions } from './pairs.ts'

const sizes = (process.env.BENCH_SIZES ?? '1000000,10000000').split(',').map(Number)
const bucketRows = process.env.BENCH_BUCKET_ROWS

interface Measured {
  rows: number
  seconds: number
  /** Highest resident memory seen in each phase, MiB (sampled every 100 ms). */
  peaks: Record<string, number>
  /** The process's peak resident memory, MiB (the kernel's count). */
  maxRss: number
}

async function openScratch(dir: string) {
  const store = await openStore(loadConfig({ QYZMET_DATA_DIR: dir, CLICKHOUSE_URL: '' }))
  await migrate(store)
  await loadReference(store)
  return store
}

/** Child: the engine writes `rows` demo events as CSV (a 10-million-row CSV is more than one Node buffer holds). */
async function write(rows: number, path: string, dir: string): Promise<void> {
  const store = await openScratch(dir)
  const { sql, params } = await demoQuery(store, { rows, seed: 7, until: '2026-10-31' })
  await store.command(
    'bench:export',
    `INSERT INTO FUNCTION file({path:String}, 'CSVWithNames') SELECT * FROM (${sql})`,
    { ...params, path },
    { retry: false, settings: { ...generatorSettings, date_time_output_format: 'iso' } },
  )
  await store.close()
}

/** Child: loads the file into a new store, sampling its resident memory by phase. */
async function load(path: string, dir: string): Promise<void> {
  const store = await openScratch(dir)
  let phase = 'open'
  const peaks: Record<string, number> = {}
  const sample = () => {
    peaks[phase] = Math.max(peaks[phase] ?? 0, process.memoryUsage.rss() / 2 ** 20)
  }
  const timer = setInterval(sample, 100)
  const started = performance.now()
  const summary = await loadFile(store, path, {
    source: 'bench',
    ...(bucketRows ? { bucketRows: Number(bucketRows) } : {}),
    onProgress: (progress) => {
      sample()
      phase = progress.phase
    },
  })
  const seconds = (performance.now() - started) / 1000
  clearInterval(timer)
  await store.close()
  const measured: Measured = { rows: summary.loaded, seconds, peaks, maxRss: process.resourceUsage().maxRSS / 2 ** 10 }
  process.stdout.write(`${JSON.stringify(measured)}\n`)
}

function child(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const run = spawn(process.execPath, ['--import', 'tsx', 'bench/ingest-memory.ts', ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let output = ''
    run.stdout.on('data', (chunk: Buffer) => {
      output += chunk
    })
    run.on('exit', (code) => (code === 0 ? resolve(output) : reject(new Error(`${args[0]} exited with ${code}`))))
  })
}

async function main(): Promise<void> {
  const started = loadavg()
  const results: { size: number; bytes: number; measured: Measured }[] = []
  for (const size of sizes) {
    const work = mkdtempSync(join(tmpdir(), 'qyzmet-bench-memory-'))
    try {
      const path = join(work, 'events.csv')
      await child(['write', String(size), path, join(work, 'writer')])
      const bytes = statSync(path).size
      const output = await child(['load', path, join(work, 'store')])
      const measured = JSON.parse(output.trim().split('\n').at(-1) ?? '{}') as Measured
      results.push({ size, bytes, measured })
      process.stderr.write(`${size}: ${JSON.stringify(measured)}\n`)
    } finally {
      rmSync(work, { recursive: true, force: true })
    }
  }
  const lines = [
    '# Benchmark: ingest memory by file size',
    '',
    conditions(started),
    '',
    'Each file (demo events as CSV, written by the engine) loaded by `loadFile` into a new embedded store, in a ' +
      'process of its own, so that the peak is the load alone: the Node process and the engine in it. Resident ' +
      'memory sampled every 100 ms and at every phase change; the peak is the kernel’s maximum resident set. ' +
      `Buckets of ${bucketRows ?? '1,000,000 (the default)'} valid rows.`,
    '',
    '| rows | file | stage peak | publish peak | process peak | rows/s |',
    '| ---: | ---: | ---: | ---: | ---: | ---: |',
    ...results.map(
      ({ size, bytes, measured }) =>
        `| ${size.toLocaleString('en')} | ${(bytes / 2 ** 20).toFixed(0)} MiB | ` +
        `${(measured.peaks.stage ?? 0).toFixed(0)} MiB | ${(measured.peaks.publish ?? 0).toFixed(0)} MiB | ` +
        `${(measured.maxRss / 1024).toFixed(2)} GiB | ${Math.round(measured.rows / measured.seconds).toLocaleString('en')} |`,
    ),
  ]
  console.log(lines.join('\n'))
  mkdirSync(new URL('results/', import.meta.url), { recursive: true })
  const date = new Date().toISOString().slice(0, 10)
  writeFileSync(
    new URL(`results/ingest-memory-${bucketRows ? `${bucketRows}-` : ''}${date}.md`, import.meta.url),
    `${lines.join('\n')}\n`,
  )
}

const [mode, ...args] = process.argv.slice(2)
const task =
  mode === 'write'
    ? write(Number(args[0]), args[1] as string, args[2] as string)
    : mode === 'load'
      ? load(args[0] as string, args[1] as string)
      : main()
task.catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
