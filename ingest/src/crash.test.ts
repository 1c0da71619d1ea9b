// Kill the CLI worker mid-load (SIGKILL, twice), run it again, and the store holds exactly the source file once.
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadConfig, openStore, type Store } from '@qyzmet/sql'
import { afterAll, expect, it } from 'vitest'

const work = mkdtempSync(join(tmpdir(), 'qyzmet-crash-'))
const file = join(work, 'events.csv')
const dataDir = join(work, 'store')
const rows = 200_000
const cli = new URL('./cli.ts', import.meta.url).pathname
const demoCli = new URL('../../fixtures/src/cli.ts', import.meta.url).pathname
afterAll(() => rmSync(work, { recursive: true, force: true }))

/** Runs the CLI on the store; with killAfterMs, SIGKILLs it then (no chance to flush anything). */
function runWorker(killAfterMs?: number): Promise<{ code: number | null; signal: string | null; stdout: string }> {
  return new Promise((done) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', cli, '--local', '--json', '--bucket-rows', '20000', '--source', 'crash', file],
      { env: { ...process.env, QYZMET_DATA_DIR: dataDir, CLICKHOUSE_URL: '' }, stdio: ['ignore', 'pipe', 'pipe'] },
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

async function withStore<T>(dir: string, run: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(loadConfig({ QYZMET_DATA_DIR: dir }))
  try {
    return await run(store)
  } finally {
    await store.close()
  }
}

it('survives SIGKILL mid-load: re-run leaves events, rollups and freshness equal to the file, once', async () => {
  // The file is written by another process: the embedded engine is a process singleton, and this process opens
  // the worker's store afterwards.
  const demo = spawnSync(
    process.execPath,
    ['--import', 'tsx', demoCli, '--rows', String(rows), '--seed', '11', '--until', '2025-06-30', file],
    { env: { ...process.env, CLICKHOUSE_URL: '' }, encoding: 'utf8' },
  )
  expect(demo.status, demo.stderr).toBe(0)
  // Kill at different points of a load that takes several seconds: staging, quarantine, publishing.
  const kills = [await runWorker(4_500), await runWorker(6_500)]
  expect(kills.some((run) => run.signal === 'SIGKILL')).toBe(true)
  const final = await runWorker()
  expect(final.code).toBe(0)
  expect(JSON.parse(final.stdout).files[0].state, final.stdout).toMatch(/done|already_loaded/)

  await withStore(dataDir, async (store) => {
    const columns =
      'event_id, occurred_at, service_code, channel, assisted_by, region, district, office_id, status, processing_seconds, age_band, gender, applicant_key, satisfaction'
    const source = `SELECT ${columns} FROM file({path:String}, 'CSVWithNames')`
    const stored = `SELECT ${columns} FROM events`
    const [diff] = await store.rows<{ missing: string; extra: string; events: string; unique: string }>(
      'test:diff',
      `SELECT (SELECT count() FROM (${source} EXCEPT ${stored})) AS missing,
              (SELECT count() FROM (${stored} EXCEPT ${source})) AS extra,
              (SELECT count() FROM events) AS events,
              (SELECT uniqExact(event_id) FROM events) AS unique`,
      { path: file },
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
