// The Overview's and Regions' requests through the API, cold (the engine's caches dropped) and warm, with the RSS.
import type { Store } from '@qyzmet/sql'
import type { FastifyInstance } from 'fastify'
import { median } from './pairs.ts'
import { answered, metaDays, type PageRequest, pageRequests, percentile } from './scale-pages.ts'
import { gib, rssNow, rssPeak } from './scale-report.ts'

/** Every cache the engine exposes for reads; the operating system's page cache is not dropped (it is the machine's). */
const engineCaches = [
  'MARK CACHE',
  'UNCOMPRESSED CACHE',
  'QUERY CACHE',
  'PRIMARY INDEX CACHE',
  'INDEX MARK CACHE',
  'INDEX UNCOMPRESSED CACHE',
  'MMAP CACHE',
  'PAGE CACHE',
  'QUERY CONDITION CACHE',
  'COMPILED EXPRESSION CACHE',
]

export async function dropEngineCaches(store: Store): Promise<void> {
  for (const cache of engineCaches) await store.command('bench:drop-cache', `SYSTEM DROP ${cache}`)
}

/** One page load as a browser makes it: every request at once; its milliseconds, and whether every answer was 200. */
async function pageLoad(app: FastifyInstance, token: string, requests: PageRequest[]) {
  const started = performance.now()
  const each = await Promise.all(requests.map((request) => answered(app, token, request.url)))
  return { ms: performance.now() - started, status: each.find((answer) => answer.status !== 200)?.status ?? 200 }
}

export async function apiPhase(
  store: Store,
  app: FastifyInstance,
  token: string,
  rounds: number,
  rows: number,
): Promise<string[]> {
  const { firstDay, today } = await metaDays(app, token)
  const requests = pageRequests(firstDay, today)
  const pages = ['Overview', 'Regions'] as const
  // Per page, per request: the cold and warm samples, and the whole page's.
  // An answer other than 200 (a 503 when the engine did not answer within the query timeout) is counted, not timed.
  const samples = new Map<string, { cold: number[]; warm: number[]; failed: string[] }>()
  const add = (key: string, kind: 'cold' | 'warm', answer: { ms: number; status: number }) => {
    const entry = samples.get(key) ?? { cold: [], warm: [], failed: [] }
    if (answer.status === 200) entry[kind].push(answer.ms)
    else entry.failed.push(`${kind} ${answer.status} after ${(answer.ms / 1000).toFixed(0)} s`)
    samples.set(key, entry)
  }
  // Once untimed: the first answers after opening also load the API's reference data.
  for (const page of pages)
    await pageLoad(
      app,
      token,
      requests.filter((request) => request.page === page),
    )
  for (let round = 0; round < rounds; round++) {
    for (const page of pages) {
      const asked = requests.filter((request) => request.page === page)
      // The page as the browser loads it: its requests at once, which the engine answers partly one by one.
      for (const kind of ['cold', 'warm'] as const) {
        if (kind === 'cold') await dropEngineCaches(store)
        add(`${page}|page`, kind, await pageLoad(app, token, asked))
      }
      // Each request alone: its own latency, without waiting behind the page's other requests.
      for (const request of asked) {
        for (const kind of ['cold', 'warm'] as const) {
          if (kind === 'cold') await dropEngineCaches(store)
          add(`${page}|${request.name}`, kind, await answered(app, token, request.url))
        }
      }
    }
    process.stderr.write(`api round ${round + 1}/${rounds}\n`)
  }
  const cell = (values: number[]) =>
    values.length
      ? `${median(values).toFixed(0)} / ${percentile(values, 0.95).toFixed(0)} / ${Math.max(...values).toFixed(0)}`
      : '—'
  const lines = [
    `## The Overview and Regions through the API at ${rows.toLocaleString('en')} events`,
    '',
    `Requests as the pages send them for their default view (last 12 months; the trend ${firstDay} … ${today}, ` +
      `today = ${today}), through the real API (Fastify, app.inject, an analyst's token, each answer computed: ` +
      `Cache-Control: no-cache skips the API's answer cache). ${rounds} rounds; in each, per page: **cold** (the ` +
      `engine's caches dropped first: SYSTEM DROP ${engineCaches.join(', ')}; the operating system's page cache is ` +
      'not dropped, it belongs to the shared machine) then **warm** (the same again): first the whole page load ' +
      "(the page's requests all at once, as the browser sends them; its time is to the last answer), then each " +
      'request alone, cold then warm (its own latency, not waiting behind the others). ' +
      `p95 is the ${Math.ceil(rounds * 0.95)}th of the ${rounds} samples sorted. No OPTIMIZE: parts as the load and the background merges left them.`,
    '',
    '| page | request | cold ms p50 / p95 / max | warm ms p50 / p95 / max | answers not 200 |',
    '| --- | --- | ---: | ---: | --- |',
  ]
  for (const page of pages) {
    for (const name of ['page', ...requests.filter((request) => request.page === page).map((r) => r.name)]) {
      const entry = samples.get(`${page}|${name}`)
      if (!entry) continue
      const label = name === 'page' ? '**whole page load**' : name
      lines.push(
        `| ${page} | ${label} | ${cell(entry.cold)} | ${cell(entry.warm)} | ${entry.failed.join(', ') || 'none'} |`,
      )
    }
  }
  lines.push(
    '',
    `Resident memory of the server process (Node, the API and the embedded engine) after these rounds: ` +
      `${gib(rssNow())}; peak since the process started (generation included): ${gib(rssPeak())}.`,
  )
  return lines
}
