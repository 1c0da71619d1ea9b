// The portal's pages over the real engine, as the public (no token): every figure shown equals the published value,
// and the published value equals the metric recomputed here from raw events; downloads, catalogue and targets too.
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openPortal, type PortalFixture } from './testing.ts'

let portal: PortalFixture

beforeAll(async () => {
  portal = await openPortal()
}, 300_000)

afterAll(async () => {
  await portal?.close()
})

const get = (url: string) => portal.app.inject({ method: 'GET', url })

/** The online share of a month from raw events: completed online ÷ completed (METHODOLOGY.md), optionally for a service. */
async function onlineShare(month: string, service?: string): Promise<number> {
  const [row] = await portal.store.rows<{ share: number }>(
    'test:online-share',
    `SELECT countIf(channel IN (SELECT code FROM channels FINAL WHERE kind = 'online')) / count() AS share
     FROM events WHERE status = 'completed' AND toStartOfMonth(occurred_on) = {month:Date}
       ${service ? 'AND service_code = {service:String}' : ''}`,
    { month, service },
  )
  return Number(row?.share)
}

/** A service's digital take-up in a month from raw events: its completions online ÷ its completions on days it could be
 * received online (services.online_since), as GOV.UK defines take-up. */
async function takeUp(month: string, service: string): Promise<number> {
  const [row] = await portal.store.rows<{ share: number }>(
    'test:take-up',
    `SELECT countIf(channel IN (SELECT code FROM channels FINAL WHERE kind = 'online')) / count() AS share
     FROM events
     WHERE status = 'completed' AND toStartOfMonth(occurred_on) = {month:Date} AND service_code = {service:String}
       AND occurred_on >= (SELECT assumeNotNull(any(online_since)) FROM services FINAL WHERE code = {service:String})`,
    { month, service },
  )
  return Number(row?.share)
}

/** The attribute of the element with `selector`-like marker, read from the HTML text. */
const attribute = (text: string, marker: string, name: string) =>
  new RegExp(`${marker}[^>]*>[\\s\\S]*?${name}="([^"]+)"`).exec(text)?.[1]

