// Test support: a migrated store in a fresh temporary directory, on the real embedded engine.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadConfig } from './config.ts'
import { migrate } from './migrate.ts'
import { openStore, type Store } from './store.ts'

export interface TestStore extends Store {
  dataDir: string
}

/** One per test file: the embedded engine allows one data directory per process at a time. */
export async function openTestStore(env: Record<string, string> = {}): Promise<TestStore> {
  const dataDir = mkdtempSync(join(tmpdir(), 'qyzmet-test-'))
  const store = await openStore(loadConfig({ QYZMET_DATA_DIR: dataDir, ...env }))
  await migrate(store)
  return {
    ...store,
    dataDir,
    close: async () => {
      await store.close()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
