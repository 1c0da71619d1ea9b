// What every benchmark starts with: a fresh embedded store of demo events, and a results file written as it goes.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { generateDemo } from '@qyzmet/fixtures'
import { loadConfig, loadReference, migrate, openStore, type Store } from '@qyzmet/sql'
import { conditions } from './pairs.ts'

export interface BenchStore {
  store: Store
  dataDir: string
  close: () => Promise<void>
}

/** A new embedded store in a temporary directory, migrated, with the reference data and `rows` demo events. */
export async function openBenchStore(prefix: string, rows: number, until: string): Promise<BenchStore> {
  const dataDir = mkdtempSync(join(tmpdir(), `qyzmet-bench-${prefix}-`))
  const store = await openStore(loadConfig({ QYZMET_DATA_DIR: dataDir, CLICKHOUSE_URL: '' }))
  try {
    await migrate(store)
    await loadReference(store)
    if (rows > 0) await generateDemo(store, { rows, seed: 42, until })
  } catch (error) {
    await store.close()
    rmSync(dataDir, { recursive: true, force: true })
    throw error
  }
  return {
    store,
    dataDir,
    close: async () => {
      await store.close()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

export interface Report {
  say: (line: string) => void
  /** Writes what was said so far, with the machine's conditions under the title (a run stopped midway keeps it). */
  write: () => void
}

/** Lines printed as they come and written to `path` (bench/results/…) whenever asked. */
export function report(path: string): Report {
  const started = loadavg()
  const lines: string[] = []
  return {
    say: (line) => {
      console.log(line)
      lines.push(line)
    },
    write: () => {
      mkdirSync(dirname(path), { recursive: true })
      const [title = '', ...rest] = lines
      writeFileSync(path, [title, '', conditions(started), ...rest, ''].join('\n'))
    },
  }
}
