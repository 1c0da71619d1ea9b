// The dashboard in a real browser over the real API, signed in: every page renders data, filters, languages, the
// map, axe. The public portal has its own browser test (web/src/portal-e2e.test.ts).
import { mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { buildApp } from '@qyzmet/api/app'
import { openTestApi, type TestApi } from '@qyzmet/api/testing'
import { event, ndjson } from '@qyzmet/ingest/corpus'
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { axeViolations, buildDashboard, launchChromium, listenLocally } from './browser.ts'

const shots = fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url))
/** `npm run screenshots` sets this: the README's picture of the Overview is taken here. */
const readmeShots =
  process.env.QYZMET_README_SHOTS === '1' ? fileURLToPath(new URL('../../docs/screenshots/', import.meta.url)) : null
const clientPages = ['channels', 'regions', 'services', 'people', 'targets', 'indicators', 'quality']
const names = (text: string) => ({ kk: `${text} (kk)`, ru: `${text} (ru)`, en: text })

let api: TestApi
let browser: Browser
let base: string
let analyst: BrowserContext

/** Waits until no panel is loading and at least one chart has drawn marks. */
async function settled(page: Page, charts = 1): Promise<void> {
  await page.waitForFunction(
    (count) =>
      document.querySelectorAll('[data-chart="loading"], [data-state="loading"]').length === 0 &&
      document.querySelectorAll('[data-chart="ready"] svg path, [data-chart="ready"] li').length >= count,
    charts,
    { timeout: 60_000 },
  )
  // Let ECharts finish drawing after its last option (it animates for up to a second).
  await page.waitForTimeout(1200)
}

/** Sets a filter that holds several values (its checkbox list) to exactly these codes, as a person would. */
async function choose(page: Page, dimension: string, codes: string[]): Promise<void> {
  const filter = page.locator(`details[data-filter="${dimension}"]`)
  await filter.locator('summary').click()
  for (const box of await filter.locator('input[type="checkbox"]').all()) {
    const wanted = codes.includes((await box.getAttribute('value')) ?? '')
    if ((await box.isChecked()) !== wanted) {
      await box.click()
      // Each click changes the URL; wait for it before the next, so that no choice is lost.
      await page.waitForFunction(
        ([name, code, on]) => new URL(location.href).searchParams.get(name)?.split(',').includes(code) === on,
        [dimension, (await box.getAttribute('value')) ?? '', wanted] as const,
      )
    }
  }
  await page.keyboard.press('Escape')
}

/** A KPI's figure as a number (English formatting: 12,345). */
const kpiNumber = async (page: Page, metric: string) =>
  Number(((await page.locator(`[data-kpi="${metric}"] .kpi-value`).textContent()) ?? '').replace(/[^\d.]/g, ''))

/** Content-Security-Policy violations seen in any page: the dashboard must work under the server's policy. */
const cspViolations: string[] = []
async function newContext(options: BrowserContextOptions): Promise<BrowserContext> {
  const context = await browser.newContext(options)
  context.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text()))
      cspViolations.push(`${message.location().url}: ${message.text()}`)
  })
  return context
}

beforeAll(async () => {
  // `npm test` builds web/dist before any test starts (other test files serve it too); this only rebuilds when
  // the sources are newer, e.g. when this file runs alone.
  buildDashboard()
  mkdirSync(shots, { recursive: true })
  if (readmeShots) mkdirSync(readmeShots, { recursive: true })
  api = await openTestApi(60_000)
  // The API serves web/dist itself (api/src/plugins/dashboard.ts) when it exists at start, hence the build first.
  const headers = { authorization: `Bearer ${api.tokens.analyst}` }
  const created = await api.app.inject({
    method: 'POST',
    url: '/api/v1/indicators',
    headers,
    payload: {
      metric: 'online_share',
      interval: 'quarter',
      title: names('Online share of public services'),
      methodology: names('Completed online ÷ all completed'),
    },
  })
  const { id } = created.json<{ id: string }>()
  await api.app.inject({
    method: 'POST',
    url: `/api/v1/indicators/${id}/publish`,
    headers,
    payload: { note: names('First release') },
  })
  // One pushed batch with a bad row, so that the data-quality page has a batch and a quarantine reason to show.
  const pushed = await api.app.inject({
    method: 'POST',
    url: '/api/v1/ingest/events?source=egov-mobile&name=e2e-feed.ndjson',
    headers: { authorization: `Bearer ${api.tokens.ingest}`, 'content-type': 'application/x-ndjson' },
    payload: ndjson([event(), event(), event({ channel: 'fax' })]),
  })
  if (pushed.statusCode !== 200) throw new Error(`the ingest push failed: ${pushed.body}`)
  base = await listenLocally(api.app)
  browser = await launchChromium()
  analyst = await newContext({ viewport: { width: 1280, height: 900 } })
  await analyst.addInitScript((token) => localStorage.setItem('qyzmet.token', token), api.tokens.analyst)
}, 300_000)

