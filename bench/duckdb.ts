// `npm run bench:duckdb -- --rows 10000000`: the Overview's and Regions' requests against DuckDB over the same rows as
// Parquet, and each request's planned path against raw events; every answer checked before it is timed.
import { mkdirSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { DuckDBInstance } from '@duckdb/node-api'
import { generateDemo } from '@qyzmet/fixtures'
import { loadConfig, loadReference, migrate, openStore, type Store, todayIn } from '@qyzmet/sql'
import { buildApp } from '../api/src/app.ts'
import { createToken } from '../api/src/tokens.ts'
import {
  apiNumbers,
  byRegionSql,
  byServiceSql,
  compareSql,
  type DuckContext,
  disagreements,
  duckNumbers,
  duckRows,
  type Range,
  seriesSql,
} from './duckdb-queries.ts'
import { interleave, median, min, type Sample } from './pairs.ts'
import { metaDays, pageRequests, timed } from './scale-pages.ts'
import { enginePath, requestOf } from './scale-plans.ts'
import { Report } from './scale-report.ts'

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '10000000' },
    pairs: { type: 'string', default: '7' },
    work: { type: 'string', default: '/tmp/scale-duckdb' },
    /** A store already filled (by bench:scale's run) to read instead of generating one. */
    store: { type: 'string' },
  },
})
const pairs = Number(args.pairs)

/** The events as the engine holds them, written by it as Parquet (zstd), in day order so that DuckDB can skip. */
async function exportEvents(store: Store, path: string): Promise<void> {
  await store.command(
    'bench:export',
    `INSERT INTO FUNCTION file({path:String}, 'Parquet')
     SELECT * REPLACE (toString(status) AS status, toString(assisted_by) AS assisted_by,
                       toString(age_band) AS age_band, toString(gender) AS gender), occurred_on
     FROM events ORDER BY occurred_on`,
    { path },
    { retry: false, settings: { output_format_parquet_compression_method: 'zstd', max_threads: 2 } },
  )
}

/** The DuckDB question for a request, from the API's answer's ranges (as the API chose them). */
function duckQuestion(context: DuckContext, url: string, answer: Record<string, unknown>): string | null {
  const request = requestOf(url)
  if (!request) return null
  const range = (value: unknown) => value as Range
  const filters = range(answer.filters)
  switch (request.kind) {
    case 'compare':
      return compareSql(
        context,
        request.metric,
        ['current', 'previous', 'previousYear'].map((name) => range(answer[name])),
      )
    case 'series':
      return request.metric === 'online_share' ? seriesSql(context, filters) : null
    case 'region':
    case 'funnel':
      return request.metric === 'online_share' ? byRegionSql(context, filters) : null
    case 'decompose':
      return byServiceSql(context, filters, range(answer.base))
  }
}

const cell = (values: number[]) => `${min(values).toFixed(1)} / ${median(values).toFixed(1)}`
const ms = (samples: Map<string, Sample[]>, name: string) => (samples.get(name) ?? []).map((one) => one.wall * 1000)

