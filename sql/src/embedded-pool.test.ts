// The embedded engine runs statements side by side, stays consistent while it does, and lets interactive work go first.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { embeddedStatements } from './embedded.ts'
import { inBackground } from './embedded-pool.ts'
import { openTestStore, type TestStore } from './testing.ts'

let store: TestStore
beforeAll(async () => {
  store = await openTestStore()
})
afterAll(() => store.close())

/**
 * Three statements with parameters sent at once; each says how many statements carrying `marker` in their text the
 * engine ran when it started (itself included: its scalar subquery is read before it sleeps).
 */
async function seenAtStart(marker: string, seconds: number): Promise<number[]> {
  const sql = `SELECT sleep({seconds:Float64}) AS slept, '${marker}' AS marker,
    (SELECT toUInt32(count()) FROM system.processes WHERE position(query, concat('${marker}', '')) > 0) AS seen`
  const answers = await Promise.all([0, 1, 2].map(() => store.rows<{ seen: number }>('test:sleep', sql, { seconds })))
  return answers.map((rows) => rows[0]?.seen ?? 0)
}

describe('the embedded engine', () => {
  it('runs statements with parameters side by side: a later one sees the earlier ones still running', async () => {
    const bound = embeddedStatements.bound
    const seen = await seenAtStart(`side-by-side-${process.pid}`, 2)
    expect(Math.max(...seen)).toBeGreaterThanOrEqual(2)
    expect(embeddedStatements.bound).toBe(bound)
  })

  it('with QYZMET_EMBEDDED_PARALLEL=off runs them one at a time, with their parameters bound, as before', async () => {
    process.env.QYZMET_EMBEDDED_PARALLEL = 'off'
    try {
      const bound = embeddedStatements.bound
      expect(await seenAtStart(`one-at-a-time-${process.pid}`, 0.3)).toEqual([1, 1, 1])
      expect(embeddedStatements.bound - bound).toBe(3)
    } finally {
      delete process.env.QYZMET_EMBEDDED_PARALLEL
    }
  })

  it('keeps every row through 240 statements at once: inserts, inserts from selects, merges, mutations and reads', async () => {
    await store.command('test:create', 'DROP TABLE IF EXISTS pool_rows')
    await store.command(
      'test:create',
      'CREATE TABLE pool_rows (batch UInt32, region String, n UInt64) ENGINE = MergeTree ORDER BY (batch, region)',
    )
    const regions = ['KZ-AKM', "O'Neil \\ region", 'KZ-ALA', 'қала']
    let expectedRows = 0
    let expectedSum = 0n
    const work: Promise<unknown>[] = []
    for (let batch = 0; batch < 120; batch++) {
      const rows = Array.from({ length: 50 + batch }, (_, i) => ({
        batch,
        region: regions[i % regions.length],
        n: batch * 1000 + i,
      }))
      expectedRows += rows.length
      for (const row of rows) expectedSum += BigInt(row.n)
      work.push(store.insert('test:insert', 'pool_rows', rows))
      if (batch % 10 === 0) {
        // A copy of the batch under another number, through a parameterised INSERT … SELECT (after its insert).
        const copied = work[work.length - 1]?.then(() =>
          store.command(
            'test:copy',
            'INSERT INTO pool_rows SELECT {to:UInt32}, region, n FROM pool_rows WHERE batch = {from:UInt32}',
            { to: 100_000 + batch, from: batch },
            { retry: false },
          ),
        )
        work.push(copied as Promise<unknown>)
        expectedRows += rows.length
        for (const row of rows) expectedSum += BigInt(row.n)
      }
      if (batch % 15 === 0) work.push(store.command('test:merge', 'OPTIMIZE TABLE pool_rows'))
      work.push(
        store.rows('test:read', 'SELECT count() AS c FROM pool_rows WHERE region IN {regions:Array(String)}', {
          regions,
        }),
      )
    }
    await Promise.all(work)
    // A mutation that changes nothing the sums read (every n is below 10^9), run while reads go on.
    await Promise.all([
      store.command(
        'test:mutate',
        'ALTER TABLE pool_rows UPDATE n = n WHERE n > {limit:UInt64} SETTINGS mutations_sync = 1',
        { limit: 1_000_000_000 },
      ),
      ...regions.map((region) =>
        store.rows('test:read', 'SELECT sum(n) AS s FROM pool_rows WHERE region = {region:String}', { region }),
      ),
    ])
    const [total] = await store.rows<{ rows: string; sum: string; regions: string }>(
      'test:total',
      'SELECT toString(count()) AS rows, toString(sum(n)) AS sum, toString(uniqExact(region)) AS regions FROM pool_rows',
    )
    expect(total).toEqual({ rows: String(expectedRows), sum: expectedSum.toString(), regions: '4' })
  })

  it('lets interactive statements overtake background ones waiting for a connection', async () => {
    // One connection, so that the order statements wait in is the order they run in.
    process.env.QYZMET_EMBEDDED_PARALLEL = 'off'
    const finished: string[] = []
    try {
      const note = (name: string) => (result: unknown) => {
        finished.push(name)
        return result
      }
      const busy = inBackground(() => store.rows('test:busy', 'SELECT sleep(0.5) AS s')).then(note('busy'))
      await new Promise((done) => setTimeout(done, 100))
      const load = inBackground(() => store.rows('test:load', 'SELECT 1 AS one')).then(note('load'))
      const read = store.rows('test:read', 'SELECT 2 AS two').then(note('read'))
      await Promise.all([busy, load, read])
    } finally {
      delete process.env.QYZMET_EMBEDDED_PARALLEL
    }
    expect(finished).toEqual(['busy', 'read', 'load'])
  })
})
