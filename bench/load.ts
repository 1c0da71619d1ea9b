// Load benchmark: 200 clients for 60 s on the Overview's requests, warm, with no-cache, and with every request new.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { generateDemo } from '@qyzmet/fixtures'
import { loadConfig, loadReference, migrate, openStore } from '@qyzmet/sql'
import autocannon from 'autocannon'
import { createToken } from '../api/src/tokens.ts'
import { startBenchServer } from './setup.ts'

const rows = Number(process.env.BENCH_ROWS ?? 10_000_000)
const seconds = Number(process.env.BENCH_LOAD_SECONDS ?? 60)
/** The machine's cores are shared: each mode runs this many times, the modes interleaved, and the summary gives the median. */
const rounds = Number(process.env.BENCH_LOAD_ROUNDS ?? 3)
const connections = 200
const until = '2026-10-31'
const metricsToken = 'bench-load-metrics-token-0123456789'

/** The requests web/src/pages/Overview.tsx makes for its default view (the last 12 months, no filters). */
const overviewPaths = (lastDay: string) => [
  '/api/v1/meta',
  '/api/v1/targets',
  ...['volume', 'online_share', 'online_share_self', 'catalogue_coverage', 'completion_rate', 'satisfaction'].map(
    (metric) => `/api/v1/metrics/${metric}/compare?period=last_12m`,
  ),
  `/api/v1/metrics/online_share/series?from=2019-01-01&to=${lastDay}&interval=month`,
]

const startServer = (dataDir: string, port: number) =>
  startBenchServer(dataDir, port, { QYZMET_METRICS_TOKEN: metricsToken })

interface Mode {
  name: string
  /** What the mode shows. */
  why: string
  headers: Record<string, string>
  /** Each request's path: the Overview's in turn, or a new one each time. */
  path: (index: number) => string
}

