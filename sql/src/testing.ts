// Test support: a migrated store of its own, on the embedded engine or, with QYZMET_TEST_CLICKHOUSE_URL, a server.
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createClient } from '@clickhouse/client'
import { loadConfig } from './config.ts'
import { openEmbedded } from './embedded.ts'
import { migrate } from './migrate.ts'
import { createProbe } from './probe.ts'
import { openServer } from './server.ts'
import { type Engine, type Store, wrapEngine } from './store.ts'

/**
 * The ClickHouse server the tests run against, if any: QYZMET_TEST_CLICKHOUSE_URL, or in vitest's server project
 * the one its global setup started (sql/src/testing/global-setup.ts).
 */
export async function testServerUrl(): Promise<string | null> {
  const given = process.env.QYZMET_TEST_CLICKHOUSE_URL?.trim()
  if (given) return given
  if (process.env.QYZMET_TEST_TRANSPORT !== 'server') return null
  // Imported only here: outside a vitest run (benchmarks use openTestStore too) vitest has no context to give.
  const { inject } = await import('vitest')
  return inject('clickhouseUrl')
}

export interface TestStore extends Store {
  /** The embedded engine's directory; null on a server. */
  dataDir: string | null
  /** Cuts the store's connection to its engine, as when the database goes away: later calls fail as unreachable. */
  loseEngine(): Promise<void>
}

/** The settings of a test store: a temporary directory, or a database of its own on the shared test server. */
export async function testStoreEnv(
  env: Record<string, string> = {},
): Promise<{ env: Record<string, string>; dispose(): Promise<void> }> {
  const url = await testServerUrl()
  if (url) {
    const database = `qyzmet_t_${randomBytes(6).toString('hex')}`
    return {
      env: { CLICKHOUSE_URL: url, CLICKHOUSE_DATABASE: database, ...env },
      dispose: () => dropDatabase(url, database),
    }
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'qyzmet-test-'))
  return {
    env: { QYZMET_DATA_DIR: dataDir, CLICKHOUSE_URL: '', ...env },
    dispose: async () => rmSync(dataDir, { recursive: true, force: true }),
  }
}

async function dropDatabase(url: string, database: string): Promise<void> {
  const client = createClient({ url })
  try {
    await client.command({ query: `DROP DATABASE IF EXISTS ${database} SYNC` })
  } finally {
    await client.close()
  }
}

/** One per test file: the embedded engine allows one data directory per process at a time. */
export async function openTestStore(env: Record<string, string> = {}): Promise<TestStore> {
  const setup = await testStoreEnv(env)
  const config = loadConfig(setup.env)
  const engine: Engine =
    config.engine.kind === 'embedded'
      ? await openEmbedded(config, config.engine.dataDir)
      : await openServer(config, {
          url: config.engine.url,
          username: config.engine.user,
          password: config.engine.password,
        })
  let lost = false
  const store = wrapEngine(
    {
      ...engine,
      checkStorage(name) {
        // A server's client reconnects by itself, so a lost server is simulated where the connection would be refused.
        if (lost)
          throw Object.assign(new Error('connect ECONNREFUSED (the test cut the engine off)'), { code: 'ECONNREFUSED' })
        engine.checkStorage(name)
      },
    },
    config,
    createProbe(),
  )
  await migrate(store)
  const loseEngine = async () => {
    lost = true
    // The embedded engine's connection really closes: later calls meet chdb's own "connection is closed".
    if (config.engine.kind === 'embedded') await engine.client.close()
  }
  return {
    ...store,
    dataDir: config.engine.kind === 'embedded' ? config.engine.dataDir : null,
    loseEngine,
    close: async () => {
      await store.close()
      await setup.dispose()
    },
  }
}
