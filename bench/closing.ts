// `npx tsx bench/closing.ts`: the four figures over closed cases and services online (issue 16) on their rollups
// against raw events, and what feeding those rollups adds to the insert path, each measured interleaved.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { join } from 'node:path'
import { demoQuery, generatorSettings } from '@qyzmet/fixtures'
import {
  closedRollups,
  eventColumns,
  layoutOf,
  loadConfig,
  loadReference,
  migrate,
  openStore,
  readMigrations,
  renderMigration,
  rollups,
  type Store,
} from '@qyzmet/sql'
import type { ApiDimension, FilterQuery } from '../api/src/contract/index.ts'
import { metricById, plan } from '../api/src/metrics/index.ts'
import { parseFilters } from '../api/src/query/filters.ts'
import { loadReferenceData, type Reference } from '../api/src/reference.ts'
import { conditions, interleave, median, min } from './pairs.ts'

const rows = Number(process.env.BENCH_ROWS ?? 2_000_000)
const insertPairs = Number(process.env.BENCH_PAIRS ?? 5)
const queryPairs = Number(process.env.BENCH_QUERY_PAIRS ?? 7)
// The data runs to the day before "today", as in a live store fed daily; the dashboard's ranges end today.
const until = '2026-11-23'
const today = '2026-11-24'
/** The last 12 months as the brief's dashboard asks them: from the first of the month a year ago to today. */
const lastYear = { from: '2025-11-01', to: today }

type Say = (line: string) => void

/** Rows per INSERT, as the demo generator sends them. */
const chunkRows = 2_000_000

async function generate(store: Store): Promise<void> {
  const { sql, params } = await demoQuery(store, { rows, seed: 42, until })
  for (let from = 0; from < rows; from += chunkRows) {
    await store.command(
      'bench:generate',
      `INSERT INTO events (${eventColumns.join(', ')}) SELECT * FROM (${sql})`,
      { ...params, from, count: Math.min(chunkRows, rows - from) },
      { retry: false, settings: generatorSettings },
    )
  }
}

/** The statement of a migration that creates a view, rendered for this store. */
function viewStatement(store: Store, version: number, view: string): string {
  const migration = readMigrations().find((candidate) => candidate.version === version)
  const statement = renderMigration(migration?.text ?? '', layoutOf(store)).find((text) =>
    text.startsWith(`CREATE MATERIALIZED VIEW IF NOT EXISTS ${view} `),
  )
  if (!statement) throw new Error(`no view ${view} in migration ${version}`)
  return statement
}

/**
 * Before: the views as they were before issue 16's rollups (no closed view, the region-service view of 0042); after:
 * as migrated (the closed view of 0043, the region-service view with the age counts of 0044). Same generated rows.
 */
async function insertPath(store: Store, say: Say): Promise<void> {
  const views = {
    closed: viewStatement(store, 43, 'rollup_closed_daily_mv'),
    serviceDaily: viewStatement(store, 45, 'rollup_service_daily_mv'),
    regionBefore: viewStatement(store, 42, 'rollup_region_service_monthly_mv'),
    regionAfter: viewStatement(store, 44, 'rollup_region_service_monthly_mv'),
  }
  const tables = [
    'events',
    ...rollups.map((rollup) => rollup.table),
    ...Object.values(closedRollups).map((rollup) => rollup.table),
    'rollup_ingest_freshness',
  ]
  const empty = async () => {
    for (const table of tables) await store.command('bench:truncate', `TRUNCATE TABLE ${table}`)
  }
  const setViews = async (after: boolean) => {
    await store.command('bench:views', 'DROP VIEW IF EXISTS rollup_closed_daily_mv')
    await store.command('bench:views', 'DROP VIEW IF EXISTS rollup_region_service_monthly_mv')
    await store.command('bench:views', 'DROP VIEW IF EXISTS rollup_service_daily_mv')
    await store.command('bench:views', after ? views.regionAfter : views.regionBefore)
    if (after) await store.command('bench:views', views.closed)
    if (after) await store.command('bench:views', views.serviceDaily)
  }
  const samples = await interleave(
    insertPairs,
    [
      { name: 'before', before: () => setViews(false).then(empty), run: () => generate(store) },
      { name: 'after', before: () => setViews(true).then(empty), run: () => generate(store) },
    ],
    (step, round, sample) =>
      process.stderr.write(
        `insert ${round + 1} ${step}: ${sample.wall.toFixed(2)} s, ${sample.cpu.toFixed(2)} CPU-s\n`,
      ),
  )
  const of = (name: string, key: 'wall' | 'cpu') => (samples.get(name) ?? []).map((sample) => sample[key])
  say(`## The insert path, ${rows.toLocaleString('en')} generated rows, ${chunkRows.toLocaleString('en')} per INSERT`)
  say('')
  say(
    `${insertPairs} pairs, interleaved (before, after), on emptied tables. Before: every view as before issue 16's ` +
      'rollups. After: plus the closed-cases view (0043), the region-service view with its five age counts (0044) and ' +
      'the daily view by service (0045).',
  )
  say('')
  say('| views | wall min | wall median | CPU-s min | CPU-s median |')
  say('| --- | ---: | ---: | ---: | ---: |')
  for (const name of ['before', 'after']) {
    const [wall, cpu] = [of(name, 'wall'), of(name, 'cpu')]
    say(
      `| ${name} | ${min(wall).toFixed(2)} s | ${median(wall).toFixed(2)} s | ${min(cpu).toFixed(2)} | ${median(cpu).toFixed(2)} |`,
    )
  }
  const ratio = (key: 'wall' | 'cpu') =>
    `${(median(of('after', key)) / median(of('before', key))).toFixed(3)} (median), ` +
    `${(min(of('after', key)) / min(of('before', key))).toFixed(3)} (min)`
  say('')
  say(`After ÷ before: wall ${ratio('wall')}; CPU ${ratio('cpu')}.`)
  say('')
}

