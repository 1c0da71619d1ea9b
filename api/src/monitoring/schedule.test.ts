// The schedule: two evaluators sharing a store run one round between them, and none again within the interval.
import { loadReference } from '@qyzmet/sql'
import { openTestStore, type TestStore } from '@qyzmet/sql/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { MonitorConfig } from './config.ts'
import { startMonitor } from './schedule.ts'

let store: TestStore
beforeAll(async () => {
  store = await openTestStore()
  await loadReference(store)
})
afterAll(() => store.close())

const config: MonitorConfig = {
  mode: 'server',
  intervalSeconds: 60,
  smtpUrl: null,
  mailFrom: 'monitor@qyzmet.test',
  publicUrl: null,
}
const rounds = async () =>
  Number((await store.rows<{ n: string }>('test:rounds', 'SELECT count() AS n FROM monitor_rounds'))[0]?.n)

describe('evaluation on a schedule', () => {
  it('runs one round between two evaluators, none within the interval, and the next after it', async () => {
    let now = Date.now()
    const lines: string[] = []
    const clock = () => ({ now, zone: 'Asia/Almaty' })
    const first = startMonitor(store, { config, say: (line) => lines.push(line), clock })
    const second = startMonitor(store, { config, say: (line) => lines.push(line), clock })
    const reports = await Promise.all([first.tick(), second.tick()])
    expect(reports.filter((report) => report !== null)).toHaveLength(1)
    expect(await rounds()).toBe(1)
    expect(lines.filter((line) => /failed/.test(line))).toEqual([])
    now += 30_000
    expect(await second.tick()).toBeNull()
    now += 40_000
    expect(await second.tick()).not.toBeNull()
    expect(await rounds()).toBe(2)
    await Promise.all([first.stop(), second.stop()])
  })
})
