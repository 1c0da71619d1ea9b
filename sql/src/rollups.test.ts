// Every rollup equals the same aggregate computed from raw events, and the planner picks the smallest that fits.
import { generateDemo } from '@qyzmet/fixtures'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadReference } from './reference.ts'
import { rebuildRollups } from './repair.ts'
import { chooseRollup, measures, processingBucket, rawMeasures, rollupMeasures, rollups } from './rollups.ts'
import { openTestStore, type TestStore } from './testing.ts'

let store: TestStore
beforeAll(async () => {
  store = await openTestStore()
  await loadReference(store)
  await generateDemo(store, { rows: 200_000, seed: 7, until: '2026-10-31', chunkRows: 70_000 })
})
afterAll(() => store.close())

type Row = Record<string, string | number | unknown[]>

/** A rollup's rows and the same aggregate computed from raw events, both in key order. */
async function compare(rollup: (typeof rollups)[number]): Promise<{ rolled: Row[]; raw: Row[] }> {
  const kept = measures.filter((measure) => rollup.processing || measure !== 'processing_hist')
  const time = rollup.time === 'day' ? 'occurred_on' : 'toStartOfMonth(occurred_on)'
  const keys = ['period', ...rollup.dimensions]
  const order = `ORDER BY ${keys.join(', ')}`
  const raw = await store.rows<Row>(
    'test:raw',
    `SELECT ${time} AS period, ${rollup.dimensions.join(', ')},
            ${kept.map((measure) => `${rawMeasures()[measure]} AS ${measure}`).join(', ')}
     FROM events GROUP BY ${keys.join(', ')} ${order}`,
  )
  const rolled = await store.rows<Row>(
    'test:rollup',
    `SELECT ${rollup.time} AS period, ${rollup.dimensions.join(', ')},
            ${kept.map((measure) => `${rollupMeasures[measure]} AS ${measure}`).join(', ')}
     FROM ${rollup.table} GROUP BY ${keys.join(', ')} ${order}`,
  )
  return { rolled, raw }
}

