// The store's operations on the real engine (embedded, and in the server project a ClickHouse server): inserts,
// input(), streams, parameters of any length, the engine's own errors, the probe, and a deleted data directory.
import { rmSync } from 'node:fs'
import { Readable } from 'node:stream'
import { text } from 'node:stream/consumers'
import { ClickHouseError } from '@clickhouse/client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadReference } from './reference.ts'
import { EngineUnavailable } from './store.ts'
import { openTestStore, type TestStore } from './testing.ts'

let store: TestStore
beforeAll(async () => {
  store = await openTestStore()
  await store.command('test:table', 'CREATE TABLE t (k UInt32, v String) ENGINE = MergeTree ORDER BY k')
})
afterAll(() => store.close())

const sumOf = async (where = '1') =>
  (await store.rows<{ n: string; s: string }>('test:sum', `SELECT count() AS n, sum(k) AS s FROM t WHERE ${where}`))[0]

describe('writing', () => {
  it('inserts rows, and a CSV stream opened again for each try', async () => {
    const rows = Array.from({ length: 1000 }, (_, i) => ({ k: i + 1, v: `row ${i + 1}` }))
    await store.insert('test:rows', 't', rows)
    let opened = 0
    const csv = () => {
      opened++
      return Readable.from(['k,v\n', '1001,"a, quoted"\n', '1002,b\n'], { objectMode: false })
    }
    await store.insert('test:csv', 't', csv, { format: 'CSVWithNames' })
    expect(opened).toBe(1)
    expect(await sumOf()).toEqual({ n: 1002, s: (1002 * 1003) / 2 })
    const [quoted] = await store.rows<{ v: string }>('test:quoted', 'SELECT v FROM t WHERE k = 1001')
    expect(quoted?.v).toBe('a, quoted')
  })

  it('keeps a character whose bytes are split between two chunks of a stream', async () => {
    const bytes = Buffer.from('k,v\n2001,"Заңды тұлғаны"\n')
    const cut = bytes.indexOf(Buffer.from('ң')) + 1
    await store.insert(
      'test:split',
      't',
      Readable.from([bytes.subarray(0, cut), bytes.subarray(cut)], { objectMode: false }),
      {
        format: 'CSVWithNames',
      },
    )
    const [row] = await store.rows<{ v: string }>('test:split-read', 'SELECT v FROM t WHERE k = 2001')
    expect(row?.v).toBe('Заңды тұлғаны')
    await store.command(
      'test:split-drop',
      'ALTER TABLE t DELETE WHERE k = 2001',
      {},
      { settings: { mutations_sync: '2' } },
    )
  })

  it('loads the reference tables without a replacement character in any name', async () => {
    await loadReference(store)
    const [row] = await store.rows<{ n: string; broken: string }>(
      'test:names',
      "SELECT count() AS n, countIf(position(concat(name_kk, name_ru, name_en), '\uFFFD') > 0) AS broken FROM services FINAL",
    )
    expect(Number(row?.n)).toBeGreaterThan(200)
    expect(Number(row?.broken)).toBe(0)
  })

  it('runs INSERT … SELECT FROM input() with the body as the input', async () => {
    const body = Readable.from(
      Array.from({ length: 50 }, (_, i) => `${i},x${i}\n`),
      { objectMode: false },
    )
    await store.insertFrom(
      'test:input',
      "INSERT INTO t SELECT a + {offset:UInt32}, upper(b) FROM input('a UInt32, b String') FORMAT CSV",
      body,
      { offset: 5000 },
    )
    // 5000 … 5049: 50 rows summing to 50 × 5000 + (0 + … + 49).
    expect(await sumOf('k >= 5000 AND k < 100000')).toEqual({ n: 50, s: 50 * 5000 + (49 * 50) / 2 })
    const [row] = await store.rows<{ v: string }>('test:upper', 'SELECT v FROM t WHERE k = 5007')
    expect(row?.v).toBe('X7')
  })
})

