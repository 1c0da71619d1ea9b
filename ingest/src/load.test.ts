// The bad-input corpus: each awkward file with the counts and reasons it must produce, on the real engine.
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadReference } from '@qyzmet/sql'
import { openTestStore, type TestStore } from '@qyzmet/sql/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { csv, csvHeader, event, ndjson, write } from './corpus.ts'
import { readBatch } from './ledger.ts'
import { type LoadOptions, type LoadSummary, loadFile } from './load.ts'
import { loadMapping } from './mapping.ts'

let store: TestStore
const dir = mkdtempSync(join(tmpdir(), 'qyzmet-corpus-'))
beforeAll(async () => {
  store = await openTestStore()
  await loadReference(store)
})
afterAll(() => store.close())

const count = async (sql: string, params = {}) =>
  Number((await store.rows<{ n: string }>('test:count', sql, params))[0]?.n ?? 0)
const eventsWith = (ids: string[]) =>
  count('SELECT count() AS n FROM events WHERE event_id IN {ids:Array(String)}', { ids })
const load = (name: string, text: string | Buffer, options: LoadOptions = {}, gzip = false) =>
  loadFile(store, write(join(dir, name), text, gzip), { source: 'corpus', ...options })
const quarantined = (summary: LoadSummary) =>
  store.rows<{ row_number: string; reasons: string[]; raw: string }>(
    'test:quarantine',
    'SELECT row_number, reasons, raw FROM quarantine FINAL WHERE batch_id = {b:String} ORDER BY row_number',
    { b: summary.batchId },
  )

