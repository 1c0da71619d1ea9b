// Channel mix over time: each channel's share of the period's volume, as stacked areas that sum to 100 %.
import type { MetricRow } from '../api.ts'
import { annotationMarks, type ChartAnnotation } from './annotations.ts'
import { colourAt } from './palette.ts'

export interface MixInput {
  rows: MetricRow[]
  /** Channel codes in display order (online channels first, say); codes not listed follow. */
  order: string[]
  nameOf: (code: string) => string
  periodLabel: (period: string) => string
  formatShare: (value: number) => string
  /** Incidents and analysts' notes of the chart's range, drawn as bands over the periods holding their days. */
  annotations?: readonly ChartAnnotation[]
}

/** Shares per period and channel: value ÷ the period's total (0 when the period has no volume). */
/** Online channels first, so that the online share reads as the lower band of the stack. */
export function channelOrder(channels: readonly { code: string; kind: string }[]): string[] {
  return [...channels]
    .sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'online' ? -1 : 1))
    .map((channel) => channel.code)
}

export function mixShares(rows: MetricRow[]): Map<string, Map<string, number>> {
  const totals = new Map<string, number>()
  for (const row of rows) totals.set(row.period ?? '', (totals.get(row.period ?? '') ?? 0) + (row.value ?? 0))
  const shares = new Map<string, Map<string, number>>()
  for (const row of rows) {
    const channel = row.channel ?? ''
    const total = totals.get(row.period ?? '') ?? 0
    if (!shares.has(channel)) shares.set(channel, new Map())
    shares.get(channel)?.set(row.period ?? '', total > 0 ? (row.value ?? 0) / total : 0)
  }
  return shares
}

export function mixOption({ rows, order, nameOf, periodLabel, formatShare, annotations = [] }: MixInput) {
  const periods = [...new Set(rows.map((row) => row.period ?? ''))].sort()
  const noted = annotationMarks(annotations, { type: 'category', periods, labelOf: periodLabel })
  const shares = mixShares(rows)
  const channels = [...shares.keys()].sort((a, b) => {
    const rank = (code: string) => (order.indexOf(code) === -1 ? order.length : order.indexOf(code))
    return rank(a) - rank(b) || a.localeCompare(b)
  })
  return {
    aria: { enabled: true },
    grid: { left: 56, right: 24, top: 64, bottom: 40 },
    legend: { top: 0, type: 'scroll' as const },
    tooltip: { trigger: 'axis' as const, valueFormatter: (value: unknown) => formatShare(Number(value)) },
    xAxis: { type: 'category' as const, boundaryGap: false, data: periods.map(periodLabel) },
    yAxis: { type: 'value' as const, max: 1, axisLabel: { formatter: (value: number) => formatShare(value) } },
    series: channels.map((channel, index) => ({
      name: nameOf(channel),
      type: 'line' as const,
      stack: 'mix',
      areaStyle: {},
      showSymbol: false,
      color: colourAt(index),
      data: periods.map((period) => shares.get(channel)?.get(period) ?? 0),
      // The annotations ride on the first series (the stack's base), over the whole height.
      ...(index === 0 && noted.areas.length ? { markArea: { silent: false, data: noted.areas } } : {}),
      ...(index === 0 && noted.lines.length ? { markLine: { silent: false, symbol: 'none', data: noted.lines } } : {}),
    })),
  }
}
