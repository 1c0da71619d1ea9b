// The live view, wall mode and incidents in a real browser over the real API: the live figures follow rows as they
// are ingested without a reload, a wall screen turns its pages, and the pages fit desktop, phone and wall widths.
import { mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { buildApp } from '@qyzmet/api/app'
import { openTestApi, type TestApi } from '@qyzmet/api/testing'
import { event, ndjson } from '@qyzmet/ingest/corpus'
import type { FastifyInstance } from 'fastify'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { axeViolations, buildDashboard, launchChromium, listenLocally } from './browser.ts'

const shots = fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url))

let api: TestApi
let app: FastifyInstance
let browser: Browser
let base: string

async function signedIn(token: string, width: number): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width, height: width > 1000 ? 1080 : 844 } })
  await context.addInitScript((value) => localStorage.setItem('qyzmet.token', value), token)
  return context
}

/** The live view's transactions figure once the stream has delivered a snapshot. */
async function liveCount(page: Page): Promise<number> {
  await page.waitForSelector('[data-live="live"]', { timeout: 60_000 })
  return Number(await page.locator('[data-kpi="live-transactions"] .kpi-value').getAttribute('data-value'))
}

async function ingest(rows: Record<string, string>[]): Promise<void> {
  const pushed = await app.inject({
    method: 'POST',
    url: `/api/v1/ingest/events?source=egov-mobile&name=live-${Date.now()}.ndjson`,
    headers: { authorization: `Bearer ${api.tokens.ingest}`, 'content-type': 'application/x-ndjson' },
    payload: ndjson(rows),
  })
  if (pushed.statusCode !== 200) throw new Error(`the ingest push failed: ${pushed.body}`)
}

beforeAll(async () => {
  buildDashboard()
  mkdirSync(shots, { recursive: true })
  // Demo history up to last month: today has nothing but what the tests ingest.
  api = await openTestApi(30_000)
  app = await buildApp(api.store, { anonymousRateLimit: 10_000, live: { intervalMs: 300 } })
  base = await listenLocally(app)
  browser = await launchChromium()
}, 300_000)

afterAll(async () => {
  await browser?.close()
  await app?.close()
  await api?.close()
})

describe('live view in a browser', () => {
  it('shows rows ingested after the page opened, without a reload', async () => {
    const context = await signedIn(api.tokens.analyst, 1400)
    const page = await context.newPage()
    await page.goto(`${base}/live?lang=en`)
    const before = await liveCount(page)
    // A mark on the window: a reload would lose it.
    await page.evaluate(() => Object.assign(window, { stillHere: true }))
    const at = new Date(Date.now() - 30_000).toISOString()
    const rows = [
      event({ occurred_at: at, channel: 'portal', region: '75' }),
      event({ occurred_at: at, channel: 'mobile', region: '71' }),
      event({ occurred_at: at, channel: 'tson', region: '75', status: 'rejected' }),
    ]
    await ingest(rows)
    await page.waitForFunction(
      (expected) =>
        Number(
          document.querySelector('[data-kpi="live-transactions"] .kpi-value')?.getAttribute('data-value') ?? '-1',
        ) === expected,
      before + rows.length,
      { timeout: 30_000 },
    )
    expect(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true)
    // The hourly chart drew bars for the channels of the rows.
    await page.waitForSelector('[data-chart="ready"] .echart[data-ready="true"]', { timeout: 30_000 })
    expect(await axeViolations(page)).toEqual([])
    await context.close()
  }, 120_000)

  it('shows a regional manager only its regions', async () => {
    const context = await signedIn(api.tokens.regional, 1400)
    const page = await context.newPage()
    await page.goto(`${base}/live?lang=ru`)
    const regional = await liveCount(page)
    const national = await app.inject({
      url: '/api/v1/live?region=75',
      headers: { authorization: `Bearer ${api.tokens.analyst}` },
    })
    expect(regional).toBe(national.json<{ transactions: number }>().transactions)
    // The first test ingested two rows in region 75 today (and one in 71, which this token must not count).
    expect(regional).toBe(2)
    await context.close()
  }, 120_000)

  it('turns the pages of a wall screen with no controls, and fits every width in every language', async () => {
    const context = await signedIn(api.tokens.analyst, 1920)
    const page = await context.newPage()
    await page.goto(`${base}/live?lang=kk&wall=live,incidents&every=10`)
    await page.waitForSelector('.wall [data-live="live"]', { timeout: 60_000 })
    expect(
      await page.locator('.app-header, .filter-bar, .panel-actions:visible, button:visible, input:visible').count(),
    ).toBe(0)
    await page.waitForURL((url) => url.pathname === '/incidents', { timeout: 30_000 })
    expect(new URL(page.url()).searchParams.get('wall')).toBe('live,incidents')
    await context.close()

    const views: [string, number, string][] = [
      ['/live?lang=en', 1400, 'live-en-desktop'],
      ['/live?lang=kk', 390, 'live-kk-phone'],
      ['/live?lang=ru&wall=live', 1920, 'live-ru-wall'],
      ['/incidents?lang=ru', 1400, 'incidents-ru-desktop'],
      ['/incidents?lang=en', 390, 'incidents-en-phone'],
      ['/incidents?lang=kk&wall=incidents', 1920, 'incidents-kk-wall'],
    ]
    for (const [path, width, name] of views) {
      const shown = await signedIn(api.tokens.analyst, width)
      const view = await shown.newPage()
      await view.goto(`${base}${path}`)
      await view.waitForFunction(() => document.querySelectorAll('[data-chart="loading"]').length === 0, null, {
        timeout: 60_000,
      })
      await view.waitForTimeout(800)
      await view.screenshot({ path: `${shots}${name}.png`, fullPage: width < 1000 })
      // Nothing wider than the screen: no sideways scrolling at any width.
      const overflow = await view.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
      expect(overflow, name).toBeLessThanOrEqual(0)
      if (path.startsWith('/incidents') && width === 1400) expect(await axeViolations(view)).toEqual([])
      await shown.close()
    }
  }, 240_000)
})