describe('rollups', () => {
  for (const rollup of rollups) {
    it(`${rollup.table} equals the raw aggregate, group by group`, async () => {
      const { rolled, raw } = await compare(rollup)
      expect(rolled.length).toBeGreaterThan(100)
      expect(rolled).toEqual(raw)
    })
  }

  it('are rebuilt from events over a range after a view counted a block twice', async () => {
    // What a killed worker can leave: a view's block that events never kept.
    await store.command(
      'test:corrupt',
      `INSERT INTO rollup_daily (day, region, channel, assisted_by, transactions, completed)
       VALUES ('2023-05-16', '75', 'portal', 'self', 1000, 1000)`,
      {},
      { settings: { insert_deduplicate: 0 } },
    )
    const before = await compare(rollups[1] as (typeof rollups)[number])
    expect(before.rolled).not.toEqual(before.raw)
    await rebuildRollups(store, { from: '2023-05-16', to: '2023-05-16' }, [])
    for (const rollup of rollups) {
      const { rolled, raw } = await compare(rollup)
      expect(rolled).toEqual(raw)
    }
  })

  it('rollup_daily agrees with counts made in JavaScript from one day of raw rows', async () => {
    const day = '2023-05-16'
    const events = await store.rows<{
      region: string
      channel: string
      assisted_by: string
      status: string
      satisfaction: number | null
    }>(
      'test:day',
      'SELECT region, channel, assisted_by, status, satisfaction FROM events WHERE occurred_on = {day:Date}',
      {
        day,
      },
    )
    const online = new Set(['portal', 'mobile', 'telegram', 'facebook', 'vk', 'bank', 'kiosk'])
    const expected = new Map<string, number[]>()
    for (const event of events) {
      const key = [event.region, event.channel, event.assisted_by].join('|')
      const sums = expected.get(key) ?? [0, 0, 0, 0, 0]
      const completed = event.status === 'completed'
      sums[0] = (sums[0] ?? 0) + 1
      sums[1] = (sums[1] ?? 0) + (completed ? 1 : 0)
      sums[2] = (sums[2] ?? 0) + (completed && online.has(event.channel) ? 1 : 0)
      sums[3] = (sums[3] ?? 0) + (completed && online.has(event.channel) && event.assisted_by === 'self' ? 1 : 0)
      sums[4] = (sums[4] ?? 0) + (event.satisfaction ?? 0)
      expected.set(key, sums)
    }
    const rolled = await store.rows<{ key: string; sums: string[] }>(
      'test:daily',
      `SELECT concat(region, '|', channel, '|', toString(assisted_by)) AS key,
              [sum(transactions), sum(completed), sum(completed_online), sum(completed_online_self), sum(satisfaction_sum)] AS sums
       FROM rollup_daily WHERE day = {day:Date} GROUP BY key`,
      { day },
    )
    expect(events.length).toBeGreaterThan(20)
    expect(new Map(rolled.map((row) => [row.key, row.sums.map(Number)]))).toEqual(expected)
  })

  it('builds the histogram of a large group in memory proportional to its size', async () => {
    // 300,000 completed events in one group of every rollup: a histogram built by indexing the group's array from
    // inside a lambda copies the array per element and would need terabytes.
    await store.command(
      'test:large-group',
      `INSERT INTO events (event_id, occurred_at, service_code, channel, assisted_by, region, status,
                           processing_seconds, age_band, gender, applicant_key, source, batch_id)
       SELECT concat('large-', toString(number)), toDateTime64('2019-01-01 10:00:00', 3, 'UTC'), 'S001', 'portal',
              'self', '75', 'completed', toUInt32(number % 40000 + 1), '30-49', 'f', 'x', 'test', 'large'
       FROM numbers(300000)`,
      {},
      { settings: { max_memory_usage: String(2 ** 30) } },
    )
    const [row] = await store.rows<{ keys: string; counted: string }>(
      'test:large-hist',
      `SELECT toString(length(hist.1)) AS keys, toString(arraySum(hist.2)) AS counted
       FROM (SELECT sumMap(processing_hist) AS hist FROM rollup_daily
             WHERE day = '2019-01-01' AND region = '75' AND channel = 'portal' AND assisted_by = 'self')`,
    )
    const [raw] = await store.rows<{ keys: string; counted: string }>(
      'test:large-raw',
      `SELECT toString(uniqExact(${processingBucket})) AS keys, toString(count()) AS counted FROM events
       WHERE occurred_on = '2019-01-01' AND region = '75' AND channel = 'portal' AND assisted_by = 'self'
         AND status = 'completed' AND processing_seconds IS NOT NULL`,
    )
    expect(Number(raw?.counted)).toBeGreaterThanOrEqual(300_000)
    expect(row).toEqual(raw)
    for (const rollup of rollups) {
      const { rolled, raw: expected } = await compare(rollup)
      expect(rolled, rollup.table).toEqual(expected)
    }
  })

  it('rounds processing times as METHODOLOGY.md says', async () => {
    const examples: [number, number][] = [
      [0, 0],
      [63, 63],
      [65, 66],
      [100, 100],
      [1_000, 1_008],
      [12_345, 12_288],
      [259_200, 258_048],
      [4_294_967_295, 4_294_967_296],
    ]
    const rounded = await store.rows<{ rounded: string }>(
      'test:rounding',
      `SELECT toString(${processingBucket}) AS rounded
       FROM (SELECT arrayJoin({times:Array(UInt32)}) AS processing_seconds)`,
      { times: examples.map(([seconds]) => seconds) },
    )
    expect(rounded.map((row) => Number(row.rounded))).toEqual(examples.map(([, expected]) => expected))
    for (const [seconds, expected] of examples) expect(roundTo6Bits(seconds)).toBe(expected)
  })

  it('keeps medians of rounded times, within 1/64 of the exact medians of the raw times', async () => {
    const medians = await store.rows<{ channel: string; median: number; times: number[] }>(
      'test:medians',
      `SELECT channel, any(median) AS median, any(times) AS times FROM (
         SELECT channel, hist.1[arrayFirstIndex(c -> c * 2 >= arraySum(hist.2), arrayCumSum(hist.2))] AS median
         FROM (SELECT channel, sumMap(processing_hist) AS hist FROM rollup_monthly GROUP BY channel)) AS rolled
       JOIN (SELECT channel, groupArray(processing_seconds) AS times FROM events
             WHERE status = 'completed' AND processing_seconds IS NOT NULL GROUP BY channel) AS raw USING channel
       GROUP BY channel`,
    )
    expect(medians.length).toBe(9)
    for (const { channel, median, times } of medians) {
      const sorted = times.map(Number).sort((a, b) => a - b)
      const exact = sorted[Math.ceil(sorted.length / 2) - 1] ?? 0
      expect(sorted.length, channel).toBeGreaterThan(100)
      // Rounding keeps order, so the median of rounded times is the exact lower median, rounded.
      expect(Number(median), channel).toBe(roundTo6Bits(exact))
      expect(Math.abs(Number(median) - exact) / exact, channel).toBeLessThanOrEqual(1 / 64)
    }
  })
})

/** The rounding of METHODOLOGY.md written out in arithmetic: 6 significant binary digits, half up. */
function roundTo6Bits(seconds: number): number {
  if (seconds < 64) return seconds
  const step = 2 ** (Math.floor(Math.log2(seconds)) - 5)
  return Math.floor(seconds / step + 0.5) * step
}

describe('chooseRollup', () => {
  it('picks the smallest rollup that holds the dimensions at the grain', () => {
    expect(chooseRollup(['region'], 'day')?.table).toBe('rollup_daily')
    expect(chooseRollup(['service_code'], 'month')?.table).toBe('rollup_service_monthly')
    expect(chooseRollup(['region', 'service_code'], 'month')?.table).toBe('rollup_region_service_monthly')
    expect(chooseRollup(['age_band'], 'month')?.table).toBe('rollup_people_monthly')
    expect(chooseRollup([], 'month')?.table).toBe('rollup_monthly')
    expect(chooseRollup(['channel'], 'month', { processing: true })?.table).toBe('rollup_monthly')
  })

  it('falls back to raw events when no rollup can answer', () => {
    expect(chooseRollup(['service_code'], 'day')).toBeNull()
    expect(chooseRollup(['age_band', 'service_code'], 'month')).toBeNull()
    expect(chooseRollup(['age_band'], 'month', { processing: true })).toBeNull()
  })
})
