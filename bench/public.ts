// Public portal benchmark: Largest Contentful Paint of each public page on a mid-range phone over throttled 4G in
// Chromium (Lighthouse's mobile profile: 150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up, CPU 4× slower), with
// the bytes sent; pages loaded in turn (A B C … A B C …), a fresh browser context each time, so that no load
// finds another's cache.
import { mkdirSync, writeFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { openPortal } from '../api/src/public/testing.ts'
import { launchChromium } from '../web/src/browser.ts'

const root = fileURLToPath(new URL('../', import.meta.url))
const rows = Number(process.env.BENCH_ROWS ?? 500_000)
const rounds = Number(process.env.BENCH_REPEATS ?? 7)
const goalMs = 2500
const profile = {
  latencyMs: 150,
  downloadKbps: 1638.4,
  uploadKbps: 750,
  cpuSlowdown: 4,
  viewport: { width: 412, height: 823 },
  deviceScaleFactor: 1.75,
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0

console.log(`generating ${rows.toLocaleString('en')} demo rows and publishing …`)
const portal = await openPortal(rows)
await portal.app.listen({ port: 0, host: '127.0.0.1' })
const address = portal.app.server.address()
const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
const pages = [
  { name: 'home (kk)', path: '/?lang=kk' },
  { name: 'indicator with 3 breakdowns (ru)', path: `/indicators/${portal.ids.share}?lang=ru` },
  { name: 'service (en)', path: `/services/${portal.service}?lang=en` },
  { name: 'embed (en)', path: `/embed/${portal.ids.share}/series?lang=en` },
  { name: 'open data (kk)', path: '/open-data?lang=kk' },
]
const browser = await launchChromium()

interface Load {
  lcp: number
  fcp: number
  element: string
  bytes: number
}

async function load(path: string): Promise<Load> {
  const context = await browser.newContext({
    viewport: profile.viewport,
    deviceScaleFactor: profile.deviceScaleFactor,
    isMobile: true,
    hasTouch: true,
  })
  const page = await context.newPage()
  const cdp = await context.newCDPSession(page)
  await cdp.send('Network.enable')
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: profile.latencyMs,
    downloadThroughput: (profile.downloadKbps * 1024) / 8,
    uploadThroughput: (profile.uploadKbps * 1024) / 8,
  })
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: profile.cpuSlowdown })
  let bytes = 0
  cdp.on('Network.loadingFinished', (event: { encodedDataLength: number }) => {
    bytes += event.encodedDataLength
  })
  await page.addInitScript(() => {
    const seen = { lcp: 0, element: '' }
    ;(window as unknown as { __lcp: typeof seen }).__lcp = seen
    new PerformanceObserver((list) => {
      const last = list.getEntries().at(-1) as (PerformanceEntry & { element?: Element }) | undefined
      if (!last) return
      seen.lcp = last.startTime
      seen.element = last.element ? `${last.element.tagName.toLowerCase()}.${last.element.className}` : ''
    }).observe({ type: 'largest-contentful-paint', buffered: true })
  })
  await page.goto(`${base}${path}`, { waitUntil: 'load' })
  await page.waitForTimeout(1500)
  const result = await page.evaluate(() => ({
    ...(window as unknown as { __lcp: { lcp: number; element: string } }).__lcp,
    fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? 0,
  }))
  await context.close()
  return { ...result, bytes }
}

// The first round finds no page rendered yet (the server draws it); later rounds find it kept until the next
// publication (api/src/public/page-cache.ts), as visitors after the first do.
const loadBefore = loadavg()
const first = new Map<string, Load>()
for (const page of pages) first.set(page.name, await load(page.path))
const results = new Map<string, Load[]>(pages.map((page) => [page.name, []]))
for (let round = 0; round < rounds; round++) {
  for (const page of pages) results.get(page.name)?.push(await load(page.path))
}
const loadAfter = loadavg()
await browser.close()
await portal.close()

const lines: string[] = []
const say = (line: string) => {
  lines.push(line)
  console.log(line)
}
const ms = (value: number) => Math.round(value).toLocaleString('en')
say(`# Public portal benchmark (${rows.toLocaleString('en')} demo rows)`)
say('')
say(
  `Run ${new Date().toISOString().slice(0, 10)} with \`npx tsx bench/public.ts\` on 2 shared cores; Chromium headless, API in-process on ` +
    `loopback. Phone: ${profile.viewport.width}×${profile.viewport.height} at ${profile.deviceScaleFactor}×, CPU ${profile.cpuSlowdown}× slower; ` +
    `network ${profile.latencyMs} ms round trip, ${profile.downloadKbps} kbit/s down, ${profile.uploadKbps} kbit/s up (Lighthouse's mobile ` +
    `profile, applied by the DevTools protocol). ${rounds} loads per page after the first, interleaved, each in a fresh ` +
    `context. Machine load (1-minute load average, 2 cores, shared with other work): ${loadBefore[0]?.toFixed(1)} ` +
    `before, ${loadAfter[0]?.toFixed(1)} after.`,
)
say('')
say(
  '| page | first load LCP (page drawn) | LCP min | LCP median | goal | met | FCP median | bytes sent | largest element |',
)
say('| --- | ---: | ---: | ---: | ---: | :---: | ---: | ---: | --- |')
for (const page of pages) {
  const loads = results.get(page.name) ?? []
  const lcp = loads.map((item) => item.lcp)
  const met = median(lcp) <= goalMs ? 'yes' : '**no**'
  say(
    `| ${page.name} | ${ms(first.get(page.name)?.lcp ?? 0)} ms | ${ms(Math.min(...lcp))} ms | ${ms(median(lcp))} ms | ≤ ${ms(goalMs)} ms | ${met} | ${ms(median(loads.map((item) => item.fcp)))} ms | ${(median(loads.map((item) => item.bytes)) / 1024).toFixed(1)} KB | \`${loads.at(-1)?.element ?? ''}\` |`,
  )
}
say('')
say(
  'The first load of a page waits for the server to draw it (each chart twice, wide and phone-width, with ECharts, ' +
    'at the load above); the page is then kept until the next publication, so every later visitor gets the ' +
    'figures in the time of the other columns. The largest element is text: the drawings are inline SVG, which ' +
    'LCP does not count.',
)
say('')
say('LCP of every load (ms), in order:')
say('')
for (const page of pages)
  say(`- ${page.name}: ${(results.get(page.name) ?? []).map((item) => ms(item.lcp)).join(', ')}`)
mkdirSync(join(root, 'bench/results'), { recursive: true })
writeFileSync(join(root, 'bench/results/public.md'), `${lines.join('\n')}\n`)