describe('public pages', () => {
  it('opens the home on the headline figures, in Kazakh, Russian and English, with the release and its date', async () => {
    for (const [lang, asOf, title] of [
      ['kk', 'Деректер', 'Мемлекеттік қызметтер сандармен'],
      ['ru', 'Данные на', 'Государственные услуги в цифрах'],
      ['en', 'Data as of', 'Public services in figures'],
    ] as const) {
      const page = await get(`/?lang=${lang}`)
      expect(page.statusCode).toBe(200)
      expect(page.headers['content-type']).toMatch(/text\/html/)
      expect(page.body).toContain(`<html lang="${lang}">`)
      expect(page.body).toContain(title)
      expect(page.body).toContain(asOf)
    }
    const page = (await get('/?lang=en')).body
    // The latest complete month of the fixture's data is October 2026: published, and equal to the raw events.
    const shown = Number(attribute(page, `data-indicator="${portal.ids.share}"`, 'data-value'))
    expect(shown).toBeCloseTo(await onlineShare('2026-10-01'), 12)
    expect(page).toContain('latest complete period: October 2026')
    // Seven publications in the fixture: the home names the latest release.
    expect(page).toContain('Release 7')
    // The target chart (90 % by 2027, judged on published values), the lockdown band and the region map.
    expect(page).toContain('90 % of services received online')
    expect(page).toContain('Lockdown')
    expect(page).toMatch(/data-chart="[^"]+\/region"/)
    // A service with published measures gets a link to its page.
    expect(page).toContain(`/services/${portal.service}?lang=en`)
  })

  it('shows an indicator: every published period in a table, the provisional year marked, versions and downloads', async () => {
    const page = (await get(`/indicators/${portal.ids.volume}?lang=en`)).body
    const [row] = await portal.store.rows<{ n: string }>(
      'test:volume-2025',
      `SELECT toString(count()) AS n FROM events WHERE status = 'completed' AND toYear(occurred_on) = 2025`,
    )
    // The headline is 2025, the last complete year; 2026 is not over, so it is provisional and not the headline.
    expect(Number(attribute(page, `data-indicator="${portal.ids.volume}"`, 'data-value'))).toBe(Number(row?.n))
    expect(page).toMatch(/<th scope="row">2026<\/th>[\s\S]*?<span class="tag">provisional<\/span>/)
    expect(page).toContain('Provisional: the period was not complete')
    expect(page).toContain('First release of Services delivered')
    expect(page).toContain(`/open-data/${portal.ids.volume}/csv?lang=en`)
    expect(page).toContain(`/open-data/${portal.ids.volume}/parquet?lang=en`)
    expect(page).toContain('&lt;iframe src=&quot;http://localhost:80/embed/')
  })

  it("shows a service's four measures, each equal to the raw events, and its cost per transaction", async () => {
    const page = (await get(`/services/${portal.service}?lang=ru`)).body
    expect(page).toContain('Цифровое использование')
    expect(page).toContain('Удовлетворённость пользователей')
    const shown = Number(attribute(page, `data-indicator="${portal.ids.serviceShare}"`, 'data-value'))
    expect(shown).toBeCloseTo(await takeUp('2026-10-01', portal.service), 12)
    // Cost: the service's volume by channel in its latest complete year, priced by channel_costs, computed apart.
    const channels = await portal.store.rows<{ channel: string; n: string; cost: number | null }>(
      'test:cost',
      `SELECT channel, toString(count()) AS n, any(c.cost_per_transaction) AS cost
       FROM events AS e LEFT JOIN (SELECT channel, cost_per_transaction FROM channel_costs FINAL WHERE assisted_by = '') AS c USING (channel)
       WHERE status = 'completed' AND service_code = {service:String} AND toYear(occurred_on) = 2025 GROUP BY channel`,
      { service: portal.service },
    )
    const cost = page.match(/data-measure="cost">[\s\S]*?<\/li>/)?.[0] ?? ''
    if (channels.some((channel) => Number(channel.n) < 10)) {
      expect(cost).toContain('объём одного из каналов скрыт')
    } else {
      const volume = channels.reduce((sum, channel) => sum + Number(channel.n), 0)
      const spent = channels.reduce((sum, channel) => sum + Number(channel.n) * Number(channel.cost), 0)
      expect(Number(/data-value="([^"]+)"/.exec(cost)?.[1])).toBeCloseTo(spent / volume, 9)
    }
  })

  it('sends a page brotli- or gzip-compressed to a client that accepts it, the same page once unpacked', async () => {
    const plain = await portal.app.inject({ url: '/?lang=en', headers: { 'accept-encoding': 'identity' } })
    const brotli = await portal.app.inject({ url: '/?lang=en', headers: { 'accept-encoding': 'gzip, deflate, br' } })
    const gzip = await portal.app.inject({ url: '/?lang=en', headers: { 'accept-encoding': 'gzip' } })
    expect(plain.headers['content-encoding']).toBeUndefined()
    expect(brotli.headers['content-encoding']).toBe('br')
    expect(gzip.headers['content-encoding']).toBe('gzip')
    // Each drawing numbers its SVG classes after the renderer instance: the only part that differs between renders.
    const same = (text: string) => text.replace(/zr\d+-[a-z]+-\d+/g, 'zr').replace(/zr\d+-/g, 'zr-')
    expect(same(brotliDecompressSync(brotli.rawPayload).toString())).toBe(same(plain.body))
    expect(same(gunzipSync(gzip.rawPayload).toString())).toBe(same(plain.body))
    expect(brotli.rawPayload.length).toBeLessThan(plain.rawPayload.length / 4)
  })

  it('lets other sites frame an embed and show its images, and no other page', async () => {
    const embed = await get(`/embed/${portal.ids.share}/series?lang=en`)
    expect(embed.headers['x-frame-options']).toBeUndefined()
    expect(embed.headers['cross-origin-resource-policy']).toBe('cross-origin')
    const image = await get(`/embed/${portal.ids.share}/series/image.png?lang=en`)
    expect(image.headers['cross-origin-resource-policy']).toBe('cross-origin')
    expect((await get('/?lang=en')).headers['x-frame-options']).toBe('SAMEORIGIN')
  })

  it('answers a page that does not exist with a 404 page in the language asked, and a bad parameter with a 400', async () => {
    const missing = await get('/indicators/nope?lang=ru')
    expect(missing.statusCode).toBe(404)
    expect(missing.body).toContain('Не найдено')
    const bad = await get(`/embed/${portal.ids.share}/series?lang=fr`)
    expect(bad.statusCode).toBe(400)
    expect(bad.json()).toMatchObject({ error: 'bad_request', parameter: 'lang' })
    expect((await get(`/embed/${portal.ids.volume}/region?lang=en`)).statusCode).toBe(404)
  })
})

