// Rounds over the demo's planted outage, replayed day by day: each rule fires exactly once per incident and resolves,
// notifications reach a local HTTP sink and a local SMTP sink, and a regional owner's rule sees no other region's detail.
import { generateDemo, type PlantedIncidents } from '@qyzmet/fixtures'
import { loadReference } from '@qyzmet/sql'
import { openTestStore, type TestStore } from '@qyzmet/sql/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadReferenceData, type Reference } from '../reference.ts'
import { createToken } from '../tokens.ts'
import { loadAlerts } from './alerts.ts'
import { AnomalyDetector } from './anomalies.ts'
import type { MonitorConfig } from './config.ts'
import { type RoundReport, runRound } from './round.ts'
import { newRuleId, type RuleBody, ruleOf, saveRule } from './rules.ts'
import { type HttpSink, type SmtpSink, startHttpSink, startSmtpSink } from './sinks.ts'

let store: TestStore
let reference: Reference
let planted: PlantedIncidents
let hook: HttpSink
let regionalHook: HttpSink
let mail: SmtpSink
let config: MonitorConfig
const detector = new AnomalyDetector()
const ids: Record<string, string> = {}

/** 09:00 in Almaty (UTC+5) on a day, plus hours. */
const morning = (day: string, hours = 0) => Date.parse(`${day}T04:00:00Z`) + hours * 3_600_000
const dayAfter = (day: string, days = 1) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10)

const round = (now: number): Promise<RoundReport> =>
  runRound({ store, reference, clock: { now, zone: 'Asia/Almaty' }, config, detector, judgeDays: 3 })

/** Quoted-printable mail text as it reads. */
const readable = (raw: string) =>
  Buffer.from(
    raw
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))),
    'latin1',
  ).toString('utf8')

beforeAll(async () => {
  store = await openTestStore()
  await loadReference(store)
  planted = (await generateDemo(store, { rows: 1_000_000, seed: 42, until: '2026-10-31', incidents: true }))
    .incidents as PlantedIncidents
  reference = await loadReferenceData(store)
  ;[hook, regionalHook, mail] = await Promise.all([startHttpSink(), startHttpSink(), startSmtpSink()])
  config = { mode: 'off', intervalSeconds: 60, smtpUrl: mail.url, mailFrom: 'monitor@qyzmet.test', publicUrl: null }
  const analyst = await createToken(store, { name: 'analyst', role: 'analyst' })
  const regional = await createToken(store, { name: 'Almaty city', role: 'regional', regions: ['75'] })
  const add = async (name: string, owner: string, body: Omit<RuleBody, 'name'>) => {
    ids[name] = newRuleId()
    await saveRule(store, ruleOf({ name, ...body }, owner, ids[name] as string))
  }
  const notify = { webhooks: [hook.url], emails: ['duty@ministry.test'] }
  await add('mobile outage', analyst.id, {
    kind: 'anomaly',
    metric: 'requests',
    filters: { channel: ['mobile'] },
    operator: 'below',
    ...notify,
  })
  await add('mobile feed in Almaty', analyst.id, {
    kind: 'feed',
    filters: { region: ['75'], channel: ['mobile'] },
    ...notify,
  })
  await add('mobile requests under 100 a day', analyst.id, {
    kind: 'threshold',
    metric: 'requests',
    filters: { channel: ['mobile'] },
    windowDays: 1,
    operator: 'below',
    value: 100,
    ...notify,
  })
  await add('anything in my region', regional.id, { kind: 'anomaly', webhooks: [regionalHook.url] })
})
afterAll(async () => {
  await Promise.all([hook.close(), regionalHook.close(), mail.close()])
  await store.close()
})

const alertsOf = async (name: string) => loadAlerts(store, { ruleIds: [ids[name] as string] })

