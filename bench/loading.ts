// The Overview while a large file loads: page loads timed idle and during an ingest, in turn, with the embedded engine's
// statements side by side and one at a time (QYZMET_EMBEDDED_PARALLEL) interleaved; `npx tsx bench/loading.ts`.
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { demoQuery, generateDemo, generatorSettings } from '@qyzmet/fixtures'
import { loadFile } from '@qyzmet/ingest/load'
import { loadConfig, loadReference, migrate, openStore, type Store } from '@qyzmet/sql'
import { embeddedStatements } from '@qyzmet/sql/embedded'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../api/src/app.ts'
import { bearer } from '../api/src/testing.ts'
import { createToken } from '../api/src/tokens.ts'
import { conditions, median, min } from './pairs.ts'

const rows = Number(process.env.BENCH_ROWS ?? 10_000_000)
const rounds = Number(process.env.BENCH_PAIRS ?? 5)
const idleSeconds = Number(process.env.BENCH_IDLE_SECONDS ?? 30)

/** How the embedded engine runs statements: side by side (the pool, parameters inlined), or one at a time as before. */
const modes = {
  'side by side': undefined,
  'one at a time (before)': 'off',
} as const
type Mode = keyof typeof modes
const setMode = (mode: Mode) => {
  const value = modes[mode]
  if (value) process.env.QYZMET_EMBEDDED_PARALLEL = value
  else delete process.env.QYZMET_EMBEDDED_PARALLEL
}
const until = '2026-11-23'

/** The requests the Overview makes for its default view (web/src/pages/Overview.tsx), all at once as a browser does. */
const overview = (today: string) => [
  '/api/v1/meta',
  '/api/v1/targets',
  ...['volume', 'online_share', 'online_share_self', 'catalogue_coverage', 'completion_rate', 'satisfaction'].map(
    (metric) => `/api/v1/metrics/${metric}/compare?period=last_12m`,
  ),
  `/api/v1/metrics/online_share/series?from=2019-01-01&to=${today}&interval=month`,
]

/** A file of `rows` new demo events (another seed each round), written by the engine as Parquet. */
async function writeFile(store: Store, path: string, seed: number): Promise<void> {
  const { sql, params } = await demoQuery(store, { rows, seed, until })
  await store.command(
    'bench:export',
    `INSERT INTO FUNCTION file({path:String}, 'Parquet') SELECT * FROM (${sql})`,
    { ...params, path },
    { retry: false, settings: { ...generatorSettings, output_format_parquet_compression_method: 'zstd' } },
  )
}

/** Page loads back to back until `done` says stop; each one's milliseconds, and how many had an answer not 200. */
async function pageLoads(
  app: FastifyInstance,
  token: string,
  done: () => boolean,
): Promise<{ times: number[]; failed: number }> {
  // no-cache: every answer computed (a load changes the data version anyway, which empties the cache).
  const headers = { ...bearer(token), 'cache-control': 'no-cache' }
  const times: number[] = []
  let failed = 0
  while (!done()) {
    const started = performance.now()
    const answers = await Promise.all(overview(app.today()).map((url) => app.inject({ url, headers })))
    // A 503 (the server shedding reads it cannot start within its queue wait) fails the page load.
    if (answers.some((answer) => answer.statusCode !== 200)) failed++
    else times.push(performance.now() - started)
  }
  return { times, failed }
}

const p95 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.ceil(values.length * 0.95) - 1] ?? Number.NaN

type Loads = { times: number[]; failed: number }
interface Round {
  mode: Mode
  pair: number
  idle: Loads
  loading: Loads
  seconds: number
  loaded: number
  bytes: number
}

