// Series intervals that keep a chart within maxPoints: the interval a view chose, the one asked for, and a note.
import { periodRange, seriesInterval } from '../filters.ts'
import { useSession } from '../session.tsx'

/** The chosen interval and the one to ask for, given how many series the chart draws. */
export function useSeriesInterval(seriesCount: number): { chosen: string; used: string } {
  const { view, meta } = useSession()
  const chosen = view.filters.interval ?? 'month'
  const used = meta ? seriesInterval(periodRange(view.filters, meta), chosen, seriesCount) : chosen
  return { chosen, used }
}

export function IntervalNote({ chosen, used }: { chosen: string; used: string }) {
  const { t } = useSession()
  if (chosen === used) return null
  return <p className="credit">{t('shownByInterval', { interval: used })}</p>
}
