// The channel-shift panels in a real browser over the real API: analyst and regional manager, desktop and phone.
import { mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { openTestApi, type TestApi } from '@qyzmet/api/testing'
import type { Browser, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { axeViolations, buildDashboard, launchChromium, listenLocally } from './browser.ts'

const shots = fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url))

let api: TestApi
let browser: Browser
let base: string
const pageErrors: string[] = []

async function open(token: string, path: string, width = 1280): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: 900 } })
  await context.addInitScript((value) => localStorage.setItem('qyzmet.token', value), token)
  const page = await context.newPage()
  // A chart that throws takes the whole page down: every test asserts that none did.
  page.on('pageerror', (error) => pageErrors.push(error.message))
  await page.goto(`${base}${path}`)
  await page.waitForSelector('[data-chart]', { timeout: 60_000 })
  await page.waitForFunction(
    () => document.querySelectorAll('[data-chart="loading"], [data-state="loading"]').length === 0,
    null,
    { timeout: 120_000 },
  )
  // ECharts animates for up to a second after its last option.
  await page.waitForTimeout(1200)
  return page
}

/** The panel whose heading is `title`. */
const panel = (page: Page, title: string) =>
  page.locator('section.panel', { has: page.locator('h2', { hasText: title }) })

beforeAll(async () => {
  buildDashboard()
  mkdirSync(shots, { recursive: true })
  api = await openTestApi(80_000)
  base = await listenLocally(api.app)
  browser = await launchChromium()
}, 300_000)

afterEach(() => {
  expect(pageErrors.splice(0)).toEqual([])
})

afterAll(async () => {
  await browser?.close()
  await api?.close()
})

describe('channel shift in the dashboard', () => {
  it('explains the online share on the Overview: a waterfall of four bars, its table, another split', async () => {
    const page = await open(api.tokens.analyst, '/overview?lang=en')
    const why = panel(page, 'Why the online share moved')
    expect(await why.getAttribute('data-chart')).toBe('ready')
    // Mix, within, interaction and the change: each a visible bar with its signed label.
    expect(await why.locator('svg text', { hasText: / pp$/ }).count()).toBeGreaterThanOrEqual(4)
    expect(await why.locator('[data-note="decomposition"]').textContent()).toMatch(/^Change [+-−]?[\d.]+ pp: /)
    expect(await why.locator('a', { hasText: 'Download CSV' }).getAttribute('href')).toContain('decompose?')
    await why.locator('button', { hasText: 'Show table' }).click()
    expect(await why.locator('tbody tr').count()).toBeGreaterThan(0)
    await why.locator('select').selectOption('region')
    await page.waitForFunction(() =>
      Array.from(document.querySelectorAll('section.panel')).some(
        (section) =>
          section.querySelector('th')?.textContent === 'Region' && section.querySelectorAll('tbody tr').length > 0,
      ),
    )
    await page.screenshot({ path: `${shots}shift-overview-en.png`, fullPage: true })
    await page.context().close()
  }, 180_000)

  it('shows cohorts, the help comparison and costs on the Channels page at phone width, in Russian', async () => {
    const page = await open(api.tokens.analyst, '/channels?lang=ru', 390)
    console.log(
      await page.locator('section.panel h2').allTextContents(),
      await page.locator('section.panel').evaluateAll((s) => s.map((x) => x.getAttribute('data-chart'))),
    )
    for (const title of [
      'Почему изменилась доля самостоятельно онлайн',
      'Кто перешёл: самостоятельно онлайн, по месяцу первой помощи',
      'Стоимость транзакции при сложившемся соотношении каналов',
    ]) {
      expect([title, await panel(page, title).getAttribute('data-chart')]).toEqual([title, 'ready'])
    }
    const costs = panel(page, 'Стоимость транзакции при сложившемся соотношении каналов')
    expect(await costs.locator('[data-note="saved"]').textContent()).toMatch(/сэкономил .* KZT на [\d\s  ]+ транзакци/)
    expect(await costs.textContent()).toContain('демонстрационные значения')
    const byService = panel(page, 'Стоимость транзакции по услугам')
    expect(await byService.locator('tbody tr').count()).toBeGreaterThan(10)
    expect(await page.locator('[data-chart="error"]').count()).toBe(0)
    // Nothing wider than the phone: the page does not scroll sideways.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
    await page.screenshot({ path: `${shots}shift-channels-ru-390.png`, fullPage: true })
    expect(await axeViolations(page)).toEqual([])
    await page.context().close()
  }, 180_000)

  it('marks cohort cells not yet known in the table, never as 0 %', async () => {
    const page = await open(api.tokens.analyst, '/channels?lang=en&from=2019-01-01&to=2019-12-31')
    const cohorts = panel(page, 'Who moved: self-served online, by month of first help')
    await cohorts.locator('button', { hasText: 'Show table' }).click()
    const lastRow = cohorts.locator('tbody tr').last()
    expect(await lastRow.locator('td').last().textContent()).toBe('not yet known')
    await page.context().close()
  }, 180_000)

  it('tells a regional manager where to push in their region, the best region unnamed', async () => {
    const page = await open(api.tokens.regional, '/regions/75?lang=kk', 390)
    const push = panel(page, 'Күшті қайда салу керек')
    expect(await push.getAttribute('data-chart')).toBe('ready')
    await push.locator('button').filter({ hasText: 'Кестені көрсету' }).click()
    const rows = push.locator('tbody tr')
    expect(await rows.count()).toBeGreaterThan(3)
    // The best region's column (7th) is a dash for a regional token.
    expect(new Set(await push.locator('tbody tr td:nth-child(7)').allTextContents())).toEqual(new Set(['–']))
    await page.screenshot({ path: `${shots}shift-region-kk-390.png`, fullPage: true })
    await page.context().close()
  }, 180_000)
})
