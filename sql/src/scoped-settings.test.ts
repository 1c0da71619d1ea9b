// Settings given to one query stay with that query on the embedded engine: none leaks into the session.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { withSettings } from './scoped-settings.ts'
import { openTestStore, type TestStore } from './testing.ts'

let store: TestStore
beforeAll(async () => {
  store = await openTestStore()
})
afterAll(() => store.close())

describe('withSettings', () => {
  it('places the clause before a trailing FORMAT, after INSERT … columns, or merges it into a trailing SETTINGS', () => {
    expect(withSettings('SELECT 1\nFORMAT JSONEachRow', { max_threads: 1 })).toBe(
      'SELECT 1\nSETTINGS max_threads = 1\nFORMAT JSONEachRow',
    )
    expect(withSettings('INSERT INTO t (a, b) FORMAT CSV', { insert_deduplication_token: "x'y" })).toBe(
      "INSERT INTO t (a, b) SETTINGS insert_deduplication_token = 'x''y' FORMAT CSV",
    )
    expect(withSettings('SELECT 1 SETTINGS max_threads = 2', { max_block_size: '10' })).toBe(
      "SELECT 1 SETTINGS max_threads = 2, max_block_size = '10'",
    )
    expect(withSettings('SELECT (SELECT 1 SETTINGS max_threads = 2)', { readonly: true })).toBe(
      'SELECT (SELECT 1 SETTINGS max_threads = 2)\nSETTINGS readonly = 1',
    )
    expect(withSettings("INSERT INTO t (a) VALUES ('x SETTINGS y')", { insert_deduplicate: 0 })).toBe(
      "INSERT INTO t (a) SETTINGS insert_deduplicate = 0 VALUES ('x SETTINGS y')",
    )
    expect(withSettings('SELECT 1', { wait_end_of_query: 1 })).toBe('SELECT 1')
  })
})

describe('the embedded store', () => {
  const current = async (name: string) =>
    (
      await store.rows<{ value: string }>(
        'test:setting',
        'SELECT value FROM system.settings WHERE name = {name:String}',
        { name },
      )
    )[0]?.value

  it('applies a query setting to that query and leaves the session as it was', async () => {
    await expect(
      store.rows(
        'test:limited',
        'SELECT number FROM numbers(10)',
        {},
        { max_result_rows: '5', result_overflow_mode: 'throw' },
      ),
    ).rejects.toThrow(/Limit for result exceeded/)
    expect(await store.rows('test:after', 'SELECT number FROM numbers(10)')).toHaveLength(10)
    expect(await current('max_result_rows')).toBe('0')
  })

  it('keeps a deduplication token to its own insert', async () => {
    await store.command(
      'test:table',
      'CREATE TABLE tokens (x UInt8) ENGINE = MergeTree ORDER BY x SETTINGS non_replicated_deduplication_window = 100',
    )
    await store.command(
      'test:insert',
      'INSERT INTO tokens SELECT 1',
      {},
      { settings: { insert_deduplication_token: 't1' } },
    )
    await store.command(
      'test:insert',
      'INSERT INTO tokens SELECT 2',
      {},
      { settings: { insert_deduplication_token: 't1' } },
    )
    await store.insert('test:rows', 'tokens', [{ x: 3 }], { settings: { insert_deduplication_token: 't2' } })
    await store.insert('test:rows', 'tokens', [{ x: 4 }], { settings: { insert_deduplication_token: 't2' } })
    // Without a token of its own, a later insert is not taken for a repeat of the last tokened one.
    await store.command('test:insert', 'INSERT INTO tokens SELECT 5')
    const rows = await store.rows<{ x: number }>('test:tokens', 'SELECT x FROM tokens ORDER BY x')
    expect(rows.map((row) => row.x)).toEqual([1, 3, 5])
    expect(await current('insert_deduplication_token')).toBe('')
  })
})
