// The region page's choice of boundaries in Chromium, in English and Russian, at desktop and phone width: the
// choice, the note on what 2024 boundaries could not attribute, the break mark only on the boundaries of the time,
// and the funnel's model note. Screenshots go to test-results/screenshots/ for a look.
import { mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { openTestApi, type TestApi } from '@qyzmet/api/testing'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { axeViolations, buildDashboard, launchChromium, listenLocally } from './browser.ts'

const shots = fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url))

let api: TestApi
let browser: Browser
let base: string

beforeAll(async () => {
  buildDashboard()
  mkdirSync(shots, { recursive: true })
  api = await openTestApi(60_000)
  base = await listenLocally(api.app)
  browser = await launchChromium()
}, 300_000)

afterAll(async () => {
  await browser?.close()
  await api?.close()
})

async function open(width: number, path: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: 900 } })
  await context.addInitScript((token) => localStorage.setItem('qyzmet.token', token), api.tokens.analyst)
  const page = await context.newPage()
  await page.goto(`${base}${path}`)
  await page.waitForFunction(
    () =>
      document.querySelectorAll('[data-chart="loading"], [data-state="loading"]').length === 0 &&
      document.querySelectorAll('[data-chart="ready"] svg path').length > 0,
    undefined,
    { timeout: 60_000 },
  )
  await page.waitForTimeout(1200)
  return page
}

const range = 'from=2021-01-01&to=2023-12-31&interval=quarter'

describe('boundaries on the region page', () => {
  for (const [lang, words] of [
    ['en', { on2024: 'on 2024 boundaries', left: /left with East Kazakhstan/, broke: 'Boundaries changed' }],
    [
      'ru',
      {
        on2024: 'в границах 2024 года',
        left: /учтены в регионе Восточно-Казахстанская область/,
        broke: 'Границы изменились',
      },
    ],
  ] as const) {
    for (const width of [1400, 390]) {
      it(`switches East Kazakhstan to 2024 boundaries and says what stayed unattributed (${lang}, ${width} px)`, async () => {
        const page = await open(width, `/regions/63?lang=${lang}&${range}`)
        expect(await page.locator('[data-boundaries-choice="of_the_time"]').count()).toBe(1)
        // Of the time: the series marks the break.
        expect(await page.locator(`text=${words.broke}`).count()).toBeGreaterThan(0)
        await page.screenshot({ path: `${shots}region-63-of-the-time-${lang}-${width}.png`, fullPage: true })
        await page.getByLabel(words.on2024).check()
        await page.waitForFunction(() => new URL(location.href).searchParams.get('boundaries') === '2024')
        await page.waitForSelector('[data-unattributed="63"]', { timeout: 60_000 })
        await page.waitForTimeout(1200)
        expect(await page.locator('[data-unattributed="63"]').textContent()).toMatch(words.left)
        // 2024 boundaries: the same territory throughout, no break to mark.
        expect(await page.locator(`text=${words.broke}`).count()).toBe(0)
        expect(await axeViolations(page)).toEqual([])
        await page.screenshot({ path: `${shots}region-63-2024-${lang}-${width}.png`, fullPage: true })
        await page.context().close()
      })
    }
  }

  it('gives Abai a series before the split on 2024 boundaries, and the regions map of 2021 on the 2024 map', async () => {
    const page = await open(1400, `/regions/10?lang=en&${range}&boundaries=2024`)
    expect(await page.locator('[data-unattributed="63"]').count()).toBe(1)
    await page.screenshot({ path: `${shots}region-10-2024-en-1400.png`, fullPage: true })
    await page.context().close()
    const regions = await open(1400, '/regions?lang=en&from=2021-01-01&to=2021-12-31&boundaries=2024')
    expect(await regions.locator('[data-boundaries="2024"]').count()).toBe(1)
    expect(await regions.locator('[data-funnel-model="additive"]').count()).toBe(1)
    await regions.screenshot({ path: `${shots}regions-2021-2024-en-1400.png`, fullPage: true })
    await regions.context().close()
    // At phone width, in Russian (the longest labels), the choices wrap rather than widen the page.
    const phone = await open(390, '/regions?lang=ru&from=2021-01-01&to=2021-12-31&boundaries=2024')
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
    await phone.screenshot({ path: `${shots}regions-2021-2024-ru-390.png`, fullPage: true })
    await phone.context().close()
  })
})
