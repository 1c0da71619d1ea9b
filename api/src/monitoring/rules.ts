// Alert rules in the store: each a version of its row, the newest holding; deleting writes a deleted version.
import { randomUUID } from 'node:crypto'
import type { Store } from '@qyzmet/sql'
import type { Rule, RuleBody } from '../contract/index.ts'
import { scopeFromMap } from '../targets/store.ts'

export type { Rule, RuleBody }

interface RuleRow {
  id: string
  name: string
  kind: Rule['kind']
  metric: string
  scope: Record<string, string[]>
  window_days: number
  compare_to: Rule['compareTo']
  operator: Rule['operator']
  value: number
  feed_states: string[]
  webhooks: string[]
  emails: string[]
  digest: Rule['digest']
  repeat_minutes: number
  lang: Rule['lang']
  enabled: number
  owner: string
  created_at: string
  updated_at: string
}

const shape = (row: RuleRow): Rule => ({
  id: row.id,
  name: row.name,
  kind: row.kind,
  metric: row.metric,
  filters: scopeFromMap(row.scope),
  windowDays: Number(row.window_days),
  compareTo: row.compare_to,
  operator: row.operator,
  value: Number(row.value),
  feedStates: row.feed_states,
  webhooks: row.webhooks,
  emails: row.emails,
  digest: row.digest,
  repeatMinutes: Number(row.repeat_minutes),
  lang: row.lang,
  enabled: Number(row.enabled) === 1,
  owner: row.owner,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
})

/** Every rule (or one), oldest first. */
export async function loadRules(store: Store, id?: string): Promise<Rule[]> {
  const rows = await store.rows<RuleRow>(
    'monitor:rules',
    `SELECT id, name, toString(kind) AS kind, metric, scope, window_days, toString(compare_to) AS compare_to,
            toString(operator) AS operator, value, feed_states, webhooks, emails, toString(digest) AS digest,
            repeat_minutes, toString(lang) AS lang, enabled, owner, toString(created_at) AS created_at,
            toString(updated_at) AS updated_at
     FROM monitor_rules FINAL
     WHERE deleted = 0 ${id === undefined ? '' : 'AND id = {id:String}'}
     ORDER BY created_at, id`,
    { id },
  )
  return rows.map(shape)
}

/** The rule a body describes, with every default filled in. */
export function ruleOf(body: RuleBody, owner: string, id: string, createdAt?: string): Omit<Rule, 'updatedAt'> {
  return {
    id,
    name: body.name,
    kind: body.kind,
    metric: body.metric ?? '',
    filters: body.filters ?? {},
    windowDays: body.windowDays ?? 7,
    compareTo: body.kind === 'change' ? (body.compareTo ?? 'previous') : 'none',
    operator: body.operator ?? (body.kind === 'threshold' ? 'below' : 'either'),
    value: body.value ?? 0,
    feedStates: body.kind === 'feed' ? (body.feedStates ?? ['late', 'silent', 'zero']) : [],
    webhooks: body.webhooks ?? [],
    emails: body.emails ?? [],
    digest: body.digest ?? 'none',
    repeatMinutes: body.repeatMinutes ?? 1440,
    lang: body.lang ?? 'en',
    enabled: body.enabled ?? true,
    owner,
    createdAt: createdAt ?? new Date().toISOString().replace('T', ' ').slice(0, 23),
  }
}

export async function saveRule(store: Store, rule: Omit<Rule, 'updatedAt'>, deleted = false): Promise<void> {
  await store.insert('monitor:rules:save', 'monitor_rules', [
    {
      id: rule.id,
      name: rule.name,
      kind: rule.kind,
      metric: rule.metric,
      scope: rule.filters,
      window_days: rule.windowDays,
      compare_to: rule.compareTo,
      operator: rule.operator,
      value: rule.value,
      feed_states: rule.feedStates,
      webhooks: rule.webhooks,
      emails: rule.emails,
      digest: rule.digest,
      repeat_minutes: rule.repeatMinutes,
      lang: rule.lang,
      enabled: rule.enabled ? 1 : 0,
      owner: rule.owner,
      created_at: rule.createdAt,
      deleted: deleted ? 1 : 0,
    },
  ])
}

export const newRuleId = () => randomUUID()
