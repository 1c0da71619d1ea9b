// Prometheus /metrics is off by default and, when on, answers only the operator's token, with counts that match.
import { loadReference } from '@qyzmet/sql'
import { openTestStore, type TestStore } from '@qyzmet/sql/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../app.ts'
import { bearer } from '../testing.ts'
import { createToken } from '../tokens.ts'

let store: TestStore
let analyst: string
beforeAll(async () => {
  store = await openTestStore()
  await loadReference(store)
  analyst = (await createToken(store, { name: 'metrics', role: 'analyst' })).token
})
afterAll(() => store.close())

const operatorToken = 'prometheus-scrape-token-0123456789abcdef'

describe('/metrics', () => {
  it('does not exist without QYZMET_METRICS_TOKEN, for anyone', async () => {
    const app = await buildApp(store, { dashboard: false })
    for (const headers of [{}, bearer(analyst), bearer(operatorToken)]) {
      const response = await app.inject({ url: '/metrics', headers })
      expect(response.statusCode).toBe(404)
      expect(response.json<{ message: string }>().message).toMatch(/QYZMET_METRICS_TOKEN/)
      expect(response.body).not.toMatch(/qyzmet_http/)
    }
    await app.close()
  })

  it("answers the operator's token only, and counts requests as they were made", async () => {
    const app = await buildApp(store, { dashboard: false, metricsToken: operatorToken })
    for (const headers of [{}, bearer(analyst), bearer(`${operatorToken}x`), { authorization: operatorToken }]) {
      const refused = await app.inject({ url: '/metrics', headers })
      expect(refused.statusCode).toBe(401)
      expect(refused.headers['www-authenticate']).toBe('Bearer')
      expect(refused.body).not.toMatch(/qyzmet_http/)
    }
    const sent = { ok: 3, missing: 2 }
    for (let i = 0; i < sent.ok; i++) await app.inject({ url: '/api/v1/indicators' })
    for (let i = 0; i < sent.missing; i++) await app.inject({ url: '/api/v1/indicators/none' })
    const scrape = await app.inject({ url: '/metrics', headers: bearer(operatorToken) })
    expect(scrape.statusCode).toBe(200)
    expect(scrape.headers['content-type']).toMatch(/^text\/plain/)
    const count = (route: string, status: number) =>
      Number(
        new RegExp(
          `^qyzmet_http_request_duration_seconds_count\\{method="GET",route="${route.replace(/[{}]/g, '\\$&')}",status="${status}"\\} (\\d+)$`,
          'm',
        ).exec(scrape.body)?.[1],
      )
    expect(count('/api/v1/indicators', 200)).toBe(sent.ok)
    expect(count('/api/v1/indicators/:id', 404)).toBe(sent.missing)
    expect(scrape.body).toMatch(/^qyzmet_nodejs_eventloop_lag_p99_seconds /m)
    expect(scrape.body).toMatch(/^qyzmet_http_shed_total 0$/m)
    await app.close()
  })
})