describe('files that load', () => {
  it('reads BOM and Windows line ends', async () => {
    const rows = [event(), event(), event()]
    const summary = await load('bom-crlf.csv', csv(rows, { bom: true, crlf: true }))
    expect(summary).toMatchObject({ state: 'done', rows: 3, loaded: 3, quarantined: 0 })
    expect(await eventsWith(rows.map((r) => r.event_id ?? ''))).toBe(3)
    const tsv = [event(), event()]
    expect(await load('crlf.tsv', csv(tsv, { crlf: true, delimiter: '\t' }))).toMatchObject({ loaded: 2 })
  })

  it('keeps quoted newlines inside a field and counts rows as records, not lines', async () => {
    const rows = [event(), event({ office_id: '75-001\nannex' }), event({ region: '99' })]
    const summary = await load('quoted.csv', csv(rows))
    expect(summary).toMatchObject({ rows: 3, loaded: 2, quarantined: 1, reasons: { 'unknown:region': 1 } })
    const [bad] = await quarantined(summary)
    expect(Number(bad?.row_number)).toBe(3)
    expect(JSON.parse(bad?.raw ?? '{}')).toMatchObject({ event_id: rows[2]?.event_id, region: '99' })
    const [stored] = await store.rows<{ office_id: string }>(
      'test:office',
      'SELECT office_id FROM events WHERE event_id = {id:String}',
      { id: rows[1]?.event_id },
    )
    expect(stored?.office_id).toBe('75-001\nannex')
  })

  it('ignores extra header columns and quarantines rows with missing or extra fields', async () => {
    const good = event()
    const short = event()
    const long = event()
    const header = [...csvHeader, 'note']
    const text = csv(
      [
        { ...good, note: 'fine' },
        header.slice(0, 5).map((name) => short[name] ?? ''),
        [...header.map((name) => long[name] ?? ''), 'surplus'],
      ],
      { header },
    )
    const summary = await load('columns.csv', text)
    expect(summary).toMatchObject({ rows: 3, loaded: 1, quarantined: 2, ignoredColumns: ['note'] })
    expect(summary.reasons).toMatchObject({
      missing_fields: 1,
      extra_fields: 1,
      'missing:region': 1,
      'missing:status': 1,
    })
    expect((await quarantined(summary)).map((row) => Number(row.row_number))).toEqual([2, 3])
  })

  it('quarantines unknown codes, bad and future dates, bad enums and ranges with every reason', async () => {
    const rows = [
      event({ region: '99', channel: 'fax', service_code: 'S999' }),
      event({ occurred_at: 'yesterday' }),
      event({ occurred_at: '2099-01-01T00:00:00Z' }),
      event({ occurred_at: '1999-12-31T12:00:00Z' }),
      event({ region: '10', occurred_at: '2021-05-01T08:00:00Z' }),
      event({ status: 'done', gender: 'x', satisfaction: '7', processing_seconds: '-5' }),
      event({ event_id: '' }),
      event({ region: '10', occurred_at: '2023-05-01T08:00:00Z' }),
    ]
    const summary = await load('codes.csv', csv(rows))
    expect(summary).toMatchObject({ rows: 8, loaded: 1, quarantined: 7 })
    const reasons = (await quarantined(summary)).map((row) => [...row.reasons].sort())
    expect(reasons).toEqual([
      ['unknown:channel', 'unknown:region', 'unknown:service_code'],
      ['invalid:occurred_at'],
      ['future:occurred_at'],
      ['too_old:occurred_at'],
      ['region_not_valid_on_date'],
      ['invalid:gender', 'invalid:processing_seconds', 'invalid:status', 'out_of_range:satisfaction'],
      ['missing:event_id'],
    ])
  })

  it('loads an event once whether repeated in a file, in another file, or in the same file again', async () => {
    const a = event()
    const b = event()
    const first = await load('dups-1.csv', csv([a, b, { ...a, status: 'rejected' }]))
    expect(first).toMatchObject({ rows: 3, loaded: 2, duplicatesInBatch: 1, duplicatesExisting: 0 })
    const [kept] = await store.rows<{ status: string }>(
      'test:kept',
      'SELECT status FROM events WHERE event_id = {id:String}',
      {
        id: a.event_id,
      },
    )
    expect(kept?.status).toBe('completed')
    const c = event()
    const second = await load('dups-2.ndjson', ndjson([b, c]))
    expect(second).toMatchObject({ rows: 2, loaded: 1, duplicatesExisting: 1 })
    const again = await load('dups-1-again.csv', readFileSync(join(dir, 'dups-1.csv')))
    expect(again).toMatchObject({ state: 'already_loaded', loaded: 0, batchId: first.batchId })
    expect(await eventsWith([a, b, c].map((r) => r.event_id ?? ''))).toBe(3)
  })

  it('reads NDJSON line by line: numbers, nulls, unknown keys, a broken line and a 10 MB line', async () => {
    const huge = event()
    const lines = [
      JSON.stringify({ ...event(), processing_seconds: 60, satisfaction: null }),
      '{"event_id": "broken',
      '',
      JSON.stringify({ ...huge, note: 'x'.repeat(10 * 1024 * 1024) }),
    ]
    const summary = await load('lines.ndjson', `${lines.join('\n')}\n`)
    expect(summary).toMatchObject({ rows: 3, loaded: 2, quarantined: 1, reasons: { invalid_json: 1 } })
    expect(Number((await quarantined(summary))[0]?.row_number)).toBe(2)
    expect(await eventsWith([huge.event_id ?? ''])).toBe(1)
  })

  it('quarantines a 10 MB CSV field, keeping 64 KiB of the raw row', async () => {
    const summary = await load('wide.csv', csv([event({ applicant_key: 'k'.repeat(10 * 1024 * 1024) })]))
    expect(summary).toMatchObject({ rows: 1, loaded: 0, reasons: { 'too_long:applicant_key': 1 } })
    expect((await quarantined(summary))[0]?.raw.length).toBe(65_536)
  })

  it('maps a one-stop-shop export with Russian headers and spellings', async () => {
    const mapping = loadMapping(new URL('../mappings/tson-export.json', import.meta.url).pathname)
    const header = [
      'Номер заявки',
      'Дата подачи',
      'Код услуги',
      'Кто подал',
      'Регион',
      'Код ЦОН',
      'Статус',
      'Пол',
      'Возрастная группа',
    ]
    const text = csv(
      [
        ['TSON-1', '05.03.2024 15:15:00', 'S001', 'Оператор ЦОН', 'Алматы', '75-001', 'Исполнено', 'Ж', 'до 18'],
        ['TSON-2', '05.03.2024 16:00:00', 'S001', 'Оператор ЦОН', 'Марс', '75-001', 'Отказ', 'М', '30-49'],
      ],
      { header },
    )
    const summary = await load('tson.csv', text, { mapping, source: 'tson-export' })
    expect(summary).toMatchObject({ loaded: 1, quarantined: 1, reasons: { 'unknown:region': 1 } })
    const [row] = await store.rows<Record<string, string>>(
      'test:tson',
      "SELECT toString(occurred_at) AS at, channel, assisted_by, region, status, gender, age_band, source FROM events WHERE event_id = 'TSON-1'",
    )
    // 15:15 in Almaty (UTC+5 in 2024) is 10:15 UTC.
    expect(row).toEqual({
      at: '2024-03-05 10:15:00.000',
      channel: 'tson',
      assisted_by: 'staff',
      region: '75',
      status: 'completed',
      gender: 'f',
      age_band: '<18',
      source: 'tson-system',
    })
  })

  it('loads a header-only file as an empty batch', async () => {
    expect(await load('header-only.csv', csv([]))).toMatchObject({ state: 'done', rows: 0, loaded: 0 })
  })
})

