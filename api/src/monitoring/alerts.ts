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

/**
 * Alerts, newest first: the newest version of each, with what people did to it applied on top (acknowledged,
 * silenced, resolved by hand). The monitor writes versions from what it read at the start of its round; a person's
 * action in between lives in its own table, so that write cannot undo it.
 */
export async function loadAlerts(store: Store, query: AlertQuery = {}): Promise<Alert[]> {
  const conditions = [
    ...(query.ruleIds ? ['rule_id IN {rules:Array(String)}'] : []),
    ...(query.id ? ['id = {id:String}'] : []),
  ]
  const rows = await store.rows<AlertRow>(
    'monitor:alerts',
    `WITH actions AS (
       SELECT alert_id,
              countIf(action = 'acknowledge') > 0 AS acknowledged, argMaxIf(by, at, action = 'acknowledge') AS ack_by,
              maxIf(at, action = 'acknowledge') AS ack_at,
              countIf(action = 'silence') > 0 AS silence_set, argMaxIf(until, at, action = 'silence') AS silence_until,
              countIf(action = 'resolve') > 0 AS hand_resolved, argMinIf(by, at, action = 'resolve') AS resolve_by,
              minIf(at, action = 'resolve') AS resolve_at
       FROM monitor_alert_actions
       ${query.id ? 'WHERE alert_id = {id:String}' : ''}
       GROUP BY alert_id
     )
     SELECT * FROM (
       SELECT a.id AS id, rule_id, subject, labels,
              if(a.state = 'firing' AND b.hand_resolved, 'resolved', toString(a.state)) AS state,
              toString(started_at) AS started_at,
              if(a.state = 'firing' AND b.hand_resolved, toString(b.resolve_at), toString(a.resolved_at)) AS resolved_at,
              if(a.state = 'firing' AND b.hand_resolved, b.resolve_by, a.resolved_by) AS resolved_by,
              toString(day) AS day, value, expected, low, high, detail,
              if(b.acknowledged, b.ack_by, a.acknowledged_by) AS acknowledged_by,
              if(b.acknowledged, toString(b.ack_at), toString(a.acknowledged_at)) AS acknowledged_at,
              if(b.silence_set, toString(b.silence_until), toString(a.silenced_until)) AS silenced_until,
              toString(notified_at) AS notified_at
       FROM (SELECT * FROM monitor_alerts FINAL ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''}) AS a
       LEFT JOIN actions AS b ON b.alert_id = a.id
     )
     ${query.state ? 'WHERE state = {state:String}' : ''}
     ORDER BY started_at DESC, id
     ${query.limit ? 'LIMIT {limit:UInt32}' : ''}`,
    { rules: query.ruleIds, state: query.state, id: query.id, limit: query.limit },
  )
  return rows.map(shape)
}

export type AlertAction =
  | { action: 'acknowledge' | 'resolve'; by: string; at: number }
  | { action: 'silence'; by: string; at: number; until: number }

/** Records what a person did to an alert; the alert reads it from then on (see loadAlerts). */
export async function recordAction(store: Store, alertId: string, action: AlertAction): Promise<void> {
  await store.insert('monitor:alerts:action', 'monitor_alert_actions', [
    {
      alert_id: alertId,
      action: action.action,
      by: action.by,
      at: stamp(action.at),
      until: action.action === 'silence' ? stamp(action.until) : null,
    },
  ])
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
