// `npx tsx bench/demo.ts`: the demo generator against the previous one, interleaved, alone and into a plain table.
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ClickHouseSettings } from '@clickhouse/client'
import { demoQuery, generatorSettings } from '@qyzmet/fixtures'
import { eventColumns, loadConfig, loadReference, migrate, openStore, type Store } from '@qyzmet/sql'

const sizes = (process.env.BENCH_DEMO_ROWS ?? '2000000,10000000').split(',').map(Number)
const pairs = Math.max(5, Number(process.env.BENCH_PAIRS ?? 5))
/** The generator before the road-to-90 % story: the commit this branch started from. */
const baseline = process.env.BENCH_DEMO_BASELINE ?? 'c7fbdce'
const until = '2026-10-31'
const root = fileURLToPath(new URL('..', import.meta.url))
const say = (line: string) => process.stderr.write(`${line}\n`)

type DemoQuery = typeof demoQuery
interface Generator {
  name: string
  query: DemoQuery
  settings: ClickHouseSettings
}

/** The previous generator's files, from git, under .tmp/ so that they resolve the workspace's packages. */
async function previousGenerator(): Promise<Generator> {
  const dir = join(root, '.tmp', `demo-baseline-${baseline}`)
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  const archive = execFileSync('git', ['-C', root, 'archive', baseline, 'fixtures'])
  execFileSync('tar', ['-x', '-C', dir], { input: archive })
  const module = (await import(join(dir, 'fixtures/src/generate.ts'))) as {
    demoQuery: DemoQuery
    generatorSettings: ClickHouseSettings
  }
  return { name: `previous (${baseline})`, query: module.demoQuery, settings: module.generatorSettings }
}

interface Timing {
  /** Wall-clock seconds. */
  wall: number
  /** CPU seconds of the whole process (the embedded engine runs in it), less disturbed by other work on the cores. */
  cpu: number
}

async function seconds(run: () => Promise<unknown>): Promise<Timing> {
  const started = performance.now()
  const cpuBefore = process.cpuUsage()
  await run()
  const cpu = process.cpuUsage(cpuBefore)
  return { wall: (performance.now() - started) / 1000, cpu: (cpu.user + cpu.system) / 1e6 }
}

/** The generator's SELECT alone: every column computed, nothing stored. */
async function selectOnly(store: Store, generator: Generator, rows: number): Promise<Timing> {
  const { sql, params } = await generator.query(store, { rows, seed: 42, until })
  return seconds(() =>
    store.command('bench:select', `SELECT * FROM (${sql}) FORMAT Null`, params, {
      settings: generator.settings,
      retry: false,
    }),
  )
}

/** Into a table with the events table's schema and engine but no rollup views. */
async function intoPlainTable(store: Store, generator: Generator, rows: number): Promise<Timing> {
  await store.command('bench:truncate', 'TRUNCATE TABLE bench_plain_events')
  const { sql, params } = await generator.query(store, { rows, seed: 42, until })
  return seconds(() =>
    store.command('bench:plain', `INSERT INTO bench_plain_events (${eventColumns.join(', ')}) ${sql}`, params, {
      settings: generator.settings,
      retry: false,
    }),
  )
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2
}
const rate = (rows: number, time: number) => Math.round(rows / time).toLocaleString('en')

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'qyzmet-bench-demo-'))
  const store = await openStore(loadConfig({ QYZMET_DATA_DIR: join(work, 'store'), CLICKHOUSE_URL: '' }))
  const lines: string[] = []
  const write = (line = '') => {
    say(line)
    lines.push(line)
  }
  try {
    await migrate(store)
    await loadReference(store)
    await store.command('bench:plain', 'CREATE TABLE IF NOT EXISTS bench_plain_events AS events')
    const previous = await previousGenerator()
    const current: Generator = { name: 'current', query: demoQuery, settings: generatorSettings }
    const load = loadavg().map((value) => value.toFixed(2))
    write('# Benchmark: the demo generator, current against previous')
    write()
    write(
      `${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), ` +
        `${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, embedded ClickHouse (chdb); load average ` +
        `${load.join(' / ')} at the start (the cores are shared with other sessions). Seed 42, days 2019-01-01 to ${until}.`,
    )
    write()
    write(
      `Each pair runs the previous generator (${baseline}) then the current one, ${pairs} pairs per size and ` +
        'measure, interleaved so that both meet the same machine. *SELECT alone*: `SELECT * FROM (generator) FORMAT ' +
        'Null`. *Plain table*: `INSERT INTO` a table with the events schema and engine but none of the rollup views.',
    )
    write()
    write(
      '| rows | measure | previous rows/s, fastest / median run | current rows/s, fastest / median run | ' +
        'speed current ÷ previous per pair, min / median | rows per CPU-second, previous / current (median) | ' +
        'CPU previous ÷ current per pair, min / median |',
    )
    write('| ---: | --- | ---: | ---: | ---: | ---: | ---: |')
    for (const rows of sizes) {
      for (const [measure, run] of [
        ['SELECT alone', selectOnly],
        ['plain table', intoPlainTable],
      ] as const) {
        const before: Timing[] = []
        const after: Timing[] = []
        for (let pair = 0; pair < pairs; pair++) {
          before.push(await run(store, previous, rows))
          after.push(await run(store, current, rows))
          say(
            `  ${rows} ${measure} pair ${pair + 1}: ${before.at(-1)?.wall.toFixed(2)} s / ${after.at(-1)?.wall.toFixed(2)} s`,
          )
        }
        // Rates: the fastest run is the least disturbed; ratios per pair, as each pair met the same conditions.
        const wall = (timings: Timing[]) => timings.map((timing) => timing.wall)
        const ratios = before.map((timing, i) => timing.wall / (after[i]?.wall ?? Number.NaN))
        const perCpu = (timings: Timing[]) => rate(rows, median(timings.map((timing) => timing.cpu)))
        const cpuRatios = before.map((timing, i) => timing.cpu / (after[i]?.cpu ?? Number.NaN))
        write(
          `| ${rows.toLocaleString('en')} | ${measure} | ${rate(rows, Math.min(...wall(before)))} / ${rate(rows, median(wall(before)))} | ` +
            `${rate(rows, Math.min(...wall(after)))} / ${rate(rows, median(wall(after)))} | ` +
            `${Math.min(...ratios).toFixed(2)} / ${median(ratios).toFixed(2)} | ${perCpu(before)} / ${perCpu(after)} | ` +
            `${Math.min(...cpuRatios).toFixed(2)} / ${median(cpuRatios).toFixed(2)} |`,
        )
      }
    }
    write()
    write(
      `Load average at the end: ${loadavg()
        .map((value) => value.toFixed(2))
        .join(' / ')}.`,
    )
    const out = join(root, 'bench', 'results')
    mkdirSync(out, { recursive: true })
    writeFileSync(join(out, 'demo-generator.md'), `${lines.join('\n')}\n`)
  } finally {
    await store.close()
    rmSync(work, { recursive: true, force: true })
  }
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
