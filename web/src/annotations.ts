// The annotations of a chart's range and filters (analysts' notes, built-in breaks, incidents found), as the
// chart builders draw them.
import type { Annotation, MetricTable } from '@qyzmet/api/contract'
import { addDays, formatISO, parseISO } from 'date-fns'
import { useMemo } from 'react'
import type { ChartAnnotation } from './charts/annotations.ts'
import { monitorApi } from './monitor.ts'
import { useApi } from './queries.ts'
import { useSession } from './session.tsx'

/** The longest range the monitor answers about (days); a longer chart gets the annotations of its latest part. */
const longestDays = 730

/** The annotations for the range and filters an answer was computed for (none until it has come). */
export function useAnnotations(filters: MetricTable['filters'] | undefined): ChartAnnotation[] {
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
