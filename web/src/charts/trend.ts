// Time-series options: the online-share trend with target line, lockdown band and projection, and plain line charts.
import { format } from 'date-fns'
import type { MetricRow, Progress } from '../api.ts'
import { annotationMarks, type ChartAnnotation } from './annotations.ts'
import { colourAt, colours } from './palette.ts'

/** The 2020 lockdown: one-stop-shops closed, services moved online. */
export const lockdown = { from: '2020-03-21', to: '2020-05-10' } as const

type Point = [string, number | null]

export interface TrendInput {
  rows: MetricRow[]
  labels: {
    series: string
    provisional: string
    target: string
    projection: string
    band: string
    lockdown: string
  }
  target?: { value: number; dueDate: string }
  /** The API's projection (progress.projection): monthly values to the due date with a 95 % band. */
  projection?: Progress['projection']
  formatValue: (value: number) => string
  formatDate: (day: string) => string
  /** A share: the axis ends at 100 %. */
  share?: boolean
  /** Incidents and analysts' notes of the chart's range, drawn as bands beside the lockdown's. */
  annotations?: readonly ChartAnnotation[]
}

/**
 * The trend of a share with its target line, the lockdown band, the incomplete (provisional) periods drawn dashed
 * apart from the complete ones, and the projection to the due date with its band.
 */
export function trendOption({
  rows,
  labels,
  target,
  projection = [],
  formatValue,
  formatDate,
  share = true,
  annotations = [],
}: TrendInput) {
  const noted = annotationMarks(annotations, { type: 'time' })
  const complete: Point[] = rows.filter((row) => !row.provisional).map((row) => [row.period ?? '', row.value])
  const lastComplete = [...complete].reverse().find(([, value]) => value !== null)
  const provisionalRows = rows.filter((row) => row.provisional)
  // The dashed part starts at the last complete point, so that the two read as one line that changes style.
  const provisional: Point[] = provisionalRows.length
    ? [...(lastComplete ? [lastComplete] : []), ...provisionalRows.map((row): Point => [row.period ?? '', row.value])]
    : []
  const anchored = lastComplete && projection.length ? [lastComplete] : []
  const projected: Point[] = [...anchored, ...projection.map((point): Point => [point.period, point.value])]
  const lows: Point[] = [...anchored, ...projection.map((point): Point => [point.period, point.low])]
  const spans: Point[] = [
    ...anchored.map(([period]): Point => [period, 0]),
    ...projection.map((point): Point => [point.period, point.high - point.low]),
  ]
  // The target's line, and the lines of one-day annotations (each with its own label and colour).
  const markLine =
    target || noted.lines.length
      ? {
          silent: true,
          symbol: 'none',
          lineStyle: { color: colours.target, type: 'dashed' as const, width: 2 },
          label: {
            formatter: target ? `${labels.target} ${formatValue(target.value)}` : '',
            position: 'insideStartTop' as const,
          },
          data: [...(target ? [{ yAxis: target.value }] : []), ...noted.lines],
        }
      : undefined
  const shown = [labels.series, ...(provisional.length ? [labels.provisional] : [])]
  return {
    aria: { enabled: true },
    color: [colours.primary, colours.primary, colours.projection],
    grid: { left: 56, right: 24, top: 36, bottom: 40 },
    legend: { top: 0, data: [...shown, ...(projection.length ? [labels.projection, labels.band] : [])] },
    tooltip: {
      trigger: 'axis' as const,
      valueFormatter: (value: unknown) => (value === null || value === undefined ? '–' : formatValue(Number(value))),
    },
    xAxis: {
      type: 'time' as const,
      max: projection.at(-1)?.period,
      axisLabel: { formatter: (value: number) => formatDate(format(new Date(value), 'yyyy-MM-dd')), hideOverlap: true },
    },
    yAxis: {
      type: 'value' as const,
      min: (extent: { min: number }) => (share ? Math.max(0, Math.floor(extent.min * 10) / 10) : 0),
      ...(share ? { max: 1 } : {}),
      axisLabel: { formatter: (value: number) => formatValue(value) },
    },
    series: [
      {
        name: labels.series,
        type: 'line' as const,
        showSymbol: false,
        connectNulls: false,
        data: complete,
        markLine,
        markArea: {
          silent: true,
          itemStyle: { color: colours.lockdown },
          label: { formatter: labels.lockdown, position: 'insideTop' as const, color: colours.muted },
          data: [[{ xAxis: lockdown.from }, { xAxis: lockdown.to }], ...noted.areas],
        },
      },
      ...(provisional.length
        ? [
            {
              name: labels.provisional,
              type: 'line' as const,
              showSymbol: true,
              symbol: 'emptyCircle',
              lineStyle: { type: 'dashed' as const, width: 2, color: colours.primary },
              itemStyle: { color: colours.primary },
              data: provisional,
            },
          ]
        : []),
      ...(projection.length
        ? [
            {
              name: labels.projection,
              type: 'line' as const,
              showSymbol: false,
              lineStyle: { type: 'dotted' as const, width: 2, color: colours.projection },
              itemStyle: { color: colours.projection },
              data: projected,
            },
            // The band: an invisible line at the lower bound, and the band's width stacked on it, filled.
            {
              name: labels.band,
              type: 'line' as const,
              stack: 'band',
              showSymbol: false,
              silent: true,
              lineStyle: { opacity: 0 },
              itemStyle: { color: colours.band },
              tooltip: { show: false },
              data: lows,
            },
            {
              name: labels.band,
              type: 'line' as const,
              stack: 'band',
              showSymbol: false,
              silent: true,
              lineStyle: { opacity: 0 },
              areaStyle: { color: colours.band },
              itemStyle: { color: colours.band },
              tooltip: { show: false },
              data: spans,
            },
          ]
        : []),
    ],
  }
}

