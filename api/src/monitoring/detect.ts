// Anomaly detection on one daily series: a seasonal baseline (weekdays, public holidays, known breaks) and robust scores.
import type { CalendarDay } from '@qyzmet/sql'

/** Requests (transactions recorded, any status) and the share of them made through online channels. */
export type DetectedMetric = 'requests' | 'online_request_share'

export interface DetectorOptions {
  /** |score| at or past which a day is anomalous. */
  threshold: number
  /** Volumes: a day is flagged only when its expected or actual count reaches this (small cells do not cry wolf). */
  minVolume: number
  /** Shares: a day is flagged only when this many requests were recorded on it (the share's base). */
  minShareBase: number
  /** Days of history the baseline is drawn from. */
  windowDays: number
  /** Least values of the day's own weekday in the window. */
  minSameWeekday: number
  /** Days back in which earlier holidays tell how a holiday differs from an ordinary day. */
  holidayLookbackDays: number
  minHolidays: number
  /** Consecutive days judged together too, so that a sustained small drop is found (a feed silent for days). */
  runDays: number
}

export const defaultDetector: DetectorOptions = {
  threshold: 4,
  minVolume: 30,
  minShareBase: 30,
  windowDays: 56,
  minSameWeekday: 4,
  holidayLookbackDays: 730,
  minHolidays: 2,
  runDays: 3,
}

/** A known break in the data (the lockdown, a reform): a baseline never reaches across its start or its end. */
export interface Break {
  from: string
  to: string
}

/** The daily values of a series over `days`: volume counts, or a share's numerator and base. */
export interface DailySeries {
  metric: DetectedMetric
  /** Volumes: the count; shares: the numerator. */
  numerator: ArrayLike<number>
  /** Shares: the completed transactions (the base); volumes: the count again. */
  denominator: ArrayLike<number>
}

export interface Judgement {
  /** The (last) day judged. */
  day: string
  /** 1, or runDays for a run of days judged together (values are then sums, or pooled shares). */
  days: number
  value: number
  expected: number
  /** The normal range: expected ± threshold × spread. */
  low: number
  high: number
  score: number
  /** Volumes: the expected count; shares: the requests recorded (the share's base). */
  base: number
  holiday: boolean
  anomalous: boolean
}

const median = (values: number[]): number => {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2
}

/** Median absolute deviation scaled to a normal standard deviation. */
const robustSpread = (values: number[]): number => {
  const centre = median(values)
  return 1.4826 * median(values.map((value) => Math.abs(value - centre)))
}

/** Each day's first day of its regime: the start of the break it is in, or the day after the last break it follows. */
function regimeStarts(days: readonly CalendarDay[], breaks: readonly Break[]): { start: number[]; inBreak: boolean[] } {
  const start = days.map(() => 0)
  const inBreak = days.map(() => false)
  for (const { from, to } of breaks) {
    const first = days.findIndex((day) => day.date >= from)
    const after = days.findIndex((day) => day.date > to)
    days.forEach((day, index) => {
      if (day.date >= from && day.date <= to) {
        inBreak[index] = true
        start[index] = Math.max(start[index] as number, first)
      } else if (day.date > to) {
        start[index] = Math.max(start[index] as number, after)
      }
    })
  }
  return { start, inBreak }
}

interface Baseline {
  /** Each weekday's usual value in the window (NaN when it has none): volumes their median, shares pooled. */
  byWeekday: number[]
  counts: number[]
  /** Spread of the ordinary days around their weekday's value: relative for volumes, absolute for shares. */
  spread: number
  /** Shares: the window's pooled share, one success and one failure added (never exactly 0 or 1). */
  smoothed: number
}

/**
 * Judges the days from index `from` on. Counts: expected = the median of the same weekday over the window's ordinary
 * days; on a holiday, the mean of the weekday medians × the median ratio of earlier holidays to theirs. Shares: the
 * same weekday's pooled share, and holidays' differences instead of ratios. The spread is the MAD of the window's
 * residuals, never below a count's own noise (√expected) or a proportion's (√(p̃(1 − p̃)/n), p̃ the window's
 * share with one success and one failure added).
 */
