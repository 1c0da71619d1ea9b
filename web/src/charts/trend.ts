// Time-series options: the online-share trend with target line, lockdown band and projection, and plain line charts.
import { addMonths, differenceInCalendarMonths, format, parseISO } from 'date-fns'
import type { MetricRow, Progress } from '../api.ts'
import { colourAt, colours } from './palette.ts'

/** The 2020 lockdown: one-stop-shops closed, services moved online. */
export const lockdown = { from: '2020-03-21', to: '2020-05-10' } as const

type Point = [string, number | null]

/** The trend carried from the last value to the due date at the target's recent monthly gain (capped to 0–100 %). */
export function projection(progress: Progress, dueDate: string): Point[] {
  const { current, currentPeriod, trendPerMonth } = progress
  if (current === null || currentPeriod === null || trendPerMonth === null) return []
  const months = differenceInCalendarMonths(parseISO(dueDate), parseISO(currentPeriod))
  if (months <= 0) return []
  const end = Math.min(1, Math.max(0, current + trendPerMonth * months))
  const due = format(addMonths(parseISO(currentPeriod), months), 'yyyy-MM-dd')
  return [
    [currentPeriod, current],
    [due, end],
  ]
}

export interface TrendInput {
  rows: MetricRow[]
  labels: { series: string; target: string; projection: string; lockdown: string }
  target?: { value: number; dueDate: string }
  projected?: Point[]
  formatValue: (value: number) => string
  formatDate: (day: string) => string
}

export function trendOption({ rows, labels, target, projected = [], formatValue, formatDate }: TrendInput) {
  const points: Point[] = rows.map((row) => [row.period ?? '', row.value])
  const markLine = target
    ? {
        silent: true,
        symbol: 'none',
        lineStyle: { color: colours.target, type: 'dashed' as const, width: 2 },
        label: { formatter: `${labels.target} ${formatValue(target.value)}`, position: 'insideEndTop' as const },
        data: [{ yAxis: target.value }],
      }
    : undefined
  return {
    aria: { enabled: true },
    color: [colours.primary, colours.projection],
    grid: { left: 56, right: 24, top: 36, bottom: 40 },
    legend: { top: 0, data: [labels.series, ...(projected.length ? [labels.projection] : [])] },
    tooltip: { trigger: 'axis' as const, valueFormatter: (value: unknown) => formatValue(Number(value)) },
    xAxis: {
      type: 'time' as const,
      max: projected.at(-1)?.[0],
      axisLabel: { formatter: (value: number) => formatDate(format(new Date(value), 'yyyy-MM-dd')), hideOverlap: true },
    },
    yAxis: {
      type: 'value' as const,
      min: (extent: { min: number }) => Math.max(0, Math.floor(extent.min * 10) / 10),
      max: 1,
      axisLabel: { formatter: (value: number) => formatValue(value) },
    },
    series: [
      {
        name: labels.series,
        type: 'line' as const,
        showSymbol: false,
        connectNulls: false,
        data: points,
        markLine,
        markArea: {
          silent: true,
          itemStyle: { color: colours.lockdown },
          label: { formatter: labels.lockdown, position: 'insideTop' as const, color: colours.muted },
          data: [[{ xAxis: lockdown.from }, { xAxis: lockdown.to }]],
        },
      },
      ...(projected.length
        ? [
            {
              name: labels.projection,
              type: 'line' as const,
              showSymbol: true,
              symbol: 'circle',
              lineStyle: { type: 'dotted' as const, width: 2 },
              data: projected,
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
}

/** One line per value of `by` over a category axis of periods (in the order the API returns them). */
export function linesOption({ rows, by, nameOf, periodLabel, formatValue }: LinesInput) {
  const periods = [...new Set(rows.map((row) => row.period ?? ''))].sort()
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
    })),
  }
}
