// Alert rule and alert routes: refusals naming the parameter, a regional token's rules kept in its regions and
// invisible to other regional tokens, acknowledge / silence / resolve, and a test notification received by a local
// HTTP sink and a local SMTP sink.
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../app.ts'
import { type Alert, loadAlerts, writeAlerts } from '../monitoring/alerts.ts'
import { type HttpSink, type SmtpSink, startHttpSink, startSmtpSink } from '../monitoring/sinks.ts'
import { bearer, openTestApi, type TestApi } from '../testing.ts'
import { createToken } from '../tokens.ts'

let api: TestApi
let app: FastifyInstance
let hook: HttpSink
let mail: SmtpSink
let otherRegional: string
beforeAll(async () => {
  api = await openTestApi(0)
  ;[hook, mail] = await Promise.all([startHttpSink(), startSmtpSink()])
  app = await buildApp(api.store, {
    dashboard: false,
    monitor: { mode: 'off', intervalSeconds: 60, smtpUrl: mail.url, mailFrom: 'monitor@qyzmet.test', publicUrl: null },
  })
  otherRegional = (await createToken(api.store, { name: 'Astana', role: 'regional', regions: ['71'] })).token
})
afterAll(async () => {
  await Promise.all([hook.close(), mail.close(), app.close()])
  await api.close()
})

const call = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, token: string, payload?: object) =>
  app.inject({ method, url: `/api/v1${url}`, headers: bearer(token), ...(payload ? { payload } : {}) })

const anomalyRule = (region: string) => ({
  name: `drops in ${region}`,
  kind: 'anomaly',
  filters: { region: [region] },
  operator: 'below',
})

