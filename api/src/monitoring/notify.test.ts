// Notifications over a hand-made feed going quiet: grouped per rule, repeated after the rule's interval until
// acknowledged, silenced until a moment, and digested once per period — each message counted at a local HTTP sink.
import { calendar, loadReference } from '@qyzmet/sql'
import { openTestStore, type TestStore } from '@qyzmet/sql/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Reference } from '../reference.ts'
import { loadReferenceData } from '../reference.ts'
import { createToken } from '../tokens.ts'
import { loadAlerts, stamp, writeAlerts } from './alerts.ts'
import { AnomalyDetector } from './anomalies.ts'
import type { MonitorConfig } from './config.ts'
import { runRound } from './round.ts'
import { newRuleId, type RuleBody, ruleOf, saveRule } from './rules.ts'
import { type HttpSink, startHttpSink } from './sinks.ts'
import { insertEvents, type MadeEvent } from './testing.ts'

/** Thursday 19 November 2026, 09:00 in Almaty: the portal feed of region 75 sent nothing for Wednesday. */
const start = Date.parse('2026-11-19T04:00:00Z')
const minutes = (count: number) => start + count * 60_000
const config: MonitorConfig = {
  mode: 'off',
  intervalSeconds: 60,
  smtpUrl: null,
  mailFrom: 'monitor@qyzmet.test',
  publicUrl: null,
}

let store: TestStore
let reference: Reference
const sinks: Record<'grouped' | 'digest' | 'silenced', HttpSink | undefined> = {
  grouped: undefined,
  digest: undefined,
  silenced: undefined,
}
const ids: Record<string, string> = {}
const detector = new AnomalyDetector()
const round = (now: number) =>
  runRound({ store, reference, clock: { now, zone: 'Asia/Almaty' }, config, detector, judgeDays: 1 })
const posts = (name: keyof typeof sinks) =>
  (sinks[name]?.received ?? []) as { kind: string; alerts: { change: string; id: string }[] }[]

beforeAll(async () => {
  store = await openTestStore()
  await loadReference(store)
  const events: MadeEvent[] = []
  for (const { date } of calendar('2026-09-20', '2026-11-17')) {
    for (let i = 0; i < 6; i++) {
      events.push({ at: `${date}T05:00:00Z`, loadedAt: `${date}T05:10:00Z`, source: 'egov-portal', region: '75' })
    }
  }
  await insertEvents(store, events)
  reference = await loadReferenceData(store)
  const analyst = await createToken(store, { name: 'desk', role: 'analyst' })
  for (const name of Object.keys(sinks) as (keyof typeof sinks)[]) sinks[name] = await startHttpSink()
  const rule = async (name: keyof typeof sinks, body: Partial<RuleBody>) => {
    ids[name] = newRuleId()
    const full: RuleBody = {
      name,
      kind: 'feed',
      filters: { region: ['75'] },
      webhooks: [sinks[name]?.url ?? ''],
      ...body,
    }
    await saveRule(store, ruleOf(full, analyst.id, ids[name] as string))
  }
  await rule('grouped', { repeatMinutes: 60 })
  await rule('digest', { digest: 'hourly' })
  await rule('silenced', { repeatMinutes: 60 })
})
afterAll(async () => {
  await Promise.all(Object.values(sinks).map((sink) => sink?.close()))
  await store.close()
})

describe('notifications of a late feed', () => {
  it('sends one message per rule when the alert starts, the digest at once (no digest sent before)', async () => {
    const report = await round(minutes(0))
    expect(report.errors).toEqual([])
    expect(report.fired).toBe(3)
    expect(posts('grouped').map((post) => post.alerts.map((alert) => alert.change))).toEqual([['firing']])
    expect(posts('digest').map((post) => [post.kind, post.alerts.map((alert) => alert.change)])).toEqual([
      ['digest', ['firing']],
    ])
    expect(posts('silenced')).toHaveLength(1)
  })

  it('stays quiet within the repeat interval and the digest period', async () => {
    await round(minutes(30))
    expect([posts('grouped').length, posts('digest').length, posts('silenced').length]).toEqual([1, 1, 1])
  })

  it('repeats a firing alert after the interval, unless silenced; a digest with nothing new is not sent', async () => {
    const [alert] = await loadAlerts(store, { ruleIds: [ids.silenced as string] })
    if (!alert) throw new Error('the silenced rule raised no alert')
    await writeAlerts(store, [{ ...alert, silencedUntil: stamp(minutes(24 * 60)) }])
    await round(minutes(61))
    expect(posts('grouped').map((post) => post.alerts.map((alert) => alert.change))).toEqual([['firing'], ['repeat']])
    expect(posts('digest')).toHaveLength(1)
    expect(posts('silenced')).toHaveLength(1)
  })

  it('repeats no acknowledged alert', async () => {
    const [alert] = await loadAlerts(store, { ruleIds: [ids.grouped as string] })
    if (!alert) throw new Error('the grouped rule raised no alert')
    await writeAlerts(store, [{ ...alert, acknowledgedBy: 'desk', acknowledgedAt: stamp(minutes(62)) }])
    await round(minutes(125))
    expect(posts('grouped')).toHaveLength(2)
    expect((await loadAlerts(store, { ruleIds: [ids.grouped as string] }))[0]?.state).toBe('firing')
  })

  it('tells of the resolution once the rows arrive: the rule at once, the digest after its period, not the silenced', async () => {
    await insertEvents(store, [
      { at: '2026-11-18T05:00:00Z', loadedAt: '2026-11-19T06:00:00Z', source: 'egov-portal', region: '75' },
    ])
    await round(minutes(190))
    expect(posts('grouped').map((post) => post.alerts.map((alert) => alert.change))).toEqual([
      ['firing'],
      ['repeat'],
      ['resolved'],
    ])
    expect(posts('digest').map((post) => post.alerts.map((alert) => alert.change))).toEqual([['firing'], ['resolved']])
    expect(posts('silenced')).toHaveLength(1)
    for (const name of ['grouped', 'digest', 'silenced']) {
      expect((await loadAlerts(store, { ruleIds: [ids[name] as string] })).map((alert) => alert.state)).toEqual([
        'resolved',
      ])
    }
  })
})
