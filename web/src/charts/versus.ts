// A region against the country: the same metric over time as two lines, the region's with its 95 % band.
import type { MetricRow } from '../api.ts'
import { breakIndex } from './boundary.ts'
import { okabeIto } from './palette.ts'

export interface VersusInput {
  region: MetricRow[]
  national: MetricRow[]
  names: { region: string; national: string }
  periodLabel: (period: string) => string
  formatValue: (value: number) => string
  /** The most the metric can be (1 for shares), so that the axis does not run past it. */
  ceiling?: number
  /** A change of the region's boundaries: marked at the period holding the day when the series runs across it. */
  boundaryBreak?: { day: string; to: string; label: string }
}

export function versusOption({
  region,
  national,
  names,
  periodLabel,
  formatValue,
  ceiling,
  boundaryBreak,
}: VersusInput) {
  const periods = [...new Set([...region, ...national].map((row) => row.period ?? ''))].sort()
  const at = (rows: MetricRow[]) => {
    const byPeriod = new Map(rows.map((row) => [row.period ?? '', row]))
    return (period: string) => byPeriod.get(period)
  }
  const regionAt = at(region)
  const nationalAt = at(national)
  const low = periods.map((period) => regionAt(period)?.ci_low ?? null)
  const high = periods.map((period) => regionAt(period)?.ci_high ?? null)
  const withBand = low.some((value) => value !== null)
  const breakAt = boundaryBreak ? breakIndex(periods, boundaryBreak.day, boundaryBreak.to) : null
  return {
    aria: { enabled: true },
    grid: { left: 56, right: 24, top: 36, bottom: 40 },
    legend: { top: 0, data: [names.region, names.national] },
    tooltip: {
      trigger: 'axis' as const,
      valueFormatter: (value: unknown) => (value === null ? '–' : formatValue(Number(value))),
    },
    xAxis: { type: 'category' as const, boundaryGap: false, data: periods.map(periodLabel) },
    yAxis: {
      type: 'value' as const,
      scale: true,
      ...(ceiling === undefined ? {} : { max: (extent: { max: number }) => Math.min(ceiling, extent.max * 1.05) }),
      axisLabel: { formatter: (value: number) => formatValue(value) },
    },
    series: [
      ...(withBand
        ? [
            // The band: an invisible base at the low bound and a stacked area of the interval's width on it.
            {
              name: 'low',
              type: 'line' as const,
              stack: 'band',
              silent: true,
              symbol: 'none',
              lineStyle: { opacity: 0 },
              tooltip: { show: false },
              data: low,
            },
            {
              name: '95 %',
              type: 'line' as const,
              stack: 'band',
              silent: true,
              symbol: 'none',
              lineStyle: { opacity: 0 },
              areaStyle: { color: 'rgba(0, 114, 178, 0.15)' },
              tooltip: { show: false },
              data: periods.map((_, index) => {
                const from = low[index]
                const to = high[index]
                return typeof from === 'number' && typeof to === 'number' ? to - from : null
              }),
            },
          ]
        : []),
      {
        name: names.region,
        type: 'line' as const,
        color: okabeIto[0],
        showSymbol: false,
        lineStyle: { width: 2.5 },
        data: periods.map((period) => regionAt(period)?.value ?? null),
        ...(breakAt === null || !boundaryBreak
          ? {}
          : {
              markLine: {
                silent: true,
                symbol: 'none',
                lineStyle: { type: 'dotted' as const, color: '#555' },
                label: { formatter: boundaryBreak.label, position: 'insideEndTop' as const },
                data: [{ xAxis: breakAt }],
              },
            }),
      },
      {
        name: names.national,
        type: 'line' as const,
        color: okabeIto[7],
        showSymbol: false,
        lineStyle: { type: 'dashed' as const, width: 2 },
        data: periods.map((period) => nationalAt(period)?.value ?? null),
      },
    ],
  }
}
