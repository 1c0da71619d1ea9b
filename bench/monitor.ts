// Monitor benchmark: 1,000 alert rules evaluated over a demo store (time per round, first and steady), and dashboard
// queries timed alone and while rounds run, interleaved (A B A B …), as the goals ask (≤ 5 s; ≤ 20 % slower);
// on the embedded engine both ways it can run statements (side by side, or one at a time as before) in turn.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { generateDemo } from '@qyzmet/fixtures'
import { inBackground, loadConfig, loadReference, migrate, openStore, type Store } from '@qyzmet/sql'
import type { ApiDimension, FilterQuery, RuleBody } from '../api/src/contract/index.ts'
import { metricById, plan } from '../api/src/metrics/index.ts'
import { AnomalyDetector } from '../api/src/monitoring/anomalies.ts'
import type { MonitorConfig } from '../api/src/monitoring/config.ts'
import { type RoundMemo, type RoundReport, runRound } from '../api/src/monitoring/round.ts'
import { newRuleId, ruleOf, saveRule } from '../api/src/monitoring/rules.ts'
import { startHttpSink } from '../api/src/monitoring/sinks.ts'
import { insertEvents } from '../api/src/monitoring/testing.ts'
import { parseFilters } from '../api/src/query/filters.ts'
import { loadReferenceData, type Reference } from '../api/src/reference.ts'
import { createToken } from '../api/src/tokens.ts'
import { startTestServer } from '../sql/src/testing/clickhouse-server.ts'
import { conditions, median, min } from './pairs.ts'

const rows = Number(process.env.BENCH_ROWS ?? 10_000_000)
/** embedded: the engine in this process (one query at a time); server: a ClickHouse server (chDB's, on local ports). */
const engine = process.env.BENCH_ENGINE === 'server' ? 'server' : 'embedded'
const ruleCount = Number(process.env.BENCH_RULES ?? 1000)
const roundRepeats = Number(process.env.BENCH_ROUNDS ?? 5)
const pairs = Number(process.env.BENCH_PAIRS ?? 7)
const until = '2026-11-23'
const today = '2026-11-24'

/**
 * How the embedded engine runs statements: side by side (a pool of connections, parameters inlined), or one at a time
 * with bound parameters as before (QYZMET_EMBEDDED_PARALLEL=off). A server has one way.
 */
const modes: Record<string, string | undefined> =
  engine === 'embedded' ? { 'side by side': undefined, 'one at a time (before)': 'off' } : { server: undefined }
const setMode = (mode: string) => {
  const value = modes[mode]
  if (value) process.env.QYZMET_EMBEDDED_PARALLEL = value
  else delete process.env.QYZMET_EMBEDDED_PARALLEL
}
/** 09:00 in Almaty on "today": yesterday is the last complete day. */
const morning = Date.parse(`${today}T04:00:00Z`)

/** What the dashboard's Overview and Regions pages ask for by default (as bench/run.ts). */
const dashboard: { name: string; metric: string; query: FilterQuery; by?: ApiDimension[]; series?: boolean }[] = [
  { name: 'volume KPI', metric: 'volume', query: { period: 'last_12m' } },
  { name: 'online share KPI', metric: 'online_share', query: { period: 'last_12m' } },
  { name: 'completion rate KPI', metric: 'completion_rate', query: { period: 'last_12m' } },
  {
    name: 'online share trend, monthly since 2019',
    metric: 'online_share',
    query: { from: '2019-01-01', to: today, interval: 'month' },
    series: true,
  },
  {
    name: 'volume, daily, last 90 days',
    metric: 'volume',
    query: { period: 'last_90d', interval: 'day' },
    series: true,
  },
  { name: 'online share by region', metric: 'online_share', query: { period: 'last_12m' }, by: ['region'] },
]

/**
 * A deterministic mix of rules as a ministry's desks would write them: thresholds and changes on six metrics over
 * 1, 7 or 28 days, nationally, by region, region × channel, channel or service; anomaly rules by region or channel;
 * feed rules by region. A fifth belong to regional tokens (their own region), a tenth notify a local webhook.
 */
