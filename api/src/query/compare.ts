// The ranges a comparison sets against the asked one: by the calendar, or aligned on weekdays and public holidays.
import { daysOff } from '@qyzmet/sql'
import { addDays, differenceInCalendarDays, format, getDay, parseISO, subYears } from 'date-fns'
import type { Alignment, Filters } from '../contract/index.ts'

const iso = (date: Date) => format(date, 'yyyy-MM-dd')
const shift = (day: string, days: number) => iso(addDays(parseISO(day), days))

/** Working days lost to public holidays in [from, to]: days off (holidays.json, transfers included) on Mon–Fri. */
export function holidaysOn(from: string, to: string): number {
  const off = daysOff(Number(from.slice(0, 4)), Number(to.slice(0, 4)))
  let count = 0
  for (let day = parseISO(from); iso(day) <= to; day = addDays(day, 1)) {
    const weekday = getDay(day)
    if (weekday !== 0 && weekday !== 6 && off.has(iso(day))) count++
  }
  return count
}

export interface ComparedRange {
  from: string
  to: string
  /** Days the range was moved back by (weekday alignment), or null for calendar dates. */
  shiftDays: number | null
  /** Working days lost to public holidays in the range. */
  holidays: number
}

/**
 * A range moved back by a whole number of weeks: of the candidate shifts (in order of preference) the first whose
 * range loses as many working days to holidays as the asked one; the first candidate when none does. Moving by whole
 * weeks keeps the count of each weekday.
 */
function weekdayAligned(filters: Filters, candidates: number[], holidays: number): ComparedRange {
  const ranges = candidates.map((days) => {
    const from = shift(filters.from, -days)
    const to = shift(filters.to, -days)
    return { from, to, shiftDays: days, holidays: holidaysOn(from, to) }
  })
  return ranges.find((range) => range.holidays === holidays) ?? (ranges[0] as ComparedRange)
}

/**
 * The asked range, the one before it and the one a year earlier. Calendar: the same number of days just before,
 * and the same dates a year earlier (29 February becomes 28 February). Weekday: the period before ends at least one
 * day before the asked one and is moved back by the length rounded up to whole weeks (or a week more), the year
 * earlier is 52 weeks back (or 53 or 51); each the first of those that loses as many working days to holidays.
 */
export function comparedRanges(filters: Filters, alignment: Alignment): [ComparedRange, ComparedRange, ComparedRange] {
  const holidays = holidaysOn(filters.from, filters.to)
  const current: ComparedRange = { from: filters.from, to: filters.to, shiftDays: null, holidays }
  const days = differenceInCalendarDays(parseISO(filters.to), parseISO(filters.from)) + 1
  if (alignment === 'weekday') {
    const weeks = Math.ceil(days / 7) * 7
    return [
      current,
      weekdayAligned(filters, [weeks, weeks + 7], holidays),
      weekdayAligned(filters, [364, 371, 357], holidays),
    ]
  }
  const previousFrom = shift(filters.from, -days)
  const previousTo = shift(filters.from, -1)
  const yearAgo = (day: string) => iso(subYears(parseISO(day), 1))
  const [earlierFrom, earlierTo] = [yearAgo(filters.from), yearAgo(filters.to)]
  return [
    current,
    { from: previousFrom, to: previousTo, shiftDays: null, holidays: holidaysOn(previousFrom, previousTo) },
    { from: earlierFrom, to: earlierTo, shiftDays: null, holidays: holidaysOn(earlierFrom, earlierTo) },
  ]
}
