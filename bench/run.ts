// `npm run bench`: the generator's insert path against a bare table, and dashboard queries on rollups against raw events.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { demoQuery, generatorSettings } from '@qyzmet/fixtures'
import { eventColumns, loadConfig, loadReference, migrate, openStore, rollups, type Store } from '@qyzmet/sql'
import type { ApiDimension, FilterQuery } from '../api/src/contract/index.ts'
import { metricById, plan } from '../api/src/metrics/index.ts'
import { parseFilters } from '../api/src/query/filters.ts'
import { loadReferenceData, type Reference } from '../api/src/reference.ts'
import { conditions, interleave, median, min, rate } from './pairs.ts'

const rows = Number(process.env.BENCH_ROWS ?? 10_000_000)
const rounds = Number(process.env.BENCH_PAIRS ?? 5)
const queryRounds = Number(process.env.BENCH_QUERY_PAIRS ?? 9)
// The data runs to the day before "today", as in a live store fed daily; users' ranges end today.
const until = '2026-11-23'
const today = '2026-11-24'
/** Rows per INSERT, as the demo generator sends them. */
const chunkRows = 2_000_000

interface DashboardQuery {
  page: string
  name: string
  metric: string
  query: FilterQuery
  by?: ApiDimension[]
  series?: boolean
}

/** What the dashboard's pages ask for with their default filters (last 12 months), as the web client sends it. */
const dashboard: DashboardQuery[] = [
  { page: 'Overview', name: 'volume KPI', metric: 'volume', query: { period: 'last_12m' } },
  { page: 'Overview', name: 'online share KPI', metric: 'online_share', query: { period: 'last_12m' } },
  { page: 'Overview', name: 'completion rate KPI', metric: 'completion_rate', query: { period: 'last_12m' } },
  { page: 'Overview', name: 'satisfaction KPI', metric: 'satisfaction', query: { period: 'last_12m' } },
  {
    page: 'Overview',
    name: 'online share trend, monthly since 2019 to today',
    metric: 'online_share',
    query: { from: '2019-01-01', to: today, interval: 'month' },
    series: true,
  },
  {
    page: 'Overview',
    name: 'volume, daily, last 90 days',
    metric: 'volume',
    query: { period: 'last_90d', interval: 'day' },
    series: true,
  },
  {
    page: 'Regions',
    name: 'online share by region',
    metric: 'online_share',
    query: { period: 'last_12m' },
    by: ['region'],
  },
  {
    page: 'Regions',
    name: 'per capita by region',
    metric: 'per_capita',
    query: { period: 'last_12m' },
    by: ['region'],
  },
  {
    page: 'Channels',
    name: 'channel mix, monthly since 2019 to today',
    metric: 'volume',
    query: { from: '2019-01-01', to: today, interval: 'month' },
    by: ['channel'],
    series: true,
  },
  {
    page: 'Channels',
    name: 'median processing time by channel',
    metric: 'processing_time_median',
    query: { period: 'last_12m' },
    by: ['channel'],
  },
  { page: 'Services', name: 'volume by service', metric: 'volume', query: { period: 'last_12m' }, by: ['service'] },
  {
    page: 'Region',
    name: 'online share by service in one region',
    metric: 'online_share',
    query: { period: 'last_12m', region: ['75'] },
    by: ['service'],
  },
  {
    page: 'People',
    name: 'self-service share by age band and gender',
    metric: 'online_share_self',
    query: { period: 'last_12m' },
    by: ['age_band', 'gender'],
  },
]

/** Inserts the generator's rows into a table in the chunks the demo uses; only the target table differs. */
async function generateInto(store: Store, table: string): Promise<void> {
  const { sql, params } = await demoQuery(store, { rows, seed: 42, until })
  for (let from = 0; from < rows; from += chunkRows) {
    await store.command(
      'bench:generate',
      `INSERT INTO ${table} (${eventColumns.join(', ')}) SELECT * FROM (${sql})`,
      { ...params, from, count: Math.min(chunkRows, rows - from) },
      { retry: false, settings: generatorSettings },
    )
  }
}

