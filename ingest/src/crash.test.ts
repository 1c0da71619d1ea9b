// Kill the CLI worker mid-load (SIGKILL, twice), run it again, and the store holds exactly the source file once.
import { spawn } from 'node:child_process'
import { createReadStream, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { exportDemo } from '@qyzmet/fixtures/export'
import { loadConfig, loadReference, migrate, openStore, type Store } from '@qyzmet/sql'
import { testStoreEnv } from '@qyzmet/sql/testing'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { Progress } from './load.ts'

const work = mkdtempSync(join(tmpdir(), 'qyzmet-crash-'))
const file = join(work, 'events.csv')
const rows = 200_000
const cli = new URL('./cli.ts', import.meta.url).pathname
/** The worker's store: a directory, or a database on the test server (the workers then stream through input()). */
let target: Awaited<ReturnType<typeof testStoreEnv>>
beforeAll(async () => {
  target = await testStoreEnv()
})
afterAll(async () => {
  await target.dispose()
  rmSync(work, { recursive: true, force: true })
})

/**
 * Runs the CLI on the store; with `killWhen`, SIGKILLs it (no chance to flush anything) at the first progress line
 * that matches, then `afterMs` later — at a point of the load, however fast the machine (a kill at a fixed time
 * found the load already over on a quiet machine).
 */
function runWorker(
  killWhen?: (progress: Progress) => boolean,
  afterMs = 0,
): Promise<{ code: number | null; signal: string | null; stdout: string }> {
  return new Promise((done) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', cli, '--local', '--json', '--progress', '--bucket-rows', '20000', '--source', 'crash', file],
      { env: { ...process.env, ...target.env }, stdio: ['ignore', 'pipe', 'pipe'] },
    )
    let stdout = ''
    let stderr = ''
    let timer: NodeJS.Timeout | null = null
    child.stdout.on('data', (chunk) => (stdout += chunk))
    child.stderr.on('data', (chunk) => {
      stderr += chunk
      const lines = stderr.split('\n')
      stderr = lines.pop() ?? ''
      for (const line of lines) {
        if (timer || !killWhen || !line.startsWith('{')) continue
        if (killWhen(JSON.parse(line) as Progress)) timer = setTimeout(() => child.kill('SIGKILL'), afterMs)
      }
    })
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer)
      done({ code, signal, stdout })
    })
  })
}

async function withStore<T>(run: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(loadConfig(target.env))
  try {
    return await run(store)
  } finally {
    await store.close()
  }
}

it('survives SIGKILL mid-load: re-run leaves events, rollups and freshness equal to the file, once', async () => {
  await withStore(async (store) => {
    await migrate(store)
    await loadReference(store)
    await exportDemo(store, { rows, seed: 11, until: '2025-06-30' }, file)
  })
  // Kill at two points of the load: while staging (the next run stages afresh), and while a bucket is publishing
  // half way through (the next run resumes at that bucket with its deduplication token).
  const kills = [
    await runWorker((progress) => progress.phase === 'stage', 300),
    await runWorker((progress) => progress.phase === 'publish' && progress.rows >= progress.totalRows / 2),
  ]
  expect(kills.map((run) => run.signal)).toEqual(['SIGKILL', 'SIGKILL'])
  const final = await runWorker()
  expect(final.code).toBe(0)
  expect(JSON.parse(final.stdout).files[0].state, final.stdout).toMatch(/done|already_loaded/)

  await withStore(async (store) => {
    const columns =
      'event_id, occurred_at, service_code, channel, assisted_by, region, district, office_id, status, processing_seconds, age_band, gender, applicant_key, satisfaction'
    // The file goes in through the store (a server cannot read the test's files), into a table of events' shape.
    await store.command('test:source-table', 'CREATE TABLE crash_source AS events ENGINE = Memory')
    await store.insert('test:source', 'crash_source', () => createReadStream(file), {
      format: 'CSVWithNames',
      settings: { date_time_input_format: 'best_effort', input_format_skip_unknown_fields: 1 },
    })
    const source = `SELECT ${columns} FROM crash_source`
    const stored = `SELECT ${columns} FROM events`
    const [diff] = await store.rows<{ missing: string; extra: string; events: string; unique: string }>(
      'test:diff',
      `SELECT (SELECT count() FROM (${source} EXCEPT ${stored})) AS missing,
              (SELECT count() FROM (${stored} EXCEPT ${source})) AS extra,
              (SELECT count() FROM events) AS events,
              (SELECT uniqExact(event_id) FROM events) AS unique`,
    )
    expect(diff).toEqual({ missing: 0, extra: 0, events: rows, unique: rows })
    const [sums] = await store.rows<Record<string, number>>(
      'test:rollups',
      `SELECT (SELECT sum(transactions) FROM rollup_daily) AS daily, (SELECT sum(transactions) FROM rollup_monthly) AS monthly,
              (SELECT sum(transactions) FROM rollup_people_monthly) AS people, (SELECT sum(events) FROM rollup_ingest_freshness) AS freshness`,
    )
    expect(Object.values(sums ?? {}).map(Number)).toEqual([rows, rows, rows, rows])
    const [stage] = await store.rows<{ n: string }>('test:stage', 'SELECT count() AS n FROM ingest_stage')
    expect(Number(stage?.n)).toBe(0)
  })
})