describe('rules', () => {
  it('refuses bodies naming the field at fault', async () => {
    for (const [body, parameter] of [
      [{ name: 'x', kind: 'threshold', metric: 'requests' }, 'value'],
      [{ name: 'x', kind: 'threshold', value: 1 }, 'metric'],
      [{ name: 'x', kind: 'change', metric: 'nothing', value: 0.2 }, 'metric'],
      [{ name: 'x', kind: 'threshold', metric: 'online_share', value: 5 }, 'value'],
      [{ name: 'x', kind: 'anomaly', metric: 'online_share' }, 'metric'],
      [{ name: 'x', kind: 'feed', filters: { service: ['S001'] } }, 'filters.service'],
      [{ name: 'x', kind: 'anomaly', filters: { region: ['99'] } }, 'region'],
      [{ name: 'x', kind: 'anomaly', webhooks: ['ftp://example.kz/'] }, 'webhooks'],
      [{ name: 'x', kind: 'anomaly', feedStates: ['late'] }, 'feedStates'],
    ] as const) {
      const response = await call('POST', '/monitor/rules', api.tokens.analyst, body)
      expect(response.statusCode, JSON.stringify(body)).toBe(400)
      expect(response.json().parameter, response.body).toBe(parameter)
    }
  })

  it('keeps a regional token’s rules in its regions, and out of other tokens’ sight', async () => {
    const outside = await call('POST', '/monitor/rules', api.tokens.regional, anomalyRule('71'))
    expect(outside.statusCode).toBe(403)
    const detail = await call('POST', '/monitor/rules', api.tokens.regional, {
      name: 'Astana mobile',
      kind: 'threshold',
      metric: 'requests',
      filters: { region: ['71'], channel: ['mobile'] },
      value: 10,
    })
    expect(detail.statusCode).toBe(403)
    const own = await call('POST', '/monitor/rules', api.tokens.regional, anomalyRule('75'))
    expect(own.statusCode, own.body).toBe(201)
    const rule = own.json()
    expect(rule).toMatchObject({ kind: 'anomaly', operator: 'below', filters: { region: ['75'] }, firing: 0 })
    const analysts = await call('POST', '/monitor/rules', api.tokens.analyst, anomalyRule('71'))
    expect(analysts.statusCode).toBe(201)
    const listed = async (token: string) =>
      (await call('GET', '/monitor/rules', token)).json().rules.map((each: { id: string }) => each.id)
    expect(await listed(api.tokens.regional)).toEqual([rule.id])
    expect(await listed(otherRegional)).toEqual([])
    expect((await listed(api.tokens.analyst)).sort()).toEqual([rule.id, analysts.json().id].sort())
    expect((await call('GET', `/monitor/rules/${analysts.json().id}`, api.tokens.regional)).statusCode).toBe(404)
    expect((await call('GET', `/monitor/rules/${rule.id}`, otherRegional)).statusCode).toBe(404)
    const renamed = await call('PUT', `/monitor/rules/${rule.id}`, api.tokens.regional, {
      ...anomalyRule('75'),
      name: 'Almaty drops',
    })
    expect(renamed.json()).toMatchObject({ id: rule.id, name: 'Almaty drops', createdAt: rule.createdAt })
    const byAnalyst = await call('PUT', `/monitor/rules/${rule.id}`, api.tokens.analyst, anomalyRule('71'))
    expect(byAnalyst.statusCode).toBe(403)
    expect((await call('DELETE', `/monitor/rules/${rule.id}`, otherRegional)).statusCode).toBe(404)
    expect((await call('DELETE', `/monitor/rules/${rule.id}`, api.tokens.regional)).statusCode).toBe(204)
    expect(await listed(api.tokens.regional)).toEqual([])
  })

  it('sends a test notification to the rule’s webhook and address', async () => {
    const created = await call('POST', '/monitor/rules', api.tokens.analyst, {
      ...anomalyRule('75'),
      name: 'Проверка',
      lang: 'ru',
      webhooks: [hook.url],
      emails: ['duty@ministry.test'],
    })
    const response = await call('POST', `/monitor/rules/${created.json().id}/test`, api.tokens.analyst)
    expect(response.statusCode, response.body).toBe(200)
    expect(response.json().deliveries).toEqual([
      { via: 'webhook', target: hook.url, ok: true, error: '' },
      { via: 'email', target: 'duty@ministry.test', ok: true, error: '' },
    ])
    expect(hook.received).toEqual([
      expect.objectContaining({ kind: 'test', subject: '[Qyzmet] Проверка: проверочное уведомление', alerts: [] }),
    ])
    expect(mail.received.map((each) => each.to)).toEqual([['duty@ministry.test']])
    const silent = await call('POST', '/monitor/rules', api.tokens.analyst, anomalyRule('75'))
    const refused = await call('POST', `/monitor/rules/${silent.json().id}/test`, api.tokens.analyst)
    expect([refused.statusCode, refused.json().parameter]).toEqual([400, 'id'])
  })
})

/** A firing anomaly alert on a region's requests, as a monitor round writes it. */
const firing = (id: string, ruleId: string, region: string): Alert => ({
  id,
  ruleId,
  subject: `requests|${region}||`,
  labels: { metric: 'requests', region, channel: '', service: '', days: '1' },
  state: 'firing',
  startedAt: '2026-10-21 04:00:00.000',
  resolvedAt: null,
  resolvedBy: '',
  day: '2026-10-20',
  value: 10,
  expected: 100,
  low: 80,
  high: 120,
  detail: 'a drop',
  acknowledgedBy: '',
  acknowledgedAt: null,
  silencedUntil: null,
  notifiedAt: null,
})

