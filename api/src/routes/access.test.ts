// Who sees what (every role against every endpoint) and how bad requests are answered: 400 naming the parameter, never 500.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bearer, openTestApi, type TestApi } from '../testing.ts'

let api: TestApi
beforeAll(async () => {
  api = await openTestApi(60_000)
})
afterAll(() => api.close())

type Who = 'public' | 'badToken' | 'analyst' | 'regional' | 'ingest'
const headers = (who: Who): Record<string, string> =>
  who === 'public'
    ? {}
    : who === 'badToken'
      ? bearer('qz_00000000_notarealtokennotarealtokennotarealt')
      : bearer(api.tokens[who])

const target = {
  metric: 'online_share',
  value: 0.95,
  dueDate: '2028-12-31',
  title: { kk: 'Мақсат', ru: 'Цель', en: 'Target' },
}
const indicator = {
  metric: 'volume',
  interval: 'year',
  title: { kk: 'Көлем', ru: 'Объём', en: 'Volume' },
  methodology: { kk: 'Әдістеме', ru: 'Методика', en: 'Method' },
}

const matrix: { name: string; method?: 'GET' | 'POST'; url: string; body?: object; expect: Record<Who, number> }[] = [
  {
    name: 'meta',
    url: '/api/v1/meta',
    expect: { public: 200, badToken: 401, analyst: 200, regional: 200, ingest: 200 },
  },
  {
    name: 'metric list',
    url: '/api/v1/metrics',
    expect: { public: 200, badToken: 401, analyst: 200, regional: 200, ingest: 200 },
  },
  {
    name: 'national series',
    url: '/api/v1/metrics/online_share/series?period=last_12m',
    expect: { public: 401, badToken: 401, analyst: 200, regional: 200, ingest: 403 },
  },
  {
    name: 'regions ranking',
    url: '/api/v1/metrics/online_share/breakdown?by=region&period=last_12m',
    expect: { public: 401, badToken: 401, analyst: 200, regional: 200, ingest: 403 },
  },
  {
    name: 'services of another region',
    url: '/api/v1/metrics/volume/breakdown?by=service&region=71&period=last_12m',
    expect: { public: 401, badToken: 401, analyst: 200, regional: 403, ingest: 403 },
  },
  {
    name: 'services of own region',
    url: '/api/v1/metrics/volume/breakdown?by=service&region=75&period=last_12m',
    expect: { public: 401, badToken: 401, analyst: 200, regional: 200, ingest: 403 },
  },
  {
    name: 'migration of another region',
    url: '/api/v1/metrics/channel_migration/series?region=71&period=last_12m',
    expect: { public: 401, badToken: 401, analyst: 200, regional: 403, ingest: 403 },
  },
  {
    name: 'comparison',
    url: '/api/v1/metrics/volume/compare?period=last_30d',
    expect: { public: 401, badToken: 401, analyst: 200, regional: 200, ingest: 403 },
  },
  {
    name: 'targets',
    url: '/api/v1/targets',
    expect: { public: 401, badToken: 401, analyst: 200, regional: 200, ingest: 403 },
  },
  {
    name: 'create target',
    method: 'POST',
    url: '/api/v1/targets',
    body: target,
    expect: { public: 401, badToken: 401, analyst: 201, regional: 403, ingest: 403 },
  },
  {
    name: 'indicators',
    url: '/api/v1/indicators',
    expect: { public: 200, badToken: 401, analyst: 200, regional: 200, ingest: 200 },
  },
  {
    name: 'define indicator',
    method: 'POST',
    url: '/api/v1/indicators',
    body: indicator,
    expect: { public: 401, badToken: 401, analyst: 201, regional: 403, ingest: 403 },
  },
  {
    name: 'ingest batches',
    url: '/api/v1/ingest/batches',
    expect: { public: 401, badToken: 401, analyst: 200, regional: 403, ingest: 200 },
  },
  {
    name: 'data quality',
    url: '/api/v1/ingest/quality',
    expect: { public: 401, badToken: 401, analyst: 200, regional: 403, ingest: 200 },
  },
  // Probes never look a token up (they must answer while the engine does not); /metrics is off without its own token.
  { name: 'health', url: '/healthz', expect: { public: 200, badToken: 200, analyst: 200, regional: 200, ingest: 200 } },
  {
    name: 'readiness',
    url: '/readyz',
    expect: { public: 200, badToken: 200, analyst: 200, regional: 200, ingest: 200 },
  },
  {
    name: 'prometheus',
    url: '/metrics',
    expect: { public: 404, badToken: 404, analyst: 404, regional: 404, ingest: 404 },
  },
  {
    name: 'openapi',
    url: '/docs/json',
    expect: { public: 200, badToken: 401, analyst: 200, regional: 200, ingest: 200 },
  },
]

