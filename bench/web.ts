// Dashboard benchmark: initial JavaScript (gzip), Overview time-to-data in Chromium, and the size of every series asked for.
import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import type { Page } from 'playwright-core'
import { openTestApi } from '../api/src/testing.ts'
import { launchChromium } from '../web/src/browser.ts'

const root = fileURLToPath(new URL('../', import.meta.url))
const rows = Number(process.env.BENCH_ROWS ?? 2_000_000)
const loads = Number(process.env.BENCH_REPEATS ?? 5)
const goals = { initialKb: 350, overviewMs: 1500, seriesPoints: 2000 }
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0
const lines: string[] = []
const say = (line: string) => {
  lines.push(line)
  console.log(line)
}

// 1. Build, then sum the gzip sizes of the JavaScript index.html loads before anything else (entry + preloads).
const build = spawnSync(process.execPath, ['scripts/build-web.mjs', '--force'], { cwd: root, stdio: 'inherit' })
if (build.status !== 0) throw new Error('the dashboard did not build')
const dist = join(root, 'web/dist')
const html = readFileSync(join(dist, 'index.html'), 'utf8')
const initial = [...html.matchAll(/<(?:script[^>]*src|link[^>]*rel="modulepreload"[^>]*href)="([^"]+\.js)"/g)].map(
  (match) => match[1] ?? '',
)
const initialBytes = initial.map((path) => ({
  path,
  raw: readFileSync(join(dist, path)).length,
  gzip: gzipSync(readFileSync(join(dist, path))).length,
}))
const initialGzipKb = initialBytes.reduce((sum, file) => sum + file.gzip, 0) / 1024

// 2. The API in-process on demo data, serving web/dist.
console.log(`generating ${rows.toLocaleString('en')} demo rows …`)
const api = await openTestApi(rows)
await api.app.listen({ port: 0, host: '127.0.0.1' })
const address = api.app.server.address()
const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
const browser = await launchChromium()

async function newPage(): Promise<{ page: Page; close: () => Promise<void> }> {
  // A fresh context per load: nothing in the browser's cache or storage but the token.
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
  await context.addInitScript((token) => localStorage.setItem('qyzmet.token', token), api.tokens.analyst)
  return { page: await context.newPage(), close: () => context.close() }
}

/** Milliseconds from navigation start until every KPI has its value and every Overview chart has drawn its data. */
async function overviewLoad(): Promise<number> {
  const { page, close } = await newPage()
  await page.goto(`${base}/overview?lang=en`, { waitUntil: 'commit' })
  const handle = await page.waitForFunction(
    () => {
      const panels = Array.from(document.querySelectorAll('section.panel'))
      const kpis = Array.from(document.querySelectorAll('[data-kpi]'))
      const drawn =
        panels.length >= 2 && panels.every((panel) => panel.querySelector('.echart[data-ready="true"]') !== null)
      const valued = kpis.length >= 6 && kpis.every((kpi) => kpi.getAttribute('data-state') === 'ready')
      return drawn && valued ? performance.now() : false
    },
    undefined,
    { polling: 'raf', timeout: 120_000 },
  )
  const at = Number(await handle.jsonValue())
  await close()
  return at
}

const cold = await overviewLoad()
const warm: number[] = []
for (let index = 0; index < loads; index++) warm.push(await overviewLoad())

// 3. Every series the dashboard asks for on the pages that draw series, with the longest range and the finest interval.
const views = [
  '/overview?lang=en',
  '/channels?lang=en&period=all&interval=day',
  '/people?lang=en&period=all&interval=day',
  '/regions/75?lang=en&period=all&interval=day',
  '/channels?lang=en&period=last_12m&interval=day',
]
const series: { view: string; url: string; points: number }[] = []
for (const view of views) {
  const { page, close } = await newPage()
  const bodies: Promise<void>[] = []
  page.on('response', (response) => {
    if (!response.url().includes('/series')) return
    // Read before the context closes; a body that cannot be read counts as -1 (shown, never hidden as 0).
    bodies.push(
      (response.json() as Promise<{ rows?: unknown[] }>).then(
        (body) => void series.push({ view, url: response.url().replace(base, ''), points: body.rows?.length ?? -1 }),
        () => void series.push({ view, url: response.url().replace(base, ''), points: -1 }),
      ),
    )
  })
  await page.goto(`${base}${view}`)
  await page.waitForFunction(
    () =>
      document.querySelectorAll('section.panel').length > 0 &&
      document.querySelectorAll('[data-chart="loading"], [data-state="loading"]').length === 0,
    undefined,
    { timeout: 120_000 },
  )
  await Promise.all(bodies)
  await close()
}
await browser.close()
await api.close()

const largest = series.reduce((top, item) => (item.points > top.points ? item : top), { view: '', url: '', points: 0 })
const ms = (value: number) => Math.round(value).toLocaleString('en')
const mark = (ok: boolean) => (ok ? 'yes' : '**no**')

say(`# Dashboard benchmark (${rows.toLocaleString('en')} demo rows)`)
say('')
say(`Run ${new Date().toISOString().slice(0, 10)} with \`npx tsx bench/web.ts\`; Chromium headless, API in-process.`)
say('')
say('| measure | value | goal | met |')
say('| --- | ---: | ---: | :---: |')
say(
  `| initial JavaScript, gzip (${initialBytes.length} file) | ${initialGzipKb.toFixed(1)} KB | ≤ ${goals.initialKb} KB | ${mark(initialGzipKb <= goals.initialKb)} |`,
)
say(
  `| Overview to data, median of ${loads} loads | ${ms(median(warm))} ms | ≤ ${ms(goals.overviewMs)} ms | ${mark(median(warm) <= goals.overviewMs)} |`,
)
say(`| Overview to data, first load (server cache cold) | ${ms(cold)} ms | – | – |`)
say(
  `| largest series asked for (${series.length} series over ${views.length} views) | ${largest.points.toLocaleString('en')} points | ≤ ${goals.seriesPoints.toLocaleString('en')} | ${mark(largest.points <= goals.seriesPoints)} |`,
)
say('')
say(`Overview loads (ms): ${warm.map(ms).join(', ')}.`)
say('')
say('| initial file | raw KB | gzip KB |')
say('| --- | ---: | ---: |')
for (const file of initialBytes)
  say(`| ${file.path} | ${(file.raw / 1024).toFixed(1)} | ${(file.gzip / 1024).toFixed(1)} |`)
say('')
say('| view | series request | points |')
say('| --- | --- | ---: |')
for (const item of series) say(`| ${item.view} | \`${item.url}\` | ${item.points.toLocaleString('en')} |`)

mkdirSync(join(root, 'bench/results'), { recursive: true })
writeFileSync(join(root, 'bench/results/web.md'), `${lines.join('\n')}\n`)
