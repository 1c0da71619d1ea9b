// The funnel plot: each region's share against its base, with the control limits around the pooled share.
import { okabeIto } from './palette.ts'

export type Signal = 'above' | 'within' | 'below'

export interface FunnelPoint {
  code: string
  name: string
  value: number
  /** The share's base (its denominator). */
  base: number
  signal: Signal
  /** Beyond the 95 % limits: an early warning, still "within" unless beyond 99.8 %. */
  beyond95: boolean
  low998: number
  high998: number
}

export interface FunnelLine {
  n: number
  low95: number
  high95: number
  low998: number
  high998: number
}

export interface FunnelInput {
  points: FunnelPoint[]
  curve: FunnelLine[]
  /** The pooled share of all units. */
  target: number
  formatValue: (value: number) => string
  formatCount: (value: number) => string
  labels: { target: string; limit95: string; limit998: string; base: string } & Record<Signal, string>
  narrow?: boolean
}

/** Colour and shape per signal: told apart without colour too (triangles up and down, a circle). */
export const signalStyle: Record<Signal, { colour: string; symbol: string }> = {
  above: { colour: okabeIto[2], symbol: 'triangle' },
  within: { colour: okabeIto[8], symbol: 'circle' },
  below: { colour: okabeIto[5], symbol: 'path://M0,0 L10,0 L5,10 Z' },
}

const signals: Signal[] = ['above', 'within', 'below']

/** Points in a fixed order that says nothing of rank: by name. */
export function byName(points: readonly FunnelPoint[], lang: string): FunnelPoint[] {
  return [...points].sort((a, b) => a.name.localeCompare(b.name, lang))
}

/** How many units are above, within and below expectation. */
export function signalCounts(points: readonly FunnelPoint[]): Record<Signal, number> {
  const counts: Record<Signal, number> = { above: 0, within: 0, below: 0 }
  for (const point of points) counts[point.signal]++
  return counts
}

export function funnelOption({ points, curve, target, formatValue, formatCount, labels, narrow = false }: FunnelInput) {
  // The upper and lower limit of a pair share a name: one legend entry shows or hides both.
  const line = (name: string, key: keyof FunnelLine, type: 'dashed' | 'dotted', colour: string) => ({
    name,
    type: 'line' as const,
    showSymbol: false,
    silent: true,
    lineStyle: { type, width: 1.5, color: colour },
    itemStyle: { color: colour },
    data: curve.map((row) => [row.n, row[key]]),
    z: 1,
  })
  const limitColour = '#595959'
  return {
    aria: { enabled: true },
    grid: { left: narrow ? 48 : 64, right: 16, top: narrow ? 76 : 60, bottom: 56 },
    legend: {
      top: 0,
      data: [labels.above, labels.within, labels.below, labels.limit95, labels.limit998, labels.target],
      ...(narrow ? { itemGap: 6, textStyle: { fontSize: 11 } } : {}),
    },
    tooltip: {
      trigger: 'item' as const,
      formatter: (params: {
        seriesType: string
        data: { label?: string; value: [number, number]; signal?: Signal }
      }) =>
        params.seriesType === 'scatter' && params.data.signal
          ? `${params.data.label}: ${formatValue(params.data.value[1])} · ${labels.base} ${formatCount(params.data.value[0])} · ${labels[params.data.signal]}`
          : '',
    },
    xAxis: {
      type: 'log' as const,
      name: labels.base,
      nameLocation: 'middle' as const,
      nameGap: 32,
      axisLabel: { formatter: (value: number) => formatCount(value), hideOverlap: true },
      min: curve[0]?.n,
      max: curve.at(-1)?.n,
    },
    yAxis: {
      type: 'value' as const,
      scale: true,
      axisLabel: { formatter: (value: number) => formatValue(value) },
    },
    series: [
      line(labels.limit998, 'low998', 'dashed', limitColour),
      line(labels.limit998, 'high998', 'dashed', limitColour),
      line(labels.limit95, 'low95', 'dotted', limitColour),
      line(labels.limit95, 'high95', 'dotted', limitColour),
      {
        name: labels.target,
        type: 'line' as const,
        showSymbol: false,
        silent: true,
        lineStyle: { width: 1.5, color: okabeIto[0] },
        itemStyle: { color: okabeIto[0] },
        data: curve.map((row) => [row.n, target]),
        z: 1,
      },
      ...signals.map((signal) => ({
        name: labels[signal],
        type: 'scatter' as const,
        symbol: signalStyle[signal].symbol,
        symbolSize: narrow ? 9 : 11,
        itemStyle: { color: signalStyle[signal].colour, borderColor: '#000000', borderWidth: 0.5 },
        z: 3,
        data: points
          .filter((point) => point.signal === signal)
          .map((point) => ({ name: point.code, value: [point.base, point.value], signal, label: point.name })),
        label: {
          // Only units outside the limits are named on the chart: the rest are told apart in the table.
          show: signal !== 'within' && !narrow,
          position: 'right' as const,
          formatter: (params: { data: { label: string } }) => params.data.label,
          fontSize: 11,
        },
      })),
    ],
  }
}