describe('alerts', () => {
  it('shows each token the alerts of its rules; acknowledges, silences and resolves them', async () => {
    const regionalRule = (await call('POST', '/monitor/rules', api.tokens.regional, anomalyRule('75'))).json()
    const analystRule = (await call('POST', '/monitor/rules', api.tokens.analyst, anomalyRule('71'))).json()
    await writeAlerts(api.store, [firing('almaty-1', regionalRule.id, '75'), firing('astana-1', analystRule.id, '71')])
    const ids = async (token: string, query = '') =>
      (await call('GET', `/monitor/alerts${query}`, token)).json().alerts.map((each: { id: string }) => each.id)
    expect(await ids(api.tokens.regional)).toEqual(['almaty-1'])
    expect(await ids(otherRegional)).toEqual([])
    expect((await ids(api.tokens.analyst)).sort()).toEqual(['almaty-1', 'astana-1'])
    expect(await ids(api.tokens.analyst, `?rule=${analystRule.id}`)).toEqual(['astana-1'])
    expect((await call('GET', `/monitor/alerts?rule=${analystRule.id}`, api.tokens.regional)).statusCode).toBe(404)
    expect((await call('POST', '/monitor/alerts/astana-1/acknowledge', api.tokens.regional)).statusCode).toBe(404)

    const acknowledged = await call('POST', '/monitor/alerts/almaty-1/acknowledge', api.tokens.regional)
    expect(acknowledged.statusCode, acknowledged.body).toBe(200)
    expect(acknowledged.json().acknowledgedAt).not.toBeNull()
    const silenced = await call('POST', '/monitor/alerts/almaty-1/silence', api.tokens.regional, {
      until: '2027-01-01T00:00:00Z',
    })
    expect(silenced.json()).toMatchObject({ silencedUntil: '2027-01-01 00:00:00.000', state: 'firing' })
    const badMoment = await call('POST', '/monitor/alerts/almaty-1/silence', api.tokens.regional, { until: 'soon' })
    expect([badMoment.statusCode, badMoment.json().parameter]).toEqual([400, 'until'])
    const resolved = await call('POST', '/monitor/alerts/almaty-1/resolve', api.tokens.regional)
    expect(resolved.json()).toMatchObject({ state: 'resolved', ruleName: 'drops in 75' })
    expect(resolved.json().resolvedBy).not.toBe('')
    const again = await call('POST', '/monitor/alerts/almaty-1/resolve', api.tokens.regional)
    expect([again.statusCode, again.json().parameter]).toEqual([400, 'id'])
    expect(await ids(api.tokens.analyst, '?state=firing')).toEqual(['astana-1'])
    expect(await ids(api.tokens.analyst, '?state=resolved')).toEqual(['almaty-1'])
  })

  it('keeps what a person did when a monitor round writes the alert from what it read before', async () => {
    const rule = (await call('POST', '/monitor/rules', api.tokens.analyst, anomalyRule('75'))).json()
    const base = firing('race-1', rule.id, '75')
    await writeAlerts(api.store, [base, { ...base, id: 'race-2', subject: 'requests|75|portal|' }])
    // The round reads both alerts as they are …
    const read = await loadAlerts(api.store, { ruleIds: [rule.id] })
    // … a person acknowledges one, silences it and resolves the other …
    expect((await call('POST', '/monitor/alerts/race-1/acknowledge', api.tokens.analyst)).statusCode).toBe(200)
    const until = { until: '2027-02-01T00:00:00Z' }
    expect((await call('POST', '/monitor/alerts/race-1/silence', api.tokens.analyst, until)).statusCode).toBe(200)
    expect((await call('POST', '/monitor/alerts/race-2/resolve', api.tokens.analyst)).statusCode).toBe(200)
    // … and the round writes new readings from what it read.
    await writeAlerts(
      api.store,
      read.map((alert) => ({ ...alert, value: 7, notifiedAt: '2026-10-22 05:00:00.000' })),
    )
    const after = new Map((await loadAlerts(api.store, { ruleIds: [rule.id] })).map((alert) => [alert.id, alert]))
    expect(after.get('race-1')).toMatchObject({
      state: 'firing',
      value: 7,
      silencedUntil: '2027-02-01 00:00:00.000',
      notifiedAt: '2026-10-22 05:00:00.000',
    })
    expect(after.get('race-1')?.acknowledgedAt).not.toBeNull()
    expect(after.get('race-1')?.acknowledgedBy).not.toBe('')
    expect(after.get('race-2')).toMatchObject({ state: 'resolved', value: 7 })
    expect(after.get('race-2')?.resolvedBy).not.toBe('')
    expect((await loadAlerts(api.store, { ruleIds: [rule.id], state: 'firing' })).map((alert) => alert.id)).toEqual([
      'race-1',
    ])
  })
})
