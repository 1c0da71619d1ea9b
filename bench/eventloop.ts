// The server's event loop while 20 heavy queries with large answers run: JSON from the engine's bytes against rows
// built as JavaScript objects (the route before), and CSV streamed; the engine's answers with the embedded engine's
// statements side by side and one at a time (QYZMET_EMBEDDED_PARALLEL=off, as before); `npx tsx bench/eventloop.ts`.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { promisify } from 'node:util'
import { gunzipSync, gzip } from 'node:zlib'
import { generateDemo } from '@qyzmet/fixtures'
import { loadConfig, loadReference, migrate, openStore } from '@qyzmet/sql'
import { buildApp } from '../api/src/app.ts'
import type { FilterQuery } from '../api/src/contract/index.ts'
import { metricById, plan } from '../api/src/metrics/index.ts'
import { parseFilters } from '../api/src/query/filters.ts'
import { runRows } from '../api/src/query/run.ts'
import { loadReferenceData } from '../api/src/reference.ts'
import { bearer } from '../api/src/testing.ts'
import { createToken } from '../api/src/tokens.ts'
import { conditions, median, min } from './pairs.ts'

const rows = Number(process.env.BENCH_ROWS ?? 10_000_000)
const rounds = Number(process.env.BENCH_PAIRS ?? 5)
const concurrent = 20
const until = '2026-10-31'

/** Twenty different ranges of 20 months, each a series by month, region and service: tens of thousands of rows. */
const queries = Array.from({ length: concurrent }, (_, index) => {
  const from = `2024-${String((index % 10) + 1).padStart(2, '0')}-${index < 10 ? '03' : '17'}`
  const to = `2026-${String((index % 10) + 1).padStart(2, '0')}-${index < 10 ? '02' : '16'}`
  return { from, to, interval: 'month' } satisfies FilterQuery
})
const url = (query: (typeof queries)[number], format: string) =>
  `/api/v1/metrics/volume/series?by=region,service&from=${query.from}&to=${query.to}&interval=month${format}`

