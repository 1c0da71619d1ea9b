// One evaluation round: feeds judged, anomalies detected, every rule evaluated in its owner's scope, alerts raised and
// resolved, notifications sent (grouped per rule, repeated or digested as each rule says), the round recorded.
import { hostname } from 'node:os'
import type { Store } from '@qyzmet/sql'
import type { Principal, Role } from '../principal.ts'
import type { Reference } from '../reference.ts'
import { type Alert, alertId, loadAlerts, silenced, stamp, writeAlerts } from './alerts.ts'
import { knownBreaks } from './annotations.ts'
import { type AnomalyDetector, type Detection, recordAnomalies } from './anomalies.ts'
import { type Clock, today, yesterday } from './clock.ts'
import { type Condition, evaluateRules, type RuleOutcome } from './conditions.ts'
import { type MonitorConfig, monitorReads } from './config.ts'
import { type FeedStatus, judgeFeeds } from './feed-states.ts'
import { defaultSeed, loadFeeds, seedFeeds } from './feeds.ts'
import { type Change, deliver, lastDigest, type Notice } from './notify.ts'
import { loadRules, type Rule } from './rules.ts'
import { MetricBatch } from './thresholds.ts'

/**
 * What a process keeps between rounds: the last detection and the metric values, which stand as long as the rows of
 * complete days (as the daily rollup counts them), the last complete day and the known breaks are unchanged.
 */
export interface RoundMemo {
  key?: string
  /** The day the registry of expected feeds last took in feeds that have since begun to report. */
  seededOn?: string
  detection?: Detection
  batch?: MetricBatch
}

export interface RoundContext {
  store: Store
  reference: Reference
  clock: Clock
  config: MonitorConfig
  detector: AnomalyDetector
  /** Complete days the detector judges again (late rows can change them); more on a process's first round. */
  judgeDays: number
  memo?: RoundMemo
}

/** The rows of complete days as the daily rollup counts them: any row that arrives for one of them changes it. */
async function completeDays(store: Store, lastDay: string): Promise<string> {
  const [row] = await store.rows<{ fingerprint: string }>(
    'monitor:complete-days',
    `SELECT concat(toString(count()), '/', toString(sum(transactions)), '/', toString(sum(completed)), '/',
                   toString(sum(rejected)), '/', toString(sum(cancelled)), '/', toString(sum(satisfaction_count)))
              AS fingerprint
     FROM rollup_daily WHERE day <= {last:Date}`,
    { last: lastDay },
    monitorReads(store),
  )
  return row?.fingerprint ?? ''
}

export interface RoundReport {
  startedAt: string
  milliseconds: number
  rules: number
  firing: number
  fired: number
  resolved: number
  errors: string[]
  feeds: FeedStatus[]
  notices: Notice[]
  /** Milliseconds of each stage: feeds judged, anomalies detected, rules evaluated, alerts written and sent. */
  stages: { feeds: number; anomalies: number; rules: number; alerts: number }
}

const digestPeriod = { hourly: 3_600_000, daily: 86_400_000 } as const

/** The principals of the rules' owners: tokens not revoked. */
async function loadOwners(store: Store, rules: readonly Rule[]): Promise<Map<string, Principal>> {
  const ids = [...new Set(rules.map((rule) => rule.owner))]
  if (ids.length === 0) return new Map()
  const rows = await store.rows<{ id: string; role: Role; regions: string[]; name: string }>(
    'monitor:owners',
    `SELECT id, toString(role) AS role, regions, name FROM api_tokens FINAL
     WHERE id IN {ids:Array(String)} AND revoked = 0`,
    { ids },
  )
  return new Map(rows.map((row) => [row.id, { role: row.role, regions: row.regions, tokenId: row.id, name: row.name }]))
}

const sameReading = (alert: Alert, condition: Condition) =>
  alert.value === condition.value && alert.day === condition.day && alert.expected === condition.expected

/** Raises, keeps and resolves one rule's alerts; returns the alerts to write and what changed. */
function reconcile(outcome: RuleOutcome, open: Map<string, Alert>, now: number) {
  const { rule, conditions } = outcome
  const writes: Alert[] = []
  const changes: { alert: Alert; change: Change }[] = []
  for (const condition of conditions) {
    const existing = open.get(condition.subject)
    const reading = {
      labels: condition.labels,
      day: condition.day,
      value: condition.value,
      expected: condition.expected,
      low: condition.low,
      high: condition.high,
      detail: condition.detail,
    }
    if (!existing) {
      const startedAt = stamp(now)
      const alert: Alert = {
        id: alertId(rule.id, condition.subject, startedAt),
        ruleId: rule.id,
        subject: condition.subject,
        ...reading,
        state: 'firing',
        startedAt,
        resolvedAt: null,
        resolvedBy: '',
        acknowledgedBy: '',
        acknowledgedAt: null,
        silencedUntil: null,
        notifiedAt: null,
      }
      changes.push({ alert, change: 'firing' })
      continue
    }
    open.delete(condition.subject)
    const updated = { ...existing, ...reading }
    const notified = existing.notifiedAt ? Date.parse(`${existing.notifiedAt.replace(' ', 'T')}Z`) : null
    const repeatDue =
      rule.repeatMinutes > 0 &&
      !existing.acknowledgedAt &&
      notified !== null &&
      now - notified >= rule.repeatMinutes * 60_000
    if (repeatDue) changes.push({ alert: updated, change: 'repeat' })
    else if (!sameReading(existing, condition)) writes.push(updated)
  }
  for (const alert of open.values()) {
    changes.push({ alert: { ...alert, state: 'resolved', resolvedAt: stamp(now) }, change: 'resolved' })
  }
  return { writes, changes }
}