describe('alert rules over the planted outage', () => {
  it('raises nothing while the outage day is not over', async () => {
    const report = await round(morning(planted.outage.day, 3))
    expect(report.errors).toEqual([])
    expect(report.fired).toBe(0)
    expect(hook.received).toEqual([])
  })

  it('fires each rule once the day is judged, and notifies the webhook and the mailbox once per rule', async () => {
    const report = await round(morning(dayAfter(planted.outage.day)))
    expect(report.errors).toEqual([])
    // One alert per series the outage shows in: the national mobile requests, and regions' mobile requests.
    const outage = await alertsOf('mobile outage')
    const national = outage.find((alert) => alert.subject === 'requests||mobile|')
    expect(national).toMatchObject({ state: 'firing', day: planted.outage.day, value: 0 })
    expect(new Set(outage.map((alert) => alert.subject)).size).toBe(outage.length)
    for (const alert of outage) expect(alert.labels.channel).toBe('mobile')
    expect((await alertsOf('mobile feed in Almaty'))[0]).toMatchObject({
      state: 'firing',
      labels: { source: 'egov-mobile', channel: 'mobile', region: '75', state: 'late' },
    })
    const [threshold] = await alertsOf('mobile requests under 100 a day')
    expect(threshold).toMatchObject({ state: 'firing', value: 0 })
    // One message per rule that changed, each listing its new alerts.
    const posts = hook.received as { rule: { name: string }; alerts: { change: string; id: string }[] }[]
    expect(posts.map((post) => post.rule.name).sort()).toEqual(
      ['mobile feed in Almaty', 'mobile outage', 'mobile requests under 100 a day'].sort(),
    )
    const outagePost = posts.find((post) => post.rule.name === 'mobile outage')
    expect(outagePost?.alerts.map((alert) => [alert.change, alert.id]).sort()).toEqual(
      outage.map((alert) => ['firing', alert.id]).sort(),
    )
    expect(mail.received).toHaveLength(3)
    const outageMail = mail.received.find((each) => readable(each.raw).includes('Subject: [Qyzmet] mobile outage'))
    expect(outageMail?.to).toEqual(['duty@ministry.test'])
    expect(readable(outageMail?.raw ?? '')).toContain(`${outage.length} alert${outage.length > 1 ? 's' : ''} firing`)
    expect(readable(outageMail?.raw ?? '')).toContain(
      `FIRING  Requests — all of Kazakhstan · eGov Mobile app: 0 on ${planted.outage.day}`,
    )
  })

  it('does not notify again while the same incident goes on', async () => {
    const before = hook.received.length
    const report = await round(morning(dayAfter(planted.outage.day), 5))
    expect(report.fired).toBe(0)
    expect(report.resolved).toBe(0)
    expect(hook.received.length).toBe(before)
    const outage = await alertsOf('mobile outage')
    expect(new Set(outage.map((alert) => alert.subject)).size).toBe(outage.length)
    expect(outage.every((alert) => alert.state === 'firing')).toBe(true)
  })

  it('resolves each alert when the next day is normal, notifying that once', async () => {
    const sent = hook.received.length
    const mails = mail.received.length
    const report = await round(morning(dayAfter(planted.outage.day, 2)))
    expect(report.resolved).toBeGreaterThanOrEqual(3)
    // Every alert of the incident resolved, none raised twice.
    for (const name of ['mobile outage', 'mobile feed in Almaty', 'mobile requests under 100 a day']) {
      const alerts = await alertsOf(name)
      expect(alerts.length, name).toBeGreaterThan(0)
      expect(new Set(alerts.map((alert) => alert.subject)).size, name).toBe(alerts.length)
      expect(
        alerts.every((alert) => alert.state === 'resolved'),
        name,
      ).toBe(true)
    }
    const outage = await alertsOf('mobile outage')
    const posts = hook.received.slice(sent) as { rule: { name: string }; alerts: { change: string }[] }[]
    expect(posts.map((post) => post.rule.name).sort()).toEqual(
      ['mobile feed in Almaty', 'mobile outage', 'mobile requests under 100 a day'].sort(),
    )
    const changes = posts.flatMap((post) => post.alerts.map((alert) => alert.change))
    expect(changes).toEqual(Array(outage.length + 2).fill('resolved'))
    expect(mail.received.length - mails).toBe(3)
    expect(readable(mail.received.at(-1)?.raw ?? '')).toMatch(/RESOLVED/)
    // And a quiet round after it sends nothing.
    await round(morning(dayAfter(planted.outage.day, 2), 4))
    expect(hook.received.length).toBe(sent + 3)
  })

  it('shows a regional owner its own region in detail and other regions only as totals', async () => {
    const alerts = await alertsOf('anything in my region')
    expect(alerts.length).toBeGreaterThan(0)
    for (const alert of alerts) {
      const { region = '', channel = '', service = '' } = alert.labels
      const detail = channel !== '' || service !== ''
      if (detail) expect(region, alert.subject).toBe('75')
      else expect(region, alert.subject).not.toBe('')
    }
    // Its own region's mobile drop is there; the national one, detail of every region, is not.
    expect(alerts.some((alert) => alert.subject === 'requests|75|mobile|')).toBe(true)
    expect(alerts.some((alert) => alert.subject === 'requests||mobile|')).toBe(false)
    const posted = (regionalHook.received as { alerts: { labels: Record<string, string> }[] }[]).flatMap(
      (post) => post.alerts,
    )
    expect(posted.length).toBeGreaterThan(0)
    for (const { labels } of posted) {
      if (labels.channel || labels.service) expect(labels.region).toBe('75')
    }
  })
})