describe('role × endpoint', () => {
  for (const row of matrix) {
    it(row.name, async () => {
      for (const who of Object.keys(row.expect) as Who[]) {
        const response = await api.app.inject({
          method: row.method ?? 'GET',
          url: row.url,
          headers: headers(who),
          payload: row.body,
        })
        expect(`${who}: ${response.statusCode}`, response.body.slice(0, 200)).toBe(`${who}: ${row.expect[who]}`)
        if (response.statusCode >= 400) expect(response.json()).toHaveProperty('message')
      }
    })
  }

  it('loads pushed events with an ingest token and refuses them from the public and regional tokens', async () => {
    const body = [
      'event_id,occurred_at,service_code,channel,assisted_by,region,status,processing_seconds,age_band,gender,applicant_key,satisfaction',
      'push-1,2025-03-04T05:06:07.000Z,S001,mobile,self,75,completed,60,30-49,f,abc,5',
      'push-2,2025-03-04T05:06:08.000Z,S001,portal,self,99,completed,60,30-49,f,abc,',
    ].join('\n')
    const push = (who: Who) =>
      api.app.inject({
        method: 'POST',
        url: '/api/v1/ingest/events?format=csv&source=test-feed',
        headers: { ...headers(who), 'content-type': 'text/csv' },
        payload: body,
      })
    expect((await push('public')).statusCode).toBe(401)
    expect((await push('regional')).statusCode).toBe(403)
    const loaded = await push('ingest')
    expect(loaded.statusCode, loaded.body).toBeLessThan(300)
    const [row] = await api.store.rows<{ n: string }>(
      'test:pushed',
      "SELECT count() AS n FROM events WHERE event_id = 'push-1'",
    )
    expect(Number(row?.n)).toBe(1)
    const [bad] = await api.store.rows<{ reasons: string[] }>(
      'test:quarantined',
      "SELECT reasons FROM quarantine WHERE raw LIKE '%push-2%'",
    )
    expect(bad?.reasons.join(' ')).toMatch(/region/)
  })

  it('lists for a regional token only the targets it may see, marking those evaluated on its own regions', async () => {
    const create = (filters: object, value = 0.95) =>
      api.app.inject({
        method: 'POST',
        url: '/api/v1/targets',
        headers: bearer(api.tokens.analyst),
        payload: { ...target, value, filters },
      })
    const hidden = (await create({ region: ['71'], channel: ['portal'] })).json<{ id: string }>().id
    const national = (await create({ channel: ['portal'] })).json<{ id: string }>().id
    const response = await api.app.inject({ url: '/api/v1/targets', headers: bearer(api.tokens.regional) })
    expect(response.statusCode, response.body).toBe(200)
    const seen = response.json<{ targets: { id: string; rescoped?: boolean }[] }>().targets
    expect(seen.map((item) => item.id)).not.toContain(hidden)
    expect(seen.find((item) => item.id === national)).toMatchObject({ rescoped: true })
    const one = await api.app.inject({ url: `/api/v1/targets/${hidden}`, headers: bearer(api.tokens.regional) })
    expect(one.statusCode).toBe(404)
    const analyst = await api.app.inject({ url: '/api/v1/targets', headers: bearer(api.tokens.analyst) })
    expect(analyst.json<{ targets: { id: string }[] }>().targets.map((item) => item.id)).toContain(hidden)
  })

  it('narrows a regional token to its region where it asks for detail, and keeps other regions as totals', async () => {
    const detail = await api.app.inject({
      url: '/api/v1/metrics/volume/breakdown?by=region&channel=portal&period=last_12m',
      headers: bearer(api.tokens.regional),
    })
    const detailRows = detail.json<{ rows: { region: string }[]; filters: { regions: string[] } }>()
    expect(detailRows.filters.regions).toEqual(['75'])
    expect(detailRows.rows.map((row) => row.region)).toEqual(['75'])
    const totals = await api.app.inject({
      url: '/api/v1/metrics/volume/breakdown?by=region&period=last_12m',
      headers: bearer(api.tokens.regional),
    })
    expect(totals.json<{ rows: unknown[] }>().rows.length).toBe(20)
  })
})

