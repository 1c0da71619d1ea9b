// The drop folder: files put in it are loaded once each and moved to done/ or failed/ with a report beside them.
import { existsSync, type FSWatcher, mkdirSync, readdirSync, renameSync, statSync, watch, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Store } from '@qyzmet/sql'
import { formatFromName } from './formats.ts'
import { type LoadSummary, loadFile } from './load.ts'
import type { Mapping } from './mapping.ts'

export interface DropFolderOptions {
  source?: string
  mapping?: Mapping
  /** A file is taken once its size and time have not changed for this long (it may still be being written). */
  settleMs?: number
  /** How often the folder is scanned besides the change notices (which some file systems do not send). */
  pollMs?: number
  onResult?: (summary: LoadSummary) => void
  onError?: (file: string, error: unknown) => void
}

export interface DropFolder {
  close(): Promise<void>
  /** Resolves when every file now waiting has been handled (tests, and a shutdown that wants to drain). */
  idle(): Promise<void>
}

/** Files being written are skipped by name (.part, .tmp, dot files) and by a size that still changes. */
const inProgress = /(^\.|\.part$|\.tmp$|\.report\.json$)/

function freeName(dir: string, name: string): string {
  if (!existsSync(join(dir, name))) return name
  return `${name.replace(/(\.[^.]+(\.gz)?)$/, '')}-${Date.now()}${name.match(/(\.[^.]+(\.gz)?)$/)?.[0] ?? ''}`
}

export function startDropFolder(store: Store, dir: string, options: DropFolderOptions = {}): DropFolder {
  const settleMs = options.settleMs ?? 2000
  for (const sub of ['done', 'failed']) mkdirSync(join(dir, sub), { recursive: true })
  const controller = new AbortController()
  const seen = new Map<string, { size: number; mtime: number; since: number }>()
  let running: Promise<void> = Promise.resolve()
  let busy = false

  const finish = (name: string, summary: LoadSummary) => {
    const target = join(dir, summary.state === 'failed' ? 'failed' : 'done')
    const moved = freeName(target, name)
    renameSync(join(dir, name), join(target, moved))
    writeFileSync(join(target, `${moved}.report.json`), `${JSON.stringify(summary, null, 2)}\n`)
    options.onResult?.(summary)
  }

  const ready = (): string[] => {
    const now = Date.now()
    const names: string[] = []
    for (const name of readdirSync(dir)) {
      if (inProgress.test(name)) continue
      const stat = statSync(join(dir, name), { throwIfNoEntry: false })
      if (!stat?.isFile()) continue
      const before = seen.get(name)
      if (!before || before.size !== stat.size || before.mtime !== stat.mtimeMs) {
        seen.set(name, { size: stat.size, mtime: stat.mtimeMs, since: now })
      } else if (now - before.since >= settleMs) names.push(name)
    }
    return names.sort()
  }

  const scan = () => {
    if (busy || controller.signal.aborted) return
    busy = true
    running = (async () => {
      try {
        for (const name of ready()) {
          if (controller.signal.aborted) break
          try {
            const summary = await loadFile(store, join(dir, name), {
              name,
              source: options.source ?? 'drop-folder',
              mapping: options.mapping,
              // An unknown extension would fail anyway; say so in the report rather than guess.
              format: formatFromName(name) ?? undefined,
              signal: controller.signal,
            })
            seen.delete(name)
            // An interrupted load stays where it is: the next start resumes it from the ledger.
            if (summary.state !== 'interrupted') finish(name, summary)
          } catch (error) {
            // The engine failed, not the file: leave it for the next scan.
            options.onError?.(name, error)
          }
        }
      } finally {
        busy = false
      }
    })()
  }

  let watcher: FSWatcher | null = null
  try {
    watcher = watch(dir, () => setTimeout(scan, settleMs + 50))
  } catch {
    watcher = null
  }
  const timer = setInterval(scan, options.pollMs ?? 1000)
  scan()

  return {
    async idle() {
      while (!controller.signal.aborted) {
        await running
        const waiting = readdirSync(dir).filter((name) => !inProgress.test(name) && statSync(join(dir, name)).isFile())
        if (waiting.length === 0 && !busy) return
        await new Promise((done) => setTimeout(done, 100))
      }
    },
    async close() {
      controller.abort()
      clearInterval(timer)
      watcher?.close()
      await running
    },
  }
}
