// The dataset record: none on a fresh store (real data), the newest demo record after generations.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readDataset, recordDataset } from './dataset.ts'
import { openTestStore, type TestStore } from './testing.ts'

let store: TestStore
beforeAll(async () => {
  store = await openTestStore()
})
afterAll(() => store.close())

describe('dataset', () => {
  it('reads null on a store where no demo was generated: real data at full scale', async () => {
    expect(await readDataset(store)).toBeNull()
  })

  it('records a demo sample and reads it back with its fraction and 1-in-N', async () => {
    const record = {
      kind: 'demo' as const,
      rows: 2_000_000,
      nationalTransactions: 600_000_000,
      seed: 42,
      from: '2019-01-01',
      until: '2026-11-20',
      asOf: '2026-11-20T18:59:59.000Z',
    }
    await recordDataset(store, record)
    const dataset = await readDataset(store)
    expect(dataset).toMatchObject(record)
    expect(dataset?.samplingFraction).toBeCloseTo(2 / 600, 12)
    expect(dataset?.oneIn).toBeCloseTo(300, 9)
    expect(Date.parse(dataset?.generatedAt ?? '')).toBeGreaterThan(Date.now() - 60_000)
  })

  it('keeps the newest record when the demo is generated again', async () => {
    await new Promise((done) => setTimeout(done, 5))
    await recordDataset(store, {
      kind: 'demo',
      rows: 10_000_000,
      nationalTransactions: 600_000_000,
      seed: 7,
      from: '2019-01-01',
      until: '2026-11-20',
      asOf: '2026-11-20T18:59:59.000Z',
    })
    expect(await readDataset(store)).toMatchObject({ rows: 10_000_000, seed: 7, oneIn: 60 })
  })

  it('refuses a record whose rows are more than the transactions they stand for', async () => {
    await expect(
      recordDataset(store, {
        kind: 'demo',
        rows: 10,
        nationalTransactions: 5,
        seed: 1,
        from: '2019-01-01',
        until: '2019-01-02',
        asOf: '2019-01-02T00:00:00.000Z',
      }),
    ).rejects.toThrow(/10 rows cannot stand for 5/)
  })
})
