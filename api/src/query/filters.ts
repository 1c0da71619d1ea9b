// The one filter language of every endpoint: date range or preset, interval and dimension lists, validated.
import {
  addDays,
  differenceInCalendarDays,
  endOfMonth,
  format,
  parseISO,
  startOfMonth,
  startOfYear,
  subMonths,
} from 'date-fns'
import type { Reference } from '../reference.ts'

export const intervals = ['day', 'week', 'month', 'quarter', 'year'] as const
export type Interval = (typeof intervals)[number]

export const presets = ['last_7d', 'last_30d', 'last_90d', 'last_12m', 'ytd', 'previous_year', 'all'] as const
export type Preset = (typeof presets)[number]

export const ageBands = ['<18', '18-29', '30-49', '50-64', '65+', 'unknown'] as const
export const genders = ['f', 'm', 'unknown'] as const
export const assistance = ['self', 'staff', 'volunteer'] as const

export interface Filters {
  from: string
  to: string
  interval: Interval
  regions: string[]
  channels: string[]
  services: string[]
  categories: string[]
  ageBands: string[]
  genders: string[]
  assistedBy: string[]
}

/** A request that cannot be answered as asked: a 400 that names the parameter and says why. */
export class BadRequest extends Error {
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(message)
    this.name = 'BadRequest'
  }
}

/** The longest range each interval may span, so that a series stays a readable size. */
export const maxDaysPerInterval: Record<Interval, number> = {
  day: 732,
  week: 3660,
  month: 36600,
  quarter: 36600,
  year: 36600,
}

export type QueryInput = Record<string, string | string[] | undefined>

const isoDate = /^\d{4}-\d{2}-\d{2}$/
const day = (date: Date) => format(date, 'yyyy-MM-dd')

function list(input: QueryInput, name: string): string[] {
  const raw = input[name]
  const values = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw])
    .flatMap((value) => value.split(','))
    .map((value) => value.trim())
    .filter((value) => value !== '')
  return [...new Set(values)]
}

function oneOf(input: QueryInput, name: string, allowed: readonly string[], describe: string): string[] {
  const values = list(input, name)
  const unknown = values.filter((value) => !allowed.includes(value))
  if (unknown.length > 0) {
    const shown = allowed.length <= 12 ? `: one of ${allowed.join(', ')}` : ` (see /api/v1/meta)`
    throw new BadRequest(name, `unknown ${describe} ${unknown.map((value) => `"${value}"`).join(', ')}${shown}`)
  }
  return values
}

function date(input: QueryInput, name: string): string | undefined {
  const raw = input[name]
  if (raw === undefined || raw === '') return undefined
  if (Array.isArray(raw)) throw new BadRequest(name, `give ${name} once`)
  if (!isoDate.test(raw) || Number.isNaN(parseISO(raw).getTime()) || day(parseISO(raw)) !== raw) {
    throw new BadRequest(name, `"${raw}" is not a date; write it as YYYY-MM-DD`)
  }
  return raw
}

/** The dates a preset stands for, relative to `today`. */
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

export interface FilterContext {
  reference: Reference
  /** Today in the deployment's time zone (YYYY-MM-DD). */
  today: string
  defaultInterval?: Interval
}

export function parseFilters(input: QueryInput, context: FilterContext): Filters {
  const { reference, today } = context
  const period = input.period
  if (Array.isArray(period)) throw new BadRequest('period', 'give period once')
  let from = date(input, 'from')
  let to = date(input, 'to')
  if (period !== undefined && period !== '') {
    if (!presets.includes(period as Preset)) {
      throw new BadRequest('period', `unknown preset "${period}": one of ${presets.join(', ')}`)
    }
    if (from || to) throw new BadRequest('period', 'give either period or from/to, not both')
    ;({ from, to } = presetRange(period as Preset, today, reference.firstDay))
  }
  from ??= presetRange('last_12m', today, reference.firstDay).from
  const end = to ?? today
  if (from < '2000-01-01') throw new BadRequest('from', `${from} is before 2000-01-01, when no data can exist`)
  if (from > end) throw new BadRequest('from', `from (${from}) is after to (${end})`)

  const rawInterval = input.interval
  if (Array.isArray(rawInterval)) throw new BadRequest('interval', 'give interval once')
  const interval = (rawInterval || context.defaultInterval || 'month') as Interval
  if (!intervals.includes(interval)) {
    throw new BadRequest('interval', `unknown interval "${rawInterval}": one of ${intervals.join(', ')}`)
  }
  const span = differenceInCalendarDays(parseISO(end), parseISO(from)) + 1
  if (span > maxDaysPerInterval[interval]) {
    throw new BadRequest(
      'interval',
      `a ${interval} series may span at most ${maxDaysPerInterval[interval]} days; this range spans ${span}. Choose a longer interval or a shorter range`,
    )
  }

  return {
    from,
    to: end,
    interval,
    regions: oneOf(input, 'region', reference.regionCodes, 'region'),
    channels: oneOf(input, 'channel', reference.channelCodes, 'channel'),
    services: oneOf(input, 'service', reference.serviceCodes, 'service'),
    categories: oneOf(input, 'category', reference.categoryCodes, 'category'),
    ageBands: oneOf(input, 'age_band', ageBands, 'age band'),
    genders: oneOf(input, 'gender', genders, 'gender'),
    assistedBy: oneOf(input, 'assisted_by', assistance, 'assisted_by value'),
  }
}

/** The dimensions the filters restrict, by their API names. */
export function filteredDimensions(filters: Filters): string[] {
  const lists: [string, string[]][] = [
    ['region', filters.regions],
    ['channel', filters.channels],
    ['service', filters.services],
    ['category', filters.categories],
    ['age_band', filters.ageBands],
    ['gender', filters.genders],
    ['assisted_by', filters.assistedBy],
  ]
  return lists.filter(([, values]) => values.length > 0).map(([dimension]) => dimension)
}
