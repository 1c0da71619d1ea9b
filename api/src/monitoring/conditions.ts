// What each rule finds true now, in its owner's scope: a metric past a threshold or a change, anomalies, feed problems.
import type { Store } from '@qyzmet/sql'
import { subYears } from 'date-fns'
import type { Filters } from '../contract/index.ts'
import { type Metric, metricById } from '../metrics/index.ts'
import type { Principal } from '../principal.ts'
import { checkScope } from '../query/filters.ts'
import { scopeFilters } from '../query/scope.ts'
import type { Reference } from '../reference.ts'
import type { Anomaly } from './anomalies.ts'
import { shiftDay } from './clock.ts'
import type { FeedStatus } from './feed-states.ts'
import { feedKey } from './feeds.ts'
import type { Rule } from './rules.ts'
import { type Cell, MetricBatch, type Range } from './thresholds.ts'
import { seesFeed, seesSeries } from './visibility.ts'

export interface Condition {
  /** What is true: the rule's value ('value'), a series or a feed; one alert per subject while it stays true. */
  subject: string
  labels: Record<string, string>
  day: string | null
  value: number | null
  expected: number | null
  low: number | null
  high: number | null
  /** In English, for logs and the alert's record; notifications are written from the labels in the rule's language. */
  detail: string
}

export interface RuleOutcome {
  rule: Rule
  conditions: Condition[]
  /** Why the rule could not be evaluated (its owner revoked, its scope no longer allowed …). */
  error?: string
}

export interface EvaluationContext {
  store: Store
  reference: Reference
  /** The last complete day: thresholds and changes are taken over windows ending on it, anomalies judged on it. */
  day: string
  owners: ReadonlyMap<string, Principal>
  anomalies: readonly Anomaly[]
  feeds: readonly FeedStatus[]
  /** Metric values already known this day (kept between rounds while no complete day's rows change). */
  batch?: MetricBatch
}

/** The rule's filters as its owner may run them over a range, or a Forbidden naming why not. */
function ownerFilters(rule: Rule, owner: Principal, metric: Metric, reference: Reference, range: Range): Filters {
  const filters: Filters = { ...range, interval: 'day', ...checkScope(rule.filters, reference) }
  return scopeFilters(owner, metric, filters, [])
}

export function windowOf(rule: Rule, day: string): Range {
  return { from: shiftDay(day, 1 - rule.windowDays), to: day }
}

export function comparedWindow(rule: Rule, window: Range): Range {
  if (rule.compareTo === 'year') {
    const back = (day: string) =>
      subYears(new Date(`${day}T00:00:00Z`), 1)
        .toISOString()
        .slice(0, 10)
    return { from: back(window.from), to: back(window.to) }
  }
  return { from: shiftDay(window.from, -rule.windowDays), to: shiftDay(window.from, -1) }
}

const metricText = (metric: Metric) => metric.names.en.toLowerCase()
const round = (value: number) => Number(value.toPrecision(4))

/** Shares change in percentage points (absolute), other metrics in per cent (relative), as /compare reports them. */
export function changeOf(metric: Metric, current: number | null, base: number | null): number | null {
  if (current === null || base === null) return null
  if (metric.unit === 'share') return current - base
  return base === 0 ? null : (current - base) / Math.abs(base)
}

const past = (operator: Rule['operator'], value: number, limit: number) =>
  operator === 'above' ? value > limit : operator === 'below' ? value < limit : Math.abs(value) >= limit

function thresholdCondition(rule: Rule, metric: Metric, day: string, cell: Cell, base: Cell | null): Condition[] {
  if (cell.value === null) return []
  if (rule.kind === 'threshold') {
    if (!past(rule.operator, cell.value, rule.value)) return []
    return [
      {
        subject: 'value',
        labels: { metric: metric.id },
        day,
        value: cell.value,
        expected: rule.value,
        low: null,
        high: null,
        detail: `${metricText(metric)} ${round(cell.value)} is ${rule.operator} ${rule.value}`,
      },
    ]
  }
  const change = changeOf(metric, cell.value, base?.value ?? null)
  const sized = rule.operator === 'below' ? -rule.value : rule.value
  if (change === null || !past(rule.operator, change, sized)) return []
  return [
    {
      subject: 'value',
      labels: { metric: metric.id, compareTo: rule.compareTo },
      day,
      value: cell.value,
      expected: base?.value ?? null,
      low: null,
      high: null,
      detail: `${metricText(metric)} ${round(cell.value)} against ${round(base?.value ?? 0)} (${rule.compareTo}): a change of ${round(change)}`,
    },
  ]
}

