// The closed rollups equal the same aggregate computed from raw events by day of closing, also after a repair.
import { generateDemo } from '@qyzmet/fixtures'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadReference } from './reference.ts'
import { rebuildRollups } from './repair.ts'
import { openTestStore, type TestStore } from './testing.ts'

let store: TestStore
beforeAll(async () => {
  store = await openTestStore()
  await loadReference(store)
  await generateDemo(store, { rows: 120_000, seed: 5, until: '2026-10-31', chunkRows: 50_000 })
})
afterAll(() => store.close())

type Row = Record<string, string | number | unknown[]>

/**
 * Written apart from the views: the closing moment in DateTime64 as the raw metric computes it, the histogram as
 * (sorted distinct rounded times, counts) from groupArray, not sumMap.
 */
async function compare(grain: 'day' | 'month'): Promise<{ rolled: Row[]; raw: Row[] }> {
  const table = grain === 'day' ? 'rollup_closed_daily' : 'rollup_closed_monthly'
  const period = grain === 'day' ? 'closed_on' : 'toStartOfMonth(closed_on)'
  const raw = await store.rows<Row>(
    'test:closed-raw',
    `SELECT period, region, channel, assisted_by, toString(count()) AS closed,
            toString(countIf(status = 'completed')) AS completed,
            arraySort(groupUniqArrayIf(rounded, timed)) AS times,
            arrayMap(t -> toString(countEqual(groupArrayIf(rounded, timed), t)), times) AS counts
     FROM (SELECT ${period} AS period, region, channel, assisted_by, status,
                  status = 'completed' AND processing_seconds IS NOT NULL AS timed,
                  -- 6 significant binary digits, half up: 2^(e-5) steps above 64 s
                  if(processing_seconds < 64, toUInt64(processing_seconds),
                     toUInt64(floor(processing_seconds / exp2(floor(log2(processing_seconds)) - 5) + 0.5)
                              * exp2(floor(log2(processing_seconds)) - 5))) AS rounded
           FROM (SELECT *, if(processing_seconds IS NULL, occurred_on,
                              toDate(occurred_at + toIntervalSecond(assumeNotNull(processing_seconds)), {zone:String})) AS closed_on
                 FROM events WHERE status != 'in_progress'))
     GROUP BY period, region, channel, assisted_by ORDER BY period, region, channel, assisted_by`,
    { zone: store.config.timezone },
  )
  const rolled = await store.rows<Row>(
    'test:closed-rolled',
    `SELECT ${grain} AS period, region, channel, assisted_by, toString(sum(closed)) AS closed,
            toString(sum(closed_completed)) AS completed, (sumMap(processing_hist) AS hist).1 AS times,
            arrayMap(c -> toString(c), hist.2) AS counts
     FROM ${table} GROUP BY period, region, channel, assisted_by ORDER BY period, region, channel, assisted_by`,
  )
  return { rolled, raw }
}

describe('closed rollups', () => {
  for (const grain of ['day', 'month'] as const) {
    it(`by ${grain} of closing equal the raw aggregate, group by group`, async () => {
      const { rolled, raw } = await compare(grain)
      expect(rolled.length).toBeGreaterThan(100)
      expect(rolled).toEqual(raw)
    })
  }

  it('are rebuilt after a view counted a block twice, for every later closing day', async () => {
    await store.command(
      'test:corrupt-closed',
      `INSERT INTO rollup_closed_daily (day, region, channel, assisted_by, closed, closed_completed)
       VALUES ('2024-05-16', '75', 'portal', 'self', 1000, 1000), ('2026-01-05', '75', 'portal', 'self', 7, 7)`,
      {},
      { settings: { insert_deduplicate: 0 } },
    )
    const before = await compare('month')
    expect(before.rolled).not.toEqual(before.raw)
    await rebuildRollups(store, { from: '2024-05-16', to: '2024-05-16' }, [])
    for (const grain of ['day', 'month'] as const) {
      const { rolled, raw } = await compare(grain)
      expect(rolled, grain).toEqual(raw)
    }
  })
})
