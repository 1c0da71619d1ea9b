// The public portal in a real browser, as the public (no token): home, an indicator, a service, an embed and the
// open-data catalogue in Kazakh, Russian and English; the same with JavaScript off; phone and wall-screen widths;
// and the app's shell for a regional token and for a token the server refuses.
import { mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { openPortal, type PortalFixture } from '@qyzmet/api/public/testing'
import { createToken, revokeToken } from '@qyzmet/api/tokens'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { axeViolations, buildDashboard, launchChromium, listenLocally } from './browser.ts'

const root = fileURLToPath(new URL('../../', import.meta.url))
const shots = `${root}test-results/screenshots/`
/** `npm run screenshots` sets this: the README's pictures are taken from these tests. */
const readmeShots = process.env.QYZMET_README_SHOTS === '1' ? `${root}docs/screenshots/` : null

let portal: PortalFixture
let browser: Browser
let base: string

beforeAll(async () => {
  buildDashboard()
  mkdirSync(shots, { recursive: true })
  if (readmeShots) mkdirSync(readmeShots, { recursive: true })
  portal = await openPortal(60_000)
  base = await listenLocally(portal.app)
  browser = await launchChromium()
}, 300_000)

afterAll(async () => {
  await browser?.close()
  await portal?.close()
})

const words = {
  kk: { home: 'Мемлекеттік қызметтер сандармен', table: 'Кезең', open: 'Ашық деректер', embed: 'Дереккөз' },
  ru: { home: 'Государственные услуги в цифрах', table: 'Период', open: 'Открытые данные', embed: 'Источник' },
  en: { home: 'Public services in figures', table: 'Period', open: 'Open data', embed: 'Source' },
} as const

describe('the public portal in a browser', () => {
  for (const lang of ['kk', 'ru', 'en'] as const) {
    it(`shows the home, an indicator, a service, an embed and the catalogue in ${lang}`, async () => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
      const page = await context.newPage()
      const visit = async (path: string, name: string) => {
        const response = await page.goto(`${base}${path}`)
        expect(response?.status(), path).toBe(200)
        expect(await page.evaluate(() => document.documentElement.lang)).toBe(lang)
        await page.screenshot({ path: `${shots}portal-${name}-${lang}.png`, fullPage: true })
        expect(await axeViolations(page), path).toEqual([])
      }
      await visit(`/?lang=${lang}`, 'home')
      expect(await page.locator('h1').textContent()).toBe(words[lang].home)
      expect(await page.locator('.card .figure').count()).toBeGreaterThanOrEqual(2)
      expect(await page.locator('figure.chart svg').count()).toBeGreaterThanOrEqual(2)
      if (lang === 'en' && readmeShots) await page.screenshot({ path: `${readmeShots}public-home.png` })
      await visit(`/indicators/${portal.ids.share}?lang=${lang}`, 'indicator')
      expect(await page.locator('th', { hasText: words[lang].table }).count()).toBeGreaterThan(0)
      expect(await page.locator('[data-breakdown]').count()).toBe(3)
      await visit(`/services/${portal.service}?lang=${lang}`, 'service')
      expect(await page.locator('[data-measure="cost"]').count()).toBe(1)
      await visit(`/embed/${portal.ids.share}/series?lang=${lang}`, 'embed')
      expect(await page.locator('header, nav').count()).toBe(0)
      expect(await page.locator('figcaption').textContent()).toContain(words[lang].embed)
      await visit(`/open-data?lang=${lang}`, 'open-data')
      expect(await page.locator('h1').textContent()).toBe(words[lang].open)
      // The language links keep the page and switch the language.
      await page.locator(`.langs a[lang="${lang === 'en' ? 'ru' : 'en'}"]`).click()
      expect(new URL(page.url()).pathname).toBe('/open-data')
      await context.close()
    }, 180_000)
  }

  it('has its figures, charts and tables without JavaScript', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } })
    const page = await context.newPage()
    await page.goto(`${base}/?lang=en`)
    const figure = page.locator(`[data-indicator="${portal.ids.share}"] .figure`)
    expect(await figure.textContent()).toMatch(/^\d+(\.\d)?%$/)
    expect(await page.locator('table tbody tr').count()).toBeGreaterThan(10)
    await page.goto(`${base}/indicators/${portal.ids.share}?lang=en`)
    expect(await page.locator('.chart-wide svg path').count()).toBeGreaterThan(10)
    expect(await page.locator('table').count()).toBeGreaterThanOrEqual(4)
    expect(await page.locator('a', { hasText: 'CSV' }).count()).toBeGreaterThan(0)
    await context.close()
  }, 120_000)

  it('reads on a phone (390 px) and on a wall screen without sideways scrolling', async () => {
    for (const [width, height, name] of [
      [390, 844, 'phone'],
      [2560, 1440, 'wall'],
    ] as const) {
      const context = await browser.newContext({ viewport: { width, height } })
      const page = await context.newPage()
      for (const path of [
        '/?lang=ru',
        `/indicators/${portal.ids.share}?lang=kk`,
        `/services/${portal.service}?lang=en`,
      ]) {
        await page.goto(`${base}${path}`)
        expect(await page.evaluate(() => document.documentElement.scrollWidth), `${name} ${path}`).toBeLessThanOrEqual(
          width,
        )
        // The drawing made for the width is the one shown.
        const shown = await page
          .locator(width < 640 ? '.chart-narrow svg' : '.chart-wide svg')
          .first()
          .isVisible()
        expect(shown, `${name} ${path}`).toBe(true)
      }
      await page.goto(`${base}/?lang=ru`)
      await page.screenshot({ path: `${shots}portal-home-${name}.png`, fullPage: name === 'phone' })
      await context.close()
    }
  }, 120_000)

  it('shows a regional token only the pages it may use, with its region on every page', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
    await context.addInitScript((token) => localStorage.setItem('qyzmet.token', token), portal.tokens.regional)
    const page = await context.newPage()
    await page.goto(`${base}/quality?lang=en`)
    // Data quality is not a regional manager's page: the app opens their first page instead.
    await page.waitForURL((url) => url.pathname === '/overview')
    const links = await page.locator('nav ul.nav a').allTextContents()
    expect(links).not.toContain('Data quality')
    expect(links).toContain('Overview')
    // The region's name comes with /meta, which may answer after /whoami.
    await page.waitForFunction(() => document.querySelector('.scope')?.textContent !== 'Your scope: 75', null, {
      timeout: 30_000,
    })
    expect(await page.locator('.scope').textContent()).toBe('Your scope: Almaty')
    for (const link of links) {
      await page.locator('nav ul.nav a', { hasText: link }).click()
      await page.waitForFunction(() => document.querySelectorAll('[data-chart="loading"]').length === 0, undefined, {
        timeout: 60_000,
      })
      expect(await page.locator('.scope').count(), link).toBe(1)
      expect(await page.locator('[data-chart="error"]').count(), link).toBe(0)
    }
    await context.close()
  }, 180_000)

  it('sends a browser whose token is refused to the public view, with a notice in its language', async () => {
    const { id, token } = await createToken(portal.store, { name: 'left the ministry', role: 'analyst' })
    await revokeToken(portal.store, id)
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
    await context.addInitScript((secret) => {
      if (!sessionStorage.getItem('seeded')) localStorage.setItem('qyzmet.token', secret)
      sessionStorage.setItem('seeded', '1')
    }, token)
    const page = await context.newPage()
    await page.goto(`${base}/channels?lang=ru`)
    await page.waitForURL((url) => url.pathname === '/' && url.searchParams.get('notice') === 'signed_out')
    expect(await page.locator('.notice[role="status"]').textContent()).toContain('API-токен в этом браузере не принят')
    expect(await page.evaluate(() => localStorage.getItem('qyzmet.token'))).toBeNull()
    expect(await page.locator('h1').textContent()).toBe(words.ru.home)
    await context.close()
  }, 120_000)
})