function anomalyConditions(rule: Rule, owner: Principal, context: EvaluationContext): Condition[] {
  const scope = checkScope(rule.filters, context.reference)
  const inCategory = new Set(
    context.reference.services.filter((service) => scope.categories.includes(service.category)).map((s) => s.code),
  )
  const within = (values: string[], value: string) => values.length === 0 || values.includes(value)
  const worst = new Map<string, Anomaly>()
  for (const anomaly of context.anomalies) {
    if (anomaly.day !== context.day) continue
    if (rule.metric && anomaly.metric !== rule.metric) continue
    if (rule.operator === 'above' && anomaly.score < 0) continue
    if (rule.operator === 'below' && anomaly.score > 0) continue
    if (!within(scope.regions, anomaly.region) || !within(scope.channels, anomaly.channel)) continue
    if (!within(scope.services, anomaly.service)) continue
    if (scope.categories.length && !inCategory.has(anomaly.service)) continue
    if (!seesSeries(owner, anomaly)) continue
    const subject = [anomaly.metric, anomaly.region, anomaly.channel, anomaly.service].join('|')
    const known = worst.get(subject)
    if (!known || Math.abs(anomaly.score) > Math.abs(known.score)) worst.set(subject, anomaly)
  }
  return [...worst.entries()].map(([subject, anomaly]) => ({
    subject,
    labels: {
      metric: anomaly.metric,
      region: anomaly.region,
      channel: anomaly.channel,
      service: anomaly.service,
      days: String(anomaly.days),
    },
    day: anomaly.day,
    value: anomaly.value,
    expected: anomaly.expected,
    low: anomaly.low,
    high: anomaly.high,
    detail: `${anomaly.metric} [${subject}] ${round(anomaly.value)} on ${anomaly.day}${anomaly.days > 1 ? ` (${anomaly.days} days)` : ''}, expected ${round(anomaly.expected)} (${round(anomaly.low)}–${round(anomaly.high)})`,
  }))
}

function feedConditions(rule: Rule, owner: Principal, context: EvaluationContext): Condition[] {
  const scope = checkScope(rule.filters, context.reference)
  const within = (values: string[], value: string) => values.length === 0 || values.includes(value)
  return context.feeds
    .filter((feed) => rule.feedStates.includes(feed.state))
    .filter((feed) => within(scope.regions, feed.region) && within(scope.channels, feed.channel))
    .filter((feed) => seesFeed(owner, feed))
    .map((feed) => ({
      subject: feedKey(feed),
      labels: { source: feed.source, channel: feed.channel, region: feed.region, state: feed.state },
      day: feed.since,
      value: feed.missingDays,
      expected: null,
      low: null,
      high: null,
      detail: `feed ${feedKey(feed)} is ${feed.state} since ${feed.since} (${feed.missingDays} due days)`,
    }))
}

/** What each rule finds true now; a rule that cannot be evaluated says why and finds nothing. */
export async function evaluateRules(rules: readonly Rule[], context: EvaluationContext): Promise<RuleOutcome[]> {
  const batch = context.batch ?? new MetricBatch(context.store, context.reference, shiftDay(context.day, 1))
  return Promise.all(
    rules.map(async (rule): Promise<RuleOutcome> => {
      const owner = context.owners.get(rule.owner)
      if (!owner) return { rule, conditions: [], error: `its owner's token ${rule.owner} is revoked or gone` }
      try {
        if (rule.kind === 'anomaly') return { rule, conditions: anomalyConditions(rule, owner, context) }
        if (rule.kind === 'feed') return { rule, conditions: feedConditions(rule, owner, context) }
        const metric = metricById(rule.metric)
        if (!metric) return { rule, conditions: [], error: `unknown metric ${rule.metric}` }
        const window = windowOf(rule, context.day)
        const cell = await batch.value(metric, ownerFilters(rule, owner, metric, context.reference, window))
        const base =
          rule.kind === 'change'
            ? await batch.value(
                metric,
                ownerFilters(rule, owner, metric, context.reference, comparedWindow(rule, window)),
              )
            : null
        return { rule, conditions: thresholdCondition(rule, metric, context.day, cell, base) }
      } catch (error) {
        return { rule, conditions: [], error: error instanceof Error ? error.message : String(error) }
      }
    }),
  )
}
