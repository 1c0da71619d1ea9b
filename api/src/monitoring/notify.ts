// Notifications: one message per rule and round (or digest), written in the rule's language, sent to its webhooks as
// JSON and to its addresses by email, each delivery logged.
import type { Store } from '@qyzmet/sql'
import nodemailer, { type Transporter } from 'nodemailer'
import type { Delivery, Lang } from '../contract/index.ts'
import { metricById } from '../metrics/index.ts'
import type { Reference } from '../reference.ts'
import { type Alert, stamp } from './alerts.ts'
import type { MonitorConfig } from './config.ts'
import { say } from './messages.ts'
import type { Rule } from './rules.ts'

export type Change = 'firing' | 'resolved' | 'repeat' | 'still'

export interface Notice {
  rule: Rule
  kind: 'alerts' | 'digest' | 'test'
  lines: { alert: Alert; change: Change }[]
}

/** Most alerts one message lists; the rest are counted. */
const listed = 50
const webhookTimeoutMs = 10_000

function nameIn(lang: Lang, names: { kk: string; ru: string; en: string } | undefined, code: string): string {
  const name = names?.[lang] ?? code
  return name.length > 60 ? `${name.slice(0, 57)}…` : name
}

/** One alert as a line of text in the rule's language. */
export function describeAlert(alert: Alert, rule: Rule, reference: Reference): string {
  const lang = rule.lang
  const { labels } = alert
  const number = (value: number | null, share: boolean) =>
    value === null
      ? '–'
      : new Intl.NumberFormat(
          lang,
          share ? { style: 'percent', maximumFractionDigits: 1 } : { maximumFractionDigits: 1 },
        ).format(value)
  const region = (code: string | undefined) =>
    code ? nameIn(lang, reference.regions.find((r) => r.code === code)?.names, code) : say(lang, 'everywhere')
  const channel = (code: string | undefined) =>
    code ? nameIn(lang, reference.channels.find((c) => c.code === code)?.names, code) : ''
  if (rule.kind === 'anomaly') {
    const share = labels.metric === 'online_request_share'
    const service = labels.service
      ? `${labels.service} ${nameIn(lang, reference.services.find((s) => s.code === labels.service)?.names, '')}`
      : ''
    const where = [labels.service ? '' : region(labels.region), channel(labels.channel), service].filter(Boolean)
    const metricWord = say(lang, share ? 'online_request_share' : 'requests')
    return say(lang, 'anomaly', {
      series: `${metricWord} — ${where.join(' · ')}`,
      value: number(alert.value, share),
      day: alert.day ?? '',
      days: Number(labels.days ?? 1),
      expected: number(alert.expected, share),
      low: number(alert.low, share),
      high: number(alert.high, share),
    })
  }
  if (rule.kind === 'feed') {
    return say(lang, 'feed', {
      source: labels.source ?? '',
      channel: channel(labels.channel),
      region: region(labels.region),
      state: say(lang, (labels.state ?? 'silent') as 'late' | 'silent' | 'zero'),
      since: alert.day ?? '',
      days: alert.value ?? 0,
    })
  }
  const metric = metricById(rule.metric)
  const share = metric?.unit === 'share'
  const common = {
    metric: metric?.names[lang] ?? rule.metric,
    window: rule.windowDays,
    day: alert.day ?? '',
    value: number(alert.value, share),
  }
  if (rule.kind === 'threshold') return say(lang, 'threshold', { ...common, limit: number(rule.value, share) })
  return say(lang, 'change', {
    ...common,
    base: number(alert.expected, share),
    compare: say(lang, rule.compareTo === 'year' ? 'year' : 'previous'),
  })
}

export interface Rendered {
  subject: string
  text: string
  payload: Record<string, unknown>
}