describe('bad requests', () => {
  const cases: [string, string][] = [
    ['series?from=2025-02-30', 'from'],
    ['series?to=yesterday', 'to'],
    ['series?from=2025-06-01&to=2025-01-01', 'from'],
    ['series?from=1999-12-31', 'from'],
    ['series?interval=fortnight', 'interval'],
    ['series?period=lastweek', 'period'],
    ['series?period=ytd&from=2025-01-01', 'period'],
    ['series?from=2019-01-01&to=2025-01-01&interval=day', 'interval'],
    ['series?region=99', 'region'],
    ['series?channel=fax', 'channel'],
    ['series?service=S999', 'service'],
    ['series?category=astrology', 'category'],
    ['series?age_band=40-50', 'age_band'],
    ['series?gender=x', 'gender'],
    ['series?assisted_by=robot', 'assisted_by'],
    ['series?format=xml', 'format'],
    ['series?colour=red', 'colour'],
    ['series?by=colour', 'by'],
    ['breakdown?by=region,channel,service', 'by'],
    ['breakdown?period=last_30d', 'by'],
    ['series?within_days=0', 'within_days'],
  ]
  for (const [query, parameter] of cases) {
    it(`${query} → 400 naming ${parameter}`, async () => {
      const response = await api.app.inject({
        url: `/api/v1/metrics/volume/${query}`,
        headers: bearer(api.tokens.analyst),
      })
      expect(response.statusCode, response.body).toBe(400)
      const body = response.json<{ parameter: string; message: string }>()
      expect(body.parameter).toBe(parameter)
      expect(body.message).toMatch(new RegExp(`^${parameter}: `))
      expect(body.message).not.toMatch(/SELECT|at .*\.ts:\d+/)
    })
  }

  it('names an unknown metric and a filter a metric cannot take', async () => {
    const unknown = await api.app.inject({
      url: '/api/v1/metrics/happiness/series',
      headers: bearer(api.tokens.analyst),
    })
    expect(unknown.statusCode).toBe(400)
    expect(unknown.json()).toMatchObject({ parameter: 'metric' })
    const divide = await api.app.inject({
      url: '/api/v1/metrics/age_divide/series?age_band=65%2B',
      headers: bearer(api.tokens.analyst),
    })
    expect(divide.statusCode).toBe(400)
    expect(divide.json()).toMatchObject({ parameter: 'age_band' })
  })

  it('names a bad field of a target', async () => {
    const response = await api.app.inject({
      method: 'POST',
      url: '/api/v1/targets',
      headers: bearer(api.tokens.analyst),
      payload: { ...target, dueDate: 'soon' },
    })
    expect(response.statusCode).toBe(400)
    expect(response.json()).toMatchObject({ parameter: 'dueDate' })
  })

  it('takes repeated filters and comma lists alike, and refuses a repeated single-valued parameter', async () => {
    const get = (query: string) =>
      api.app.inject({
        url: `/api/v1/metrics/volume/breakdown?by=region&${query}`,
        headers: bearer(api.tokens.analyst),
      })
    const repeated = (await get('period=last_12m&region=75&region=71')).json<{ rows: { region: string }[] }>()
    const commas = (await get('period=last_12m&region=75,71')).json<{ rows: { region: string }[] }>()
    expect(repeated.rows.map((row) => row.region)).toEqual(['71', '75'])
    expect(commas).toEqual(repeated)
    const twice = await get('from=2025-01-01&from=2025-02-01')
    expect(twice.statusCode).toBe(400)
    expect(twice.json()).toMatchObject({ parameter: 'from', message: 'from: give it once' })
  })

  it('treats prototype keys as unknown values, not as code paths', async () => {
    for (const key of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      const format = await api.app.inject({ url: `/api/v1/indicators/online-share/values?format=${key}` })
      expect(`${key}: ${format.statusCode}`).toBe(`${key}: 400`)
      const metric = await api.app.inject({ url: `/api/v1/metrics/${key}/series`, headers: bearer(api.tokens.analyst) })
      expect(`${key}: ${metric.statusCode}`).toBe(`${key}: 400`)
      expect(metric.json()).toMatchObject({ parameter: 'metric' })
      const region = await api.app.inject({
        url: `/api/v1/metrics/volume/series?region=${key}`,
        headers: bearer(api.tokens.analyst),
      })
      expect(region.json()).toMatchObject({ parameter: 'region' })
    }
  })

  it('refuses target values and due dates out of range, naming the field', async () => {
    const post = (payload: object) =>
      api.app.inject({ method: 'POST', url: '/api/v1/targets', headers: bearer(api.tokens.analyst), payload })
    for (const [change, parameter] of [
      [{ value: 1e20 }, 'value'],
      [{ value: 1.5 }, 'value'],
      [{ value: -0.1 }, 'value'],
      [{ dueDate: '9999-12-31' }, 'dueDate'],
      [{ dueDate: '0001-01-01' }, 'dueDate'],
      [{ metric: 'constructor' }, 'metric'],
      [{ filters: { region: ['99'] } }, 'region'],
      [{ filters: { colour: ['red'] } }, 'filters.colour'],
      [{ metric: 'age_divide', filters: { age_band: ['65+'] } }, 'filters.age_band'],
    ] as const) {
      const response = await post({ ...target, ...change })
      expect(`${JSON.stringify(change)}: ${response.statusCode}`).toBe(`${JSON.stringify(change)}: 400`)
      expect(response.json()).toMatchObject({ parameter })
    }
    const count = await post({ ...target, metric: 'volume', value: 1e9 })
    expect(count.statusCode).toBe(201)
  })

  it('refuses channel migration of self-served citizens, naming assisted_by', async () => {
    const response = await api.app.inject({
      url: '/api/v1/metrics/channel_migration/series?assisted_by=self&period=last_12m',
      headers: bearer(api.tokens.analyst),
    })
    expect(response.statusCode).toBe(400)
    expect(response.json()).toMatchObject({ parameter: 'assisted_by' })
  })

  it('answers an unknown route with 404 and no stack trace', async () => {
    const response = await api.app.inject({ url: '/api/v1/nothing' })
    expect(response.statusCode).toBe(404)
    expect(response.body).not.toMatch(/\.ts:\d+/)
  })
})
