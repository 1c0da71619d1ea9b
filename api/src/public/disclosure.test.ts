// A suppressed cell is absent from every public surface: the page's table, the embed, the SVG and PNG images, the
// CSV and the Parquet download; its true value (recomputed here from raw events) appears nowhere.
import { readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { methodologyVersion } from '../methodology.ts'
import { renderPng } from './charts.ts'
import { openPortal, type PortalFixture } from './testing.ts'

let portal: PortalFixture
/** The region breakdown's latest complete month, and a region whose cell there is suppressed. */
let month: string
let region: string
let published: { code: string; value: number }[]

beforeAll(async () => {
  portal = await openPortal()
  const cells = await portal.store.rows<{
    code: string
    value: number | null
    suppressed: number
    suppression: string
    period: string
  }>(
    'test:cells',
    `SELECT code, value, suppressed, suppression, toString(period) AS period FROM indicator_breakdowns FINAL
     WHERE indicator_id = {id:String} AND period = '2026-10-01' ORDER BY code`,
    { id: portal.ids.serviceRegions },
  )
  month = '2026-10-01'
  const hidden = cells.find((cell) => cell.suppression === 'base')
  if (!hidden) throw new Error('the fixture has no suppressed cell in October 2026: make the scope smaller')
  region = hidden.code
  published = cells
    .filter((cell) => Number(cell.suppressed) === 0)
    .map((cell) => ({ code: cell.code, value: Number(cell.value) }))
}, 300_000)

afterAll(async () => {
  await portal?.close()
})

const get = (url: string) => portal.app.inject({ method: 'GET', url })

/** The true figures of the suppressed cell, from raw events. */
async function truth(): Promise<{ online: number; completed: number }> {
  const [row] = await portal.store.rows<{ online: string; completed: string }>(
    'test:truth',
    `SELECT toString(countIf(channel IN (SELECT code FROM channels FINAL WHERE kind = 'online'))) AS online,
            toString(count()) AS completed
     FROM events WHERE status = 'completed' AND service_code = {service:String} AND region = {region:String}
       AND toStartOfMonth(occurred_on) = {month:Date}`,
    { service: portal.service, region, month },
  )
  return { online: Number(row?.online), completed: Number(row?.completed) }
}

/** Every percentage a drawing writes (in its <text> elements, as the portal writes them in English: 93.3%). */
const percentages = (svg: string) =>
  [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)]
    .flatMap((text) => [...(text[1] ?? '').matchAll(/(\d+(?:\.\d)?)%/g)])
    .map((match) => Number((Number(match[1]) / 100).toFixed(3)))
const shown = (value: number) => Number(value.toFixed(3))

describe('a suppressed cell on every public surface', () => {
  it('is suppressed because its own base (completed transactions) is below 10, and has a true value to hide', async () => {
    const { completed } = await truth()
    expect(completed).toBeGreaterThan(0)
    expect(completed).toBeLessThan(10)
  })

  it('shows in the page’s table as the word, with no value, interval or count', async () => {
    const page = (await get(`/indicators/${portal.ids.serviceRegions}?lang=en`)).body
    const names = await portal.store.rows<{ name: string }>(
      'test:name',
      'SELECT name_en AS name FROM regions FINAL WHERE kato = {region:String}',
      { region },
    )
    const row = new RegExp(`<tr data-suppressed="true"><th scope="row">${names[0]?.name}</th>(.*?)</tr>`).exec(page)
    expect(row?.[1]).toBe(
      '<td class="num" data-suppressed="true">suppressed</td><td class="num"></td><td class="num"></td><td class="num"></td><td></td>',
    )
  })

  it('is left out of the embed, the SVG and the PNG: the only figures drawn are published ones', async () => {
    const allowed = published.map((cell) => shown(cell.value))
    const { online, completed } = await truth()
    for (const url of [
      `/embed/${portal.ids.serviceRegions}/region?lang=en&period=${month}`,
      `/embed/${portal.ids.serviceRegions}/region/image.svg?lang=en&period=${month}`,
    ]) {
      const body = (await get(url)).body
      const drawn = percentages(body)
      expect(drawn.length, url).toBeGreaterThan(0)
      for (const value of drawn) expect(allowed, `${url}: ${value}`).toContain(value)
      if (!allowed.includes(shown(online / completed))) expect(drawn).not.toContain(shown(online / completed))
    }
    // The PNG is the very SVG checked above, rasterised: nothing is added on the way.
    const svg = (await get(`/embed/${portal.ids.serviceRegions}/region/image.svg?lang=en&period=${month}`)).body
    const png = await get(`/embed/${portal.ids.serviceRegions}/region/image.png?lang=en&period=${month}`)
    expect(png.headers['content-type']).toBe('image/png')
    expect(png.rawPayload.equals(renderPng(svg))).toBe(true)
  })

  it('has empty cells in the CSV and nulls in the Parquet download, marked suppressed', async () => {
    const csv = (await get(`/open-data/${portal.ids.serviceRegions}/csv?lang=en&part=region`)).body
    const line = csv.split('\n').find((text) => text.includes(`"${month}","${region}"`))
    expect(line).toMatch(new RegExp(`,"${month}","${region}","[^"]+",,,,,false,true$`))

    const parquet = await get(`/open-data/${portal.ids.serviceRegions}/parquet?lang=en&part=region`)
    expect(parquet.statusCode).toBe(200)
    const file = join(tmpdir(), `qyzmet-disclosure-${process.pid}.parquet`)
    writeFileSync(file, parquet.rawPayload)
    expect(readFileSync(file).subarray(0, 4).toString()).toBe('PAR1')
    const [row] = await portal.store.rows<Record<string, unknown>>(
      'test:parquet',
      `SELECT * FROM file({file:String}, Parquet) WHERE Period = {month:String} AND Code = {region:String}`,
      { file, month, region },
    )
    expect(row).toMatchObject({
      Value: null,
      '95 % interval, low': null,
      '95 % interval, high': null,
      Transactions: null,
      Suppressed: true,
    })
  })

  it('is not in the JSON of the published values either', async () => {
    const detail = (await get(`/api/v1/indicators/${portal.ids.serviceRegions}`)).json<{
      values: { suppressed: boolean; value: number | null; transactions: number | null }[]
    }>()
    for (const value of detail.values.filter((item) => item.suppressed)) {
      expect(value.value).toBeNull()
      expect(value.transactions === null || value.transactions === 0).toBe(true)
    }
  })
})

