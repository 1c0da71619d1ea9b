// Peak memory of ingest by file size: each file written and loaded by processes of their own; `npx tsx bench/ingest-memory.ts`.
import { execFileSync, spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { demoQuery, generatorSettings } from '@qyzmet/fixtures'
import type { loadFile as LoadFile } from '@qyzmet/ingest/load'
import { loadConfig, loadReference, migrate, openStore } from '@qyzmet/sql'
import { conditions, median, min } from './pairs.ts'

/** Sizes in rows, each with the number of runs of each code (`rows:runs`, runs default 1). */
const plan = (process.env.BENCH_SIZES ?? '1000000:5,10000000:1').split(',').map((entry) => {
  const [rows, runs] = entry.split(':')
  return { rows: Number(rows), runs: Number(runs ?? 1) }
})
const bucketRows = process.env.BENCH_BUCKET_ROWS
/** A commit whose ingest/src is loaded too, interleaved with the current code (A B A B …): the code before a change. */
const previous = process.env.BENCH_PREVIOUS
const root = fileURLToPath(new URL('..', import.meta.url))

interface Measured {
  rows: number
  seconds: number
  /** Highest resident memory seen in each phase, MiB (sampled every 50 ms). */
  peaks: Record<string, number>
  /** The process's peak resident memory, MiB (the kernel's count). */
  maxRss: number
  /** Parts of the stage when the stage statement ended (its blocks, less what merges had joined). */
  stageParts: number
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

/** Child: loads the file into a new store with the ingest code under `code`, sampling resident memory by phase. */
async function load(path: string, dir: string, code: string): Promise<void> {
  const { loadFile } = (await import(join(code, 'load.ts'))) as { loadFile: typeof LoadFile }
  const store = await openScratch(dir)
  let phase = 'open'
  let stageParts = 0
  const peaks: Record<string, number> = {}
  const sample = () => {
    peaks[phase] = Math.max(peaks[phase] ?? 0, process.memoryUsage.rss() / 2 ** 20)
  }
  const timer = setInterval(sample, 50)
  const started = performance.now()
  let stageEnded: Promise<void> = Promise.resolve()
  const summary = await loadFile(store, path, {
    source: 'bench',
    ...(bucketRows ? { bucketRows: Number(bucketRows) } : {}),
    onProgress: (progress) => {
      sample()
      if (phase === 'stage' && progress.phase !== 'stage') {
        // Queued behind the load's next statement: the count is of the parts as the stage left them.
        stageEnded = store
          .rows<{ n: string }>(
            'bench:stage-parts',
            "SELECT count() AS n FROM system.parts WHERE active AND database = currentDatabase() AND table = 'ingest_stage'",
          )
          .then(([row]) => {
            stageParts = Number(row?.n ?? 0)
          })
      }
      phase = progress.phase
    },
  })
  await stageEnded
  const seconds = (performance.now() - started) / 1000
  clearInterval(timer)
  await store.close()
  const measured: Measured = {
    rows: summary.loaded,
    seconds,
    peaks,
    maxRss: process.resourceUsage().maxRSS / 2 ** 10,
    stageParts,
  }
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

/** The ingest code of a commit, unpacked inside the repository (gitignored .tmp/) so that its imports resolve. */
function unpack(commit: string): { dir: string; code: string } {
  const dir = join(root, 'bench', '.tmp', `ingest-${commit}`)
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  const archive = execFileSync('git', ['archive', commit, 'ingest/src'], { cwd: root, maxBuffer: 1 << 28 })
  execFileSync('tar', ['-x', '-C', dir], { input: archive })
  return { dir, code: join(dir, 'ingest', 'src') }
}

interface Run {
  code: string
  rows: number
  bytes: number
  measured: Measured
}

const mib = (value: number | undefined) => `${(value ?? 0).toFixed(0)} MiB`
const perSecond = (measured: Measured) => measured.rows / measured.seconds

function table(runs: Run[]): string[] {
  return [
    '| code | rows | file | stage peak | stage parts | publish peak | process peak | seconds | rows/s |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...runs.map(
      ({ code, rows, bytes, measured }) =>
        `| ${code} | ${rows.toLocaleString('en')} | ${mib(bytes / 2 ** 20)} | ${mib(measured.peaks.stage)} | ` +
        `${measured.stageParts} | ${mib(measured.peaks.publish)} | ${(measured.maxRss / 1024).toFixed(2)} GiB | ` +
        `${measured.seconds.toFixed(1)} | ${Math.round(perSecond(measured)).toLocaleString('en')} |`,
    ),
  ]
}

/** Min and median per code and size: peaks in MiB, rows/s. */
function summary(runs: Run[]): string[] {
  const groups = new Map<string, Run[]>()
  for (const run of runs) groups.set(`${run.code}|${run.rows}`, [...(groups.get(`${run.code}|${run.rows}`) ?? []), run])
  const stat = (values: number[]) =>
    `${Math.round(min(values)).toLocaleString('en')} / ${Math.round(median(values)).toLocaleString('en')}`
  return [
    '| code | rows | runs | stage peak (min / median) | publish peak | process peak | rows/s |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...[...groups.values()].map((group) => {
      const first = group[0] as Run
      const measured = group.map((run) => run.measured)
      return (
        `| ${first.code} | ${first.rows.toLocaleString('en')} | ${group.length} | ` +
        `${stat(measured.map((m) => m.peaks.stage ?? 0))} MiB | ${stat(measured.map((m) => m.peaks.publish ?? 0))} MiB | ` +
        `${stat(measured.map((m) => m.maxRss))} MiB | ${stat(measured.map(perSecond))} |`
      )
    }),
  ]
}