const written = ['events', ...rollups.map((rollup) => rollup.table), 'rollup_ingest_freshness']
const truncate = async (store: Store, tables: string[]) => {
  for (const table of tables) await store.command('bench:truncate', `TRUNCATE TABLE ${table}`)
}

async function insertPath(store: Store, say: (line: string) => void): Promise<void> {
  const { sql, params } = await demoQuery(store, { rows, seed: 42, until })
  const samples = await interleave(
    rounds,
    [
      {
        name: 'select',
        run: () =>
          store.command('bench:select', `SELECT * FROM (${sql}) FORMAT Null`, params, {
            retry: false,
            settings: generatorSettings,
          }),
      },
      { name: 'bare', before: () => truncate(store, ['events_bare']), run: () => generateInto(store, 'events_bare') },
      { name: 'views', before: () => truncate(store, written), run: () => generateInto(store, 'events') },
    ],
    (step, round, sample) =>
      process.stderr.write(
        `insert round ${round + 1}: ${step} ${sample.wall.toFixed(2)} s, ${sample.cpu.toFixed(2)} CPU-s\n`,
      ),
  )
  const describe = {
    select: 'the generator SELECT alone (FORMAT Null)',
    bare: 'INSERT … SELECT into a plain events table (same schema, no views)',
    views: `INSERT … SELECT into events with its ${rollups.length} rollups and the freshness view`,
  }
  say(`## The generator's insert path, ${rows.toLocaleString('en')} rows`)
  say('')
  say(
    `${rounds} rounds of the three steps in this order, on emptied tables; ${chunkRows.toLocaleString('en')} rows per INSERT.`,
  )
  say('')
  say('| step | wall min | wall median | rows/s (median) | CPU-s median | rows per CPU-s | bare ÷ step (median; min) |')
  say('| --- | ---: | ---: | ---: | ---: | ---: | ---: |')
  const bare = (samples.get('bare') ?? []).map((sample) => sample.wall)
  for (const [name, description] of Object.entries(describe)) {
    const wall = (samples.get(name) ?? []).map((sample) => sample.wall)
    const cpu = (samples.get(name) ?? []).map((sample) => sample.cpu)
    say(
      `| ${description} | ${min(wall).toFixed(2)} s | ${median(wall).toFixed(2)} s | ${rate(rows, median(wall))} | ` +
        `${median(cpu).toFixed(2)} | ${rate(rows, median(cpu))} | ` +
        `${(median(bare) / median(wall)).toFixed(2)}; ${(min(bare) / min(wall)).toFixed(2)} |`,
    )
  }
  say('')
}

async function sizes(store: Store, say: (line: string) => void): Promise<void> {
  const tables = await store.rows<{ table: string; rows: string; bytes: string; parts: string }>(
    'bench:sizes',
    `SELECT table, toString(sum(rows)) AS rows, toString(sum(bytes_on_disk)) AS bytes, toString(count()) AS parts
     FROM system.parts WHERE database = currentDatabase() AND active AND table IN {tables:Array(String)}
     GROUP BY table ORDER BY table`,
    { tables: written },
  )
  // Why the rollups other than the monthly one are fed by events: a pre-aggregate with all their dimensions.
  const [cells] = await store.rows<{ daily: string; monthly: string }>(
    'bench:cells',
    `SELECT
       (SELECT toString(count()) FROM (SELECT 1 FROM events GROUP BY occurred_on, region, channel, assisted_by, service_code, age_band, gender)) AS daily,
       (SELECT toString(count()) FROM (SELECT 1 FROM events GROUP BY toStartOfMonth(occurred_on), region, channel, assisted_by, service_code, age_band, gender)) AS monthly`,
  )
  say('## Table sizes after the last load (parts as left by background merges)')
  say('')
  say('| table | rows | on disk | parts |')
  say('| --- | ---: | ---: | ---: |')
  for (const size of tables) {
    say(
      `| ${size.table} | ${Number(size.rows).toLocaleString('en')} | ${(Number(size.bytes) / 2 ** 20).toFixed(1)} MiB | ${size.parts} |`,
    )
  }
  say('')
  say(
    `A pre-aggregate holding every rollup dimension (region, channel, assistance, service, age band, gender) would ` +
      `have ${Number(cells?.daily).toLocaleString('en')} rows by day and ${Number(cells?.monthly).toLocaleString('en')} ` +
      `by month for these ${rows.toLocaleString('en')} events.`,
  )
  say('')
}

