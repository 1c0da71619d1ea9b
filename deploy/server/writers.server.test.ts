// Many writers on one ClickHouse server: two ingest workers racing on overlapping files, and concurrent publishes of
// one indicator from two API replicas, leave every event once and every version number taken once.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { publishIndicator } from '@qyzmet/api/indicators'
import { loadReferenceData } from '@qyzmet/api/reference'
import { csv, event, write } from '@qyzmet/ingest/corpus'
import { loadConfig, loadReference, migrate, openStore, type Store, todayIn } from '@qyzmet/sql'
import { testStoreEnv } from '@qyzmet/sql/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const work = mkdtempSync(join(tmpdir(), 'qyzmet-writers-'))
const cli = new URL('../../ingest/src/cli.ts', import.meta.url).pathname
let target: Awaited<ReturnType<typeof testStoreEnv>>
let store: Store
beforeAll(async () => {
  target = await testStoreEnv()
  store = await openStore(loadConfig(target.env))
  await migrate(store)
  await loadReference(store)
})
afterAll(async () => {
  await store.close()
  await target.dispose()
  rmSync(work, { recursive: true, force: true })
})

const regions = ['75', '71', '19', '55']
const channels = ['portal', 'tson', 'mobile', 'bank']

/** Events race-<from> … race-<to - 1>, spread over 2024's days, regions and channels the same way in every file. */
function events(from: number, to: number) {
  return Array.from({ length: to - from }, (_, offset) => {
    const i = from + offset
    return event({
      event_id: `race-${i}`,
      occurred_at: new Date(Date.UTC(2024, 0, 1) + (i % 360) * 86_400_000 + (i % 1000) * 1000).toISOString(),
      region: regions[i % regions.length] ?? '75',
      channel: channels[i % channels.length] ?? 'portal',
      applicant_key: `applicant-${i % 5000}`,
    })
  })
}

function worker(file: string, source: string): Promise<{ code: number | null; summary: Record<string, number> }> {
  return new Promise((done) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', cli, '--local', '--json', '--bucket-rows', '4000', '--source', source, file],
      { env: { ...process.env, ...target.env }, stdio: ['ignore', 'pipe', 'inherit'] },
    )
    let stdout = ''
    child.stdout.on('data', (chunk) => (stdout += chunk))
    child.on('exit', (code) => done({ code, summary: code === 0 ? JSON.parse(stdout).files[0] : {} }))
  })
}

describe('two ingest workers on overlapping files', () => {
  it('store every event once when they publish at the same time', async () => {
    // 0 … 29,999 and 15,000 … 44,999: 15,000 event ids in both files, 45,000 in all.
    const first = write(join(work, 'first.csv'), csv(events(0, 30_000)))
    const second = write(join(work, 'second.csv'), csv(events(15_000, 45_000)))
    const [a, b] = await Promise.all([worker(first, 'feed-a'), worker(second, 'feed-b')])
    expect([a.code, b.code]).toEqual([0, 0])
    expect((a.summary.loaded ?? 0) + (b.summary.loaded ?? 0)).toBe(45_000)
    expect((a.summary.duplicatesExisting ?? 0) + (b.summary.duplicatesExisting ?? 0)).toBe(15_000)

    const [stored] = await store.rows<Record<string, string>>(
      'test:stored',
      `SELECT count() AS rows, uniqExact(event_id) AS ids,
              countIf(event_id NOT LIKE 'race-%') AS strangers,
              (SELECT sum(transactions) FROM rollup_daily) AS daily,
              (SELECT sum(transactions) FROM rollup_monthly) AS monthly,
              (SELECT sum(events) FROM rollup_ingest_freshness) AS freshness
       FROM events`,
    )
    expect(Object.fromEntries(Object.entries(stored ?? {}).map(([key, value]) => [key, Number(value)]))).toEqual({
      rows: 45_000,
      ids: 45_000,
      strangers: 0,
      daily: 45_000,
      monthly: 45_000,
      freshness: 45_000,
    })
    // They did run at the same time: both workers held the publishing lease, in turns.
    const [turns] = await store.rows<{ holders: string; epochs: string }>(
      'test:turns',
      `SELECT uniqExact(splitByChar(':', holder)[2]) AS holders, uniqExact(epoch) AS epochs
       FROM store_locks WHERE name = 'ingest:publish' AND kind = 'claim'`,
    )
    expect(Number(turns?.holders)).toBe(2)
    expect(Number(turns?.epochs)).toBeGreaterThanOrEqual(8)
  })
})

describe('publishing one indicator from two API replicas at once', () => {
  it('numbers every release once and keeps each release’s values to itself', async () => {
    const replicas = [store, await openStore(loadConfig(target.env))]
    const definition = {
      id: 'race-share',
      metric: 'online_share',
      interval: 'month' as const,
      filters: {},
      title: { kk: 'k', ru: 'r', en: 'Race' },
      methodology: { kk: 'k', ru: 'r', en: 'Race' },
    }
    const note = { kk: 'k', ru: 'r', en: 'release' }
    const publish = async (replica: Store) =>
      publishIndicator(
        replica,
        { reference: await loadReferenceData(replica), today: todayIn('Asia/Almaty'), suppressBelow: 10 },
        definition,
        note,
        'race',
      )
    const results = await Promise.all([0, 1, 0, 1, 0, 1].map((index) => publish(replicas[index] as Store)))
    await replicas[1]?.close()
    expect(results.map((result) => result.version).sort()).toEqual([1, 2, 3, 4, 5, 6])
    const periods = results[0]?.periods ?? 0
    expect(periods).toBeGreaterThanOrEqual(12)
    const versions = await store.rows<{ version: number; rows: string; periods: string }>(
      'test:versions',
      `SELECT version, count() AS rows, uniqExact(period) AS periods FROM indicator_values
       WHERE indicator_id = 'race-share' GROUP BY version ORDER BY version`,
    )
    expect(versions.map((row) => [Number(row.version), Number(row.rows), Number(row.periods)])).toEqual(
      [1, 2, 3, 4, 5, 6].map((version) => [version, periods, periods]),
    )
    const [released] = await store.rows<{ n: string; distinct: string }>(
      'test:released',
      `SELECT count() AS n, uniqExact(version) AS distinct FROM indicator_versions WHERE indicator_id = 'race-share'`,
    )
    expect([Number(released?.n), Number(released?.distinct)]).toEqual([6, 6])
  })
})