async function main(): Promise<void> {
  const started = loadavg()
  const current = join(root, 'ingest', 'src')
  const before = previous ? unpack(previous) : null
  const codes = [
    ...(before ? [{ name: `before (${previous})`, code: before.code }] : []),
    { name: 'now', code: current },
  ]
  const runs: Run[] = []
  try {
    for (const { rows, runs: count } of plan) {
      const work = mkdtempSync(join(tmpdir(), 'qyzmet-bench-memory-'))
      try {
        const path = join(work, 'events.csv')
        await child(['write', String(rows), path, join(work, 'writer')])
        const bytes = statSync(path).size
        for (let round = 0; round < count; round++) {
          for (const { name, code } of codes) {
            const store = join(work, 'store')
            const output = await child(['load', path, store, code])
            rmSync(store, { recursive: true, force: true })
            const measured = JSON.parse(output.trim().split('\n').at(-1) ?? '{}') as Measured
            runs.push({ code: name, rows, bytes, measured })
            process.stderr.write(`${name} ${rows}: ${JSON.stringify(measured)}\n`)
          }
        }
      } finally {
        rmSync(work, { recursive: true, force: true })
      }
    }
  } finally {
    if (before) rmSync(before.dir, { recursive: true, force: true })
  }
  const lines = [
    '# Benchmark: ingest memory by file size',
    '',
    conditions(started),
    '',
    'Each file (demo events as CSV, written by the engine) loaded by `loadFile` into a new embedded store, in a ' +
      'process of its own, so that the peak is the load alone: the Node process and the engine in it. Resident ' +
      'memory sampled every 50 ms and at every phase change (stage: the stage statement and its statistics; ' +
      'publish: the buckets, the counts and dropping the stage); the process peak is the kernel’s maximum ' +
      `resident set. Buckets of ${bucketRows ?? 'the default number of'} valid rows.` +
      (previous ? ` Runs of the code at ${previous} and of the current code alternate, file by file.` : ''),
    '',
    ...summary(runs),
    '',
    'Every run:',
    '',
    ...table(runs),
  ]
  console.log(lines.join('\n'))
  mkdirSync(new URL('results/', import.meta.url), { recursive: true })
  const date = new Date().toISOString().slice(0, 10)
  const largest = Math.max(...plan.map((entry) => entry.rows))
  writeFileSync(
    new URL(`results/ingest-memory-${largest}-${bucketRows ? `${bucketRows}-` : ''}${date}.md`, import.meta.url),
    `${lines.join('\n')}\n`,
  )
}

const [mode, ...args] = process.argv.slice(2)
const task =
  mode === 'write'
    ? write(Number(args[0]), args[1] as string, args[2] as string)
    : mode === 'load'
      ? load(args[0] as string, args[1] as string, args[2] as string)
      : main()
task.catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