describe('what each release withheld, on its page', () => {
  it('states the rule, and each version’s counts of withheld figures, methodology, cut-off and content hash', async () => {
    const page = (await get(`/indicators/${portal.ids.serviceRegions}?lang=en`)).body
    const { releases } = (await get('/api/v1/releases')).json<{
      releases: { release: number; indicator: string; suppression: { primary: number; secondary: number } }[]
    }>()
    const release = releases.find((item) => item.indicator === portal.ids.serviceRegions)
    const record = new RegExp(`<span class="muted" data-record="${release?.release}">([^<]*)</span>`).exec(page)?.[1]
    const { primary = 0, secondary = 0 } = release?.suppression ?? {}
    expect(primary).toBeGreaterThan(0)
    const count = (value: number) => value.toLocaleString('en-GB')
    expect(record).toContain(`${count(primary)} figure${primary === 1 ? '' : 's'} withheld for`)
    expect(record).toContain(secondary === 0 ? 'none to protect others' : `${count(secondary)} to protect others`)
    expect(record).toMatch(
      new RegExp(
        `methodology ${methodologyVersion.replace('.', '\\.')} · rows as of \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} · content hash [0-9a-f]+-[0-9a-f]{16}`,
      ),
    )
    expect(page).toContain('when publishing it would let another suppressed figure be worked out by subtraction')
  })

  it('widens the published intervals of a share by region by the period’s over-dispersion, and says so', async () => {
    const { releases } = (await get('/api/v1/releases')).json<{ releases: { release: number; indicator: string }[] }>()
    const release = releases.find((item) => item.indicator === portal.ids.share)?.release
    const detail = (await get(`/api/v1/releases/${release}`)).json<{
      breakdowns: {
        dimension: string
        period: string
        value: number | null
        base: number | null
        ci_low: number | null
        ci_high: number | null
        dispersion: number | null
      }[]
    }>()
    const widened = detail.breakdowns.filter((cell) => cell.dimension === 'region' && cell.dispersion && cell.base)
    expect(widened.length).toBeGreaterThan(20)
    const z = 1.959964
    for (const cell of widened) {
      // Wilson's interval on the effective base n/φ, written out here.
      const p = cell.value ?? 0
      const n = (cell.base ?? 0) / (cell.dispersion ?? 1)
      const centre = p + (z * z) / (2 * n)
      const spread = z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))
      expect(cell.ci_low).toBeCloseTo((centre - spread) / (1 + (z * z) / n), 9)
      expect(cell.ci_high).toBeCloseTo((centre + spread) / (1 + (z * z) / n), 9)
    }
    // The page shows the latest complete month: its note says φ when that month's intervals were widened.
    const page = (await get(`/indicators/${portal.ids.share}?lang=en`)).body
    const latest = detail.breakdowns.filter((cell) => cell.period === '2026-10-01' && cell.dimension === 'region')
    const phi = latest.find((cell) => cell.dispersion)?.dispersion
    if (phi) expect(page).toContain(`over-dispersion φ = ${phi.toFixed(1)}.`)
    else expect(page).not.toContain('data-dispersion')
  })
})
