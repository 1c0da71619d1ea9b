// Releases on demo data, judged on raw events: no withheld figure recoverable from its margin, withheld figures
// kept withheld across versions and indicators, each release reproducible from the rows at its cut-off, and every
// change to an earlier period noted with its reason.
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ReleaseDetail, ReleaseSummary } from './contract/index.ts'
import { loadDrafts, publishIndicator } from './indicators.ts'
import { loadReferenceData } from './reference.ts'
import { bearer, openTestApi, type TestApi } from './testing.ts'

let api: TestApi
/** The most used service: the late rows are requests for it. */
let service: string
const names = (text: string) => ({ kk: `${text} (kk)`, ru: `${text} (ru)`, en: text })
const range = { from: '2025-01-01', to: '2026-10-31' }

beforeAll(async () => {
  api = await openTestApi(60_000)
  const [top] = await api.store.rows<{ service: string }>(
    'test:service',
    `SELECT service_code AS service FROM events WHERE status = 'completed' GROUP BY service ORDER BY count() DESC, service LIMIT 1`,
  )
  service = top?.service ?? ''
})
afterAll(() => api.close())

const get = async <T>(url: string, token = api.tokens.analyst) => {
  // An empty token: asked as the public, with no Authorization header.
  const response = await api.app.inject({ url, headers: token ? bearer(token) : {} })
  expect(response.statusCode, response.body).toBe(200)
  return response.json<T>()
}

async function define(metric: string): Promise<string> {
  const created = await api.app.inject({
    method: 'POST',
    url: '/api/v1/indicators',
    headers: bearer(api.tokens.analyst),
    payload: {
      metric,
      interval: 'month',
      ...range,
      breakdowns: ['region'],
      title: names(`${metric} by region`),
      methodology: names('as METHODOLOGY.md defines it'),
    },
  })
  expect(created.statusCode, created.body).toBe(201)
  return created.json<{ id: string }>().id
}

async function publish(id: string, note = 'a release'): Promise<{ release: number; version: number }> {
  const published = await api.app.inject({
    method: 'POST',
    url: `/api/v1/indicators/${id}/publish`,
    headers: bearer(api.tokens.analyst),
    payload: { note: names(note) },
  })
  expect(published.statusCode, published.body).toBe(201)
  return published.json()
}

/** The true base and share of every region and month, from raw events. */
async function truth() {
  const rows = await api.store.rows<{ period: string; region: string; completed: string; online: string }>(
    'test:truth',
    `SELECT toString(toStartOfMonth(occurred_on)) AS period, region, toString(countIf(status = 'completed')) AS completed,
            toString(countIf(status = 'completed' AND channel IN (SELECT code FROM channels FINAL WHERE kind = 'online'))) AS online
     FROM events WHERE occurred_on BETWEEN {from:Date} AND {to:Date}
     GROUP BY period, region`,
    range,
  )
  return new Map(
    rows.map((row) => [`${row.period}|${row.region}`, { base: Number(row.completed), online: Number(row.online) }]),
  )
}

const withheldCells = (detail: ReleaseDetail) =>
  new Set(detail.breakdowns.filter((cell) => cell.suppressed).map((cell) => `${cell.period}|${cell.code}`))

