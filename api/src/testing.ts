// Test support for the API: a store with demo data, the app over it, and a token for each role.
import { generateDemo, loadDemoTargets } from '@qyzmet/fixtures'
import { loadReference } from '@qyzmet/sql'
import { openTestStore, type TestStore } from '@qyzmet/sql/testing'
import type { FastifyInstance } from 'fastify'
import { buildApp } from './app.ts'
import { createToken } from './tokens.ts'

export interface TestApi {
  store: TestStore
  app: FastifyInstance
  tokens: { analyst: string; regional: string; ingest: string }
  close(): Promise<void>
}

/** A store with reference data and `rows` demo events (none: reference data only), the app, and tokens. */
export async function openTestApi(rows = 150_000, until = '2026-10-31'): Promise<TestApi> {
  const store = await openTestStore()
  await loadReference(store)
  if (rows > 0) {
    await loadDemoTargets(store)
    await generateDemo(store, { rows, seed: 11, until })
  }
  const app = await buildApp(store, { anonymousRateLimit: 10_000 })
  const tokens = {
    analyst: (await createToken(store, { name: 'analyst', role: 'analyst' })).token,
    regional: (await createToken(store, { name: 'Almaty city', role: 'regional', regions: ['75'] })).token,
    ingest: (await createToken(store, { name: 'feeds', role: 'ingest' })).token,
  }
  return {
    store,
    app,
    tokens,
    close: async () => {
      await app.close()
      await store.close()
    },
  }
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` })