export function judgeSeries(
  series: DailySeries,
  days: readonly CalendarDay[],
  from: number,
  breaks: readonly Break[],
  options: DetectorOptions = defaultDetector,
): Judgement[] {
  const share = series.metric === 'online_request_share'
  const n = (i: number) => Number(series.denominator[i] ?? 0)
  const y = (i: number) => (share ? (n(i) > 0 ? Number(series.numerator[i] ?? 0) / n(i) : Number.NaN) : n(i))
  const { start, inBreak } = regimeStarts(days, breaks)

  const baselineAt = (i: number): Baseline => {
    const values: number[][] = Array.from({ length: 7 }, () => [])
    const successes = Array.from({ length: 7 }, () => 0)
    const trials = Array.from({ length: 7 }, () => 0)
    const first = Math.max(start[i] as number, i - options.windowDays)
    for (let t = first; t < i; t++) {
      const day = days[t] as CalendarDay
      if (day.holiday || !Number.isFinite(y(t))) continue
      values[day.weekday]?.push(y(t))
      successes[day.weekday] = (successes[day.weekday] ?? 0) + Number(series.numerator[t] ?? 0)
      trials[day.weekday] = (trials[day.weekday] ?? 0) + n(t)
    }
    // A share is pooled over the weekday's transactions: daily shares of a service near 100 % have a median of
    // exactly 1 and no spread, which would make one offline request look impossible.
    const byWeekday = share
      ? trials.map((count, weekday) => (count > 0 ? (successes[weekday] ?? 0) / count : Number.NaN))
      : values.map(median)
    const allSuccesses = successes.reduce((sum, value) => sum + value, 0)
    const allTrials = trials.reduce((sum, value) => sum + value, 0)
    const residuals: number[] = []
    for (let t = first; t < i; t++) {
      const day = days[t] as CalendarDay
      const centre = byWeekday[day.weekday] as number
      if (day.holiday || !Number.isFinite(y(t)) || !Number.isFinite(centre)) continue
      if (share) residuals.push(y(t) - centre)
      else if (centre > 0) residuals.push(y(t) / centre - 1)
    }
    return {
      byWeekday,
      counts: values.map((list) => list.length),
      spread: robustSpread(residuals),
      smoothed: (allSuccesses + 1) / (allTrials + 2),
    }
  }

  /** The level of an ordinary day in the window, for holidays: the mean of the weekday medians. */
  const levelOf = (baseline: Baseline) => {
    const known = baseline.byWeekday.filter((_value, weekday) => (baseline.counts[weekday] ?? 0) >= 2)
    return known.length >= 5 ? known.reduce((sum, value) => sum + value, 0) / known.length : Number.NaN
  }

  // How each earlier holiday outside a break stood against its level: a ratio (volumes) or a difference (shares).
  const holidayEffects: { index: number; effect: number }[] = []
  for (let j = Math.max(0, from - options.holidayLookbackDays); j < days.length; j++) {
    if (!days[j]?.holiday || inBreak[j] || !Number.isFinite(y(j))) continue
    const level = levelOf(baselineAt(j))
    if (!Number.isFinite(level)) continue
    if (share) holidayEffects.push({ index: j, effect: y(j) - level })
    else if (level > 0) holidayEffects.push({ index: j, effect: y(j) / level })
  }

  const daily: (Judgement & { sigma: number })[] = []
  for (let i = from; i < days.length; i++) {
    const day = days[i] as CalendarDay
    const value = y(i)
    if (!Number.isFinite(value)) continue
    const baseline = baselineAt(i)
    let expected: number
    if (day.holiday) {
      // A holiday inside a break has no earlier holidays of its kind to learn from: it is not judged.
      if (inBreak[i]) continue
      const effects = holidayEffects
        .filter(({ index }) => index < i && index >= i - options.holidayLookbackDays)
        .map(({ effect }) => effect)
      const level = levelOf(baseline)
      if (effects.length < options.minHolidays || !Number.isFinite(level)) continue
      expected = share ? level + median(effects) : level * median(effects)
    } else {
      if ((baseline.counts[day.weekday] ?? 0) < options.minSameWeekday) continue
      expected = baseline.byWeekday[day.weekday] as number
    }
    if (!Number.isFinite(expected) || !Number.isFinite(baseline.spread)) continue
    const sigma = share
      ? Math.max(baseline.spread, Math.sqrt((baseline.smoothed * (1 - baseline.smoothed)) / n(i)))
      : Math.max(baseline.spread * expected, Math.sqrt(Math.max(expected, 1)))
    const base = share ? n(i) : expected
    const bigEnough = share ? n(i) >= options.minShareBase : Math.max(expected, value) >= options.minVolume
    const score = (value - expected) / sigma
    daily.push({
      day: day.date,
      days: 1,
      value,
      expected,
      ...range(expected, sigma, options.threshold, share),
      score,
      base,
      holiday: day.holiday,
      anomalous: bigEnough && Math.abs(score) >= options.threshold,
      sigma,
    })
  }
  return [...daily.map(({ sigma: _sigma, ...judgement }) => judgement), ...runs(daily, series, days, options, share)]
}

