// Analysts' workflows end to end: targets with progress, indicators published and revised, exports, caching, docs.

import { writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { tableFromIPC } from 'apache-arrow'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bearer, openTestApi, type TestApi } from '../testing.ts'

let api: TestApi
beforeAll(async () => {
  api = await openTestApi(80_000)
})
afterAll(() => api.close())

const analyst = () => bearer(api.tokens.analyst)
const names = (text: string) => ({ kk: `${text} (kk)`, ru: `${text} (ru)`, en: text })

describe('targets', () => {
  it('creates, edits, reports progress from the last complete month, and deletes', async () => {
    const created = await api.app.inject({
      method: 'POST',
      url: '/api/v1/targets',
      headers: analyst(),
      payload: {
        metric: 'online_share',
        filters: { region: '75' },
        value: 0.99,
        dueDate: '2027-12-31',
        title: names('Almaty online'),
      },
    })
    expect(created.statusCode, created.body).toBe(201)
    const { id } = created.json<{ id: string }>()
    const edited = await api.app.inject({
      method: 'PUT',
      url: `/api/v1/targets/${id}`,
      headers: analyst(),
      payload: {
        metric: 'online_share',
        filters: { region: '75' },
        value: 0.98,
        dueDate: '2027-12-31',
        title: names('Almaty online'),
      },
    })
    expect(edited.json()).toMatchObject({ value: 0.98 })

    const progress = (await api.app.inject({ url: `/api/v1/targets/${id}`, headers: analyst() })).json<{
      progress: {
        current: number
        currentPeriod: string
        monthlyGainNeeded: number
        status: string
        series: { period: string; value: number | null }[]
      }
    }>().progress
    const [expected] = await api.store.rows<{ share: number }>(
      'test:target',
      `SELECT countIf(status = 'completed' AND channel NOT IN ('tson', 'callcenter')) / countIf(status = 'completed') AS share
       FROM events WHERE region = '75' AND toStartOfMonth(occurred_on) = '2026-10-01'`,
    )
    expect(progress.currentPeriod).toBe('2026-10-01')
    expect(progress.current).toBeCloseTo(expected?.share ?? Number.NaN, 12)
    expect(progress.series[0]?.period).toBe('2019-01-01')
    expect(progress.series.at(-1)?.period).toBe('2026-10-01')
    expect(['on_track', 'at_risk', 'off_track', 'reached']).toContain(progress.status)
    expect(progress.monthlyGainNeeded).toBeCloseTo((0.98 - progress.current) / 14, 12)

    expect(
      (await api.app.inject({ method: 'DELETE', url: `/api/v1/targets/${id}`, headers: analyst() })).statusCode,
    ).toBe(204)
    expect((await api.app.inject({ url: `/api/v1/targets/${id}`, headers: analyst() })).statusCode).toBe(404)
  })
})