interface Query {
  name: string
  metric: string
  query: FilterQuery
  by?: ApiDimension[]
  series?: boolean
}

const figures = ['completion_rate', 'processing_time_median', 'digital_take_up', 'age_divide']
const queries: Query[] = [
  ...figures.flatMap((metric) => [
    { name: `${metric}, last 12 months to today`, metric, query: lastYear },
    { name: `${metric} by region, last 12 months to today`, metric, query: lastYear, by: ['region'] as ApiDimension[] },
  ]),
  {
    name: 'age_divide monthly, last 12 months to today (People)',
    metric: 'age_divide',
    query: { ...lastYear, interval: 'month' },
    series: true,
  },
  {
    name: 'processing_time_median by channel, last 12 months to today (Channels)',
    metric: 'processing_time_median',
    query: lastYear,
    by: ['channel'],
  },
]

/** Same rows, numbers equal to 9 digits (sums in another order differ in the last bits). */
function same(a: Record<string, unknown>[], b: Record<string, unknown>[], what: string): void {
  const close = (x: unknown, y: unknown) =>
    typeof x === 'number' && typeof y === 'number' ? Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(y)) : x === y
  if (a.length !== b.length || a.some((row, i) => Object.entries(row).some(([k, v]) => !close(v, b[i]?.[k]))))
    throw new Error(`${what}: the rollup's and raw events' answers differ`)
}

async function timeQueries(store: Store, reference: Reference, say: Say): Promise<void> {
  say(`## The four figures at ${rows.toLocaleString('en')} events, today = ${today}`)
  say('')
  say(
    `Each query as the planner builds it, against the same query forced onto raw events; ${queryPairs} pairs, ` +
      'interleaved; the two answers are checked equal. No OPTIMIZE: parts as the load left them.',
  )
  say('')
  say('| query | rollup plan reads | rollup ms (min / median) | raw ms (min / median) | rollup ÷ raw (median; min) |')
  say('| --- | --- | ---: | ---: | ---: |')
  for (const query of queries) {
    const metric = metricById(query.metric)
    if (!metric) throw new Error(query.metric)
    const filters = parseFilters(query.query, { reference, today })
    const spec = { metric, filters, by: query.by ?? [], series: query.series ?? false, today }
    const plans = { rollup: plan(spec, reference), raw: plan({ ...spec, forceRaw: true }, reference) }
    const answers = new Map<string, Record<string, unknown>[]>()
    const samples = await interleave(
      queryPairs,
      Object.entries(plans).map(([name, planned]) => ({
        name,
        run: async () => answers.set(name, await store.rows('bench:closing', planned.sql, planned.params)),
      })),
    )
    same(answers.get('rollup') ?? [], answers.get('raw') ?? [], query.name)
    const ms = (name: string) => (samples.get(name) ?? []).map((sample) => sample.wall * 1000)
    const [rolled, raw] = [ms('rollup'), ms('raw')]
    say(
      `| ${query.name} | ${plans.rollup.source} | ${min(rolled).toFixed(1)} / ${median(rolled).toFixed(1)} | ` +
        `${min(raw).toFixed(1)} / ${median(raw).toFixed(1)} | ` +
        `${(median(rolled) / median(raw)).toFixed(3)}; ${(min(rolled) / min(raw)).toFixed(3)} |`,
    )
  }
  say('')
}

async function main(): Promise<void> {
  const started = loadavg()
  const dataDir = mkdtempSync('/tmp/closing-bench-')
  const store = await openStore(loadConfig({ QYZMET_DATA_DIR: dataDir, CLICKHOUSE_URL: '' }))
  const lines: string[] = []
  const say: Say = (line) => {
    console.log(line)
    lines.push(line)
  }
  try {
    await migrate(store)
    await loadReference(store)
    say('# Benchmark: completion, processing time, take-up and the age divide on their rollups (issue 16)')
    say('')
    if (insertPairs > 0) await insertPath(store, say)
    else await generate(store)
    await timeQueries(store, await loadReferenceData(store), say)
    lines.splice(2, 0, conditions(started), '')
  } finally {
    await store.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
  const dir = new URL('./results/', import.meta.url).pathname
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, `closing-${rows}-${new Date().toISOString().slice(0, 10)}.md`), `${lines.join('\n')}\n`)
}

await main()
