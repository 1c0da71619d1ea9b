// Kill the CLI worker mid-load (SIGKILL, twice), run it again, and the store holds exactly the source file once.
import { spawn } from 'node:child_process'
import { createReadStream, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { exportDemo } from '@qyzmet/fixtures/export'
import { loadConfig, loadReference, migrate, openStore, type Store } from '@qyzmet/sql'
import { testStoreEnv } from '@qyzmet/sql/testing'
import { afterAll, beforeAll, expect, it } from 'vitest'

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

/** Runs the CLI on the store; with killAfterMs, SIGKILLs it then (no chance to flush anything). */
function runWorker(killAfterMs?: number): Promise<{ code: number | null; signal: string | null; stdout: string }> {
  return new Promise((done) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', cli, '--local', '--json', '--bucket-rows', '20000', '--source', 'crash', file],
      { env: { ...process.env, ...target.env }, stdio: ['ignore', 'pipe', 'pipe'] },
    )
    let stdout = ''
    child.stdout.on('data', (chunk) => (stdout += chunk))
    const timer = killAfterMs === undefined ? null : setTimeout(() => child.kill('SIGKILL'), killAfterMs)
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
  // Kill at different points of a load that takes several seconds: staging, quarantine, publishing.
  const kills = [await runWorker(4_500), await runWorker(6_500)]
  expect(kills.some((run) => run.signal === 'SIGKILL')).toBe(true)
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
