// Leases: holders never overlap, a released lease passes on at once, and a dead holder's lease passes on when it runs out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { withLease } from './lock.ts'
import { EngineUnavailable } from './store.ts'
import { openTestStore, type TestStore } from './testing.ts'

let store: TestStore
beforeAll(async () => {
  store = await openTestStore()
})
afterAll(() => store.close())

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms))

describe('withLease', () => {
  it('lets one holder in at a time, each taking the next epoch', async () => {
    const inside: number[] = []
    let overlaps = 0
    const work = (id: number) =>
      withLease(store, 'test:turns', async () => {
        if (inside.length > 0) overlaps++
        inside.push(id)
        await sleep(30)
        inside.splice(inside.indexOf(id), 1)
        return id
      })
    expect(await Promise.all([1, 2, 3, 4, 5].map(work))).toEqual([1, 2, 3, 4, 5])
    expect(overlaps).toBe(0)
    const claims = await store.rows<{ epoch: string; holders: string }>(
      'test:claims',
      `SELECT epoch, uniqExact(holder) AS holders FROM store_locks
       WHERE name = 'test:turns' AND kind = 'claim' GROUP BY epoch ORDER BY epoch`,
    )
    // Five turns, five epochs, one claim kept for each however many processes tried it.
    expect(claims.map((row) => [Number(row.epoch), Number(row.holders)])).toEqual([1, 2, 3, 4, 5].map((e) => [e, 1]))
  })

  it('releases on failure too', async () => {
    await expect(
      withLease(store, 'test:failing', async () => {
        throw new Error('work failed')
      }),
    ).rejects.toThrow('work failed')
    const started = performance.now()
    expect(await withLease(store, 'test:failing', async () => 'next')).toBe('next')
    expect(performance.now() - started).toBeLessThan(2_000)
  })

  it('passes a dead holder’s lease on once it runs out, and not before', async () => {
    // A holder that claimed epoch 1 for 1.5 s and then died without releasing it.
    await store.command(
      'test:dead-claim',
      `INSERT INTO store_locks (name, epoch, kind, holder, expires_at)
       SELECT 'test:dead', 1, 'claim', 'dead-host:1:x', now64(3) + toIntervalMillisecond(1500)`,
    )
    const started = performance.now()
    expect(await withLease(store, 'test:dead', async () => 'taken')).toBe('taken')
    expect(performance.now() - started).toBeGreaterThanOrEqual(1_000)
    const waited = await withLease(store, 'test:busy', () =>
      withLease(store, 'test:busy', async () => 'never', { waitMs: 500 }).catch((error: unknown) => error),
    )
    expect(waited).toBeInstanceOf(EngineUnavailable)
    expect(waited).toMatchObject({ reason: 'overloaded' })
  })
})