describe('published indicators', () => {
  it('freezes values on publishing, keeps revisions with notes, and shows the public what changed', async () => {
    const definition = {
      metric: 'volume',
      filters: { region: '62' },
      interval: 'year',
      title: names('Ulytau volume'),
      methodology: names('Completed transactions'),
    }
    const { id } = (
      await api.app.inject({ method: 'POST', url: '/api/v1/indicators', headers: analyst(), payload: definition })
    ).json<{ id: string }>()
    expect((await api.app.inject({ url: `/api/v1/indicators/${id}` })).statusCode).toBe(404)

    const first = await api.app.inject({
      method: 'POST',
      url: `/api/v1/indicators/${id}/publish`,
      headers: analyst(),
      payload: { note: names('First release') },
    })
    expect(first.statusCode, first.body).toBe(201)
    const published = (await api.app.inject({ url: `/api/v1/indicators/${id}` })).json<{
      values: { period: string; value: number | null; suppressed: number }[]
    }>()
    const years = await api.store.rows<{ period: string; n: string }>(
      'test:indicator',
      "SELECT toString(toStartOfYear(occurred_on)) AS period, toString(countIf(status = 'completed')) AS n, toString(count()) AS t FROM events WHERE region = '62' GROUP BY period ORDER BY period",
    )
    expect(published.values.map((row) => row.period)).toEqual(years.map((row) => row.period))
    for (const [index, row] of published.values.entries()) {
      expect(row.value).toBe(row.suppressed ? null : Number(years[index]?.n))
    }

    // A revision: the scope changes, the public sees version 2, the note and how many periods changed.
    await api.app.inject({
      method: 'PUT',
      url: `/api/v1/indicators/${id}`,
      headers: analyst(),
      payload: { ...definition, filters: { region: '62', channel: 'mobile' } },
    })
    await api.app.inject({
      method: 'POST',
      url: `/api/v1/indicators/${id}/publish`,
      headers: analyst(),
      payload: { note: names('Mobile only') },
    })
    const revised = (await api.app.inject({ url: `/api/v1/indicators/${id}` })).json<{
      version: number
      versions: { version: number; note: { en: string }; revisedPeriods: number }[]
    }>()
    expect(revised.version).toBe(2)
    expect(revised.versions.map((version) => version.note.en)).toEqual(['First release', 'Mobile only'])
    expect(revised.versions[1]?.revisedPeriods).toBeGreaterThan(0)
    const list = (await api.app.inject({ url: '/api/v1/indicators' })).json<{
      indicators: { id: string; version: number }[]
      drafts?: unknown
    }>()
    expect(list.indicators.find((item) => item.id === id)?.version).toBe(2)
    expect(list.drafts).toBeUndefined()

    const csv = await api.app.inject({ url: `/api/v1/indicators/${id}/values?version=1&format=csv` })
    expect(csv.headers['content-type']).toMatch(/text\/csv/)
    expect(csv.body.trim().split('\n')).toHaveLength(published.values.length + 1)
    expect(csv.body.split('\n')[0]).toBe(
      '"period","value","ci_low","ci_high","transactions","suppressed","provisional"',
    )
  })

  it('publishes an indicator over a fixed range (from/to), answering its periods only', async () => {
    const definition = {
      metric: 'online_share',
      interval: 'quarter',
      from: '2021-01-01',
      to: '2022-12-31',
      title: names('Online share 2021-2022'),
      methodology: names('Fixed range'),
    }
    const created = await api.app.inject({
      method: 'POST',
      url: '/api/v1/indicators',
      headers: analyst(),
      payload: definition,
    })
    expect(created.statusCode, created.body).toBe(201)
    const { id } = created.json<{ id: string }>()
    const published = await api.app.inject({
      method: 'POST',
      url: `/api/v1/indicators/${id}/publish`,
      headers: analyst(),
      payload: { note: names('v1') },
    })
    expect(published.statusCode, published.body).toBe(201)
    const detail = (await api.app.inject({ url: `/api/v1/indicators/${id}` })).json<{
      from: string
      to: string
      values: { period: string }[]
    }>()
    expect(detail).toMatchObject({ from: '2021-01-01', to: '2022-12-31' })
    expect(detail.values.map((row) => row.period)).toEqual([
      '2021-01-01',
      '2021-04-01',
      '2021-07-01',
      '2021-10-01',
      '2022-01-01',
      '2022-04-01',
      '2022-07-01',
      '2022-10-01',
    ])
  })

  it('suppresses public cells under 10 transactions', async () => {
    const definition = {
      metric: 'online_share',
      filters: { region: '62', channel: 'vk' },
      interval: 'month',
      title: names('Tiny'),
      methodology: names('Tiny'),
    }
    const { id } = (
      await api.app.inject({ method: 'POST', url: '/api/v1/indicators', headers: analyst(), payload: definition })
    ).json<{ id: string }>()
    await api.app.inject({
      method: 'POST',
      url: `/api/v1/indicators/${id}/publish`,
      headers: analyst(),
      payload: { note: names('v1') },
    })
    const values = (await api.app.inject({ url: `/api/v1/indicators/${id}` })).json<{
      values: { value: number | null; transactions: number | null; suppressed: boolean }[]
    }>().values
    expect(values.length).toBeGreaterThan(0)
    for (const row of values) {
      if (Number(row.transactions) < 10) expect(row).toMatchObject({ value: null, suppressed: true })
    }
    expect(values.some((row) => row.suppressed)).toBe(true)
    // Exports write a missing value as an empty cell, never as \N.
    const csv = (await api.app.inject({ url: `/api/v1/indicators/${id}/values?format=csv` })).body
    expect(csv).not.toContain('\\N')
    const suppressedLine = csv.split('\n').find((line) => line.endsWith(',,1,0') || line.endsWith(',,1,1'))
    expect(suppressedLine).toMatch(/^"\d{4}-\d{2}-\d{2}",,,,/)
  })
})

