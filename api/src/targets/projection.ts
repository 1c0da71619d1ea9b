// The projection of a monthly series toward a due date: least squares on the logit of a share (or the value itself)
// over calendar months, with month-of-year terms once two years are known, and a 95 % prediction band.
import { addMonths, differenceInCalendarMonths, format, parseISO } from 'date-fns'

export interface MonthValue {
  /** First day of the month. */
  period: string
  value: number
}

export interface Projected {
  period: string
  value: number
  low: number
  high: number
}

export interface Fit {
  /** Months of data the fit used (the last `window` complete months with a value). */
  months: number
  seasonal: boolean
  /** Slope per month on the fitted scale (logit for shares). */
  slope: number
  /** Residual standard deviation on the fitted scale. */
  sigma: number
  project(period: string): Projected
}

const clampShare = (p: number) => Math.min(1 - 1e-4, Math.max(1e-4, p))
const logit = (p: number) => Math.log(clampShare(p) / (1 - clampShare(p)))
const logistic = (x: number) => 1 / (1 + Math.exp(-x))

/** Solves the symmetric positive system A x = b (Cholesky); null when A is singular. */
function solve(a: number[][], b: number[]): number[] | null {
  const n = b.length
  const l = a.map(() => new Array<number>(n).fill(0))
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = (a[i] as number[])[j] as number
      for (let k = 0; k < j; k++) sum -= ((l[i] as number[])[k] as number) * ((l[j] as number[])[k] as number)
      if (i === j) {
        if (sum <= 1e-12) return null
        ;(l[i] as number[])[i] = Math.sqrt(sum)
      } else (l[i] as number[])[j] = sum / ((l[j] as number[])[j] as number)
    }
  }
  const y = new Array<number>(n).fill(0)
  for (let i = 0; i < n; i++) {
    let sum = b[i] as number
    for (let k = 0; k < i; k++) sum -= ((l[i] as number[])[k] as number) * (y[k] as number)
    y[i] = sum / ((l[i] as number[])[i] as number)
  }
  const x = new Array<number>(n).fill(0)
  for (let i = n - 1; i >= 0; i--) {
    let sum = y[i] as number
    for (let k = i + 1; k < n; k++) sum -= ((l[k] as number[])[i] as number) * (x[k] as number)
    x[i] = sum / ((l[i] as number[])[i] as number)
  }
  return x
}

/** Two-sided 95 % Student t quantile for `df` degrees of freedom (table, then the normal 1.96). */
export function t95(df: number): number {
  const table = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145]
  if (df < 1) return Number.POSITIVE_INFINITY
  if (df <= table.length) return table[df - 1] as number
  if (df <= 30) return 2.042 + (2.145 - 2.042) * ((30 - df) / 16)
  return df <= 60 ? 2.0 + (2.042 - 2.0) * ((60 - df) / 30) : 1.96
}

/**
 * Fits the last `window` months with a value. Months are calendar months (a gap is a gap in time); with 24 or more
 * months, each month of the year gets its own level (January is not mistaken for a fall). Shares are fitted on the
 * logit scale, so that projections stay within 0–100 % and flatten as they approach 100 %.
 */
export function fitTrend(points: readonly MonthValue[], options: { share: boolean; window?: number }): Fit | null {
  const used = points.slice(-(options.window ?? 36))
  if (used.length < 6) return null
  const origin = parseISO((used[0] as MonthValue).period)
  const seasonal = used.length >= 24
  const row = (period: string): number[] => {
    const date = parseISO(period)
    const t = differenceInCalendarMonths(date, origin)
    const month = date.getMonth()
    // Eleven month-of-year terms against January; none without two years of data.
    return [1, t, ...(seasonal ? Array.from({ length: 11 }, (_, m) => (month === m + 1 ? 1 : 0)) : [])]
  }
  const scale = options.share ? logit : (value: number) => value
  const unscale = options.share ? logistic : (value: number) => value
  const xs = used.map((point) => row(point.period))
  const ys = used.map((point) => scale(point.value))
  const p = (xs[0] as number[]).length
  const xtx = Array.from({ length: p }, (_, i) =>
    Array.from({ length: p }, (_, j) => xs.reduce((sum, x) => sum + (x[i] as number) * (x[j] as number), 0)),
  )
  const xty = Array.from({ length: p }, (_, i) =>
    xs.reduce((sum, x, k) => sum + (x[i] as number) * (ys[k] as number), 0),
  )
  const beta = solve(xtx, xty)
  if (!beta) return null
  const predict = (x: number[]) => x.reduce((sum, value, i) => sum + value * (beta[i] as number), 0)
  const residual = ys.reduce((sum, y, k) => sum + (y - predict(xs[k] as number[])) ** 2, 0)
  const df = used.length - p
  const sigma = df > 0 ? Math.sqrt(residual / df) : 0
  return {
    months: used.length,
    seasonal,
    slope: beta[1] as number,
    sigma,
    project(period) {
      const x = row(period)
      // Prediction variance: σ² (1 + xᵀ (XᵀX)⁻¹ x), with (XᵀX)⁻¹ x from the same factorisation.
      const w = solve(xtx, x) ?? x.map(() => 0)
      const leverage = x.reduce((sum, value, i) => sum + value * (w[i] as number), 0)
      const centre = predict(x)
      const spread = t95(df) * sigma * Math.sqrt(1 + leverage)
      return { period, value: unscale(centre), low: unscale(centre - spread), high: unscale(centre + spread) }
    },
  }
}

/** Month starts after `last` up to the month of `until`, inclusive. */
export function monthsAfter(last: string, until: string): string[] {
  const months: string[] = []
  const end = until.slice(0, 7)
  for (let month = addMonths(parseISO(last), 1); format(month, 'yyyy-MM') <= end && months.length < 1200; ) {
    months.push(format(month, 'yyyy-MM-dd'))
    month = addMonths(month, 1)
  }
  return months
}
