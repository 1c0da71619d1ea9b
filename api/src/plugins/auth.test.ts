// Authentication under abuse: probes skip token lookups, made-up tokens cannot make the engine work, guessing is
// slowed per address, and limits count real clients behind a trusted proxy only.
import { loadReference } from '@qyzmet/sql'
import { openTestStore, type TestStore } from '@qyzmet/sql/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type AppOptions, buildApp } from '../app.ts'
import { bearer } from '../testing.ts'
import { createToken } from '../tokens.ts'
import { observe, within } from './observed-store.ts'

let store: TestStore
let analyst: string
beforeAll(async () => {
  store = await openTestStore()
  await loadReference(store)
  analyst = (await createToken(store, { name: 'auth test', role: 'analyst' })).token
})
afterAll(() => store.close())

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms))
/** A well-formed token that is in no table: the id and secret have the right shape. */
const madeUp = (n: number) => `qz_${n.toString(16).padStart(8, '0')}_${'x'.repeat(32 - String(n).length)}${n}`

async function appOver(options: AppOptions = {}) {
  const observed = observe(store)
  const app = await buildApp(observed, { dashboard: false, ...options })
  await app.ready()
  return { app, observed, loads: () => observed.queries.filter((name) => name === 'tokens:load').length }
}

describe('health probes', () => {
  it('answer /healthz with any Authorization header while the engine answers nothing', async () => {
    const { app, observed } = await appOver()
    observed.hold()
    for (const authorization of [`Bearer ${madeUp(1)}`, `Bearer ${analyst}`, 'Basic Zm9vOmJhcg==', 'Bearer']) {
      const response = await within(
        2000,
        `/healthz with ${authorization}`,
        app.inject({ url: '/healthz', headers: { authorization } }),
      )
      expect(response.statusCode, authorization).toBe(200)
    }
    expect(observed.queries).toEqual([])
    observed.release()
    await app.close()
  })

  it('answer /readyz from the engine alone, without a token lookup', async () => {
    const { app, observed } = await appOver()
    const ready = await app.inject({ url: '/readyz', headers: bearer(madeUp(2)) })
    expect(ready.statusCode).toBe(200)
    expect(observed.queries).not.toContain('tokens:load')
    await app.close()
  })

  it('are never rate-limited, while anonymous API calls are', async () => {
    const { app } = await appOver({ anonymousRateLimit: 3 })
    const probes = []
    for (let i = 0; i < 10; i++) {
      probes.push((await app.inject({ url: '/healthz' })).statusCode, (await app.inject({ url: '/readyz' })).statusCode)
    }
    expect(probes).toEqual(Array(20).fill(200))
    const api = []
    for (let i = 0; i < 4; i++) api.push((await app.inject({ url: '/api/v1/indicators' })).statusCode)
    expect(api).toEqual([200, 200, 200, 429])
    expect((await app.inject({ url: '/healthz' })).statusCode).toBe(200)
    await app.close()
  })
})

describe('made-up tokens', () => {
  it('load the tokens table at most once per interval, however many and however often', async () => {
    const { app, loads } = await appOver({
      auth: { failureLimit: 1000, verifier: { reloadOnMissMs: 300, refusedMs: 10_000 } },
    })
    const burst = await Promise.all(
      Array.from({ length: 50 }, (_, n) => app.inject({ url: '/api/v1/meta', headers: bearer(madeUp(n)) })),
    )
    expect(burst.map((response) => response.statusCode)).toEqual(Array(50).fill(401))
    expect(loads()).toBe(1)
    for (let n = 50; n < 100; n++) await app.inject({ url: '/api/v1/meta', headers: bearer(madeUp(n)) })
    expect(loads()).toBe(1)
    await sleep(350)
    // Refused a moment ago: answered from memory, no load even though the interval has passed.
    expect((await app.inject({ url: '/api/v1/meta', headers: bearer(madeUp(3)) })).statusCode).toBe(401)
    expect(loads()).toBe(1)
    // A token never seen, after the interval: one load, which also finds a token created in the meantime.
    const created = (await createToken(store, { name: 'late', role: 'analyst' })).token
    expect((await app.inject({ url: '/api/v1/meta', headers: bearer(created) })).statusCode).toBe(200)
    expect(loads()).toBe(2)
    expect((await app.inject({ url: '/api/v1/meta', headers: bearer(analyst) })).statusCode).toBe(200)
    expect(loads()).toBe(2)
    await app.close()
  })
})

describe('failed authentications', () => {
  it('are limited per address with 429 and Retry-After; other addresses and verified tokens go on', async () => {
    const { app } = await appOver({ auth: { failureLimit: 5, failureWindowMs: 1500 } })
    const from = (remoteAddress: string, headers: Record<string, string> = {}) =>
      app.inject({ url: '/api/v1/meta', headers, remoteAddress })
    const attacker = '203.0.113.7'
    // The analyst behind the same address was verified before the guessing started.
    expect((await from(attacker, bearer(analyst))).statusCode).toBe(200)
    const statuses = []
    for (let n = 0; n < 7; n++) statuses.push((await from(attacker, bearer(madeUp(n)))).statusCode)
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429])
    const limited = await from(attacker, { authorization: 'Bearer nonsense' })
    expect(limited.statusCode).toBe(429)
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1)
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(2)
    expect(limited.json()).toMatchObject({ error: 'too_many_requests' })
    expect(limited.json<{ message: string }>().message).toMatch(/failed authentications/)
    expect((await from(attacker, bearer(analyst))).statusCode).toBe(200)
    expect((await from(attacker)).statusCode).toBe(200)
    expect((await from('198.51.100.20', bearer(madeUp(9)))).statusCode).toBe(401)
    // IPv6 hosts are counted by their /64: the next address of the same block is the same client.
    for (let n = 0; n < 5; n++) await from(`2001:db8::${n + 1}`, bearer(madeUp(n)))
    expect((await from('2001:db8::99', bearer(madeUp(1)))).statusCode).toBe(429)
    expect((await from('2001:db8:0:1::1', bearer(madeUp(1)))).statusCode).toBe(401)
    await sleep(1600)
    expect((await from(attacker, bearer(madeUp(1)))).statusCode).toBe(401)
    await app.close()
  })
})

describe('client addresses', () => {
  const flood = async (app: Awaited<ReturnType<typeof appOver>>['app'], remoteAddress: string, client: string) =>
    (await app.inject({ url: '/api/v1/indicators', remoteAddress, headers: { 'x-forwarded-for': client } })).statusCode

  it('ignore X-Forwarded-For from anyone but a trusted proxy', async () => {
    const { app } = await appOver({ anonymousRateLimit: 2 })
    const statuses = []
    for (const client of ['198.51.100.1', '198.51.100.2', '198.51.100.3'])
      statuses.push(await flood(app, '10.1.2.3', client))
    expect(statuses).toEqual([200, 200, 429])
    await app.close()
  })

  it('count the real client behind a trusted proxy', async () => {
    const { app } = await appOver({ anonymousRateLimit: 2, trustedProxies: ['10.0.0.0/8'] })
    const statuses = []
    for (const client of ['198.51.100.1', '198.51.100.1', '198.51.100.2', '198.51.100.1'])
      statuses.push(await flood(app, '10.1.2.3', client))
    expect(statuses).toEqual([200, 200, 200, 429])
    // Outside the trusted range the header is the client's own claim and changes nothing.
    const direct = []
    for (const client of ['192.0.2.1', '192.0.2.2', '192.0.2.3']) direct.push(await flood(app, '192.0.2.200', client))
    expect(direct).toEqual([200, 200, 429])
    await app.close()
  })
})
