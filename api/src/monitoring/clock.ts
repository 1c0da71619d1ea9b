// The monitor's sense of time: now, today in the deployment's zone, and the instants days begin and end there.
import { addDays, formatISO, parseISO } from 'date-fns'

/** Formatters per zone: making one costs far more than using it, and a round asks thousands of times. */
const wallClocks = new Map<string, Intl.DateTimeFormat>()
const calendars = new Map<string, Intl.DateTimeFormat>()
const formatter = (cache: Map<string, Intl.DateTimeFormat>, zone: string, make: () => Intl.DateTimeFormat) => {
  let format = cache.get(zone)
  if (!format) {
    format = make()
    cache.set(zone, format)
  }
  return format
}

/** Milliseconds the zone is ahead of UTC at an instant. */
function offsetAt(instant: number, zone: string): number {
  const parts = formatter(
    wallClocks,
    zone,
    () =>
      new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      }),
  ).formatToParts(new Date(instant))
  const part = (type: string) => Number(parts.find((each) => each.type === type)?.value ?? 0)
  const wall = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'))
  return wall - Math.floor(instant / 1000) * 1000
}

/** The instant (ms) a calendar day (YYYY-MM-DD) begins in the zone: zones change their offset (Almaty did in 2024). */
export function startOfDayIn(day: string, zone: string): number {
  const guess = Date.parse(`${day}T00:00:00Z`)
  const first = guess - offsetAt(guess, zone)
  return guess - offsetAt(first, zone)
}

/** The instant a day ends (the next day begins) in the zone. */
export const endOfDayIn = (day: string, zone: string): number => startOfDayIn(shiftDay(day, 1), zone)

/** The calendar day (YYYY-MM-DD) an instant falls on in the zone. */
export function dayIn(instant: number, zone: string): string {
  return formatter(
    calendars,
    zone,
    () => new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }),
  ).format(new Date(instant))
}

export const shiftDay = (day: string, days: number): string =>
  formatISO(addDays(parseISO(day), days), { representation: 'date' })

/** What the monitor judges against: the moment it runs (tests and replays set it) and the deployment's zone. */
export interface Clock {
  now: number
  zone: string
}

export const today = (clock: Clock) => dayIn(clock.now, clock.zone)
export const yesterday = (clock: Clock) => shiftDay(today(clock), -1)