function ruleBodies(reference: Reference, regionalOf: (index: number) => string, hook: string): RuleBody[] {
  const metrics = ['volume', 'requests', 'online_share', 'completion_rate', 'processing_time_median', 'satisfaction']
  const regions = reference.regionCodes
  const channels = reference.channelCodes
  const services = reference.serviceCodes.slice(0, 40)
  const bodies: RuleBody[] = []
  for (let i = 0; bodies.length < ruleCount; i++) {
    const region = i % 5 === 0 ? regionalOf(i) : (regions[i % regions.length] as string)
    const channel = channels[i % channels.length] as string
    const shapes: RuleBody['filters'][] = [
      {},
      { region: [region] },
      { region: [region], channel: [channel] },
      { channel: [channel] },
      { service: [services[i % services.length] as string] },
    ]
    const kinds: RuleBody['kind'][] = [
      'threshold',
      'threshold',
      'change',
      'change',
      'change',
      'anomaly',
      'anomaly',
      'feed',
    ]
    const kind = kinds[i % kinds.length] as RuleBody['kind']
    const notify = i % 10 === 0 ? { webhooks: [hook] } : {}
    const name = `rule ${i}`
    if (kind === 'anomaly') {
      bodies.push({ name, kind, filters: i % 2 ? { region: [region] } : { channel: [channel] }, ...notify })
    } else if (kind === 'feed') {
      bodies.push({ name, kind, filters: { region: [region] }, ...notify })
    } else {
      const metric = metricById(metrics[i % metrics.length] as string)
      const filters = shapes[Math.floor(i / 8) % shapes.length] ?? {}
      const windowDays = [1, 7, 28][i % 3] as number
      const value = metric?.unit === 'share' ? (kind === 'threshold' ? 0.5 : 0.05) : kind === 'threshold' ? 100 : 0.2
      bodies.push({ name, kind, metric: metric?.id, filters, windowDays, value, ...notify })
    }
  }
  return bodies
}

async function runDashboard(store: Store, reference: Reference): Promise<void> {
  for (const query of dashboard) {
    const metric = metricById(query.metric)
    if (!metric) throw new Error(`unknown metric ${query.metric}`)
    const filters = parseFilters(query.query, { reference, today })
    const planned = plan({ metric, filters, by: query.by ?? [], series: query.series ?? false, today }, reference)
    await store.rows('bench:dashboard', planned.sql, planned.params)
  }
}

