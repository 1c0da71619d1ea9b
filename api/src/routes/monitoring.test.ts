// Monitoring routes: refusals naming the parameter, 401/403; each token sees anomalies, feeds and annotations only in
// its scope; analysts edit expected feeds and annotations; anomalies come back with their deviation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bearer, openTestApi, type TestApi } from '../testing.ts'
import { createToken } from '../tokens.ts'

let api: TestApi
let otherAnalyst: string
beforeAll(async () => {
  api = await openTestApi(0)
  otherAnalyst = (await createToken(api.store, { name: 'second analyst', role: 'analyst' })).token
  // Anomalies as the detector stores them, written here by hand: one per kind of series.
  const rows: [string, string, string, string, number, number][] = [
    // metric, region, channel, service, value, expected
    ['requests', '75', 'mobile', '', 0, 400],
    ['requests', '71', 'mobile', '', 10, 300],
    ['requests', '71', '', '', 900, 1500],
    ['requests', '', '', '', 9000, 12000],
    ['requests', '', 'mobile', '', 100, 4000],
    ['requests', '', '', 'S001', 800, 200],
    ['online_request_share', '75', '', '', 0.41, 0.62],
  ]
  await api.store.insert(
    'test:anomalies',
    'monitor_anomalies',
    rows.map(([metric, region, channel, service, value, expected]) => ({
      metric,
      region,
      channel,
      service,
      day: '2026-10-20',
      days: 1,
      value,
      expected,
      low: expected * 0.8,
      high: expected * 1.2,
      score: (value - expected) / (expected * 0.05),
      base: expected,
    })),
  )
})
afterAll(() => api.close())

const get = (url: string, token?: string) => api.app.inject({ method: 'GET', url, headers: token ? bearer(token) : {} })
const send = (method: 'POST' | 'PATCH' | 'DELETE', url: string, token: string, payload?: object) =>
  api.app.inject({ method, url, headers: bearer(token), ...(payload ? { payload } : {}) })
const range = 'from=2026-10-01&to=2026-10-31'

describe('refusals', () => {
  it('answers 400 naming the parameter', async () => {
    for (const [url, parameter] of [
      ['/api/v1/monitor/anomalies?from=2026-10-31&to=2026-10-01', 'from'],
      ['/api/v1/monitor/anomalies?region=99', 'region'],
      ['/api/v1/monitor/anomalies?channel=fax', 'channel'],
      ['/api/v1/monitor/anomalies?metric=revenue', 'metric'],
      ['/api/v1/monitor/feed-days?from=2020-01-01&to=2026-10-31', 'from'],
      ['/api/v1/monitor/annotations?to=yesterday', 'to'],
    ] as const) {
      const response = await get(url, api.tokens.analyst)
      expect(response.statusCode, url).toBe(400)
      expect(response.json().parameter, url).toBe(parameter)
    }
  })

  it('answers 401 without a token and 403 to an ingest token or a regional one editing', async () => {
    expect((await get('/api/v1/monitor/anomalies')).statusCode).toBe(401)
    expect((await get('/api/v1/monitor/feeds', api.tokens.ingest)).statusCode).toBe(403)
    const feed = { source: 's', channel: 'mobile', region: '75', cadence: 'daily', delayMinutes: 60, active: true }
    expect((await send('POST', '/api/v1/monitor/feeds', api.tokens.regional, feed)).statusCode).toBe(403)
    const note = { from: '2026-10-01', to: '2026-10-02', kind: 'campaign', title: { kk: 'a', ru: 'a', en: 'a' } }
    expect((await send('POST', '/api/v1/monitor/annotations', api.tokens.regional, note)).statusCode).toBe(403)
  })
})

describe('anomalies in scope', () => {
  const subjects = (body: { anomalies: { metric: string; region: string; channel: string; service: string }[] }) =>
    body.anomalies.map((a) => [a.metric, a.region, a.channel, a.service].join('|')).sort()

  it('gives analysts every series, each with its deviation', async () => {
    const response = await get(`/api/v1/monitor/anomalies?${range}`, api.tokens.analyst)
    expect(response.statusCode, response.body).toBe(200)
    const body = response.json()
    expect(body.anomalies).toHaveLength(7)
    const almaty = body.anomalies.find((a: { region: string; channel: string }) => a.region === '75' && a.channel)
    expect(almaty).toMatchObject({ value: 0, expected: 400, low: 320, high: 480, deviation: -400, open: false })
  })

  it('gives a regional token its region in detail and other regions only as totals', async () => {
    const body = (await get(`/api/v1/monitor/anomalies?${range}`, api.tokens.regional)).json()
    expect(subjects(body)).toEqual(
      ['requests|75|mobile|', 'requests|71||', 'requests|||', 'online_request_share|75||'].sort(),
    )
  })

  it('filters by region, channel and service', async () => {
    const mobile = (await get(`/api/v1/monitor/anomalies?${range}&channel=mobile`, api.tokens.analyst)).json()
    expect(subjects(mobile)).toEqual(['requests|71|mobile|', 'requests|75|mobile|', 'requests||mobile|'].sort())
    const astana = (
      await get(`/api/v1/monitor/anomalies?${range}&region=71&metric=requests`, api.tokens.analyst)
    ).json()
    expect(subjects(astana)).toEqual(['requests|71||', 'requests|71|mobile|'].sort())
  })

  it('groups them into incidents and shows incidents as annotations, in scope', async () => {
    const incidents = (await get(`/api/v1/monitor/incidents?${range}`, api.tokens.regional)).json()
    expect(incidents.incidents).toHaveLength(4)
    const notes = (await get(`/api/v1/monitor/annotations?${range}&region=75`, api.tokens.regional)).json()
    const found = notes.annotations.filter((a: { origin: string }) => a.origin === 'incident')
    // Region 75's own two series, and the national total (it names no region); not region 71.
    expect(found.map((a: { scope: object }) => a.scope)).toEqual(
      expect.arrayContaining([{ region: ['75'], channel: ['mobile'] }, { region: ['75'] }, {}]),
    )
    expect(found).toHaveLength(3)
    const outage = found.find((a: { scope: { channel?: string[] } }) => a.scope.channel)
    expect(outage).toMatchObject({ kind: 'outage', from: '2026-10-20', to: '2026-10-20' })
    expect(outage.title.en).toBe('Fewer requests than expected: Almaty · eGov Mobile app')
  })
})

