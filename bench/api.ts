// API benchmark: Overview requests (p50/p95), API time against the engine's own, cached throughput, event-loop delay.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { generateDemo } from '@qyzmet/fixtures'
import { loadConfig, loadReference, migrate, openStore } from '@qyzmet/sql'
import autocannon from 'autocannon'
import type { FilterQuery } from '../api/src/contract/index.ts'
import { metricById, plan } from '../api/src/metrics/index.ts'
import { parseFilters } from '../api/src/query/filters.ts'
import { loadReferenceData } from '../api/src/reference.ts'
import { createToken } from '../api/src/tokens.ts'
import { startBenchServer } from './setup.ts'

const rows = Number(process.env.BENCH_ROWS ?? 10_000_000)
const rounds = Number(process.env.BENCH_REPEATS ?? 15)
const until = '2026-10-31'
const today = '2026-11-24'

/** What the Overview page asks for: KPI comparisons and the online-share trend. */
const overview: { name: string; metric: string; kind: 'compare' | 'series'; query: Record<string, string> }[] = [
  ...['volume', 'online_share', 'online_share_self', 'completion_rate', 'satisfaction', 'catalogue_coverage'].map(
    (metric) => ({
      name: `${metric} compare, last 12 months`,
      metric,
      kind: 'compare' as const,
      query: { from: '2025-11-01', to: '2026-10-31' },
    }),
  ),
  {
    name: 'online_share trend, monthly since 2019',
    metric: 'online_share',
    kind: 'series',
    query: { from: '2019-01-01', to: '2026-10-31', interval: 'month' },
  },
  {
    name: 'volume, daily, last 90 days',
    metric: 'volume',
    kind: 'series',
    query: { from: '2026-08-03', to: '2026-10-31', interval: 'day' },
  },
]

/** Prometheus /metrics answers only the operator's token (QYZMET_METRICS_TOKEN). */
const metricsToken = 'bench-api-metrics-token-0123456789'
const operator = { headers: { authorization: `Bearer ${metricsToken}` } }
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0
const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))] ?? 0

