// Period presets and interval limits, pure: the API resolves filters with them and the dashboard shows the same dates.
import { addDays, endOfMonth, format, parseISO, startOfMonth, startOfYear, subMonths } from 'date-fns'

export const intervals = ['day', 'week', 'month', 'quarter', 'year'] as const
export type Interval = (typeof intervals)[number]

export const presets = ['last_7d', 'last_30d', 'last_90d', 'last_12m', 'ytd', 'previous_year', 'all'] as const
export type Preset = (typeof presets)[number]

/** The preset a view uses when it names none: comparable, and answered from monthly rollups. */
export const defaultPreset: Preset = 'last_12m'

/** The longest range each interval may span, so that a series stays a readable size. */
export const maxDaysPerInterval: Record<Interval, number> = {
  day: 732,
  week: 3660,
  month: 36600,
  quarter: 36600,
  year: 36600,
}

/** Days before the first and after the last day any filter may name. */
export const earliestDay = '2000-01-01'
export const latestDay = '2099-12-31'

const day = (date: Date) => format(date, 'yyyy-MM-dd')

/** The dates a preset stands for, relative to `today` (YYYY-MM-DD); `firstDay` is where `all` begins. */
export function presetRange(preset: Preset, today: string, firstDay: string): { from: string; to: string } {
  const now = parseISO(today)
  switch (preset) {
    case 'last_7d':
      return { from: day(addDays(now, -6)), to: today }
    case 'last_30d':
      return { from: day(addDays(now, -29)), to: today }
    case 'last_90d':
      return { from: day(addDays(now, -89)), to: today }
    case 'last_12m':
      // Twelve whole months ending with the last complete one: comparable, and answered from monthly rollups.
      return { from: day(startOfMonth(subMonths(now, 12))), to: day(endOfMonth(subMonths(now, 1))) }
    case 'ytd':
      return { from: day(startOfYear(now)), to: today }
    case 'previous_year':
      return { from: `${now.getFullYear() - 1}-01-01`, to: `${now.getFullYear() - 1}-12-31` }
    case 'all':
      return { from: firstDay, to: today }
  }
}

export const isPreset = (value: string | undefined | null): value is Preset => presets.includes(value as Preset)
export const isInterval = (value: string | undefined | null): value is Interval => intervals.includes(value as Interval)