async function main(): Promise<void> {
  const rows = Number(args.rows)
  const zone = loadConfig({}).timezone
  const until = todayIn(zone, new Date(Date.now() - 86_400_000))
  if (!args.store) rmSync(args.work, { recursive: true, force: true })
  mkdirSync(args.work, { recursive: true })
  const store = await openStore(
    loadConfig({ QYZMET_DATA_DIR: args.store ?? join(args.work, 'store'), CLICKHOUSE_URL: '' }),
  )
  const parquet = join(args.work, 'events.parquet')
  try {
    if (!args.store) {
      await migrate(store)
      await loadReference(store)
      await generateDemo(store, { rows, seed: 42, until })
    }
    const [count] = await store.rows<{ n: string }>('bench:count', 'SELECT toString(count()) AS n FROM events')
    const events = Number(count?.n)
    const report = new Report(
      new URL(`results/duckdb-${events}-${new Date().toISOString().slice(0, 10)}.md`, import.meta.url),
      `Benchmark: the Overview and Regions against DuckDB, and against raw events, at ${events.toLocaleString('en')} events`,
      setup(events, pairs),
    )
    process.stderr.write('exporting Parquet…\n')
    await exportEvents(store, parquet)
    const duck = await (await DuckDBInstance.create(':memory:', { threads: '2' })).connect()
    await duck.run("SET TimeZone = 'UTC'")
    await duck.run(`CREATE VIEW events AS SELECT * FROM read_parquet('${parquet}')`)
    const online = await store.rows<{ code: string }>(
      'bench:online',
      "SELECT code FROM channels FINAL WHERE kind = 'online' ORDER BY code",
    )
    const { token } = await createToken(store, { name: 'bench-duckdb', role: 'analyst' })
    const app = await buildApp(store, { anonymousRateLimit: 1_000_000, dashboard: false })
    const reference = await app.reference()
    const context: DuckContext = {
      connection: duck,
      online: online.map((row) => row.code),
      onlineSince: Object.fromEntries(reference.services.map((service) => [service.code, service.onlineSince])),
    }
    const { firstDay, today } = await metaDays(app, token)
    const duckTable = [
      '| page | request | API ms (min / median) | DuckDB ms (min / median) | DuckDB ÷ API (median; min) | ≥ 5× | numbers checked equal |',
    ]
    duckTable.push('| --- | --- | ---: | ---: | ---: | --- | ---: |')
    const rawTable = [
      '| page | request | path reads | path ms (min / median) | raw ms (min / median) | path ÷ raw (median; min) | ≤ 0.1 |',
    ]
    rawTable.push('| --- | --- | --- | ---: | ---: | ---: | --- |')
    const bytes = statSync(parquet).size
    for (const request of pageRequests(firstDay, today).filter((one) => one.url.includes('/metrics/'))) {
      const first = JSON.parse((await timed(app, token, request.url)).body) as Record<string, unknown>
      const kind = requestOf(request.url)?.kind ?? 'compare'
      const question = duckQuestion(context, request.url, first)
      let checked = 0
      if (question) {
        const expected = apiNumbers(kind, first)
        checked = expected.size
        const differ = disagreements(
          expected,
          duckNumbers(
            kind === 'funnel' ? 'region' : kind,
            await duckRows(context, question),
            requestOf(request.url)?.metric,
          ),
        )
        if (differ.length)
          throw new Error(`${request.name}: DuckDB and the API disagree: ${differ.slice(0, 5).join('; ')}`)
      }
      const path = enginePath(store, reference, today, request.url)
      const samples = await interleave(pairs, [
        { name: 'api', run: () => timed(app, token, request.url) },
        ...(question ? [{ name: 'duckdb', run: () => duckRows(context, question) }] : []),
        ...(path
          ? [
              { name: 'path', run: () => path.run(false) },
              { name: 'raw', run: () => path.run(true) },
            ]
          : []),
      ])
      const [api, duckMs, planned, raw] = ['api', 'duckdb', 'path', 'raw'].map((name) => ms(samples, name))
      const label = `| ${request.page} | ${request.name} |`
      duckTable.push(
        question && duckMs
          ? `${label} ${cell(api ?? [])} | ${cell(duckMs)} | ${(median(duckMs) / median(api ?? [])).toFixed(1)}; ` +
              `${(min(duckMs) / min(api ?? [])).toFixed(1)} | ${median(duckMs) / median(api ?? []) >= 5 ? 'yes' : '**no**'} | ${checked} |`
          : `${label} ${cell(api ?? [])} | — | — | not asked of DuckDB: the service register, not events | |`,
      )
      if (path && planned && raw) {
        const ratio = median(planned) / median(raw)
        rawTable.push(
          `${label} ${path.source} | ${cell(planned)} | ${cell(raw)} | ${ratio.toFixed(3)}; ` +
            `${(min(planned) / min(raw)).toFixed(3)} | ${ratio <= 0.1 ? 'yes' : '**no**'} |`,
        )
      }
      process.stderr.write(`${request.name}: done\n`)
      report.section(
        [`## Qyzmet's API against DuckDB over Parquet (${(bytes / 2 ** 20).toFixed(0)} MiB)`, '', ...duckTable],
        'duckdb',
      )
      report.section(["## Each request's planned path against raw events", '', ...rawTable], 'raw')
    }
    await app.close()
  } finally {
    await store.close()
    rmSync(parquet, { force: true })
    if (!args.store) rmSync(args.work, { recursive: true, force: true })
  }
}

function setup(events: number, rounds: number): string {
  return [
    `\`npm run bench:duckdb -- --rows ${args.rows}\`: ${events.toLocaleString('en')} demo events (seed 42, 2019-01-01 to `,
    'yesterday) in the embedded engine, exported by it as one Parquet file (zstd, sorted by day so that DuckDB can ',
    "skip row groups by date; enums as strings, the stored local day included). Each of the Overview's and Regions' ",
    'requests for their default view (as `scale-pages.ts` lists them, end date today) is first answered by the API ',
    "and by DuckDB, and the benchmark stops unless every number agrees (relative 1e-9): the KPI's values for the ",
    "three ranges, the trend's and the regions' numerators and denominators, the decomposition's counts per ",
    `service. Then ${rounds} rounds, interleaved, of: **API** (app.inject, an analyst's token, Cache-Control: `,
    "no-cache; HTTP, JSON and the route's JavaScript included), **DuckDB** (@duckdb/node-api 1.5.6, in this ",
    'process, 2 threads, the SQL alone over the Parquet), **path** (the engine queries the route runs, as the ',
    'planner plans them, through the store) and **raw** (the same queries forced onto raw events). DuckDB ÷ API is ',
    "DuckDB's time over Qyzmet's (goal: ≥ 5); path ÷ raw is the rollups' time over raw events' (goal: ≤ 0.1).",
  ].join('')
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