export interface LinesInput {
  rows: MetricRow[]
  /** The dimension that splits rows into lines; absent for one line. */
  by?: keyof MetricRow
  nameOf: (code: string) => string
  periodLabel: (period: string) => string
  formatValue: (value: number) => string
  /** Incidents, analysts' notes and built-in breaks in the chart's range, drawn on the period holding each. */
  annotations?: readonly ChartAnnotation[]
}

/** One line per value of `by` over a category axis of periods (in the order the API returns them). */
export function linesOption({ rows, by, nameOf, periodLabel, formatValue, annotations = [] }: LinesInput) {
  const periods = [...new Set(rows.map((row) => row.period ?? ''))].sort()
  const noted = annotationMarks(annotations, { type: 'category', periods, labelOf: periodLabel })
  const groups = new Map<string, Map<string, number | null>>()
  for (const row of rows) {
    const key = by ? String(row[by] ?? '') : ''
    if (!groups.has(key)) groups.set(key, new Map())
    groups.get(key)?.set(row.period ?? '', row.value)
  }
  return {
    aria: { enabled: true },
    grid: { left: 56, right: 24, top: 36, bottom: 40 },
    legend: { top: 0, show: groups.size > 1 },
    tooltip: { trigger: 'axis' as const, valueFormatter: (value: unknown) => formatValue(Number(value)) },
    xAxis: { type: 'category' as const, data: periods.map(periodLabel) },
    yAxis: { type: 'value' as const, axisLabel: { formatter: (value: number) => formatValue(value) } },
    series: [...groups.entries()].map(([key, values], index) => ({
      name: key ? nameOf(key) : nameOf(''),
      type: 'line' as const,
      showSymbol: periods.length < 40,
      color: colourAt(index),
      data: periods.map((period) => values.get(period) ?? null),
      // The annotations ride on the first line, over the whole height.
      ...(index === 0 && noted.areas.length ? { markArea: { silent: false, data: noted.areas } } : {}),
      ...(index === 0 && noted.lines.length ? { markLine: { silent: false, symbol: 'none', data: noted.lines } } : {}),
    })),
  }
}