export async function runRound(context: RoundContext): Promise<RoundReport> {
  const { store, reference, clock, config, detector } = context
  const started = performance.now()
  const memo = context.memo ?? {}
  const seeded = (await loadFeeds(store)).length === 0
  // Once a day, feeds that have begun to report since (eight weeks on most days) join the registry, expected from
  // that day on: nothing earlier is judged against them. Feeds already in it, deactivated ones too, stay as they are.
  if (seeded || memo.seededOn !== today(clock)) {
    await seedFeeds(store, clock, defaultSeed, seeded ? undefined : today(clock))
    memo.seededOn = today(clock)
  }
  // Just seeded: the whole seed window is judged once, so that recent gaps are on record from the start.
  const feeds = await judgeFeeds(store, clock, seeded ? 56 : 8)
  const judged = performance.now()
  const breaks = await knownBreaks(store)
  const key = JSON.stringify([yesterday(clock), breaks, await completeDays(store, yesterday(clock))])
  if (memo.key !== key) {
    memo.detection = await detector.detect(store, reference, clock, breaks, { judgeDays: context.judgeDays })
    await recordAnomalies(store, memo.detection)
    memo.batch = new MetricBatch(store, reference, today(clock))
    memo.key = key
  }
  const detection = memo.detection as Detection
  const detected = performance.now()

  const rules = (await loadRules(store)).filter((rule) => rule.enabled)
  const outcomes = await evaluateRules(rules, {
    store,
    reference,
    day: detection.to,
    owners: await loadOwners(store, rules),
    anomalies: detection.anomalies,
    feeds,
    batch: memo.batch,
  })
  const evaluated = performance.now()
  const openByRule = new Map<string, Map<string, Alert>>()
  for (const alert of await loadAlerts(store, { state: 'firing' })) {
    const open = openByRule.get(alert.ruleId) ?? new Map<string, Alert>()
    open.set(alert.subject, alert)
    openByRule.set(alert.ruleId, open)
  }
  const digests = await lastDigest(
    store,
    rules.filter((rule) => rule.digest !== 'none').map((rule) => rule.id),
  )
  const report: RoundReport = {
    startedAt: stamp(clock.now),
    milliseconds: 0,
    rules: rules.length,
    firing: 0,
    fired: 0,
    resolved: 0,
    errors: [],
    feeds,
    notices: [],
    stages: { feeds: 0, anomalies: 0, rules: 0, alerts: 0 },
  }
  const writes: Alert[] = []
  for (const outcome of outcomes) {
    const { rule } = outcome
    // A rule that cannot be evaluated keeps its alerts as they were: nothing is known to have cleared.
    if (outcome.error) {
      report.errors.push(`${rule.name} (${rule.id}): ${outcome.error}`)
      continue
    }
    const reconciled = reconcile(outcome, new Map(openByRule.get(rule.id)), clock.now)
    report.fired += reconciled.changes.filter((line) => line.change === 'firing').length
    report.resolved += reconciled.changes.filter((line) => line.change === 'resolved').length
    report.firing += outcome.conditions.length
    writes.push(...reconciled.writes)
    const heard = reconciled.changes.filter(({ alert }) => !silenced(alert, clock.now))
    const quiet = reconciled.changes.filter(({ alert }) => silenced(alert, clock.now)).map(({ alert }) => alert)
    writes.push(...quiet)
    if (rule.digest === 'none') {
      if (heard.length > 0) report.notices.push({ rule, kind: 'alerts', lines: heard })
      writes.push(...heard.map(({ alert }) => ({ ...alert, notifiedAt: stamp(clock.now) })))
      continue
    }
    // A digest: the changes wait in the alerts themselves until the rule's period has passed, then one message
    // lists what started and resolved since the last digest, and what is still firing.
    writes.push(...heard.map(({ alert }) => alert))
    const last = digests.get(rule.id) ?? 0
    if (clock.now - last < digestPeriod[rule.digest]) continue
    const after = (text: string | null) => text !== null && Date.parse(`${text.replace(' ', 'T')}Z`) > last
    const known = new Map((await loadAlerts(store, { ruleIds: [rule.id] })).map((alert) => [alert.id, alert]))
    for (const { alert } of reconciled.changes) known.set(alert.id, alert)
    const lines = [...known.values()]
      .filter((alert) => !silenced(alert, clock.now) && (alert.state === 'firing' || after(alert.resolvedAt)))
      .map((alert) => ({
        alert,
        change: (alert.state === 'resolved' ? 'resolved' : after(alert.startedAt) ? 'firing' : 'still') as Change,
      }))
    if (lines.some((line) => line.change !== 'still')) {
      report.notices.push({ rule, kind: 'digest', lines })
      writes.push(...lines.map(({ alert }) => ({ ...alert, notifiedAt: stamp(clock.now) })))
    }
  }
  await writeAlerts(store, latestVersions(writes))
  for (const notice of report.notices) await deliver(store, notice, reference, config, clock.now)
  report.milliseconds = Math.round(performance.now() - started)
  report.stages = {
    feeds: Math.round(judged - started),
    anomalies: Math.round(detected - judged),
    rules: Math.round(evaluated - detected),
    alerts: Math.round(performance.now() - evaluated),
  }
  await store.insert('monitor:rounds', 'monitor_rounds', [
    {
      started_at: report.startedAt,
      milliseconds: report.milliseconds,
      rules: report.rules,
      firing: report.firing,
      fired: report.fired,
      resolved: report.resolved,
      errors: report.errors,
      worker: `${hostname()}:${process.pid}`,
    },
  ])
  return report
}

/** The last version of each alert written in a round (a notified one replaces its unnotified self). */
function latestVersions(alerts: readonly Alert[]): Alert[] {
  return [...new Map(alerts.map((alert) => [alert.id, alert])).values()]
}