async function queries(store: Store, reference: Reference, say: (line: string) => void): Promise<void> {
  say(`## Dashboard queries at ${rows.toLocaleString('en')} events`)
  say('')
  say(
    `Each query as the planner builds it for the filters the page sends (today = ${today}), against the same query ` +
      `forced onto raw events; ${queryRounds} rounds of rollup, raw in turn. No OPTIMIZE: parts as the loads left them.`,
  )
  say('')
  say('| page | query | table read | rollup ms (min / median) | raw ms (min / median) | ratio (median; min) |')
  say('| --- | --- | --- | ---: | ---: | ---: |')
  for (const query of dashboard) {
    const metric = metricById(query.metric)
    if (!metric) throw new Error(`unknown metric ${query.metric}`)
    const filters = parseFilters(query.query, { reference, today })
    const spec = { metric, filters, by: query.by ?? [], series: query.series ?? false, today }
    const planned = plan(spec, reference)
    const raw = plan({ ...spec, forceRaw: true }, reference)
    const answers = new Map<string, number>()
    const samples = await interleave(queryRounds, [
      {
        name: 'rollup',
        run: async () => answers.set('rollup', (await store.rows('bench:rollup', planned.sql, planned.params)).length),
      },
      { name: 'raw', run: async () => answers.set('raw', (await store.rows('bench:raw', raw.sql, raw.params)).length) },
    ])
    if (answers.get('rollup') !== answers.get('raw'))
      throw new Error(`${query.name}: ${answers.get('rollup')} rows from ${planned.source}, ${answers.get('raw')} raw`)
    const ms = (name: string) => (samples.get(name) ?? []).map((sample) => sample.wall * 1000)
    const [rolled, rawMs] = [ms('rollup'), ms('raw')]
    say(
      `| ${query.page} | ${query.name} | ${planned.source} | ${min(rolled).toFixed(1)} / ${median(rolled).toFixed(1)} | ` +
        `${min(rawMs).toFixed(1)} / ${median(rawMs).toFixed(1)} | ` +
        `${(median(rolled) / median(rawMs)).toFixed(3)}; ${(min(rolled) / min(rawMs)).toFixed(3)} |`,
    )
  }
  say('')
}

async function main(): Promise<void> {
  const started = loadavg()
  const dataDir = mkdtempSync(join(tmpdir(), 'qyzmet-bench-'))
  const store = await openStore(loadConfig({ QYZMET_DATA_DIR: dataDir, CLICKHOUSE_URL: '' }))
  const lines: string[] = []
  const say = (line: string) => {
    console.log(line)
    lines.push(line)
  }
  try {
    await migrate(store)
    await loadReference(store)
    await store.command('bench:bare', 'CREATE TABLE events_bare AS events')
    say(`# Benchmark: the insert path with rollups, and dashboard queries on rollups vs raw events`)
    say('')
    await insertPath(store, say)
    await sizes(store, say)
    await queries(store, await loadReferenceData(store), say)
    lines.splice(2, 0, conditions(started), '')
  } finally {
    await store.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
  mkdirSync(new URL('results/', import.meta.url), { recursive: true })
  const date = new Date().toISOString().slice(0, 10)
  writeFileSync(new URL(`results/rollups-${rows}-${date}.md`, import.meta.url), `${lines.join('\n')}\n`)
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