async function main(): Promise<void> {
  const started = loadavg()
  const dataDir = mkdtempSync(join(tmpdir(), 'qyzmet-bench-monitor-'))
  const server = engine === 'server' ? await startTestServer() : null
  const store = await openStore(
    loadConfig({ QYZMET_DATA_DIR: dataDir, CLICKHOUSE_URL: server?.url ?? '', QYZMET_WRITE_TIMEOUT: '3600' }),
  )
  const hook = await startHttpSink()
  const lines: string[] = []
  const say = (line: string) => {
    console.log(line)
    lines.push(line)
  }
  try {
    await migrate(store)
    await loadReference(store)
    const generated = performance.now()
    await generateDemo(store, { rows, seed: 42, until, incidents: true })
    process.stderr.write(`demo: ${rows} rows in ${((performance.now() - generated) / 1000).toFixed(1)} s\n`)
    const reference = await loadReferenceData(store)
    const analyst = await createToken(store, { name: 'desk', role: 'analyst' })
    const regionals = await Promise.all(
      reference.regionCodes.slice(0, 5).map(async (region) => ({
        region,
        ...(await createToken(store, { name: region, role: 'regional', regions: [region] })),
      })),
    )
    const regionalOf = (index: number) => regionals[((index / 5) % regionals.length) | 0]?.region as string
    const bodies = ruleBodies(reference, regionalOf, hook.url)
    for (const [index, body] of bodies.entries()) {
      const owner = index % 5 === 0 ? (regionals[((index / 5) % regionals.length) | 0]?.id as string) : analyst.id
      await saveRule(store, ruleOf(body, owner, newRuleId()))
    }
    const config: MonitorConfig = {
      mode: 'off',
      intervalSeconds: 60,
      smtpUrl: null,
      mailFrom: 'bench@qyzmet.test',
      publicUrl: null,
    }
    const detector = new AnomalyDetector()
    const memo: RoundMemo = {}
    let clockAt = morning
    let late = 0
    /** A round; `lateRow`: one event of yesterday arrives first, so every value is computed again (the worst case). */
    const round = async (judgeDays: number, lateRow: boolean): Promise<RoundReport> => {
      clockAt += 61_000
      if (lateRow) {
        late++
        await insertEvents(store, [
          {
            at: `${until}T06:00:00Z`,
            loadedAt: new Date(clockAt - 1000).toISOString(),
            source: 'bench-late',
            region: '75',
          },
        ])
      }
      // Background work, as the monitor's schedule runs it: dashboard reads waiting for a connection go first.
      return inBackground(() =>
        runRound({
          store,
          reference,
          clock: { now: clockAt, zone: 'Asia/Almaty' },
          config,
          detector,
          judgeDays,
          memo,
        }),
      )
    }

    const first = await round(92, false)
    process.stderr.write(`first round: ${first.milliseconds} ms ${JSON.stringify(first.stages)}\n`)
    const full: RoundReport[] = []
    const quiet: RoundReport[] = []
    for (let i = 0; i < roundRepeats; i++) {
      full.push(await round(3, true))
      quiet.push(await round(3, false))
      process.stderr.write(
        `rounds: ${full.at(-1)?.milliseconds} ms ${JSON.stringify(full.at(-1)?.stages)}, then ${quiet.at(-1)?.milliseconds} ms\n`,
      )
    }
    const seconds = (reports: RoundReport[]) => reports.map((report) => report.milliseconds / 1000)

    // Dashboard alone (A), while full rounds run back to back (B), and while quiet rounds do (C), in turn; each
    // triple once per way of running statements, the order of the ways alternating.
    const timings = new Map(
      Object.keys(modes).map((mode) => [
        mode,
        { alone: [] as number[], during: [] as number[], quiet: [] as number[] },
      ]),
    )
    const whileRounds = async (lateRows: boolean): Promise<number> => {
      let stop = false
      const busy = (async () => {
        while (!stop) await round(3, lateRows)
      })()
      // Let a round get going: its reads, not its start, are what dashboard queries meet.
      await new Promise((done) => setTimeout(done, 300))
      const t = performance.now()
      await runDashboard(store, reference)
      const elapsed = performance.now() - t
      stop = true
      await busy
      return elapsed
    }
    for (let pair = 0; pair < pairs; pair++) {
      const order = Object.keys(modes)
      for (const mode of pair % 2 ? order.reverse() : order) {
        const times = timings.get(mode)
        if (!times) continue
        setMode(mode)
        const t = performance.now()
        await runDashboard(store, reference)
        times.alone.push(performance.now() - t)
        times.during.push(await whileRounds(true))
        times.quiet.push(await whileRounds(false))
        setMode(Object.keys(modes)[0] as string)
        process.stderr.write(
          `pair ${pair + 1}, ${mode}: alone ${times.alone.at(-1)?.toFixed(0)} ms, during full rounds ${times.during.at(-1)?.toFixed(0)} ms, during quiet rounds ${times.quiet.at(-1)?.toFixed(0)} ms\n`,
        )
      }
    }

    say(`# Benchmark: alert rules evaluated each round, and dashboard queries while they run (${engine} engine)`)
    say('')
    say(
      `${rows.toLocaleString('en')} demo events (seed 42, to ${until}, planted incidents), ${bodies.length} rules ` +
        `(${bodies.filter((b) => b.kind === 'threshold').length} threshold, ${bodies.filter((b) => b.kind === 'change').length} change, ` +
        `${bodies.filter((b) => b.kind === 'anomaly').length} anomaly, ${bodies.filter((b) => b.kind === 'feed').length} feed; ` +
        `a fifth owned by regional tokens; a tenth notifying a local webhook), evaluated at ${today} 09:00 Almaty.`,
    )
    say('')
    say('## Time per round')
    say('')
    const row = (what: string, reports: RoundReport[]) => {
      const last = reports.at(-1) as RoundReport
      const stage = (name: keyof RoundReport['stages']) => median(reports.map((report) => report.stages[name] / 1000))
      say(
        `| ${what} | ${min(seconds(reports)).toFixed(2)} s / ${median(seconds(reports)).toFixed(2)} s | ` +
          `${stage('feeds').toFixed(2)} / ${stage('anomalies').toFixed(2)} / ${stage('rules').toFixed(2)} / ${stage('alerts').toFixed(2)} s | ` +
          `${last.rules} | ${last.firing} | ${last.errors.length} |`,
      )
    }
    say(
      '| round | wall (min / median) | stages, median: feeds / anomalies / rules / alerts | rules | firing | failed rules |',
    )
    say('| --- | ---: | ---: | ---: | ---: | ---: |')
    row("first of a process (judges 92 days, reads the detector's history)", [first])
    row(`after a late row of a complete day: everything computed again (${full.length} rounds)`, full)
    row(`no new rows for complete days: detection and metric values reused (${quiet.length} rounds)`, quiet)
    say('')
    say(
      'Goal: ≤ 5 s per round on 2 cores. A round reads everything again only when a row of a complete day has ' +
        "arrived (the daily rollup's counts up to yesterday changed); feeds are judged every round.",
    )
    say('')
    say('## Dashboard queries while rounds run')
    say('')
    say(
      `The ${dashboard.length} default Overview and Regions queries (${dashboard.map((q) => q.name).join('; ')}), run one after another, ` +
        `alone, while full rounds run back to back (each after a late row: the worst case, a monitor never idle and ` +
        `computing everything), and while quiet rounds run back to back, ${pairs} triples in turn, in one process, on the ${engine} engine` +
        (engine === 'embedded'
          ? '; each triple both ways the embedded engine can run statements, the order alternating: side by side ' +
            '(a pool of connections, parameters written into the statements, the rounds marked as background work) ' +
            'and one at a time with bound parameters (QYZMET_EMBEDDED_PARALLEL=off, as before). Rounds are timed ' +
            'above side by side.'
          : '.'),
    )
    say('')
    say('| statements | dashboard queries | min | median | slower than alone (min; median) |')
    say('| --- | --- | ---: | ---: | ---: |')
    for (const [mode, { alone, during, quiet }] of timings) {
      const slower = (values: number[], pick: (values: number[]) => number) =>
        `${((pick(values) / pick(alone) - 1) * 100).toFixed(0)} %`
      say(`| ${mode} | alone | ${min(alone).toFixed(0)} ms | ${median(alone).toFixed(0)} ms | |`)
      say(
        `| ${mode} | while full rounds run (a late row before each) | ${min(during).toFixed(0)} ms | ${median(during).toFixed(0)} ms | ${slower(during, min)}; ${slower(during, median)} |`,
      )
      say(
        `| ${mode} | while quiet rounds run (no new rows for complete days) | ${min(quiet).toFixed(0)} ms | ${median(quiet).toFixed(0)} ms | ${slower(quiet, min)}; ${slower(quiet, median)} |`,
      )
    }
    say('')
    say('Goal: ≤ 20 % slower.')
    say('')
    say(`${late} late rows were inserted in all, each for ${until}.`)
    say('')
    lines.splice(2, 0, conditions(started), '')
  } finally {
    await hook.close()
    await store.close()
    await server?.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
  mkdirSync(new URL('results/', import.meta.url), { recursive: true })
  const date = new Date().toISOString().slice(0, 10)
  writeFileSync(new URL(`results/monitor-${engine}-${rows}-${date}.md`, import.meta.url), `${lines.join('\n')}\n`)
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
