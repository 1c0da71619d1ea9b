// Target progress: the current value, its trend, when the trend reaches the target and the monthly gain still needed.
import { addMonths, differenceInCalendarMonths, endOfMonth, format, parseISO, startOfMonth, subMonths } from 'date-fns'

export interface Point {
  period: string
  value: number | null
}

export interface Progress {
  current: number | null
  currentPeriod: string | null
  /** Change per month, by least squares over the last twelve monthly values. */
  trendPerMonth: number | null
  reached: boolean
  projectedDate: string | null
  /** What each remaining month must add (or remove) to reach the target by its due date. */
  monthlyGainNeeded: number | null
  onTrack: boolean
}

/** The window progress is judged on: 24 complete months ending with the last complete one. */
export function progressWindow(today: string): { from: string; to: string } {
  const lastComplete = subMonths(parseISO(today), 1)
  return {
    from: format(startOfMonth(subMonths(lastComplete, 23)), 'yyyy-MM-dd'),
    to: format(endOfMonth(lastComplete), 'yyyy-MM-dd'),
  }
}

export function slope(points: readonly number[]): number | null {
  if (points.length < 3) return null
  const n = points.length
  const meanX = (n - 1) / 2
  const meanY = points.reduce((sum, y) => sum + y, 0) / n
  let numerator = 0
  let denominator = 0
  points.forEach((y, x) => {
    numerator += (x - meanX) * (y - meanY)
    denominator += (x - meanX) ** 2
  })
  return numerator / denominator
}

export function targetProgress(
  points: readonly Point[],
  target: { value: number; dueDate: string; higherIsBetter: boolean },
): Progress {
  const known = points.filter((point): point is { period: string; value: number } => point.value !== null)
  const last = known.at(-1)
  if (!last) {
    return {
      current: null,
      currentPeriod: null,
      trendPerMonth: null,
      reached: false,
      projectedDate: null,
      monthlyGainNeeded: null,
      onTrack: false,
    }
  }
  const direction = target.higherIsBetter ? 1 : -1
  const trend = slope(known.slice(-12).map((point) => point.value))
  const gap = target.value - last.value
  const reached = gap * direction <= 0
  const lastDay = endOfMonth(parseISO(last.period))
  const monthsLeft = differenceInCalendarMonths(parseISO(target.dueDate), lastDay)
  let projectedDate: string | null = null
  if (reached) projectedDate = format(lastDay, 'yyyy-MM-dd')
  else if (trend !== null && trend * direction > 0) {
    const months = Math.ceil(gap / trend)
    projectedDate = months < 1200 ? format(endOfMonth(addMonths(lastDay, months)), 'yyyy-MM-dd') : null
  }
  return {
    current: last.value,
    currentPeriod: last.period,
    trendPerMonth: trend,
    reached,
    projectedDate,
    monthlyGainNeeded: reached ? 0 : monthsLeft > 0 ? gap / monthsLeft : null,
    onTrack: reached || (projectedDate !== null && projectedDate <= target.dueDate),
  }
}
