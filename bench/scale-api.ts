// The Overview's and Regions' requests through the API, cold (the engine's caches dropped) and warm, with the RSS.
import type { Store } from '@qyzmet/sql'
import type { FastifyInstance } from 'fastify'
import { median } from './pairs.ts'
import { metaDays, type PageRequest, pageRequests, percentile, timed } from './scale-pages.ts'
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

/** One page load as a browser makes it: every request at once; each request's milliseconds and the page's. */
async function pageLoad(app: FastifyInstance, token: string, requests: PageRequest[]) {
  const started = performance.now()
  const each = await Promise.all(requests.map((request) => timed(app, token, request.url)))
  return { page: performance.now() - started, each: each.map((answer) => answer.ms) }
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
  const samples = new Map<string, { cold: number[]; warm: number[] }>()
  const add = (key: string, kind: 'cold' | 'warm', ms: number) => {
    const entry = samples.get(key) ?? { cold: [], warm: [] }
    entry[kind].push(ms)
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
        add(`${page}|page`, kind, (await pageLoad(app, token, asked)).page)
      }
      // Each request alone: its own latency, without waiting behind the page's other requests.
      for (const request of asked) {
        for (const kind of ['cold', 'warm'] as const) {
          if (kind === 'cold') await dropEngineCaches(store)
          add(`${page}|${request.name}`, kind, (await timed(app, token, request.url)).ms)
        }
      }
    }
    process.stderr.write(`api round ${round + 1}/${rounds}\n`)
  }
  const cell = (values: number[]) =>
    `${median(values).toFixed(0)} / ${percentile(values, 0.95).toFixed(0)} / ${Math.max(...values).toFixed(0)}`
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
    '| page | request | cold ms p50 / p95 / max | warm ms p50 / p95 / max |',
    '| --- | --- | ---: | ---: |',
  ]
  for (const page of pages) {
    for (const name of ['page', ...requests.filter((request) => request.page === page).map((r) => r.name)]) {
      const entry = samples.get(`${page}|${name}`)
      if (!entry) continue
      const label = name === 'page' ? '**whole page load**' : name
      lines.push(`| ${page} | ${label} | ${cell(entry.cold)} | ${cell(entry.warm)} |`)
    }
  }
  lines.push(
    '',
    `Resident memory of the server process (Node, the API and the embedded engine) after these rounds: ` +
      `${gib(rssNow())}; peak since the process started (generation included): ${gib(rssPeak())}.`,
  )
  return lines
}
