// Filters after the schema: presets resolved, ranges checked, and codes checked against the reference data.
import { differenceInCalendarDays, parseISO } from 'date-fns'
import {
  defaultPreset,
  earliestDay,
  type FilterQuery,
  type Filters,
  type Interval,
  latestDay,
  maxDaysPerInterval,
  presetRange,
  type Scope,
} from '../contract/index.ts'
import type { Reference } from '../reference.ts'
import { BadRequest } from './errors.ts'

export interface FilterContext {
  reference: Reference
  /** Today in the deployment's time zone (YYYY-MM-DD). */
  today: string
  defaultInterval?: Interval
}

function known(values: readonly string[] | undefined, allowed: readonly string[], parameter: string): string[] {
  const unique = [...new Set(values ?? [])]
  const allowedSet = new Set(allowed)
  const unknown = unique.filter((value) => !allowedSet.has(value))
  if (unknown.length > 0) {
    const shown = allowed.length <= 12 ? `: one of ${allowed.join(', ')}` : ' (see /api/v1/meta)'
    throw new BadRequest(parameter, `unknown ${parameter} ${unknown.map((value) => `"${value}"`).join(', ')}${shown}`)
  }
  return unique
}

/** Every dimension unfiltered: the whole country, every channel, service and group. */
export const unfiltered: Omit<Filters, 'from' | 'to' | 'interval'> = {
  regions: [],
  channels: [],
  services: [],
  categories: [],
  ageBands: [],
  genders: [],
  assistedBy: [],
}

/** The scope's lists, each code checked against the reference data (the schema checked their shape). */
export function checkScope(scope: Scope, reference: Reference): Omit<Filters, 'from' | 'to' | 'interval'> {
  return {
    regions: known(scope.region, reference.regionCodes, 'region'),
    channels: known(scope.channel, reference.channelCodes, 'channel'),
    services: known(scope.service, reference.serviceCodes, 'service'),
    categories: known(scope.category, reference.categoryCodes, 'category'),
    ageBands: [...new Set(scope.age_band ?? [])],
    genders: [...new Set(scope.gender ?? [])],
    assistedBy: [...new Set(scope.assisted_by ?? [])],
  }
}

function inRange(day: string | undefined, parameter: string): void {
  if (day !== undefined && (day < earliestDay || day > latestDay)) {
    throw new BadRequest(parameter, `${day} is outside ${earliestDay} … ${latestDay}`)
  }
}

export function parseFilters(query: FilterQuery, context: FilterContext): Filters {
  const { reference, today } = context
  let { from, to } = query
  inRange(from, 'from')
  inRange(to, 'to')
  if (query.period !== undefined) {
    if (from || to) throw new BadRequest('period', 'give either period or from/to, not both')
    ;({ from, to } = presetRange(query.period, today, reference.firstDay))
  }
  from ??= presetRange(defaultPreset, today, reference.firstDay).from
  const end = to ?? today
  if (from > end) throw new BadRequest('from', `from (${from}) is after to (${end})`)
  const interval = query.interval ?? context.defaultInterval ?? 'month'
  const span = differenceInCalendarDays(parseISO(end), parseISO(from)) + 1
  if (span > maxDaysPerInterval[interval]) {
    throw new BadRequest(
      'interval',
      `a ${interval} series may span at most ${maxDaysPerInterval[interval]} days; this range spans ${span}. Choose a longer interval or a shorter range`,
    )
  }
  return { from, to: end, interval, ...checkScope(query, reference) }
}

/** The filters as a scope again (for storing and for re-asking the API). */
export function scopeOf(filters: Omit<Filters, 'from' | 'to' | 'interval'>): Scope {
  const scope: Scope = {}
  if (filters.regions.length) scope.region = filters.regions
  if (filters.channels.length) scope.channel = filters.channels
  if (filters.services.length) scope.service = filters.services
  if (filters.categories.length) scope.category = filters.categories
  if (filters.ageBands.length) scope.age_band = filters.ageBands as Scope['age_band']
  if (filters.genders.length) scope.gender = filters.genders as Scope['gender']
  if (filters.assistedBy.length) scope.assisted_by = filters.assistedBy as Scope['assisted_by']
  return scope
}
