// Dates and intervals of a view: the range its period covers, and a series interval that keeps charts readable.
import { defaultPreset, isPreset, maxDaysPerInterval, presetRange } from '@qyzmet/api/contract/periods'
import type { Filters as ViewFilters } from './view.ts'

/** What the range depends on: a preset, or from/to. */
type Filters = Pick<ViewFilters, 'period' | 'from' | 'to'>

const day = (text: string) => new Date(`${text}T00:00:00Z`)

/** The dates a view covers, resolved by the same function the API resolves presets with. */
export function periodRange(filters: Filters, bounds: { firstDay: string; today: string }) {
  const { firstDay, today } = bounds
  if (filters.from || filters.to) return { from: filters.from ?? firstDay, to: filters.to ?? today }
  const period = isPreset(filters.period) ? filters.period : defaultPreset
  return presetRange(period, today, firstDay)
}

/** Whether a range includes a day and the day before it (a change on that day shows inside the range). */
export const spansDay = (range: { from: string; to: string }, change: string): boolean =>
  range.from < change && range.to >= change

/** The most points one chart asks for; beyond it a series is drawn by a coarser interval. */
export const maxPoints = 2000
const intervalDays: Record<string, number> = { day: 1, week: 7, month: 30.44, quarter: 91.3, year: 365.25 }
const coarser = ['day', 'week', 'month', 'quarter', 'year'] as const

/**
 * The interval to ask for: the chosen one, or the first coarser one whose points × series stay within maxPoints
 * (and whose range the API accepts).
 */
export function seriesInterval(range: { from: string; to: string }, chosen: string, seriesCount = 1): string {
  const span = (day(range.to).getTime() - day(range.from).getTime()) / 86_400_000 + 1
  const start = Math.max(0, coarser.indexOf(chosen as (typeof coarser)[number]))
  for (const interval of coarser.slice(start)) {
    const points = Math.ceil(span / (intervalDays[interval] ?? 1)) * seriesCount
    if (points <= maxPoints && span <= maxDaysPerInterval[interval]) return interval
  }
  return 'year'
}
