// The annotations of a chart's range and filters (analysts' notes, built-in breaks, incidents found), as the
// chart builders draw them.
import type { Annotation, Interval, Scope } from '@qyzmet/api/contract'
import { addDays, endOfISOWeek, endOfMonth, endOfQuarter, endOfYear, formatISO, parseISO } from 'date-fns'
import { useMemo } from 'react'
import type { ChartAnnotation } from './charts/annotations.ts'
import { monitorApi } from './monitor.ts'
import { useApi } from './queries.ts'
import { useSession } from './session.tsx'

/** The longest range the monitor answers about (days); a longer chart gets the annotations of its latest part. */
const longestDays = 730

/** The days and places a chart shows: an answer's filters, or a target's or indicator's scope and range. */
export interface AnnotatedRange {
  from: string
  to: string
  regions: readonly string[]
  channels: readonly string[]
  services: readonly string[]
}

const ends = { week: endOfISOWeek, month: endOfMonth, quarter: endOfQuarter, year: endOfYear }

/** The last day of the period that starts on `period` (YYYY-MM-DD). */
export function periodEnd(period: string, interval: Interval): string {
  if (interval === 'day') return period
  return formatISO(ends[interval](parseISO(period)), { representation: 'date' })
}

/** A target's or indicator's scope over the days its values cover (none when it has no values). */
export function scopeRange(
  scope: Scope,
  periods: readonly { period: string }[],
  to: string,
): AnnotatedRange | undefined {
  const first = periods[0]?.period
  if (!first) return undefined
  return {
    from: first,
    to,
    regions: scope.region ?? [],
    channels: scope.channel ?? [],
    services: scope.service ?? [],
  }
}

/** The annotations for the range and filters an answer was computed for (none until it has come). */
export function useAnnotations(filters: AnnotatedRange | undefined): ChartAnnotation[] {
  const { lang, who } = useSession()
  const watched = who?.role === 'analyst' || who?.role === 'regional'
  const earliest = filters ? formatISO(addDays(parseISO(filters.to), -longestDays), { representation: 'date' }) : ''
  const url =
    filters && watched
      ? monitorApi.annotations({
          // Days compare as text (YYYY-MM-DD): the later of the chart's start and the earliest the monitor answers.
          from: [filters.from, earliest].sort()[1],
          to: filters.to,
          region: filters.regions.join(',') || undefined,
          channel: filters.channels.join(',') || undefined,
          service: filters.services.join(',') || undefined,
        })
      : null
  const answer = useApi<{ annotations: Annotation[] }>(url)
  // The same array while the answer and language stay, so that charts are not rebuilt at every render.
  return useMemo(
    () =>
      (answer.data?.annotations ?? []).map((annotation) => ({
        from: annotation.from,
        to: annotation.to,
        label: annotation.title[lang],
        origin: annotation.origin,
      })),
    [answer.data, lang],
  )
}
