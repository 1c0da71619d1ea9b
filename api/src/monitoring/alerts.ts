// Alerts in the store: raised by rules, resolved when their condition clears (or by a person), acknowledged, silenced.
import { createHash } from 'node:crypto'
import type { Store } from '@qyzmet/sql'
import type { Alert } from '../contract/index.ts'

export type { Alert }

interface AlertRow {
  id: string
  rule_id: string
  subject: string
  labels: Record<string, string>
  state: Alert['state']
  started_at: string
  resolved_at: string | null
  resolved_by: string
  day: string | null
  value: number | null
  expected: number | null
  low: number | null
  high: number | null
  detail: string
  acknowledged_by: string
  acknowledged_at: string | null
  silenced_until: string | null
  notified_at: string | null
}

const number = (value: number | string | null) => (value === null ? null : Number(value))

const shape = (row: AlertRow): Alert => ({
  id: row.id,
  ruleId: row.rule_id,
  subject: row.subject,
  labels: row.labels,
  state: row.state,
  startedAt: row.started_at,
  resolvedAt: row.resolved_at,
  resolvedBy: row.resolved_by,
  day: row.day,
  value: number(row.value),
  expected: number(row.expected),
  low: number(row.low),
  high: number(row.high),
  detail: row.detail,
  acknowledgedBy: row.acknowledged_by,
  acknowledgedAt: row.acknowledged_at,
  silencedUntil: row.silenced_until,
  notifiedAt: row.notified_at,
})

export interface AlertQuery {
  ruleIds?: readonly string[]
  state?: Alert['state']
  id?: string
  limit?: number
}

/** Alerts, newest first: the newest version of each. */
export async function loadAlerts(store: Store, query: AlertQuery = {}): Promise<Alert[]> {
  const conditions = [
    ...(query.ruleIds ? ['rule_id IN {rules:Array(String)}'] : []),
    ...(query.state ? ['state = {state:String}'] : []),
    ...(query.id ? ['id = {id:String}'] : []),
  ]
  const rows = await store.rows<AlertRow>(
    'monitor:alerts',
    `SELECT id, rule_id, subject, labels, toString(state) AS state, toString(started_at) AS started_at,
            toString(resolved_at) AS resolved_at, resolved_by, toString(day) AS day, value, expected, low, high, detail,
            acknowledged_by, toString(acknowledged_at) AS acknowledged_at, toString(silenced_until) AS silenced_until,
            toString(notified_at) AS notified_at
     FROM monitor_alerts FINAL
     ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''}
     ORDER BY started_at DESC, id
     ${query.limit ? 'LIMIT {limit:UInt32}' : ''}`,
    { rules: query.ruleIds, state: query.state, id: query.id, limit: query.limit },
  )
  return rows.map(shape)
}

/** The id of an alert: its rule, its subject and the moment it started. */
export const alertId = (ruleId: string, subject: string, startedAt: string) =>
  createHash('sha1').update(`${ruleId}\n${subject}\n${startedAt}`).digest('base64url').slice(0, 22)

/** Writes new versions of alerts (a new alert is its first version). */
export async function writeAlerts(store: Store, alerts: readonly Alert[]): Promise<void> {
  if (alerts.length === 0) return
  await store.insert(
    'monitor:alerts:write',
    'monitor_alerts',
    alerts.map((alert) => ({
      id: alert.id,
      rule_id: alert.ruleId,
      subject: alert.subject,
      labels: alert.labels,
      state: alert.state,
      started_at: alert.startedAt,
      resolved_at: alert.resolvedAt,
      resolved_by: alert.resolvedBy,
      day: alert.day,
      value: alert.value,
      expected: alert.expected,
      low: alert.low,
      high: alert.high,
      detail: alert.detail,
      acknowledged_by: alert.acknowledgedBy,
      acknowledged_at: alert.acknowledgedAt,
      silenced_until: alert.silencedUntil,
      notified_at: alert.notifiedAt,
    })),
  )
}

/** An instant as the tables store it (UTC, millisecond precision). */
export const stamp = (instant: number) => new Date(instant).toISOString().replace('T', ' ').replace('Z', '')

/** Whether an alert is silenced at an instant. */
export const silenced = (alert: Alert, now: number) =>
  alert.silencedUntil !== null && Date.parse(`${alert.silencedUntil.replace(' ', 'T')}Z`) > now