interface Run {
  perSecond: number
  p50: number
  p99: number
  max: number
  ok: number
  shed: number
  /** Anything but 2xx and 503: other statuses, socket errors, timeouts. */
  errors: number
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN

async function measure(base: string, mode: Mode): Promise<Run> {
  let counter = 0
  const result = await autocannon({
    url: base,
    connections,
    duration: seconds,
    timeout: 60,
    headers: mode.headers,
    requests: [{ method: 'GET', setupRequest: (request) => ({ ...request, path: mode.path(counter++) }) }],
  })
  const statuses = result.statusCodeStats as Record<string, { count: number }>
  const count = (test: (status: number) => boolean) =>
    Object.entries(statuses)
      .filter(([status]) => test(Number(status)))
      .reduce((sum, [, stats]) => sum + stats.count, 0)
  return {
    perSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    ok: count((status) => status < 300),
    shed: count((status) => status === 503),
    errors: count((status) => status >= 300 && status !== 503) + result.errors + result.timeouts,
  }
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'qyzmet-bench-load-'))
  let token = ''
  {
    const store = await openStore(loadConfig({ QYZMET_DATA_DIR: dataDir }))
    await migrate(store)
    await loadReference(store)
    await generateDemo(store, { rows, seed: 42, until })
    token = (await createToken(store, { name: 'bench', role: 'analyst' })).token
    await store.close()
  }
  const port = 19_000 + (process.pid % 1000)
  const base = `http://127.0.0.1:${port}`
  const server = await startServer(dataDir, port)
  // A server that dies under load is the benchmark's most important result: say so rather than measure a dead port.
  let died: string | null = null
  server.on('exit', (code, signal) => {
    died = `the server exited (code ${code}, signal ${signal})`
  })
  // As a browser asks: it always takes gzip.
  const auth = { authorization: `Bearer ${token}`, 'accept-encoding': 'gzip, deflate, br' }
  const lines: string[] = []
  const say = (line: string) => {
    console.log(line)
    lines.push(line)
  }
  try {
    const meta = (await (await fetch(`${base}/api/v1/meta`, { headers: auth })).json()) as { lastDay: string }
    const paths = overviewPaths(meta.lastDay)
    // Every request new: the Overview's comparisons over a window ending on a different day each time.
    const day = (index: number) =>
      new Date(Date.UTC(2020, 0, 1) + (index % 2400) * 86_400_000).toISOString().slice(0, 10)
    const modes: Mode[] = [
      {
        name: 'warm',
        why: 'answers from the cache, as when many people open the dashboard',
        headers: auth,
        path: (i) => paths[i % paths.length] as string,
      },
      {
        name: 'no-cache',
        why: 'Cache-Control: no-cache: each request computed, identical ones at the same moment once (single flight)',
        headers: { ...auth, 'cache-control': 'no-cache' },
        path: (i) => paths[i % paths.length] as string,
      },
      {
        name: 'every request new',
        why: 'no two requests alike: every one reaches the engine; beyond 8 running and 32 waiting, 503 at once',
        headers: auth,
        path: (i) =>
          `/api/v1/metrics/${['volume', 'online_share', 'completion_rate'][i % 3]}/compare?from=2019-01-01&to=${day(Math.floor(i / 3))}`,
      },
    ]
    say(`# Load benchmark: ${connections} clients on the Overview's requests (${rows.toLocaleString('en')} events)`)
    say('')
    say(
      `${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores (${cpus()[0]?.model.trim()}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, embedded ClickHouse; the server (defaults: 8 reads at once, 32 waiting) in its own process, autocannon in this one, on the same shared cores. Each mode runs ${seconds} s with ${connections} connections, ${rounds} rounds with the modes interleaved; latency is over all answers, 503s included; load is the 1-minute load average of the machine, which other work shares.`,
    )
    say('')
    say(`Overview requests: ${paths.map((path) => `\`${path}\``).join(', ')}.`)
    say('')
    say(
      '| round | mode | requests/s | p50 ms | p99 ms | max ms | 2xx | 503 + Retry-After | other errors | load before |',
    )
    say('| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |')
    for (const path of paths) await fetch(`${base}${path}`, { headers: auth }).then((r) => r.arrayBuffer())
    const runs = new Map<string, Run[]>(modes.map((mode) => [mode.name, []]))
    for (let round = 1; round <= rounds && !died; round++) {
      for (const mode of modes) {
        if (died) break
        const before = loadavg()[0]?.toFixed(1) ?? ''
        const run = await measure(base, mode)
        runs.get(mode.name)?.push(run)
        say(
          `| ${round} | ${mode.name} | ${Math.round(run.perSecond).toLocaleString('en')} | ${run.p50} | ${run.p99} | ${run.max} | ${run.ok.toLocaleString('en')} | ${run.shed.toLocaleString('en')} | ${run.errors} | ${before} |`,
        )
      }
    }
    if (died) {
      say('')
      say(`**${died} during the last run above; the benchmark stopped there.**`)
    }
    say('')
    say(`Summary, median of ${rounds} rounds (min – max):`)
    say('')
    say('| mode | requests/s | p99 ms | 2xx share | other errors, all rounds |')
    say('| --- | ---: | ---: | ---: | ---: |')
    for (const mode of modes) {
      const of = runs.get(mode.name) ?? []
      const spread = (values: number[], digits = 0) =>
        `${median(values).toFixed(digits)} (${Math.min(...values).toFixed(digits)} – ${Math.max(...values).toFixed(digits)})`
      const share = of.map((run) => (100 * run.ok) / Math.max(1, run.ok + run.shed + run.errors))
      say(
        `| ${mode.name} | ${spread(of.map((run) => run.perSecond))} | ${spread(of.map((run) => run.p99))} | ${spread(share, 1)} % | ${of.reduce((sum, run) => sum + run.errors, 0)} |`,
      )
    }
    say('')
    for (const mode of modes) say(`- ${mode.name}: ${mode.why}.`)
    if (!died) {
      const scrape = await (
        await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } })
      ).text()
      const lag = Number(/^qyzmet_nodejs_eventloop_lag_p99_seconds (\S+)$/m.exec(scrape)?.[1]) * 1000
      const shed = /^qyzmet_http_shed_total (\S+)$/m.exec(scrape)?.[1]
      say(`- The server counted ${shed} shed reads; its event-loop delay p99 at the end was ${lag.toFixed(1)} ms.`)
    }
    say(
      '- Goal: 0 errors and p99 < 250 ms warm; under a load the engine cannot carry, fast 503s with Retry-After rather than waits of tens of seconds.',
    )
  } finally {
    if (!died) {
      server.kill('SIGTERM')
      await new Promise((done) => server.on('exit', done))
    }
    rmSync(dataDir, { recursive: true, force: true })
  }
  mkdirSync(new URL('results/', import.meta.url), { recursive: true })
  writeFileSync(new URL(`results/load-${rows}.md`, import.meta.url), `${lines.join('\n')}\n`)
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
