import { chromium } from 'playwright-core'
import { openTestApi } from './api/src/testing.ts'

const api = await openTestApi(Number(process.env.ROWS ?? 400_000))
await api.app.listen({ port: 0, host: '127.0.0.1' })
const address = api.app.server.address()
const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu'],
})
const shots = [
  ['analyst', '/?lang=en', 'overview-en', 1280],
  ['analyst', '/channels?lang=en', 'channels-en', 1280],
  ['analyst', '/channels?lang=ru', 'channels-ru', 390],
  ['analyst', '/regions/75?lang=kk', 'region-kk', 1280],
  ['regional', '/regions/75?lang=en', 'region-regional-en', 390],
  ['regional', '/channels?lang=en', 'channels-regional-en', 1280],
] as const
for (const [who, path, name, width] of shots) {
  const context = await browser.newContext({ viewport: { width, height: 900 } })
  const token = who === 'analyst' ? api.tokens.analyst : api.tokens.regional
  await context.addInitScript((t) => localStorage.setItem('qyzmet.token', t), token)
  const page = await context.newPage()
  page.on('console', (m) => {
    if (m.type() === 'error') console.log(name, 'console:', m.text())
  })
  await page.goto(`${base}${path}`)
  await page.waitForSelector('[data-chart]', { timeout: 120_000 })
  await page.waitForFunction(
    () => document.querySelectorAll('[data-chart="loading"], [data-state="loading"]').length === 0,
    null,
    { timeout: 300_000 },
  )
  await page.waitForTimeout(1500)
  await page.screenshot({ path: `/tmp/shift-shots/${name}.png`, fullPage: true })
  if (width < 600) {
    const panels = await page.locator('section.panel').all()
    for (const [index, panel] of panels.entries())
      await panel.screenshot({ path: `/tmp/shift-shots/${name}-panel${index}.png` })
  }
  const errors = await page.locator('[data-chart="error"]').allTextContents()
  console.log(name, 'errors:', errors)
  await context.close()
}
await browser.close()
await api.close()