async function main(): Promise<void> {
  const started = loadavg()
  const dataDir = mkdtempSync(join(tmpdir(), 'qyzmet-bench-loop-'))
  const store = await openStore(loadConfig({ QYZMET_DATA_DIR: dataDir, CLICKHOUSE_URL: '' }))
  const lines: string[] = []
  const say = (line: string) => {
    console.log(line)
    lines.push(line)
  }
  try {
    await migrate(store)
    await loadReference(store)
    await generateDemo(store, { rows, seed: 42, until })
    const { token } = await createToken(store, { name: 'bench', role: 'analyst' })
    const app = await buildApp(store, { anonymousRateLimit: 1_000_000 })
    const reference = await loadReferenceData(store)
    const metric = metricById('volume')
    if (!metric) throw new Error('volume is missing')
    const headers = { ...bearer(token), 'accept-encoding': 'gzip', 'cache-control': 'no-cache' }
    const answerBytes = new Map<string, number>()
    const json = () =>
      Promise.all(queries.map((query) => app.inject({ url: url(query, ''), headers }))).then((answers) =>
        answerBytes.set(
          'json',
          answers.reduce((sum, answer) => sum + answer.rawPayload.length, 0),
        ),
      )
    const csv = () => Promise.all(queries.map((query) => app.inject({ url: url(query, '&format=csv'), headers })))
    /** Runs `run` with the embedded engine's statements one at a time, as before the pool. */
    const oneAtATime = (run: () => Promise<unknown>) => async () => {
      process.env.QYZMET_EMBEDDED_PARALLEL = 'off'
      try {
        return await run()
      } finally {
        delete process.env.QYZMET_EMBEDDED_PARALLEL
      }
    }
    const modes: Record<string, () => Promise<unknown>> = {
      'JSON, the engine’s bytes (the route now); statements side by side': json,
      'JSON, the engine’s bytes; statements one at a time (before)': oneAtATime(json),
      'CSV, streamed from the engine; statements side by side': csv,
      'CSV, streamed from the engine; statements one at a time (before)': oneAtATime(csv),
    }
    // The route before the engine's bytes (measured in eventloop-10000000-2026-11-29.md): with BENCH_OBJECTS=1 only.
    if (process.env.BENCH_OBJECTS === '1')
      modes['JSON, rows as JavaScript objects serialised again (the route before); side by side'] = () =>
        Promise.all(
          queries.map(async (query) => {
            const filters = parseFilters(query, { reference, today: app.today() })
            const planned = plan(
              { metric, filters, by: ['region', 'service'], series: true, today: app.today() },
              reference,
            )
            // As long as it takes: twenty at once, with no queue in front of the engine as the route has.
            const objects = await runRows(store, planned, 'bench:objects', 600)
            return promisify(gzip)(JSON.stringify({ metric: metric.id, filters, rows: objects }))
          }),
        )
    // Every mode once, untimed: schemas compiled, parts cached.
    for (const run of Object.values(modes)) await run()
    const first = await app.inject({ url: url(queries[0] as (typeof queries)[number], ''), headers })
    const rowsPerAnswer = (JSON.parse(gunzipSync(first.rawPayload).toString('utf8')) as { rows: unknown[] }).rows.length
    const delays = new Map<string, { p99: number[]; max: number[]; wall: number[] }>()
    for (let round = 0; round < rounds; round++) {
      // The order alternates, so that neither way of running statements always follows the other.
      const order = Object.entries(modes)
      for (const [name, run] of round % 2 ? order.reverse() : order) {
        const delay = monitorEventLoopDelay({ resolution: 5 })
        delay.enable()
        const start = performance.now()
        await run()
        const wall = performance.now() - start
        delay.disable()
        const entry = delays.get(name) ?? { p99: [], max: [], wall: [] }
        entry.p99.push(delay.percentile(99) / 1e6)
        entry.max.push(delay.max / 1e6)
        entry.wall.push(wall)
        delays.set(name, entry)
        process.stderr.write(`round ${round + 1}: ${name}: p99 ${(delay.percentile(99) / 1e6).toFixed(0)} ms\n`)
      }
    }
    say(`# Benchmark: the event loop while ${concurrent} heavy queries answer (${rows.toLocaleString('en')} events)`)
    say('')
    say(conditions(started))
    say('')
    say(
      `${concurrent} requests at once, each a monthly series by region and service over a different 20-month range ` +
        `(${rowsPerAnswer.toLocaleString('en')} rows in the first; ${((answerBytes.get('json') ?? 0) / 2 ** 20).toFixed(1)} MiB ` +
        `of gzip JSON for all ${concurrent}), gzip accepted; in the server's process (app.inject), the event-loop ` +
        `delay sampled every 5 ms; ${rounds} rounds, the modes interleaved (the order reversed every other round). At ` +
        'most 8 queries run at once, the rest wait. "Side by side": the embedded engine runs up to 3 statements at ' +
        'once (a pool of connections, parameters written into the statements); "one at a time": ' +
        'QYZMET_EMBEDDED_PARALLEL=off, as before.',
    )
    say('')
    say('| answers | loop delay p99 ms (min / median) | loop delay max ms (median) | all 20 answered, ms (median) |')
    say('| --- | ---: | ---: | ---: |')
    for (const [name, entry] of delays) {
      say(
        `| ${name} | ${min(entry.p99).toFixed(0)} / ${median(entry.p99).toFixed(0)} | ${median(entry.max).toFixed(0)} | ` +
          `${median(entry.wall).toFixed(0)} |`,
      )
    }
    say('')
    say('Goal (issue 16): p99 ≤ 20 ms while 20 heavy queries and large answers run.')
    await app.close()
  } finally {
    await store.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
  mkdirSync(new URL('results/', import.meta.url), { recursive: true })
  const date = new Date().toISOString().slice(0, 10)
  writeFileSync(new URL(`results/eventloop-${rows}-${date}.md`, import.meta.url), `${lines.join('\n')}\n`)
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