const startServer = (dataDir: string, port: number) =>
  startBenchServer(dataDir, port, { QYZMET_METRICS_TOKEN: metricsToken })

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'qyzmet-bench-api-'))
  const lines: string[] = []
  const say = (line: string) => {
    console.log(line)
    lines.push(line)
  }
  const engineMs = new Map<string, number>()
  let token = ''
  {
    const store = await openStore(loadConfig({ QYZMET_DATA_DIR: dataDir }))
    await migrate(store)
    await loadReference(store)
    await generateDemo(store, { rows, seed: 42, until })
    token = (await createToken(store, { name: 'bench', role: 'analyst' })).token
    const reference = await loadReferenceData(store)
    // The engine's own time for the same statements the API runs (compare runs three: current, previous, a year ago).
    for (const request of overview) {
      const metric = metricById(request.metric)
      if (!metric) throw new Error(request.metric)
      // The bench's queries name only dates and intervals: they are a FilterQuery as written.
      const filters = parseFilters(request.query as FilterQuery, { reference, today })
      const times: number[] = []
      for (let round = 0; round < rounds; round++) {
        const started = performance.now()
        if (request.kind === 'series') {
          const planned = plan({ metric, filters, by: [], series: true, today }, reference)
          await store.rows('bench:engine', planned.sql, planned.params)
        } else {
          const shifted = [
            filters,
            { ...filters, from: '2024-11-01', to: '2025-10-31' },
            { ...filters, from: '2024-11-01', to: '2025-10-31' },
          ]
          await Promise.all(
            shifted
              .map((range) => plan({ metric, filters: range, by: [], series: false, today }, reference))
              .map((p) => store.rows('bench:engine', p.sql, p.params)),
          )
        }
        times.push(performance.now() - started)
      }
      engineMs.set(request.name, median(times))
    }
    await store.close()
  }

  const port = 18_000 + (process.pid % 1000)
  const server = await startServer(dataDir, port)
  const base = `http://127.0.0.1:${port}`
  const headers = { authorization: `Bearer ${token}` }
  try {
    say(`# API benchmark at ${rows.toLocaleString('en')} events`)
    say('')
    say(
      `${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores, Node ${process.version}, embedded ClickHouse; the server runs in its own process, the load from this one.`,
    )
    say('')
    say('## Overview requests, uncached (Cache-Control: no-cache)')
    say('')
    say('| request | p50 ms | p95 ms | engine alone ms (median) | API ÷ engine (goal ≤ 1.2) |')
    say('| --- | ---: | ---: | ---: | ---: |')
    const urlOf = (request: (typeof overview)[number]) =>
      `${base}/api/v1/metrics/${request.metric}/${request.kind}?${new URLSearchParams(request.query)}`
    for (const request of overview) {
      const times: number[] = []
      for (let round = 0; round < rounds; round++) {
        const started = performance.now()
        const response = await fetch(urlOf(request), { headers: { ...headers, 'cache-control': 'no-cache' } })
        await response.arrayBuffer()
        if (!response.ok) throw new Error(`${request.name}: ${response.status}`)
        times.push(performance.now() - started)
      }
      const engine = engineMs.get(request.name) ?? Number.NaN
      say(
        `| ${request.name} | ${median(times).toFixed(1)} | ${percentile(times, 0.95).toFixed(1)} | ${engine.toFixed(1)} | ${(median(times) / engine).toFixed(2)} |`,
      )
    }

    const cachedUrl = urlOf(overview[1] as (typeof overview)[number])
    await fetch(cachedUrl, { headers })
    const result = await autocannon({ url: cachedUrl, connections: 50, duration: 10, headers })
    say('')
    say('## Cached answers (autocannon, 50 connections, 10 s)')
    say('')
    say('| requests/s (goal ≥ 5,000) | p50 ms | p99 ms (goal < 20) | errors |')
    say('| ---: | ---: | ---: | ---: |')
    say(
      `| ${Math.round(result.requests.average).toLocaleString('en')} | ${result.latency.p50} | ${result.latency.p99} | ${result.errors + result.non2xx} |`,
    )

    // Event-loop delay while heavy raw-event queries run: the engine works off the event loop.
    await fetch(`${base}/metrics`, operator)
    const heavy = [
      `${base}/api/v1/metrics/online_share/breakdown?by=office&from=2019-01-01&to=2026-10-31`,
      `${base}/api/v1/metrics/channel_migration/breakdown?by=region&from=2024-01-01&to=2025-12-31`,
      `${base}/api/v1/metrics/volume/series?by=service&from=2024-01-01&to=2025-12-31&interval=day`,
    ]
    const started = performance.now()
    const probe = autocannon({ url: `${base}/healthz`, connections: 4, duration: 8 })
    await Promise.all(
      heavy.flatMap((url) =>
        [0, 1].map(() =>
          fetch(url, { headers: { ...headers, 'cache-control': 'no-cache' } }).then((r) => r.arrayBuffer()),
        ),
      ),
    )
    const heavySeconds = (performance.now() - started) / 1000
    const probed = await probe
    const metrics = await (await fetch(`${base}/metrics`, operator)).text()
    const p99 =
      Number(/^qyzmet_nodejs_eventloop_lag_p99_seconds(?:\{[^}]*\})? (\S+)$/m.exec(metrics)?.[1] ?? Number.NaN) * 1000
    say('')
    say('## Event loop while heavy queries run')
    say('')
    say('| heavy raw-event queries | their wall time | event-loop delay p99 (goal ≤ 20 ms) | /healthz p99 meanwhile |')
    say('| ---: | ---: | ---: | ---: |')
    say(`| ${heavy.length * 2} | ${heavySeconds.toFixed(1)} s | ${p99.toFixed(1)} ms | ${probed.latency.p99} ms |`)
  } finally {
    server.kill('SIGTERM')
    await new Promise((done) => server.on('exit', done))
    rmSync(dataDir, { recursive: true, force: true })
  }
  mkdirSync(new URL('results/', import.meta.url), { recursive: true })
  writeFileSync(new URL(`results/api-${rows}.md`, import.meta.url), `${lines.join('\n')}\n`)
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
