// The Content-Security-Policy is on every answer, and Swagger UI works under it in a real browser.
import { loadReference } from '@qyzmet/sql'
import { openTestStore, type TestStore } from '@qyzmet/sql/testing'
import type { FastifyInstance } from 'fastify'
import { chromium } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../app.ts'
import { contentSecurityPolicy } from './headers.ts'

let store: TestStore
let app: FastifyInstance
beforeAll(async () => {
  store = await openTestStore()
  await loadReference(store)
  app = await buildApp(store)
})
afterAll(async () => {
  await app?.close()
  await store?.close()
})

/** The policy header parsed back into directives, to compare with what the module declares. */
const directives = (header: string) =>
  Object.fromEntries(
    header
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name, ...values]) => [name, values]),
  )

describe('Content-Security-Policy', () => {
  it('is sent with the dashboard, the API, the documentation and errors, and allows no script but our own', async () => {
    for (const url of ['/', '/regions/75', '/api/v1/meta', '/docs', '/docs/json', '/api/v1/nothing', '/healthz']) {
      const response = await app.inject({ url })
      const header = response.headers['content-security-policy']
      expect(typeof header, url).toBe('string')
      const policy = directives(String(header))
      expect(policy, url).toEqual(contentSecurityPolicy)
      expect(policy['script-src'], url).toEqual(["'self'"])
      expect(policy['object-src'], url).toEqual(["'none'"])
    }
  })

  it('lets Swagger UI at /docs render the API without a single violation', async () => {
    await app.listen({ port: 0, host: '127.0.0.1' })
    const address = app.server.address()
    const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
    })
    try {
      const page = await browser.newPage()
      const violations: string[] = []
      page.on('console', (message) => {
        if (/Content Security Policy/i.test(message.text())) violations.push(message.text())
      })
      await page.goto(`${base}/docs`)
      await page.waitForSelector('.swagger-ui .info .title', { timeout: 30_000 })
      expect(await page.locator('.swagger-ui .info .title').textContent()).toContain('Qyzmet API')
      // Open one operation: its schema and the "Try it out" form are drawn by Swagger UI's own scripts and styles.
      await page.locator('.opblock-summary', { hasText: '/api/v1/metrics/{metric}/series' }).first().click()
      await page.waitForSelector('.opblock.is-open .parameters', { timeout: 10_000 })
      await page.waitForTimeout(500)
      expect(violations).toEqual([])
    } finally {
      await browser.close()
    }
  }, 120_000)
})