afterAll(async () => {
  await browser?.close()
  await api?.close()
})

describe('dashboard in a browser', () => {
  it('opens the app from the home page when the browser holds a token, and the home page when it does not', async () => {
    const page = await analyst.newPage()
    await page.goto(`${base}/?lang=en`)
    await page.waitForURL((url) => url.pathname === '/overview' && url.search === '?lang=en')
    await settled(page, 3)
    expect(await page.locator('[aria-current="page"]').textContent()).toBe('Overview')
    // `?public` keeps a signed-in analyst on the public home.
    await page.goto(`${base}/?public&lang=en`)
    expect(new URL(page.url()).pathname).toBe('/')
    expect(await page.locator('h1').textContent()).toBe('Public services in figures')
    await page.close()
  }, 120_000)

  it('signs in and out without a reload: answers asked with one token are never shown for the other', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
    const page = await context.newPage()
    await page.goto(`${base}/indicators?lang=en`)
    // Without a token the app offers only the sign-in and the public portal.
    expect(await page.locator('h1').textContent()).toBe('Sign in to the dashboard')
    expect(await page.locator('nav ul.nav a').count()).toBe(0)
    await page.fill('#token-input', api.tokens.analyst)
    await page.click('form.token button[type="submit"]')
    await settled(page)
    await page.locator('nav ul.nav a', { hasText: 'Overview' }).click()
    await page.waitForURL((url) => url.pathname === '/overview')
    await settled(page, 3)
    expect(await page.locator('[data-chart="error"]').count()).toBe(0)
    expect(await page.locator('[data-kpi] .kpi-value', { hasText: '…' }).count()).toBe(0)
    await page.locator('.token button', { hasText: 'Sign out' }).click()
    expect(await page.locator('h1').textContent()).toBe('Sign in to the dashboard')
    expect(await page.locator('nav ul.nav a').count()).toBe(0)
    await context.close()
  }, 120_000)

  it('switches the language of labels and numbers, kept in the URL', async () => {
    const page = await analyst.newPage()
    await page.goto(`${base}/overview?lang=en`)
    await settled(page, 3)
    expect(await page.locator('[aria-current="page"]').textContent()).toBe('Overview')
    expect(await page.locator('[data-chart="ready"] svg text', { hasText: 'Lockdown' }).count()).toBe(1)
    await page.screenshot({ path: `${shots}overview-en.png`, fullPage: true })
    if (readmeShots) await page.screenshot({ path: `${readmeShots}analyst-overview.png` })
    expect(await axeViolations(page)).toEqual([])
    for (const [lang, overview, volume] of [
      ['kk', 'Шолу', 'Көрсетілген қызметтер'],
      ['ru', 'Обзор', 'Оказано услуг'],
    ] as const) {
      await page.click(`.lang-switch button[lang="${lang}"]`)
      await page.waitForURL(new RegExp(`lang=${lang}`))
      expect(await page.locator('[aria-current="page"]').textContent()).toBe(overview)
      expect(await page.locator('[data-kpi="volume"] h2').textContent()).toBe(volume)
      expect(await page.evaluate(() => document.documentElement.lang)).toBe(lang)
      await settled(page, 3)
      await page.screenshot({ path: `${shots}overview-${lang}.png`, fullPage: true })
      // ECharts' own description for screen readers, in the page's language, after the panel's title.
      const described = (await page.locator('section.panel .echart').first().getAttribute('aria-label')) ?? ''
      expect(described.length).toBeGreaterThan(60)
      expect(described).toMatch(lang === 'ru' ? /Данные таковы|серии|серий|с типом/ : /Деректер|қатар|диаграмма/)
    }
    await page.close()
  }, 120_000)

  it('puts a filter change in the URL, updates the numbers, and goes back', async () => {
    const page = await analyst.newPage()
    await page.goto(`${base}/overview?lang=en`)
    await settled(page, 3)
    const volume = page.locator('[data-kpi="volume"] .kpi-value')
    const national = await volume.textContent()
    await choose(page, 'channel', ['portal'])
    await page.waitForURL(/channel=portal/)
    await settled(page, 3)
    const portal = await volume.textContent()
    expect(portal).not.toBe(national)
    expect(await page.locator('details[data-filter="channel"] summary').textContent()).toBe('Channelegov.kz portal')
    // The change is said to screen readers, politely, in words.
    expect(await page.locator('[role="status"][data-announce="filters"]').textContent()).toBe(
      'Filters changed: Last 12 months; Channel: egov.kz portal. The figures below are updated.',
    )
    // A copied link opens the same view.
    const copy = await analyst.newPage()
    await copy.goto(page.url())
    await settled(copy, 3)
    expect(await copy.locator('[data-kpi="volume"] .kpi-value').textContent()).toBe(portal)
    expect(await copy.locator('input[name="channel"][value="portal"]').isChecked()).toBe(true)
    await copy.close()
    await page.goBack()
    await page.waitForURL((url) => !url.search.includes('channel='))
    await settled(page, 3)
    expect(await volume.textContent()).toBe(national)
    await page.close()
  }, 120_000)

  it('filters on several values of a dimension: the volume of two channels is the sum of each', async () => {
    const page = await analyst.newPage()
    await page.goto(`${base}/overview?lang=en&period=all&channel=mobile`)
    await settled(page, 3)
    const mobile = await kpiNumber(page, 'volume')
    await choose(page, 'channel', ['portal'])
    await settled(page, 3)
    const portal = await kpiNumber(page, 'volume')
    await choose(page, 'channel', ['portal', 'mobile'])
    await page.waitForURL(/channel=portal,mobile/)
    await settled(page, 3)
    expect(mobile).toBeGreaterThan(0)
    expect(portal).toBeGreaterThan(0)
    expect(await kpiNumber(page, 'volume')).toBe(portal + mobile)
    expect(await page.locator('details[data-filter="channel"] summary').textContent()).toBe('Channel2 selected')
    // The same view from repeated parameters, as another tool might link to it.
    await page.goto(`${base}/overview?lang=ru&period=all&channel=mobile&channel=portal`)
    await settled(page, 3)
    expect(await page.locator('details[data-filter="channel"] .choices-value').textContent()).toBe('выбрано 2')
    await page.locator('details[data-filter="channel"] summary').click()
    await page.screenshot({ path: `${shots}filter-choices-ru.png` })
    expect(await axeViolations(page)).toEqual([])
    await page.keyboard.press('Escape')
    expect(await page.locator('details[data-filter="channel"]').getAttribute('open')).toBeNull()
    await page.close()
  }, 120_000)

  it('renders every page with data and no serious accessibility violations', async () => {
    const page = await analyst.newPage()
    await page.goto(`${base}/overview?lang=en`)
    await settled(page, 3)
    // Keyboard: the skip link comes first, then the navigation links, with a visible focus ring.
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content')
    await page.keyboard.press('Tab')
    const focused = await page.evaluate(() => {
      const element = document.activeElement as HTMLElement
      return { text: element.textContent, outline: getComputedStyle(element).outlineStyle }
    })
    expect(focused).toEqual({ text: 'Overview', outline: 'solid' })
    for (const name of clientPages) {
      await page.click(`nav ul.nav a[href^="/${name}"]`)
      await page.waitForURL(new RegExp(`/${name}`))
      await settled(page)
      expect(await page.locator('[data-chart="error"]').count(), name).toBe(0)
      await page.screenshot({ path: `${shots}${name}.png`, fullPage: true })
      expect(await axeViolations(page), name).toEqual([])
    }
    await page.close()
  }, 180_000)

  it('opens the page of a region clicked on the map', async () => {
    const page = await analyst.newPage()
    await page.goto(`${base}/regions?lang=en&period=all`)
    await settled(page, 2)
    expect(await page.locator('text=Boundaries: geokz by A. Rodionov, CC BY 4.0').count()).toBe(1)
    const map = page.locator('[data-chart="ready"]').first().locator('.echart')
    const box = await map.boundingBox()
    if (!box) throw new Error('the map has no box')
    // The middle of the map lies in Karagandy region (35).
    await page.mouse.click(box.x + box.width * 0.55, box.y + box.height * 0.45)
    await page.waitForURL(/\/regions\/\d\d\?/)
    expect(new URL(page.url()).searchParams.get('period')).toBe('all')
    const code = new URL(page.url()).pathname.slice(-2)
    expect(await page.locator('select[name="region"]').inputValue()).toBe(code)
    await settled(page, 4)
    // Marks can be drawn by some panels before the others answer: wait for all five (the fifth: where to push).
    await page.waitForFunction(() => document.querySelectorAll('[data-chart="ready"]').length >= 5, null, {
      timeout: 60_000,
    })
    expect(await page.locator('[data-chart="ready"]').count()).toBe(5)
    expect(await page.locator('.echart[data-ready="true"]').count()).toBe(5)
    await page.screenshot({ path: `${shots}region-page-en.png`, fullPage: true })
    // Back returns to the map with the filters kept; forward opens the region again.
    await page.goBack()
    await page.waitForURL((url) => url.pathname === '/regions' && url.search.includes('period=all'))
    await page.goForward()
    await page.waitForURL(new RegExp(`/regions/${code}`))
    await page.close()
  }, 120_000)

  it('shows a region against the country, its channels, services and offices, with the 2022 split noted', async () => {
    const page = await analyst.newPage()
    await page.goto(`${base}/regions/75?lang=en&period=all`)
    await settled(page, 4)
    expect(await page.locator('h1').textContent()).toBe('Almaty')
    expect(await page.locator('[data-chart="error"]').count()).toBe(0)
    await page.waitForFunction(() => document.querySelectorAll('[data-chart="ready"]').length >= 5, null, {
      timeout: 60_000,
    })
    expect(await page.locator('[data-chart="ready"]').count()).toBe(5)
    const note = page.locator('[data-note="region-split"]')
    expect(await note.textContent()).toMatch(/Abai.*Zhetisu.*Ulytau.*East Kazakhstan.*Almaty Region.*Karaganda/)
    // All time by day would be ~2,900 points per line: asked for by week, and said so.
    await page.selectOption('select[name="interval"]', 'day')
    await settled(page, 4)
    expect(await page.locator('text=Too many points for one chart: shown by week.').count()).toBe(1)
    expect(await page.locator('text=Too many points for one chart: shown by month.').count()).toBe(1)
    expect(await axeViolations(page)).toEqual([])
    // The offices as a table: one-stop-shop offices of Almaty city, coded 75-NNN.
    const offices = page.locator('section.panel', { hasText: 'One-stop-shop offices' })
    await offices.locator('button', { hasText: 'Show table' }).click()
    expect(await offices.locator('tbody tr').first().locator('td').first().textContent()).toMatch(/^75-\d{3}$/)
    await page.screenshot({ path: `${shots}region-page-day.png`, fullPage: true })
    // Within 2023 the split is not in range: no note.
    await page.goto(`${base}/regions/10?lang=kk&from=2023-01-01&to=2023-12-31`)
    await settled(page, 4)
    expect(await note.count()).toBe(0)
    await page.goto(`${base}/regions/10?lang=kk&period=all`)
    await settled(page, 4)
    expect(await note.textContent()).toContain('Абай облысы')
    await page.screenshot({ path: `${shots}region-page-kk.png`, fullPage: true })
    await page.close()
  }, 180_000)

  it('compares regions on a funnel plot: above, within or below expectation, listed by name, never ranked', async () => {
    const answer = (
      await api.app.inject({
        url: '/api/v1/metrics/online_share/funnel?period=all&by=region',
        headers: { authorization: `Bearer ${api.tokens.analyst}` },
      })
    ).json<{ units: { key: string; signal: string; beyond95: boolean }[] }>()
    const page = await analyst.newPage()
    await page.goto(`${base}/regions?lang=en&period=all`)
    await settled(page, 2)
    const funnel = page.locator('section.panel', { hasText: 'a funnel plot' })
    expect(await funnel.getAttribute('data-chart')).toBe('ready')
    await page.screenshot({ path: `${shots}regions-funnel.png`, fullPage: true })
    await funnel.locator('button', { hasText: 'Show table' }).click()
    expect(await funnel.locator('thead th').allTextContents()).toEqual([
      'Region',
      'Value',
      'Base: completed transactions',
      '99.8 % limits',
      'Against expectation',
    ])
    const rows = await funnel.locator('tbody tr').all()
    expect(rows).toHaveLength(answer.units.length)
    const names: string[] = []
    const words = { above: 'above expectation', within: 'within expectation', below: 'below expectation' }
    for (const row of rows) {
      const cells = await row.locator('td').allTextContents()
      names.push(cells[0] ?? '')
      const href = (await row.locator('a').getAttribute('href')) ?? ''
      const unit = answer.units.find((item) => href.startsWith(`/regions/${item.key}?`))
      expect(unit, href).toBeDefined()
      const word = words[unit?.signal as keyof typeof words]
      expect(cells[4]).toBe(unit?.beyond95 && unit.signal === 'within' ? `${word} (beyond the 95 % limits)` : word)
    }
    // By name, not by value: nothing is ranked.
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, 'en')))
    expect(await funnel.locator('[data-signals]').textContent()).toMatch(/above expectation.*within it.*below it/)
    expect(await page.locator('text=over-dispersion φ =').count()).toBe(1)
    expect(await axeViolations(page)).toEqual([])
    await page.close()
  }, 120_000)

  it('draws the map of a period before 8 June 2022 in the boundaries of 2018, and at phone width', async () => {
    const page = await analyst.newPage()
    await page.goto(`${base}/regions?lang=en&from=2021-01-01&to=2021-12-31`)
    await settled(page, 2)
    expect(await page.locator('[data-boundaries="2018"]').count()).toBe(1)
    expect(await page.locator('text=Drawn in the boundaries before 8 June 2022').count()).toBe(1)
    await page.screenshot({ path: `${shots}regions-2021.png`, fullPage: true })
    await page.goto(`${base}/regions?lang=en&from=2023-01-01&to=2023-12-31`)
    await settled(page, 2)
    expect(await page.locator('[data-boundaries="2024"]').count()).toBe(1)
    await page.close()
    const phone = await newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 })
    await phone.addInitScript((token) => localStorage.setItem('qyzmet.token', token), api.tokens.analyst)
    const small = await phone.newPage()
    await small.goto(`${base}/regions?lang=ru&period=all`)
    await settled(small, 2)
    expect(await small.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
    await small.screenshot({ path: `${shots}regions-phone-ru.png`, fullPage: true })
    await phone.close()
  }, 120_000)

  it('shows data quality to analysts and ingest tokens: freshness, quarantine and batches', async () => {
    const context = await newContext({ viewport: { width: 1280, height: 900 } })
    await context.addInitScript((token) => localStorage.setItem('qyzmet.token', token), api.tokens.ingest)
    const page = await context.newPage()
    await page.goto(`${base}/quality?lang=en`)
    await settled(page, 2)
    expect(await page.locator('h1').textContent()).toBe('Data quality')
    expect(await page.locator('[data-chart="error"]').count()).toBe(0)
    expect(await page.locator('.summary').textContent()).toMatch(/^\d+ of \d+ feeds? (is|are) stale/)
    const batches = page.locator('section.panel', { hasText: 'Recent batches' })
    const batch = batches.locator('tbody tr', { hasText: 'e2e-feed.ndjson' })
    expect(await batch.locator('td').allTextContents()).toEqual([
      expect.stringMatching(/UTC$/),
      'egov-mobile',
      'e2e-feed.ndjson',
      'done',
      '3',
      '2',
      '0',
      '1',
      expect.stringMatching(/UTC$/),
    ])
    const quarantine = page.locator('section.panel', { hasText: 'Quarantined rows by reason' })
    await quarantine.locator('button', { hasText: 'Show table' }).click()
    expect(await quarantine.locator('tbody tr').count()).toBeGreaterThan(0)
    const freshness = page.locator('section.panel', { hasText: 'Freshness per source, region and channel' })
    expect(await freshness.locator('tbody tr', { hasText: 'egov-mobile' }).count()).toBeGreaterThan(0)
    await quarantine.locator('button', { hasText: 'Show chart' }).click()
    await settled(page, 2)
    await page.screenshot({ path: `${shots}quality-en.png`, fullPage: true })
    expect(await axeViolations(page)).toEqual([])
    await page.goto(`${base}/quality?lang=ru`)
    await settled(page, 2)
    await page.screenshot({ path: `${shots}quality-ru.png`, fullPage: true })
    await context.close()
  }, 120_000)

  it('marks demo data with its sample on every page in kk, ru and en, and not at all for real data', async () => {
    const [dataset] = await api.store.rows<{ n: number }>(
      'test:one-in',
      "SELECT round(1 / sampling_fraction) AS n FROM dataset WHERE kind = 'demo' ORDER BY generated_at DESC LIMIT 1",
    )
    const oneIn = Number(dataset?.n)
    expect(oneIn).toBeGreaterThan(1)
    const page = await analyst.newPage()
    for (const lang of ['kk', 'ru', 'en']) {
      for (const path of ['/overview', ...clientPages.map((name) => `/${name}`), '/']) {
        await page.goto(`${base}${path}?lang=${lang}${path === '/' ? '&public' : ''}`)
        const marker = page.locator('.notice.demo')
        await marker.waitFor({ timeout: 30_000 })
        expect(`${lang} ${path}: ${await marker.getAttribute('data-demo')}`).toBe(`${lang} ${path}: ${oneIn}`)
        // The number is written in the page's language: 1:300 reads the same, but a larger N is grouped.
        expect(await marker.textContent()).toMatch(/1:\s?\d/)
      }
    }
    await page.close()
    // A store holding real data (no record of a demo) shows no marker: a fresh app reads the reference again.
    await api.store.command('test:real', 'TRUNCATE TABLE dataset')
    const real = await buildApp(api.store, { anonymousRateLimit: 10_000 })
    const realBase = await listenLocally(real)
    const realPage = await analyst.newPage()
    for (const path of ['/overview?lang=en', '/?public&lang=en']) {
      await realPage.goto(`${realBase}${path}`)
      await realPage.locator('h1').first().waitFor({ timeout: 30_000 })
      expect(await realPage.locator('.notice.demo').count(), path).toBe(0)
    }
    await realPage.close()
    await real.close()
  }, 300_000)

  it('stacks at phone width', async () => {
    const context = await newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 })
    await context.addInitScript((token) => localStorage.setItem('qyzmet.token', token), api.tokens.analyst)
    const page = await context.newPage()
    await page.goto(`${base}/overview?lang=ru`)
    await settled(page, 3)
    const width = await page.evaluate(() => document.documentElement.scrollWidth)
    expect(width).toBeLessThanOrEqual(390)
    await page.screenshot({ path: `${shots}overview-phone.png`, fullPage: true })
    // An open list of choices stays on the screen too, whichever filter it belongs to.
    for (const filter of await page.locator('details.choices').all()) {
      await filter.locator('summary').click()
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
      const box = await filter.locator('.choices-list').boundingBox()
      expect((box?.x ?? -1) >= 0 && (box?.x ?? 0) + (box?.width ?? 0) <= 390).toBe(true)
      if ((await filter.getAttribute('data-filter')) === 'age_band')
        await page.screenshot({ path: `${shots}filter-choices-phone.png` })
      await page.keyboard.press('Escape')
    }
    await context.close()
  }, 120_000)

  it('met no Content-Security-Policy violation on any page above', () => {
    expect(cspViolations).toEqual([])
  })
})