/** The results so far, written after every round: a run stopped early still leaves its finished rounds. */
function report(results: Round[], started: number[], statements: string): void {
  const lines: string[] = []
  const say = (line: string) => lines.push(line)
  say(`# Benchmark: the Overview while ${rows.toLocaleString('en')} events load`)
  say('')
  say(conditions(started))
  say('')
  say(
    `A store of ${rows.toLocaleString('en')} demo events; each round, ${idleSeconds} s of Overview page loads with ` +
      `nothing else running (idle), then page loads for as long as a file of ${rows.toLocaleString('en')} new ` +
      'events (Parquet, another seed each round) loads through ingest (stage, validate, deduplicate, publish, ' +
      `rollups) in the same process (loading). Each pair runs both ways the embedded engine can run statements, ` +
      'the order alternating (A B, B A, …): side by side (a pool of connections, parameters written into the ' +
      'statements) and one at a time with bound parameters (QYZMET_EMBEDDED_PARALLEL=off, as before); ' +
      `${Math.ceil(results.length / 2)} of ${rounds} pairs. A page load is the Overview's ` +
      `${overview('').length} requests at once (meta, targets, six comparisons, the monthly trend to today), ` +
      'each computed (Cache-Control: no-cache); its time is until the last answer; a page load with any answer not ' +
      '200 (a 503 when the server sheds reads it cannot start within its queue wait) counts as failed and is not ' +
      'in the times. The store grows by a file each round.',
  )
  say('')
  say(
    '| pair | statements | idle p50 / p95 ms (loads, failed) | loading p50 / p95 ms (loads, failed) | loading p95 ÷ idle p95 | ingest rows/s (file) |',
  )
  say('| ---: | --- | ---: | ---: | ---: | ---: |')
  const cell = ({ times, failed }: Loads) =>
    `${median(times).toFixed(0)} / ${p95(times).toFixed(0)} (${times.length}, ${failed})`
  results.forEach((result) => {
    say(
      `| ${result.pair} | ${result.mode} | ${cell(result.idle)} | ${cell(result.loading)} | ` +
        `${(p95(result.loading.times) / p95(result.idle.times)).toFixed(2)} | ` +
        `${Math.round(result.loaded / result.seconds).toLocaleString('en')} (${(result.bytes / 2 ** 20).toFixed(0)} MiB) |`,
    )
  })
  say('')
  for (const mode of Object.keys(modes) as Mode[]) {
    const mine = results.filter((result) => result.mode === mode)
    if (mine.length === 0) continue
    const ratios = mine.map((result) => p95(result.loading.times) / p95(result.idle.times))
    const rates = mine.map((result) => result.loaded / result.seconds)
    say(
      `- ${mode}: loading p95 ÷ idle p95 median ${median(ratios).toFixed(2)}, min ${min(ratios).toFixed(2)}, max ` +
        `${Math.max(...ratios).toFixed(2)}; idle p95 median ${median(mine.map((r) => p95(r.idle.times))).toFixed(0)} ms; ` +
        `ingest median ${Math.round(median(rates)).toLocaleString('en')} rows/s.`,
    )
  }
  say('')
  say(
    `Goal (issue 16): loading p95 ≤ 2 × idle p95. Peak RSS of the process (engine included): ` +
      `${(process.resourceUsage().maxRSS / 2 ** 20).toFixed(1)} GiB. ${statements}`,
  )
  mkdirSync(new URL('results/', import.meta.url), { recursive: true })
  const date = new Date().toISOString().slice(0, 10)
  writeFileSync(new URL(`results/loading-${rows}-${date}.md`, import.meta.url), `${lines.join('\n')}\n`)
  console.log(lines.join('\n'))
}

async function main(): Promise<void> {
  const started = loadavg()
  const work = mkdtempSync(join(tmpdir(), 'qyzmet-bench-loading-'))
  const store = await openStore(loadConfig({ QYZMET_DATA_DIR: join(work, 'store'), CLICKHOUSE_URL: '' }))
  try {
    await migrate(store)
    await loadReference(store)
    await generateDemo(store, { rows, seed: 42, until })
    const { token } = await createToken(store, { name: 'bench', role: 'analyst' })
    const app = await buildApp(store, { anonymousRateLimit: 1_000_000 })
    await pageLoads(
      app,
      token,
      (() => {
        let left = 3
        return () => left-- === 0
      })(),
    )
    const results: Round[] = []
    const counted = { ...embeddedStatements, refused: { ...embeddedStatements.refused } }
    for (let pair = 0; pair < rounds; pair++) {
      const order = Object.keys(modes) as Mode[]
      for (const mode of pair % 2 ? order.reverse() : order) {
        const path = join(work, `events-${pair}-${results.length}.parquet`)
        await writeFile(store, path, 100 + results.length)
        setMode(mode)
        const idleUntil = performance.now() + idleSeconds * 1000
        const idle = await pageLoads(app, token, () => performance.now() > idleUntil)
        let finished = false
        const loadStarted = performance.now()
        const load = loadFile(store, path, { source: 'bench' }).finally(() => {
          finished = true
        })
        const loading = await pageLoads(app, token, () => finished)
        const summary = await load
        const seconds = (performance.now() - loadStarted) / 1000
        setMode('side by side')
        results.push({
          mode,
          pair: pair + 1,
          idle,
          loading,
          seconds,
          loaded: summary.loaded,
          bytes: statSync(path).size,
        })
        rmSync(path, { force: true })
        const statements =
          `Statements with parameters since the first page load: ${(embeddedStatements.inlined - counted.inlined).toLocaleString('en')} ` +
          `inlined, ${(embeddedStatements.bound - counted.bound).toLocaleString('en')} bound (refused by the inliner: ` +
          `${JSON.stringify(embeddedStatements.refused)}; the demo file's generator sends long lists, over the inliner's size limit).`
        report(results, started, statements)
        process.stderr.write(
          `pair ${pair + 1}, ${mode}: idle p95 ${p95(idle.times).toFixed(0)} ms (${idle.times.length}), loading p95 ` +
            `${p95(loading.times).toFixed(0)} ms (${loading.times.length}, ${loading.failed} failed), ` +
            `${summary.loaded} rows in ${seconds.toFixed(0)} s\n`,
        )
      }
    }
    await app.close()
  } finally {
    await store.close()
    rmSync(work, { recursive: true, force: true })
  }
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