export function render(notice: Notice, reference: Reference, config: MonitorConfig): Rendered {
  const { rule, lines } = notice
  const lang = rule.lang
  const firing = lines.filter((line) => line.change !== 'resolved').length
  const resolved = lines.length - firing
  const subject =
    notice.kind === 'test'
      ? say(lang, 'testSubject', { rule: rule.name })
      : notice.kind === 'digest'
        ? say(lang, 'digestSubject', { rule: rule.name, firing })
        : say(lang, 'subject', { rule: rule.name, firing, resolved })
  const link = config.publicUrl ? `${config.publicUrl}/incidents?lang=${lang}` : null
  const body =
    notice.kind === 'test'
      ? [say(lang, 'testBody', { rule: rule.name })]
      : [
          ...lines
            .slice(0, listed)
            .map(({ alert, change }) => `${say(lang, change)}  ${describeAlert(alert, rule, reference)}`),
          ...(lines.length > listed ? [say(lang, 'more', { count: lines.length - listed })] : []),
        ]
  const text = [...body, ...(link ? ['', say(lang, 'open', { url: link })] : [])].join('\n')
  const payload = {
    rule: { id: rule.id, name: rule.name, kind: rule.kind },
    kind: notice.kind,
    subject,
    text,
    link,
    alerts: lines.map(({ alert, change }) => ({ change, ...alert })),
  }
  return { subject, text, payload }
}

let transport: { url: string; transporter: Transporter } | null = null
const transporterFor = (url: string) => {
  if (transport?.url !== url) transport = { url, transporter: nodemailer.createTransport(url) }
  return transport.transporter
}

const reason = (error: unknown) => (error instanceof Error ? error.message : String(error)).slice(0, 500)

/**
 * Sends a notice to every webhook and address of its rule; returns (and logs) what each delivery did, as sent at
 * `sentAt` (the round's clock: digests are timed from it).
 */
export async function deliver(
  store: Store,
  notice: Notice,
  reference: Reference,
  config: MonitorConfig,
  sentAt: number = Date.now(),
): Promise<Delivery[]> {
  const { subject, text, payload } = render(notice, reference, config)
  const hooks = notice.rule.webhooks.map(async (target): Promise<Delivery> => {
    try {
      const response = await fetch(target, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'qyzmet-monitor' },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(webhookTimeoutMs),
      })
      await response.arrayBuffer()
      return { via: 'webhook', target, ok: response.ok, error: response.ok ? '' : `HTTP ${response.status}` }
    } catch (error) {
      return { via: 'webhook', target, ok: false, error: reason(error) }
    }
  })
  const mails = notice.rule.emails.map(async (target): Promise<Delivery> => {
    if (!config.smtpUrl) return { via: 'email', target, ok: false, error: 'QYZMET_SMTP_URL is not set' }
    try {
      await transporterFor(config.smtpUrl).sendMail({ from: config.mailFrom, to: target, subject, text })
      return { via: 'email', target, ok: true, error: '' }
    } catch (error) {
      return { via: 'email', target, ok: false, error: reason(error) }
    }
  })
  const deliveries = await Promise.all([...hooks, ...mails])
  if (deliveries.length > 0) {
    await store.insert(
      'monitor:deliveries',
      'monitor_deliveries',
      deliveries.map((delivery) => ({
        rule_id: notice.rule.id,
        via: delivery.via,
        target: delivery.target,
        kind: notice.kind,
        alert_ids: notice.lines.map(({ alert }) => alert.id),
        ok: delivery.ok ? 1 : 0,
        error: delivery.error,
        sent_at: stamp(sentAt),
      })),
    )
  }
  return deliveries
}

/** When a rule's last digest was sent (null: never). */
export async function lastDigest(store: Store, ruleIds: readonly string[]): Promise<Map<string, number>> {
  if (ruleIds.length === 0) return new Map()
  const rows = await store.rows<{ rule_id: string; at: string }>(
    'monitor:digests',
    `SELECT rule_id, toString(toUnixTimestamp64Milli(max(sent_at))) AS at FROM monitor_deliveries
     WHERE kind = 'digest' AND rule_id IN {rules:Array(String)} GROUP BY rule_id`,
    { rules: ruleIds },
  )
  return new Map(rows.map((row) => [row.rule_id, Number(row.at)]))
}
