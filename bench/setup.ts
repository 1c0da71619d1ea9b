// What every benchmark starts with: a fresh embedded store of demo events (or a server process on one), and a
// results file written as it goes.
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { generateDemo } from '@qyzmet/fixtures'
import { loadConfig, loadReference, migrate, openStore, type Store } from '@qyzmet/sql'
import { conditions } from './pairs.ts'

export interface BenchStore {
  store: Store
  dataDir: string
  /** Seconds the demo generation took (0 without rows). */
  generatedSeconds: number
  close: () => Promise<void>
}

/** A new embedded store in a temporary directory, migrated, with the reference data and `rows` demo events. */
export async function openBenchStore(prefix: string, rows: number, until: string): Promise<BenchStore> {
  const dataDir = mkdtempSync(join(tmpdir(), `qyzmet-bench-${prefix}-`))
  const store = await openStore(loadConfig({ QYZMET_DATA_DIR: dataDir, CLICKHOUSE_URL: '' }))
  let generatedSeconds = 0
  try {
    await migrate(store)
    await loadReference(store)
    if (rows > 0) generatedSeconds = (await generateDemo(store, { rows, seed: 42, until })).seconds
  } catch (error) {
    await store.close()
    rmSync(dataDir, { recursive: true, force: true })
    throw error
  }
  return {
    store,
    dataDir,
    generatedSeconds,
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

/**
 * The API server (`api/src/main.ts`) in a process of its own on a store's directory, resolved once it is ready;
 * its later lines go to this process's error output. No demo rows, no rate limit, `env` on top.
 */
export function startBenchServer(
  dataDir: string,
  port: number,
  env: Record<string, string> = {},
): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'api/src/main.ts'], {
    env: {
      ...process.env,
      QYZMET_DATA_DIR: dataDir,
      PORT: String(port),
      QYZMET_RATE_LIMIT: '1000000',
      QYZMET_DEMO_ROWS: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  return new Promise((resolve, reject) => {
    let output = ''
    const starting = (chunk: Buffer) => {
      output += chunk
      if (!output.includes('ready:')) return
      child.stdout?.off('data', starting)
      child.stdout?.on('data', (line: Buffer) => process.stderr.write(`server: ${line}`))
      resolve(child)
    }
    child.stdout?.on('data', starting)
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${output}`)))
  })
}
