// The monitor's settings, read once from the environment and checked before anything starts.
import type { ClickHouseSettings } from '@clickhouse/client'
import { ConfigError, type Store } from '@qyzmet/sql'

export interface MonitorConfig {
  /** server: the API server evaluates on a schedule; off: it does not (the monitor worker does, or nothing). */
  mode: 'server' | 'off'
  /** Seconds between evaluation rounds (in the server, or in the worker). */
  intervalSeconds: number
  /** smtp:// or smtps:// address of the mail server (user and password in it); null: no email is sent. */
  smtpUrl: string | null
  /** The sender of notification emails. */
  mailFrom: string
  /** The address users open Qyzmet at, for links in notifications; null: no links. */
  publicUrl: string | null
}

type Env = Record<string, string | undefined>

function url(env: Env, name: string, protocols: string[], example: string): string | null {
  const raw = env[name]?.trim()
  if (!raw) return null
  let parsed: URL
  try {
    parsed = new URL(raw)
  } catch {
    throw new ConfigError(name, `"${raw.replace(/\/\/[^@/]*@/, '//…@')}" is not a URL`, `Write it as ${example}.`)
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(
      name,
      `${parsed.protocol.replace(':', '')} is not one of ${protocols.map((p) => p.replace(':', '')).join(', ')}`,
      `Write it as ${example}.`,
    )
  }
  return raw.replace(/\/$/, '')
}

export function loadMonitorConfig(env: Env = process.env): MonitorConfig {
  const mode = env.QYZMET_MONITOR?.trim() || 'server'
  if (mode !== 'server' && mode !== 'off') {
    throw new ConfigError(
      'QYZMET_MONITOR',
      `"${mode}" is not server or off`,
      'Set it to server (the API server evaluates alert rules) or off (the monitor worker does, or nothing).',
    )
  }
  const rawInterval = env.QYZMET_MONITOR_INTERVAL?.trim()
  const intervalSeconds = rawInterval ? Number(rawInterval) : 60
  if (!Number.isInteger(intervalSeconds) || intervalSeconds < 10 || intervalSeconds > 86_400) {
    throw new ConfigError(
      'QYZMET_MONITOR_INTERVAL',
      `"${rawInterval}" is not a whole number of seconds from 10 to 86400`,
      'Set it to e.g. 60; to stop the server evaluating, set QYZMET_MONITOR=off instead.',
    )
  }
  const mailFrom = env.QYZMET_SMTP_FROM?.trim() || 'Qyzmet <qyzmet@localhost>'
  if (!/^[^<>@\s]*(<[^<>@\s]+@[^<>@\s]+>|[^<>@\s]+@[^<>@\s]+)$/.test(mailFrom.replace(/^.*?(?=<)/, ''))) {
    throw new ConfigError(
      'QYZMET_SMTP_FROM',
      `"${mailFrom}" is not an email address`,
      'Write it as monitor@example.kz or "Qyzmet <monitor@example.kz>".',
    )
  }
  return {
    mode,
    intervalSeconds,
    smtpUrl: url(env, 'QYZMET_SMTP_URL', ['smtp:', 'smtps:'], 'smtp://user:password@mail.example.kz:587'),
    mailFrom,
    publicUrl: url(env, 'QYZMET_PUBLIC_URL', ['http:', 'https:'], 'https://qyzmet.example.kz'),
  }
}

/**
 * Settings of the monitor's heavier reads (events and rollups). A ClickHouse server runs queries side by side: there
 * each monitor read takes one thread at the lowest CPU priority, leaving the cores to dashboard queries. The embedded
 * engine runs one query at a time: a dashboard query waits for the monitor's read in progress, which should then end
 * as soon as it can, with every thread (bench/monitor.ts measures both).
 */
export const monitorReads = (store: Store): ClickHouseSettings =>
  store.config.engine.kind === 'embedded' ? {} : { max_threads: 1, os_threads_nice_value_query: 19 }
