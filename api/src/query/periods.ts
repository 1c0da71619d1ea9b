// The periods of an interval that a date range covers, clipped to the range.
import {
  addDays,
  addMonths,
  addQuarters,
  addWeeks,
  addYears,
  format,
  parseISO,
  startOfMonth,
  startOfQuarter,
  startOfWeek,
  startOfYear,
} from 'date-fns'
import type { Filters, Interval } from '../contract/index.ts'

const start: Record<Interval, (date: Date) => Date> = {
  day: (date) => date,
  week: (date) => startOfWeek(date, { weekStartsOn: 1 }),
  month: startOfMonth,
  quarter: startOfQuarter,
  year: startOfYear,
}
const next: Record<Interval, (date: Date) => Date> = {
  day: (date) => addDays(date, 1),
  week: (date) => addWeeks(date, 1),
  month: (date) => addMonths(date, 1),
  quarter: (date) => addQuarters(date, 1),
  year: (date) => addYears(date, 1),
}

const iso = (date: Date) => format(date, 'yyyy-MM-dd')

/** Each period's first day (as the engine labels it, e.g. the Monday of a week) and its last day within the range. */
export function periodsOf(filters: Pick<Filters, 'from' | 'to' | 'interval'>): { start: string; end: string }[] {
  const periods: { start: string; end: string }[] = []
  for (let period = start[filters.interval](parseISO(filters.from)); iso(period) <= filters.to; ) {
    const following = next[filters.interval](period)
    const last = iso(addDays(following, -1))
    // biome-ignore lint/complexity/useMathMinMax: ISO dates compared as strings, not numbers
    periods.push({ start: iso(period), end: last < filters.to ? last : filters.to })
    period = following
  }
  return periods
}