describe('formats, caching and documentation', () => {
  const url = '/api/v1/metrics/online_share/breakdown?by=region&from=2025-01-01&to=2025-12-31'

  it('serves the same rows as JSON, CSV, Arrow and Parquet', async () => {
    const json = (await api.app.inject({ url, headers: analyst() })).json<{
      rows: { region: string; value: number }[]
    }>().rows
    const csv = await api.app.inject({ url, headers: { ...analyst(), accept: 'text/csv' } })
    const lines = csv.body.trim().split('\n')
    expect(lines).toHaveLength(json.length + 1)
    expect(lines[1]?.startsWith(`"${json[0]?.region}",`)).toBe(true)

    const arrow = await api.app.inject({
      url,
      headers: { ...analyst(), accept: 'application/vnd.apache.arrow.stream' },
    })
    expect(arrow.headers['content-type']).toBe('application/vnd.apache.arrow.stream')
    const table = tableFromIPC(arrow.rawPayload)
    expect(table.numRows).toBe(json.length)
    expect(table.getChild('value')?.toArray()[0]).toBeCloseTo(json[0]?.value ?? Number.NaN, 12)

    const parquet = await api.app.inject({ url: `${url}&format=parquet`, headers: analyst() })
    expect(parquet.headers['content-disposition']).toMatch(/online_share-by-region\.parquet/)
    const path = join(tmpdir(), `qyzmet-${process.pid}.parquet`)
    writeFileSync(path, parquet.rawPayload)
    const [back] = await api.store.rows<{ n: string; first: number }>(
      'test:parquet',
      'SELECT count() AS n, any(value) AS first FROM file({path:String}, Parquet)',
      { path },
    )
    expect(Number(back?.n)).toBe(json.length)
  })

  it('compresses answers for clients that accept it: JSON, CSV and Arrow decode to the same bytes', async () => {
    const wide = '/api/v1/metrics/volume/breakdown?by=service,region&from=2025-01-01&to=2025-12-31'
    for (const [suffix, accept] of [
      ['', 'application/json'],
      ['&format=csv', 'text/csv'],
      ['&format=arrow', 'application/vnd.apache.arrow.stream'],
    ] as const) {
      const plain = await api.app.inject({
        url: `${wide}${suffix}`,
        headers: { ...analyst(), accept, 'cache-control': 'no-cache', 'accept-encoding': 'identity' },
      })
      expect(plain.headers['content-encoding']).toBeUndefined()
      for (const [encoding, decode] of [
        ['br', brotliDecompressSync],
        ['gzip', gunzipSync],
      ] as const) {
        const packed = await api.app.inject({
          url: `${wide}${suffix}`,
          headers: { ...analyst(), accept, 'cache-control': 'no-cache', 'accept-encoding': encoding },
        })
        expect(`${accept} ${packed.headers['content-encoding']}`).toBe(`${accept} ${encoding}`)
        expect(packed.rawPayload.length).toBeLessThan(plain.rawPayload.length / 3)
        expect(decode(packed.rawPayload).equals(plain.rawPayload), `${accept} ${encoding}`).toBe(true)
      }
    }
  })

  it('answers Arrow with codes as dictionaries and periods as dates', async () => {
    const arrow = await api.app.inject({
      url: '/api/v1/metrics/online_share/series?by=region&from=2025-01-01&to=2025-06-30&format=arrow',
      headers: analyst(),
    })
    const table = tableFromIPC(arrow.rawPayload)
    expect(String(table.schema.fields.find((field) => field.name === 'region')?.type)).toMatch(/^Dictionary/)
    expect(String(table.schema.fields.find((field) => field.name === 'period')?.type)).toMatch(/^Date/)
  })

  it('answers a repeated request from the cache and a revalidation with 304 until the data changes', async () => {
    const first = await api.app.inject({ url, headers: analyst() })
    const second = await api.app.inject({ url, headers: analyst() })
    expect(second.headers['x-cache']).toBe('hit')
    expect(second.body).toBe(first.body)
    const etag = String(first.headers.etag)
    expect((await api.app.inject({ url, headers: { ...analyst(), 'if-none-match': etag } })).statusCode).toBe(304)
    // Another role is another answer: a regional token never gets an analyst's cached body.
    expect((await api.app.inject({ url, headers: bearer(api.tokens.regional) })).headers['x-cache']).toBeUndefined()

    await api.store.command(
      'test:insert',
      "INSERT INTO events (event_id, occurred_at, service_code, channel, assisted_by, region, status, age_band, gender, applicant_key, source, batch_id) VALUES ('cache-test', '2025-05-05 10:00:00', 'S001', 'portal', 'self', '75', 'completed', '30-49', 'f', 'x', 'test', 'test')",
    )
    await new Promise((done) => setTimeout(done, 1100))
    const after = await api.app.inject({ url, headers: { ...analyst(), 'if-none-match': etag } })
    expect(after.statusCode).toBe(200)
    expect(after.headers.etag).not.toBe(etag)
  })

  it('documents every route in OpenAPI, each with the schema of its answer', async () => {
    type Operation = { responses?: Record<string, { content?: Record<string, { schema?: unknown }> }> }
    const spec = (await api.app.inject({ url: '/docs/json' })).json<{
      paths: Record<string, Record<string, Operation>>
    }>()
    const documented = Object.keys(spec.paths)
    for (const path of [
      '/api/v1/metrics/{metric}/series',
      '/api/v1/metrics/{metric}/breakdown',
      '/api/v1/metrics/{metric}/compare',
      '/api/v1/targets',
      '/api/v1/targets/{id}',
      '/api/v1/indicators',
      '/api/v1/indicators/{id}/values',
      '/api/v1/ingest/events',
      '/api/v1/ingest/batches',
      '/api/v1/meta',
      '/api/v1/whoami',
    ]) {
      expect(documented).toContain(path)
    }
    const missing: string[] = []
    for (const [path, methods] of Object.entries(spec.paths)) {
      if (!path.startsWith('/api/v1/')) continue
      for (const [method, operation] of Object.entries(methods)) {
        const success = Object.entries(operation.responses ?? {}).find(([status]) => status.startsWith('2'))
        // Server-sent events (GET /live/stream) are described as a text/event-stream answer.
        const content = success?.[1].content
        const described =
          success?.[0] === '204' ||
          content?.['application/json']?.schema !== undefined ||
          content?.['text/event-stream']?.schema !== undefined
        if (!described) missing.push(`${method.toUpperCase()} ${path}`)
      }
    }
    expect(missing).toEqual([])
  })
})
