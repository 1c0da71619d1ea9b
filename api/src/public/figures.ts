// Figures the portal derives from published values only: the headline of a series, its changes, the day the
// catalogue passed a share, and the cost per transaction of a published channel mix.
import { format, parseISO, subYears } from 'date-fns'
import type { Interval, PublicValue } from '../contract/index.ts'
import type { PublicCell } from './published.ts'

export interface Headline {
  /** The latest complete period with a published value. */
  current: PublicValue
  /** The period just before it, as published (its value may be suppressed). */
  previous: PublicValue | null
  /** The same period a year earlier, as published. */
  yearEarlier: PublicValue | null
}

const shown = (value: PublicValue): value is PublicValue & { value: number } =>
  !value.provisional && !value.suppressed && value.value !== null

export function headline(values: readonly PublicValue[], interval: Interval): Headline | null {
  const index = values.findLastIndex(shown)
  const current = values[index]
  if (!current) return null
  const yearAgo =
    interval === 'month' || interval === 'quarter' || interval === 'year'
      ? format(subYears(parseISO(current.period), 1), 'yyyy-MM-dd')
      : null
  return {
    current,
    previous: values[index - 1] ?? null,
    yearEarlier: values.find((value) => value.period === yearAgo) ?? null,
  }
}

export interface Change {
  /** Shares: the difference in percentage points; other units: the relative change. */
  amount: number
  kind: 'points' | 'relative'
}

/** The change from `before` to `after`, or null when either is not published. */
export function change(after: PublicValue, before: PublicValue | null, unit: string): Change | null {
  if (!before || before.value === null || after.value === null) return null
  if (unit === 'share') return { amount: (after.value - before.value) * 100, kind: 'points' }
  if (before.value === 0) return null
  return { amount: after.value / before.value - 1, kind: 'relative' }
}

/**
 * The first day on which at least `share` of the register's services were available online (METHODOLOGY.md:
 * catalogue coverage is services with `online_since` on or before the day ÷ services in the register).
 */
export function coveragePassed(onlineSince: readonly (string | null)[], share: number): string | null {
  const days = onlineSince.filter((day): day is string => day !== null).sort()
  const needed = Math.ceil(share * onlineSince.length)
  return needed >= 1 && needed <= days.length ? (days[needed - 1] ?? null) : null
}

export interface ChannelCost {
  channel: string
  cost: number
  currency: string
  source: string
}

export type CostPerTransaction =
  | { state: 'known'; amount: number; currency: string; period: string; sources: string[] }
  | { state: 'not_published' }
  | { state: 'suppressed'; period: string }
  | { state: 'unknown'; period: string; channels: string[] }

/**
 * Cost per transaction of a period: Σ volume of each channel × its cost ÷ Σ volume, from the published volume by
 * channel (complete periods only). Any suppressed channel, or a channel with volume and no known cost, leaves it unknown.
 */
export function costPerTransaction(cells: readonly PublicCell[], costs: readonly ChannelCost[]): CostPerTransaction {
  const byChannel = cells.filter((cell) => cell.dimension === 'channel' && !cell.provisional)
  const period = byChannel
    .map((cell) => cell.period)
    .sort()
    .at(-1)
  if (!period) return { state: 'not_published' }
  const latest = byChannel.filter((cell) => cell.period === period)
  if (latest.some((cell) => cell.suppressed || cell.value === null)) return { state: 'suppressed', period }
  const priced = new Map(costs.map((cost) => [cost.channel, cost]))
  const missing = latest.filter((cell) => (cell.value ?? 0) > 0 && !priced.has(cell.code)).map((cell) => cell.code)
  if (missing.length > 0) return { state: 'unknown', period, channels: missing }
  let volume = 0
  let spent = 0
  for (const cell of latest) {
    const cost = priced.get(cell.code)
    if (!cost || !cell.value) continue
    volume += cell.value
    spent += cell.value * cost.cost
  }
  const used = latest.map((cell) => priced.get(cell.code)).filter((cost): cost is ChannelCost => cost !== undefined)
  const currencies = new Set(used.map((cost) => cost.currency))
  if (volume === 0 || currencies.size !== 1) return { state: 'unknown', period, channels: [] }
  return {
    state: 'known',
    amount: spent / volume,
    currency: [...currencies][0] ?? '',
    period,
    sources: [...new Set(used.map((cost) => cost.source))],
  }
}