describe('reading', () => {
  it('streams the engine’s own CSV', async () => {
    const stream = await store.stream(
      'test:stream',
      'SELECT k, v FROM t WHERE k <= {upto:UInt32} ORDER BY k',
      { upto: 3 },
      'CSVWithNames',
    )
    expect(await text(stream)).toBe('"k","v"\n1,"row 1"\n2,"row 2"\n3,"row 3"\n')
  })

  it('binds parameters of any length: past the URL, and past a form field of 128 KiB', async () => {
    const keys = Array.from({ length: 60_000 }, (_, i) => i)
    const label = 'x'.repeat(200_000)
    const [row] = await store.rows<{ n: string; s: string; l: string }>(
      'test:long',
      'SELECT length({keys:Array(UInt32)}) AS n, arraySum({keys:Array(UInt32)}) AS s, length({label:String}) AS l',
      { keys, label },
    )
    expect([row?.n, row?.s, row?.l].map(Number)).toEqual([60_000, (59_999 * 60_000) / 2, 200_000])
    await store.command(
      'test:long-insert',
      'INSERT INTO t SELECT arrayJoin({keys:Array(UInt32)}) + 100000, toString(length({label:String}))',
      {
        keys: keys.slice(0, 20_000),
        label,
      },
    )
    expect(await sumOf('k >= 100000')).toEqual({ n: 20_000, s: 20_000 * 100_000 + (19_999 * 20_000) / 2 })
    const stream = await store.stream(
      'test:long-stream',
      'SELECT count() FROM t WHERE k IN {keys:Array(UInt32)}',
      { keys },
      'CSV',
    )
    // Keys 1 … 1002 of the first test and 5000 … 5049 of input() are among 0 … 59,999.
    expect((await text(stream)).trim()).toBe(String(1002 + 50))
  })

  it('passes the engine’s own refusals on as they are, not as an unavailable engine', async () => {
    const bad = await store.rows('test:bad', 'SELECT no_such_column FROM t').catch((error: unknown) => error)
    expect(bad).not.toBeInstanceOf(EngineUnavailable)
    expect(bad).toMatchObject({ code: '47', type: 'UNKNOWN_IDENTIFIER' })
    const slow = await store
      .rows('test:slow', 'SELECT count() FROM numbers(1000000000000)', {}, { max_execution_time: 1 })
      .catch((error: unknown) => error)
    expect(slow).toMatchObject({ code: '159' })
  })

  it('ends a stream in the error the engine met after the answer began', async () => {
    const stream = await store
      .stream(
        'test:throws',
        'SELECT number, throwIf(number = 300000, {why:String}) FROM numbers(400000)',
        { why: 'stopped on purpose' },
        'CSV',
        { max_block_size: '1000' },
      )
      .catch((error: unknown) => error)
    // The embedded engine computes the answer before it is streamed, so its error comes at once.
    const error = stream instanceof Readable ? await text(stream).catch((thrown: unknown) => thrown) : stream
    expect(error).toBeInstanceOf(Error)
    expect(String((error as Error).message)).toMatch(/stopped on purpose/)
    expect(error).not.toBeInstanceOf(EngineUnavailable)
  })
})

describe('health', () => {
  it('writes and reads back a probe row', async () => {
    const report = await store.probe()
    expect(report).toMatchObject({ ok: true })
    const [row] = await store.rows<{ n: string }>('test:probes', 'SELECT count() AS n FROM store_probe')
    expect(Number(row?.n)).toBeGreaterThanOrEqual(1)
    // A flood of probes within a second costs one write.
    const again = await Promise.all([store.probe(), store.probe(), store.probe()])
    expect(again.every((each) => each.ok)).toBe(true)
    const [after] = await store.rows<{ n: string }>('test:probes', 'SELECT count() AS n FROM store_probe')
    expect(Number(after?.n) - Number(row?.n)).toBeLessThanOrEqual(1)
  })
})

describe('errors', () => {
  it('keeps ClickHouse’s error class for the engine’s errors', async () => {
    const error = await store.rows('test:syntax', 'SELEC 1').catch((thrown: unknown) => thrown)
    expect(error instanceof ClickHouseError || (error as { type?: string }).type === 'SYNTAX_ERROR').toBe(true)
  })
})

// Last: the store's directory is gone afterwards (one embedded engine per process, so no second store to spare).
describe('a deleted data directory', () => {
  it.skipIf(process.env.QYZMET_TEST_TRANSPORT === 'server')(
    'is reported by the probe as storage, and reads and writes are refused with EngineUnavailable(storage)',
    async () => {
      rmSync(store.dataDir ?? '', { recursive: true, force: true })
      // Past the second for which a probe's answer is reused.
      await new Promise((done) => setTimeout(done, 1_100))
      const report = await store.probe()
      expect(report).toMatchObject({ ok: false, reason: 'storage' })
      const read = await store.rows('test:read', 'SELECT count() FROM t').catch((error: unknown) => error)
      const write = await store.insert('test:write', 't', [{ k: 1, v: 'w' }]).catch((error: unknown) => error)
      for (const error of [read, write]) {
        expect(error).toBeInstanceOf(EngineUnavailable)
        expect(error).toMatchObject({ reason: 'storage', retryAfterSeconds: 30 })
        expect((error as Error).message).toContain('was removed or replaced')
      }
    },
  )
})
