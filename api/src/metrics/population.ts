// The residents a per-capita figure divides by: each region's mid-year population of each day's year, in the
// boundaries its rows are recorded in (a new region has none before it began; its parent includes it until then).
import { addDays, differenceInCalendarDays, format, parseISO } from 'date-fns'
import type { Reference } from '../reference.ts'

/** Which boundaries the rows are in: those of the time (as recorded), or those of 2024 throughout. */
export type Boundaries = 'of_the_time' | '2024'

const day = (date: Date) => format(date, 'yyyy-MM-dd')

/** The residents of a region's territory on a day. */
export function residentsOn(reference: Reference, region: string, on: string, boundaries: Boundaries): number {
  const own = reference.regions.find((item) => item.code === region)
  if (boundaries === 'of_the_time' && own?.validFrom && on < own.validFrom) return 0
  const split = reference.regions.find((item) => item.splitFrom === region && item.validFrom)?.validFrom
  const before = boundaries === 'of_the_time' && split !== undefined && split !== null && on < split
  const rows = reference.populations.filter((row) => row.region === region)
  if (rows.length === 0) return own?.population ?? 0
  const years = rows.map((row) => row.year)
  // A year without an estimate takes the nearest year's.
  const year = Math.min(Math.max(Number(on.slice(0, 4)), Math.min(...years)), Math.max(...years))
  const ofYear = rows.filter((row) => row.year === year)
  const chosen =
    (before ? ofYear.find((row) => row.boundaries === '2018') : undefined) ??
    ofYear.find((row) => row.boundaries === '2024')
  return chosen?.population ?? 0
}

/** The days where the residents can change: each 1 January, and each day a region began. */
function changeDays(reference: Reference, from: string, to: string): string[] {
  const days = new Set<string>()
  for (let year = Number(from.slice(0, 4)) + 1; year <= Number(to.slice(0, 4)); year++) days.add(`${year}-01-01`)
  for (const region of reference.regions)
    if (region.validFrom && region.validFrom > from && region.validFrom <= to) days.add(region.validFrom)
  return [...days].sort()
}

/** The mean, over the days from `from` to `to`, of the residents of the regions (unscaled, not rounded). */
export function meanResidents(
  reference: Reference,
  regions: readonly string[],
  from: string,
  to: string,
  boundaries: Boundaries,
): number {
  const starts = [from, ...changeDays(reference, from, to)]
  let residentDays = 0
  starts.forEach((start, index) => {
    const next = starts[index + 1]
    const end = next ? day(addDays(parseISO(next), -1)) : to
    const days = differenceInCalendarDays(parseISO(end), parseISO(start)) + 1
    for (const region of regions) residentDays += residentsOn(reference, region, start, boundaries) * days
  })
  return residentDays / (differenceInCalendarDays(parseISO(to), parseISO(from)) + 1)
}