describe('expected feeds', () => {
  it('lets analysts add, change and deactivate a feed; regional tokens see only their regions’ feeds', async () => {
    const add = (region: string) =>
      send('POST', '/api/v1/monitor/feeds', api.tokens.analyst, {
        source: 'con-import',
        channel: 'tson',
        region,
        cadence: 'working_days',
        delayMinutes: 120,
        active: true,
        expectedFrom: '2026-10-01',
      })
    const added = await add('75')
    expect(added.statusCode, added.body).toBe(201)
    expect(added.json()).toMatchObject({ region: '75', cadence: 'working_days', origin: 'analyst' })
    expect((await add('71')).statusCode).toBe(201)
    const again = await add('75')
    expect([again.statusCode, again.json().parameter]).toEqual([400, 'source'])
    const changed = await send('PATCH', '/api/v1/monitor/feeds/con-import/tson/75', api.tokens.analyst, {
      delayMinutes: 300,
      cadence: 'daily',
    })
    expect(changed.statusCode, changed.body).toBe(200)
    expect(changed.json()).toMatchObject({ delayMinutes: 300, cadence: 'daily', active: true })
    const off = await send('PATCH', '/api/v1/monitor/feeds/con-import/tson/71', api.tokens.analyst, { active: false })
    expect(off.json().active).toBe(false)
    const missing = await send('PATCH', '/api/v1/monitor/feeds/nothing/tson/71', api.tokens.analyst, { active: false })
    expect(missing.statusCode).toBe(404)
    const all = (await get('/api/v1/monitor/feeds', api.tokens.analyst)).json()
    expect(all.feeds.map((f: { region: string; active: boolean }) => [f.region, f.active]).sort()).toEqual([
      ['71', false],
      ['75', true],
    ])
    const regional = (await get('/api/v1/monitor/feeds', api.tokens.regional)).json()
    expect(regional.feeds.map((f: { region: string }) => f.region)).toEqual(['75'])
  })
})

describe('annotations', () => {
  it('lets an analyst add and delete their own, not another’s; regional tokens read those of their regions', async () => {
    const note = (region: string) => ({
      from: '2026-10-05',
      to: '2026-10-09',
      kind: 'campaign',
      scope: { region: [region] },
      title: { kk: 'Науқан', ru: 'Кампания', en: 'Campaign' },
    })
    const almaty = await send('POST', '/api/v1/monitor/annotations', api.tokens.analyst, note('75'))
    expect(almaty.statusCode, almaty.body).toBe(201)
    const astana = await send('POST', '/api/v1/monitor/annotations', api.tokens.analyst, note('71'))
    const reversed = await send('POST', '/api/v1/monitor/annotations', api.tokens.analyst, {
      ...note('75'),
      from: '2026-10-10',
    })
    expect([reversed.statusCode, reversed.json().parameter]).toEqual([400, 'from'])
    const seen = (token: string) =>
      get(`/api/v1/monitor/annotations?${range}&incidents=false`, token).then((r) =>
        r.json().annotations.map((a: { id: string }) => a.id),
      )
    expect(await seen(api.tokens.analyst)).toEqual(expect.arrayContaining([almaty.json().id, astana.json().id]))
    expect(await seen(api.tokens.regional)).toEqual([almaty.json().id])
    const url = `/api/v1/monitor/annotations/${almaty.json().id}`
    expect((await send('DELETE', url, otherAnalyst)).statusCode).toBe(403)
    expect((await send('DELETE', url, api.tokens.analyst)).statusCode).toBe(204)
    expect((await send('DELETE', url, api.tokens.analyst)).statusCode).toBe(404)
    expect((await send('DELETE', '/api/v1/monitor/annotations/lockdown-2020', api.tokens.analyst)).statusCode).toBe(403)
    expect(await seen(api.tokens.analyst)).toEqual([astana.json().id])
  })
})