describe('downloads and open data', () => {
  it('downloads a version as CSV with headers in the language and the release in every row and the file name', async () => {
    const csv = await get(`/open-data/${portal.ids.volume}/csv?lang=ru`)
    expect(csv.statusCode).toBe(200)
    expect(csv.headers['content-disposition']).toMatch(new RegExp(`${portal.ids.volume}-release-2-v1-ru\\.csv`))
    const [header, ...lines] = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\n')
    expect(header).toBe(
      '"Показатель","Выпуск","Версия","Период","Значение","95 % интервал, нижняя граница","95 % интервал, верхняя граница","Транзакции","Предварительно","Скрыто"',
    )
    const json = (await get(`/api/v1/indicators/${portal.ids.volume}/values`)).json<{ rows: { value: number }[] }>()
    expect(lines.map((line) => Number(line.split(',')[4]))).toEqual(json.rows.map((row) => row.value))
    expect(lines.every((line) => line.split(',')[1] === '2')).toBe(true)
    expect(lines.at(-1)).toMatch(/,true,false$/)
  })

  it('lists every published indicator in a DCAT catalogue whose every distribution downloads', async () => {
    const catalog = (await get('/open-data/catalog.json')).json<{
      '@type': string
      'dcat:dataset': { 'dct:identifier': string; 'dcat:distribution': { 'dcat:downloadURL': string }[] }[]
    }>()
    expect(catalog['@type']).toBe('dcat:Catalog')
    const ids = catalog['dcat:dataset'].map((dataset) => dataset['dct:identifier'])
    expect(ids).toEqual(expect.arrayContaining(Object.values(portal.ids)))
    const urls = catalog['dcat:dataset'].flatMap((dataset) =>
      dataset['dcat:distribution'].map((item) => item['dcat:downloadURL']),
    )
    expect(urls.length).toBeGreaterThanOrEqual(7 * 2)
    for (const url of urls) expect((await get(new URL(url).pathname + new URL(url).search)).statusCode, url).toBe(200)
    const page = (await get('/open-data?lang=kk')).body
    expect(page).toContain('Ашық деректер')
    expect(page).toContain('7 жарияланған көрсеткіш')
  })

  it('judges a target on published values only, without a token', async () => {
    const { targets } = (await get('/api/v1/public/targets')).json<{
      targets: { id: string; indicator: string; progress: { current: number; currentPeriod: string } }[]
    }>()
    const target = targets.find((item) => item.id === 'online-share-2027')
    expect(target?.indicator).toBe(portal.ids.share)
    expect(target?.progress.currentPeriod).toBe('2026-10-01')
    expect(target?.progress.current).toBeCloseTo(await onlineShare('2026-10-01'), 12)
    // Only targets with a published indicator of the same metric and scope are public.
    expect(targets.map((item) => item.id)).not.toContain('north-self-service-2026')
  })
})
