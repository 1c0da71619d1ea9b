// The base period a change is measured from: given dates, the same dates a year earlier, or the span just before.
import {
  addDays,
  addMonths,
  differenceInCalendarDays,
  differenceInCalendarMonths,
  endOfMonth,
  format,
  parseISO,
  subYears,
} from 'date-fns'
import { type BaseChoice, earliestDay, type Filters, latestDay } from '../contract/index.ts'
import { BadRequest } from '../query/errors.ts'

const iso = (date: Date) => format(date, 'yyyy-MM-dd')

/** Whether a range covers whole calendar months (then the monthly rollups can answer it). */
export function wholeMonths(from: string, to: string): boolean {
  return from.endsWith('-01') && iso(addDays(parseISO(to), 1)).endsWith('-01')
}

/**
 * The base range. `previous_year`: the same dates a year earlier (29 February becomes the 28th; whole months stay whole). `previous`: the
 * same number of whole months just before when the range is whole months (so that a quarter is compared with the
 * quarter before, not with a span of the same days), else the same number of days just before.
 */
export function baseRange(
  current: Pick<Filters, 'from' | 'to'>,
  asked: { base?: BaseChoice; base_from?: string; base_to?: string },
): { from: string; to: string } {
  if (asked.base_from !== undefined || asked.base_to !== undefined) {
    if (asked.base !== undefined) throw new BadRequest('base', 'give either base or base_from/base_to, not both')
    if (asked.base_from === undefined || asked.base_to === undefined) {
      throw new BadRequest(asked.base_from === undefined ? 'base_from' : 'base_to', 'give both base_from and base_to')
    }
    for (const [name, day] of [
      ['base_from', asked.base_from],
      ['base_to', asked.base_to],
    ] as const) {
      if (day < earliestDay || day > latestDay)
        throw new BadRequest(name, `${day} is outside ${earliestDay} … ${latestDay}`)
    }
    if (asked.base_from > asked.base_to) {
      throw new BadRequest('base_from', `base_from (${asked.base_from}) is after base_to (${asked.base_to})`)
    }
    return { from: asked.base_from, to: asked.base_to }
  }
  const from = parseISO(current.from)
  const to = parseISO(current.to)
  const months = wholeMonths(current.from, current.to)
  if ((asked.base ?? 'previous_year') === 'previous_year') {
    // Whole months stay whole: February 2025 is compared with all of February 2024.
    const end = months ? endOfMonth(subYears(to, 1)) : subYears(to, 1)
    return { from: iso(subYears(from, 1)), to: iso(end) }
  }
  if (months) {
    const span = differenceInCalendarMonths(to, from) + 1
    return { from: iso(addMonths(from, -span)), to: iso(addDays(from, -1)) }
  }
  const days = differenceInCalendarDays(to, from) + 1
  return { from: iso(addDays(from, -days)), to: iso(addDays(from, -1)) }
}
