// What a token may see of monitoring: the same rules as metric queries (query/scope.ts) applied to series, feeds,
// annotations, rules and alerts.
import type { Annotation, Filters } from '../contract/index.ts'
import { type Metric, metricById } from '../metrics/index.ts'
import type { Principal } from '../principal.ts'
import { Forbidden } from '../query/errors.ts'
import { unfiltered } from '../query/filters.ts'
import { scopeFilters } from '../query/scope.ts'

/** Monitoring watches request counts: their metric carries the access rules of every detected series. */
const requests = metricById('requests') as Metric

/**
 * Whether a principal may see a series or a feed of these filters as they are: regional tokens see detail (channel,
 * service …) only in their own regions and other regions only as totals, as query/scope.ts rules for metrics.
 */
export function maySee(principal: Principal, scope: Partial<Filters>, metric: Metric = requests): boolean {
  const filters: Filters = { from: '', to: '', interval: 'day', ...unfiltered, ...scope }
  try {
    return scopeFilters(principal, metric, filters, []).regions.join(',') === filters.regions.join(',')
  } catch (error) {
    if (error instanceof Forbidden) return false
    throw error
  }
}

const list = (code: string) => (code ? [code] : [])

/** A detected series (empty codes: every region, channel or service). */
export const seesSeries = (principal: Principal, series: { region: string; channel: string; service: string }) =>
  maySee(principal, { regions: list(series.region), channels: list(series.channel), services: list(series.service) })

/** An expected feed: a channel in a region, detail only its region's tokens (and analysts) see. */
export const seesFeed = (principal: Principal, feed: { region: string; channel: string }) =>
  maySee(principal, { regions: [feed.region], channels: [feed.channel] })

/** Analysts' notes are read by every token whose regions they concern (or all, when they name no region). */
export function seesAnnotation(principal: Principal, annotation: Annotation): boolean {
  if (principal.role === 'analyst') return true
  if (principal.role !== 'regional') return false
  const regions = annotation.scope.region ?? []
  return regions.length === 0 || regions.some((region) => principal.regions.includes(region))
}

/** Rules (and their alerts): analysts see every rule, a regional token the rules it owns. */
export const seesRule = (principal: Principal, rule: { owner: string }) =>
  principal.role === 'analyst' || (principal.role === 'regional' && rule.owner === principal.tokenId)