function range(expected: number, sigma: number, threshold: number, share: boolean) {
  const low = Math.max(0, expected - threshold * sigma)
  const high = expected + threshold * sigma
  return { low, high: share ? Math.min(1, high) : high }
}

/** Runs of consecutive ordinary days deviating the same way, judged as one: sums of counts, pooled shares. */
function runs(
  daily: readonly (Judgement & { sigma: number })[],
  series: DailySeries,
  days: readonly CalendarDay[],
  options: DetectorOptions,
  share: boolean,
): Judgement[] {
  const found: Judgement[] = []
  const position = new Map(days.map((day, index) => [day.date, index]))
  for (let k = options.runDays - 1; k < daily.length; k++) {
    const run = daily.slice(k - options.runDays + 1, k + 1)
    const indexes = run.map((judgement) => position.get(judgement.day) ?? -1)
    const consecutive = indexes.every((index, j) => j === 0 || index === (indexes[j - 1] as number) + 1)
    const signs = new Set(run.map((judgement) => Math.sign(judgement.value - judgement.expected)))
    // Runs find sustained trouble on ordinary days that no single day shows: a holiday's own small count is judged
    // by itself, and a run holding a day found anomalous by itself would only echo that day.
    const ordinary = run.every((judgement) => !judgement.holiday && !judgement.anomalous)
    if (!consecutive || !ordinary || signs.size !== 1 || signs.has(0)) continue
    const last = run.at(-1) as Judgement
    let value: number
    let expected: number
    let sigma: number
    let base: number
    if (share) {
      const weights = indexes.map((index) => Number(series.denominator[index] ?? 0))
      base = weights.reduce((sum, weight) => sum + weight, 0)
      value = run.reduce((sum, judgement, j) => sum + judgement.value * (weights[j] as number), 0) / base
      expected = run.reduce((sum, judgement, j) => sum + judgement.expected * (weights[j] as number), 0) / base
      sigma =
        Math.sqrt(run.reduce((sum, judgement, j) => sum + (judgement.sigma * (weights[j] as number)) ** 2, 0)) / base
    } else {
      value = run.reduce((sum, judgement) => sum + judgement.value, 0)
      expected = run.reduce((sum, judgement) => sum + judgement.expected, 0)
      sigma = Math.sqrt(run.reduce((sum, judgement) => sum + judgement.sigma ** 2, 0))
      base = expected
    }
    const bigEnough = share ? base >= options.minShareBase : Math.max(expected, value) >= options.minVolume
    const score = (value - expected) / sigma
    const anomalous = bigEnough && Math.abs(score) >= options.threshold
    if (!anomalous) continue
    found.push({
      day: last.day,
      days: options.runDays,
      value,
      expected,
      ...range(expected, sigma, options.threshold, share),
      score,
      base,
      holiday: false,
      anomalous,
    })
  }
  return found
}
