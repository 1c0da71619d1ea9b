// A target judged as its holders would: reached (on which date, and whether it held), missed at its due date,
// reached late, or — before it is due — on track, at risk or off track by a projection with its uncertainty band.
import { differenceInCalendarMonths, endOfMonth, format, parseISO } from 'date-fns'
import { fitTrend, type MonthValue, monthsAfter, type Projected } from './projection.ts'

export const statuses = ['reached', 'reached_late', 'missed', 'on_track', 'at_risk', 'off_track', 'no_data'] as const
export type Status = (typeof statuses)[number]

/** Open SDG's bands of the progress ratio (actual change ÷ change required by now, since the baseline). */
export const progressBands = ['substantial', 'moderate', 'limited', 'deterioration'] as const
export type ProgressBand = (typeof progressBands)[number]

export interface TargetSpec {
  value: number
  dueDate: string
  higherIsBetter: boolean
  /** The scale to project on: shares on the logit of the share. */
  share: boolean
  /** The period the progress ratio starts from (first day of a month); default: the first complete month known. */
  baseline?: string | undefined
}

export interface Point {
  period: string
  value: number | null
  /** The current month: incomplete, never judged or projected as if complete. */
  provisional?: boolean
}

export interface Evaluation {
  status: Status
  /** First day of the first complete month at or past the target; null if never. */
  reachedOn: string | null
  /** Whether every complete month since `reachedOn` stayed at or past the target. */
  held: boolean | null
  /** A past-due target's value at its due date (the month that holds it, or the last complete one before). */
  atDueDate: { period: string; value: number } | null
  current: number | null
  currentPeriod: string | null
  baseline: { period: string; value: number } | null
  /** Actual change since the baseline ÷ the change required by now on a straight path to the target. */
  progressRatio: number | null
  progressBand: ProgressBand | null
  /** Change per month at the current point of the fitted trend, in the metric's unit. */
  trendPerMonth: number | null
  /** Monthly values from the month after the last complete one to the due date, with a 95 % band. */
  projection: Projected[]
  /** First month whose projected (central) value reaches the target; null if the trend never does by 2100. */
  projectedDate: string | null
  /** What each remaining month must add (or remove) to reach the target by its due date. */
  monthlyGainNeeded: number | null
}

const monthEnd = (period: string) => format(endOfMonth(parseISO(period)), 'yyyy-MM-dd')

export function bandOf(ratio: number | null): ProgressBand | null {
  if (ratio === null || !Number.isFinite(ratio)) return null
  if (ratio >= 0.95) return 'substantial'
  if (ratio >= 0.6) return 'moderate'
  if (ratio >= 0) return 'limited'
  return 'deterioration'
}

/**
 * Judges a target on its monthly series. `today` is the deployment's date: the month holding it is provisional.
 * A past-due target is judged on its value at the due date, never on today's.
 */
export function evaluateTarget(points: readonly Point[], target: TargetSpec, today: string): Evaluation {
  const complete: MonthValue[] = points
    .filter((point) => !point.provisional && monthEnd(point.period) < today && point.value !== null)
    .map((point) => ({ period: point.period, value: point.value as number }))
  const direction = target.higherIsBetter ? 1 : -1
  const meets = (value: number) => (value - target.value) * direction >= 0
  const last = complete.at(-1)
  const empty: Evaluation = {
    status: 'no_data',
    reachedOn: null,
    held: null,
    atDueDate: null,
    current: null,
    currentPeriod: null,
    baseline: null,
    progressRatio: null,
    progressBand: null,
    trendPerMonth: null,
    projection: [],
    projectedDate: null,
    monthlyGainNeeded: null,
  }
  if (!last) return empty

  const firstReached = complete.findIndex((point) => meets(point.value))
  const reachedOn = firstReached >= 0 ? (complete[firstReached] as MonthValue).period : null
  const held = firstReached >= 0 ? complete.slice(firstReached).every((point) => meets(point.value)) : null
  const dueMonth = target.dueDate.slice(0, 7)
  const pastDue = target.dueDate < today
  const atDue = [...complete].reverse().find((point) => point.period.slice(0, 7) <= dueMonth) ?? null

  // Progress since the baseline, measured at the due date once past it, else at the last complete month.
  const baselineMonth = target.baseline?.slice(0, 7)
  const baselinePoint =
    (baselineMonth && complete.find((point) => point.period >= baselineMonth)) || complete[0] || null
  const measured = pastDue ? (atDue ?? last) : last
  let progressRatio: number | null = null
  if (baselinePoint && measured.period > baselinePoint.period) {
    const span = differenceInCalendarMonths(parseISO(target.dueDate), parseISO(baselinePoint.period))
    const elapsed = differenceInCalendarMonths(parseISO(measured.period), parseISO(baselinePoint.period))
    const required = ((target.value - baselinePoint.value) * Math.min(elapsed, span)) / Math.max(span, 1)
    progressRatio = required === 0 ? (meets(measured.value) ? 1 : 0) : (measured.value - baselinePoint.value) / required
  }

  const fit = fitTrend(complete, { share: target.share })
  const projection =
    pastDue || !fit ? [] : monthsAfter(last.period, target.dueDate).map((period) => fit.project(period))
  let projectedDate: string | null = null
  if (fit && !meets(last.value)) {
    for (const period of monthsAfter(last.period, '2100-12-01')) {
      if (meets(fit.project(period).value)) {
        projectedDate = monthEnd(period)
        break
      }
    }
  }
  const trendPerMonth = fit ? (target.share ? fit.slope * last.value * (1 - last.value) : fit.slope) : null

  let status: Status
  if (pastDue) {
    const reachedAfterDue = reachedOn !== null && reachedOn.slice(0, 7) > dueMonth
    if (!atDue) status = reachedAfterDue ? 'reached_late' : 'no_data'
    else if (meets(atDue.value)) status = 'reached'
    else status = reachedAfterDue ? 'reached_late' : 'missed'
  } else if (reachedOn && meets(last.value)) status = 'reached'
  else {
    const atDueProjected = projection.at(-1)
    if (!atDueProjected) status = 'off_track'
    else if (meets(atDueProjected.value)) status = 'on_track'
    else if (meets(target.higherIsBetter ? atDueProjected.high : atDueProjected.low)) status = 'at_risk'
    else status = 'off_track'
  }
  const monthsLeft = differenceInCalendarMonths(parseISO(target.dueDate), parseISO(last.period))
  return {
    status,
    reachedOn,
    held,
    atDueDate: pastDue && atDue ? atDue : null,
    current: last.value,
    currentPeriod: last.period,
    baseline: baselinePoint,
    progressRatio,
    progressBand: bandOf(progressRatio),
    trendPerMonth,
    projection,
    projectedDate,
    monthlyGainNeeded: pastDue
      ? null
      : meets(last.value)
        ? 0
        : monthsLeft > 0
          ? (target.value - last.value) / monthsLeft
          : null,
  }
}