describe('releases', () => {
  let share: string
  let first: ReleaseDetail

  it('withholds every small base and extreme share, and leaves no withheld figure recoverable from its month', async () => {
    share = await define('online_share')
    const { release } = await publish(share, 'first release')
    first = await get<ReleaseDetail>(`/api/v1/releases/${release}`, '')
    const bases = await truth()
    const months = new Map(first.values.map((value) => [value.period, value]))
    let checked = 0
    for (const period of months.keys()) {
      const cells = first.breakdowns.filter((cell) => cell.period === period)
      const withheld = cells.filter((cell) => cell.suppressed)
      for (const cell of cells) {
        const truthOf = bases.get(`${period}|${cell.code}`) ?? { base: 0, online: 0 }
        const extreme = truthOf.online === 0 || truthOf.online === truthOf.base
        if (truthOf.base < 10 || (extreme && truthOf.base < 50))
          expect(cell.suppressed, `${period} ${cell.code}`).toBe(true)
        if (!cell.suppressed) expect(cell.base).toBe(truthOf.base)
        else expect([cell.value, cell.base, cell.ci_low, cell.transactions]).toEqual([null, null, null, null])
      }
      if (months.get(period)?.suppressed) {
        expect(withheld.length).toBe(cells.length)
      } else if (withheld.length > 0) {
        // The month minus the published regions leaves only the withheld ones together: at least two, resting
        // together on at least the threshold.
        const together = withheld.reduce((sum, cell) => sum + (bases.get(`${period}|${cell.code}`)?.base ?? 0), 0)
        expect(withheld.length, period).toBeGreaterThanOrEqual(2)
        expect(together, period).toBeGreaterThanOrEqual(10)
        checked++
      }
    }
    expect(checked).toBeGreaterThan(5)
    // The release's metadata counts what it withheld, by rule.
    const reasons = [...first.values, ...first.breakdowns].map((figure) => figure.suppression)
    expect(first.suppression).toMatchObject({
      threshold: 10,
      extremeBelow: 50,
      cells: reasons.length,
      primary: reasons.filter((reason) => reason === 'base' || reason === 'extreme').length,
      secondary: reasons.filter((reason) => reason === 'complement' || reason === 'earlier').length,
    })
    expect(first.suppression.secondary).toBeGreaterThan(0)
    expect(first.suppression.rule.en).toMatch(/withheld/)
  })

  it('records the methodology version, the rows’ cut-off and their content hash', async () => {
    const version = /Methodology version \*\*([\d.]+)\*\*/.exec(
      readFileSync(new URL('../../METHODOLOGY.md', import.meta.url), 'utf8'),
    )?.[1]
    expect(first.methodologyVersion).toBe(version)
    expect(first.rowsCutoff).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$/)
    const [rows] = await api.store.rows<{ n: string; hash: string }>(
      'test:hash',
      `SELECT toString(count()) AS n, lower(hex(sum(cityHash64(event_id, occurred_at, service_code, channel,
              toString(assisted_by), region, district, office_id, toString(status), ifNull(processing_seconds, 4294967295),
              toString(age_band), toString(gender), applicant_key, ifNull(satisfaction, 255))))) AS hash
       FROM events WHERE occurred_on BETWEEN {from:Date} AND {to:Date}`,
      range,
    )
    expect(first.dataRows).toBe(Number(rows?.n))
    expect(first.dataHash).toBe(
      `${Number(rows?.n).toString(16)}-${BigInt(`0x${rows?.hash}`).toString(16).padStart(16, '0')}`,
    )
    const list = await get<{ releases: ReleaseSummary[] }>('/api/v1/releases', '')
    expect(list.releases.map((item) => item.release)).toContain(first.release)
  })

  it('keeps withheld what an earlier version or another indicator over the same rows withheld', async () => {
    const completion = await define('completion_rate')
    const other = await get<ReleaseDetail>(`/api/v1/releases/${(await publish(completion)).release}`, '')
    const again = await get<ReleaseDetail>(`/api/v1/releases/${(await publish(share, 'second release')).release}`, '')
    for (const later of [other, again]) {
      const hidden = withheldCells(later)
      for (const cell of withheldCells(first)) expect(hidden.has(cell), cell).toBe(true)
    }
    expect(again.breakdowns.some((cell) => cell.suppression === 'earlier')).toBe(true)
    expect(again.version).toBe(2)
    expect(again.release).toBeGreaterThan(other.release)
  })

  it('reproduces a release from the rows at its cut-off, late rows or not, and notes the revision they cause', async () => {
    const reproduce = (release: number, token = api.tokens.analyst) =>
      api.app.inject({ url: `/api/v1/releases/${release}/reproduce`, headers: bearer(token) })
    expect((await reproduce(first.release)).json()).toMatchObject({ reproduced: true, differences: [] })
    // A number the schema's coercion would let past its bounds is refused by name, not answered with a 500.
    for (const url of ['/api/v1/releases/Infinity', '/api/v1/releases/1e400/reproduce']) {
      const refused = await api.app.inject({ url, headers: bearer(api.tokens.analyst) })
      expect([refused.statusCode, refused.json().parameter]).toEqual([400, 'release'])
    }
    // Late rows for a complete month: the reproduction ignores them, the next version revises the month.
    await api.store.insert(
      'test:late',
      'events',
      Array.from({ length: 30 }, (_, index) => ({
        event_id: `late-${index}`,
        occurred_at: '2025-06-10 09:00:00.000',
        service_code: service,
        channel: 'mobile',
        assisted_by: 'self',
        region: '75',
        status: 'completed',
        processing_seconds: 60,
        age_band: '30-49',
        gender: 'f',
        applicant_key: `late-${index}`,
        source: 'test',
        batch_id: 'late',
      })),
    )
    const answer = (await reproduce(first.release)).json<{ reproduced: boolean; dataRows: { now: number } }>()
    expect(answer).toMatchObject({ reproduced: true, dataRows: { now: first.dataRows } })
    const third = await get<ReleaseDetail>(`/api/v1/releases/${(await publish(share, 'late rows for June')).release}`)
    expect(third.revisionNotes).toContainEqual(
      expect.objectContaining({ period: '2025-06-01', reason: 'data', previousValue: expect.any(Number) }),
    )
    expect(third.revisionNotes.every((note) => note.reason === 'data')).toBe(true)
    expect((await reproduce(third.release)).json()).toMatchObject({ reproduced: true })
    expect((await reproduce(first.release, api.tokens.regional)).statusCode).toBe(403)
    expect((await api.app.inject({ url: `/api/v1/releases/${first.release}/reproduce` })).statusCode).toBe(401)
    expect((await api.app.inject({ url: '/api/v1/releases/999999' })).statusCode).toBe(404)
  })

  it('notes a period that was incomplete when published as completed, when it changes', async () => {
    const reference = await loadReferenceData(api.store)
    const [definition] = await loadDrafts(api.store, share)
    if (!definition) throw new Error('no draft')
    // Published on 20 October: October was incomplete.
    const early = await publishIndicator(
      api.store,
      { reference, today: '2026-10-20', suppressBelow: 10 },
      definition,
      names('mid-October'),
      'test',
    )
    const october = (await get<ReleaseDetail>(`/api/v1/releases/${early.release}`)).values.find(
      (value) => value.period === '2026-10-01',
    )
    expect(october?.provisional).toBe(true)
    await api.store.insert('test:october', 'events', [
      ...Array.from({ length: 40 }, (_, index) => ({
        event_id: `october-${index}`,
        occurred_at: '2026-10-25 09:00:00.000',
        service_code: service,
        channel: 'tson',
        assisted_by: 'staff',
        region: '71',
        status: 'completed',
        processing_seconds: 600,
        age_band: '50-64',
        gender: 'm',
        applicant_key: `october-${index}`,
        source: 'test',
        batch_id: 'october',
      })),
    ])
    const later = await get<ReleaseDetail>(`/api/v1/releases/${(await publish(share, 'October complete')).release}`)
    expect(later.revisionNotes).toContainEqual(expect.objectContaining({ period: '2026-10-01', reason: 'completed' }))
  })
})