describe('files that fail as a whole', () => {
  const fails = async (name: string, text: string | Buffer, problem: RegExp, gzip = false) => {
    const before = await count('SELECT count() AS n FROM events')
    const summary = await load(name, text, {}, gzip)
    expect(summary.state).toBe('failed')
    expect(summary.error).toContain(name)
    expect(summary.error).toMatch(problem)
    expect(await count('SELECT count() AS n FROM events')).toBe(before)
    if (summary.batchId) expect((await readBatch(store, summary.batchId))?.state).toBe('failed')
    return summary
  }

  it('fails an empty file, a file without the required columns, and a Parquet file named .csv', async () => {
    await fails('empty.csv', '', /empty/)
    await fails('no-header.csv', 'a,b\n1,2\n', /no column for event_id/)
    await fails('parquet.csv', Buffer.concat([Buffer.from('PAR1'), Buffer.alloc(16)]), /looks like Parquet/)
    await fails('events.xlsx', 'x', /unknown file type/)
  })

  it('fails a truncated gzip without loading or quarantining any of it', async () => {
    const rows = Array.from({ length: 5000 }, () => event())
    const whole = join(dir, 'whole.csv.gz')
    write(whole, csv(rows), true)
    const bytes = readFileSync(whole)
    const summary = await fails('truncated.csv.gz', bytes.subarray(0, Math.floor(bytes.length / 2)), /gzip/)
    expect(await count('SELECT count() AS n FROM quarantine WHERE batch_id = {b:String}', { b: summary.batchId })).toBe(
      0,
    )
    expect(await eventsWith(rows.map((r) => r.event_id ?? ''))).toBe(0)
  })
  it('tries a failed file afresh: read again as another format, the ledger records this attempt', async () => {
    const rows = [event(), event()]
    const text = rows.map((row) => Object.values(row).join('\t')).join('\n')
    const header = Object.keys(rows[0] ?? {}).join('\t')
    const body = `${header}\n${text}\n`
    // Named .csv, the tab-separated text has no column for event_id; read as TSV under another name, it loads.
    const failed = await fails('tabs.csv', body, /no column for event_id/)
    const retried = await load('tabs.tsv', body)
    expect(retried.batchId).toBe(failed.batchId)
    expect(retried).toMatchObject({ state: 'done', loaded: 2, format: 'tsv', file: 'tabs.tsv' })
    expect(await readBatch(store, retried.batchId ?? '')).toMatchObject({
      format: 'tsv',
      file: 'tabs.tsv',
      state: 'done',
    })
  })
})
