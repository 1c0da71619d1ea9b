// The Overview while a large file loads: page loads timed idle and during an ingest, in turn; `npx tsx bench/loading.ts`.
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { demoQuery, generateDemo, generatorSettings } from '@qyzmet/fixtures'
import { loadFile } from '@qyzmet/ingest/load'
import { loadConfig, loadReference, migrate, openStore, type Store } from '@qyzmet/sql'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../api/src/app.ts'
import { bearer } from '../api/src/testing.ts'
import { createToken } from '../api/src/tokens.ts'
import { conditions, median, min } from './pairs.ts'

const rows = Number(process.env.BENCH_ROWS ?? 10_000_000)
const rounds = Number(process.env.BENCH_PAIRS ?? 5)
const idleSeconds = Number(process.env.BENCH_IDLE_SECONDS ?? 30)
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
  idle: Loads
  loading: Loads
  seconds: number
  loaded: number
  bytes: number
}

/** The results so far, written after every round: a run stopped early still leaves its finished rounds. */
function report(results: Round[], started: number[]): void {
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
      `rollups) in the same process (loading); ${results.length} of ${rounds} rounds. A page load is the Overview's ` +
      `${overview('').length} requests at once (meta, targets, six comparisons, the monthly trend to today), ` +
      'each computed (Cache-Control: no-cache); its time is until the last answer; a page load with any answer not ' +
      '200 (a 503 when the server sheds reads it cannot start within its queue wait) counts as failed and is not ' +
      'in the times. The store grows by a file each round.',
  )
  say('')
  say(
    '| round | idle p50 / p95 ms (loads, failed) | loading p50 / p95 ms (loads, failed) | loading p95 ÷ idle p95 | ingest rows/s (file) |',
  )
  say('| ---: | ---: | ---: | ---: | ---: |')
  const cell = ({ times, failed }: Loads) =>
    `${median(times).toFixed(0)} / ${p95(times).toFixed(0)} (${times.length}, ${failed})`
  results.forEach((result, index) => {
    say(
      `| ${index + 1} | ${cell(result.idle)} | ${cell(result.loading)} | ` +
        `${(p95(result.loading.times) / p95(result.idle.times)).toFixed(2)} | ` +
        `${Math.round(result.loaded / result.seconds).toLocaleString('en')} (${(result.bytes / 2 ** 20).toFixed(0)} MiB) |`,
    )
  })
  const ratios = results.map((result) => p95(result.loading.times) / p95(result.idle.times))
  say('')
  say(
    `Loading p95 ÷ idle p95: median ${median(ratios).toFixed(2)}, min ${min(ratios).toFixed(2)}, max ` +
      `${Math.max(...ratios).toFixed(2)}. Goal (issue 16): ≤ 2. Peak RSS of the process (engine included): ` +
      `${(process.resourceUsage().maxRSS / 2 ** 20).toFixed(1)} GiB.`,
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
    for (let round = 0; round < rounds; round++) {
      const path = join(work, `events-${round}.parquet`)
      await writeFile(store, path, 100 + round)
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
      results.push({ idle, loading, seconds, loaded: summary.loaded, bytes: statSync(path).size })
      rmSync(path, { force: true })
      report(results, started)
      process.stderr.write(
        `round ${round + 1}: idle p95 ${p95(idle.times).toFixed(0)} ms (${idle.times.length}), loading p95 ` +
          `${p95(loading.times).toFixed(0)} ms (${loading.times.length}, ${loading.failed} failed), ` +
          `${summary.loaded} rows in ${seconds.toFixed(0)} s\n`,
      )
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
