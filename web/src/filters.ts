// Dates and intervals of a view: the range its period covers, and a series interval that keeps charts readable.
import { defaultPeriod, type Filters as ViewFilters } from './view.ts'

/** What the range depends on: a preset, or from/to. */
type Filters = Pick<ViewFilters, 'period' | 'from' | 'to'>

const presetDays: Record<string, number> = { last_7d: 7, last_30d: 30, last_90d: 90 }
const iso = (date: Date) => date.toISOString().slice(0, 10)
const day = (text: string) => new Date(`${text}T00:00:00Z`)

/** The dates a view covers, resolved as the API resolves presets (api/src/query/filters.ts), relative to today. */
export function periodRange(filters: Filters, bounds: { firstDay: string; today: string }) {
  const { firstDay, today } = bounds
  if (filters.from || filters.to) return { from: filters.from ?? firstDay, to: filters.to ?? today }
  const period = filters.period ?? defaultPeriod
  const now = day(today)
  const year = now.getUTCFullYear()
  const days = presetDays[period]
  if (days) return { from: iso(new Date(now.getTime() - (days - 1) * 86_400_000)), to: today }
  // Twelve whole months ending with the last complete one.
  if (period === 'last_12m')
    return {
      from: iso(new Date(Date.UTC(year, now.getUTCMonth() - 12, 1))),
      to: iso(new Date(Date.UTC(year, now.getUTCMonth(), 0))),
    }
  if (period === 'ytd') return { from: `${year}-01-01`, to: today }
  if (period === 'previous_year') return { from: `${year - 1}-01-01`, to: `${year - 1}-12-31` }
  return { from: firstDay, to: today }
}

/** Whether a range includes a day and the day before it (a change on that day shows inside the range). */
export const spansDay = (range: { from: string; to: string }, change: string): boolean =>
  range.from < change && range.to >= change

/** The most points one chart asks for; beyond it a series is drawn by a coarser interval. */
export const maxPoints = 2000
const intervalDays: Record<string, number> = { day: 1, week: 7, month: 30.44, quarter: 91.3, year: 365.25 }
const coarser = ['day', 'week', 'month', 'quarter', 'year']
/** The API's own limit on the range of a series per interval (api/src/query/filters.ts maxDaysPerInterval). */
const maxDaysPerInterval: Record<string, number> = { day: 732, week: 3660 }

/**
 * The interval to ask for: the chosen one, or the first coarser one whose points × series stay within maxPoints
 * (and whose range the API accepts).
 */
export function seriesInterval(range: { from: string; to: string }, chosen: string, seriesCount = 1): string {
  const span = (day(range.to).getTime() - day(range.from).getTime()) / 86_400_000 + 1
  const start = Math.max(0, coarser.indexOf(chosen))
  for (const interval of coarser.slice(start)) {
    const points = Math.ceil(span / (intervalDays[interval] ?? 1)) * seriesCount
    if (points <= maxPoints && span <= (maxDaysPerInterval[interval] ?? Number.POSITIVE_INFINITY)) return interval
  }
  return 'year'
}
