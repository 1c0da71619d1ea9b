// Bar options: one bar per category, grouped bars, and a ranking with Wilson intervals as error bars.
import type { CustomSeriesRenderItemAPI, CustomSeriesRenderItemParams } from 'echarts'
import { colourAt, colours } from './palette.ts'

export interface Bar {
  name: string
  value: number | null
}

export interface BarsInput {
  bars: Bar[]
  formatValue: (value: number) => string
  /** Horizontal bars read better with long names (services, regions). */
  horizontal?: boolean
  /** Room for category names of horizontal bars, in pixels. */
  labelWidth?: number
  /** Counts: no fractional ticks. */
  wholeNumbers?: boolean
  /** Shares: the axis ends at 100 %, never at a rounder 120 %. */
  share?: boolean
  /** A phone-width chart: names get at most a third of the width (the tooltip and the table have them whole). */
  narrow?: boolean
}

/** A share's value axis: 0 to 100 % (ECharts would round a 99.9 % bar's axis up to 120 %). */
const shareAxis = { min: 0, max: 1 }

/** Room for the names of a horizontal bar chart: what was asked, but never more than a phone can spare. */
export const phoneLabelWidth = 110

export function barsOption({
  bars,
  formatValue,
  horizontal = false,
  labelWidth: asked = 160,
  wholeNumbers = false,
  share = false,
  narrow = false,
}: BarsInput) {
  const labelWidth = narrow ? Math.min(asked, phoneLabelWidth) : asked
  const category = {
    type: 'category' as const,
    data: bars.map((bar) => bar.name),
    axisLabel: { width: labelWidth, overflow: 'truncate' as const, ...(narrow ? { fontSize: 11 } : {}) },
  }
  const value = {
    type: 'value' as const,
    axisLabel: { formatter: (number: number) => formatValue(number) },
    ...(wholeNumbers ? { minInterval: 1 } : {}),
    ...(share ? shareAxis : {}),
  }
  return {
    aria: { enabled: true },
    grid: {
      left: horizontal ? labelWidth + 10 : 56,
      right: narrow ? 48 : 56,
      top: 16,
      bottom: 48,
      containLabel: false,
    },
    tooltip: { trigger: 'axis' as const, valueFormatter: (number: unknown) => formatValue(Number(number)) },
    xAxis: horizontal
      ? { ...value, ...(narrow ? { splitNumber: 3, axisLabel: { ...value.axisLabel, hideOverlap: true } } : {}) }
      : { ...category, axisLabel: { interval: 0, rotate: bars.length > 6 ? 30 : 0 } },
    yAxis: horizontal ? { ...category, inverse: true } : value,
    series: [
      {
        type: 'bar' as const,
        color: colours.primary,
        barMaxWidth: 36,
        data: bars.map((bar) => bar.value),
        label: {
          show: true,
          position: horizontal ? ('right' as const) : ('top' as const),
          formatter: (params: { value: unknown }) => formatValue(Number(params.value)),
        },
      },
    ],
  }
}

export interface GroupedInput {
  categories: string[]
  groups: { name: string; values: (number | null)[] }[]
  formatValue: (value: number) => string
  /** Shares: the axis ends at 100 %. */
  share?: boolean
}

export function groupedBarsOption({ categories, groups, formatValue, share = false }: GroupedInput) {
  return {
    aria: { enabled: true },
    grid: { left: 56, right: 24, top: 36, bottom: 40 },
    legend: { top: 0 },
    tooltip: { trigger: 'axis' as const, valueFormatter: (number: unknown) => formatValue(Number(number)) },
    xAxis: { type: 'category' as const, data: categories },
    yAxis: {
      type: 'value' as const,
      axisLabel: { formatter: (number: number) => formatValue(number) },
      ...(share ? shareAxis : {}),
    },
    series: groups.map((group, index) => ({
      name: group.name,
      type: 'bar' as const,
      color: colourAt(index),
      data: group.values,
    })),
  }
}

export interface Ranked {
  code: string
  name: string
  value: number | null
  low?: number | null
  high?: number | null
  transactions?: number | null
}

/** Below these, a region's figure is mostly noise: it is shown, but not ranked (METHODOLOGY: fair comparison). */
export const rankingRules = { minTransactions: 1000, maxIntervalWidth: 0.05 }

/** Whether an item rests on enough transactions, and a narrow enough interval, to be ranked. */
export function isRankable(item: Ranked, rules = rankingRules): boolean {
  if (item.value === null) return false
  if (typeof item.transactions === 'number' && item.transactions < rules.minTransactions) return false
  if (typeof item.low === 'number' && typeof item.high === 'number' && item.high - item.low > rules.maxIntervalWidth)
    return false
  return true
}

/** Ranked items by value (highest first), then the unranked ones by name. */
export function rankOrder(items: Ranked[], rules = rankingRules): { ranked: Ranked[]; unranked: Ranked[] } {
  const known = items.filter((item) => item.value !== null)
  return {
    ranked: known.filter((item) => isRankable(item, rules)).sort((a, b) => (b.value ?? 0) - (a.value ?? 0)),
    unranked: known.filter((item) => !isRankable(item, rules)).sort((a, b) => a.name.localeCompare(b.name)),
  }
}

/**
 * Regions ranked by value, highest on top; intervals drawn as whiskers so that overlapping regions read as ties.
 * Regions with too few transactions follow in grey, by name, labelled as not ranked.
 */
export function rankingOption({
  items,
  formatValue,
  unrankedLabel = '',
  rules = rankingRules,
  narrow = false,
}: {
  items: Ranked[]
  formatValue: (value: number) => string
  /** Appended to the names of regions that are not ranked. */
  unrankedLabel?: string
  rules?: typeof rankingRules
  /** A phone-width chart: shorter names, fewer value ticks, so that no label overlaps another. */
  narrow?: boolean
}) {
  const nameWidth = narrow ? phoneLabelWidth : 220
  const order = rankOrder(items, rules)
  const ranked = [...order.ranked, ...order.unranked]
  const isRanked = (index: number) => index < order.ranked.length
  const withIntervals = ranked.some((item) => typeof item.low === 'number' && typeof item.high === 'number')
  const renderWhisker = (params: CustomSeriesRenderItemParams, api: CustomSeriesRenderItemAPI) => {
    const index = api.value(0)
    const low = api.coord([api.value(1), index])
    const high = api.coord([api.value(2), index])
    const cap = 5
    const style = { stroke: colours.muted, lineWidth: 1.5 }
    void params
    return {
      type: 'group' as const,
      children: [
        { type: 'line' as const, shape: { x1: low[0], y1: low[1], x2: high[0], y2: high[1] }, style },
        {
          type: 'line' as const,
          shape: { x1: low[0], y1: (low[1] ?? 0) - cap, x2: low[0], y2: (low[1] ?? 0) + cap },
          style,
        },
        {
          type: 'line' as const,
          shape: { x1: high[0], y1: (high[1] ?? 0) - cap, x2: high[0], y2: (high[1] ?? 0) + cap },
          style,
        },
      ],
    }
  }
  return {
    aria: { enabled: true },
    grid: { left: nameWidth + 10, right: narrow ? 24 : 40, top: 16, bottom: 32 },
    tooltip: { trigger: 'item' as const },
    xAxis: {
      type: 'value' as const,
      scale: true,
      splitNumber: narrow ? 3 : 5,
      axisLabel: { formatter: (number: number) => formatValue(number), hideOverlap: true },
    },
    yAxis: {
      type: 'category' as const,
      inverse: true,
      data: ranked.map((item, index) =>
        isRanked(index) ? `${index + 1}. ${item.name}` : `${item.name}${unrankedLabel ? ` (${unrankedLabel})` : ''}`,
      ),
      axisLabel: { width: nameWidth, overflow: 'truncate' as const, interval: 0, ...(narrow ? { fontSize: 11 } : {}) },
    },
    series: [
      {
        // Dots, not bars: the axis does not start at zero, and a bar's length would exaggerate the gaps.
        type: 'scatter' as const,
        color: colours.primary,
        symbolSize: 10,
        z: 4,
        data: ranked.map((item, index) => ({
          value: [item.value, index],
          name: item.code,
          // Hollow grey: a value to read, not a place in the ranking.
          ...(isRanked(index) ? {} : { itemStyle: { color: '#ffffff', borderColor: colours.muted, borderWidth: 1.5 } }),
        })),
        tooltip: { valueFormatter: (number: unknown) => formatValue(Number(number)) },
      },
      ...(withIntervals
        ? [
            {
              type: 'custom' as const,
              name: '95 %',
              renderItem: renderWhisker,
              encode: { x: [1, 2], y: 0 },
              z: 3,
              tooltip: { show: false },
              data: ranked.map((item, index) => [index, item.low ?? item.value, item.high ?? item.value]),
            },
          ]
        : []),
    ],
  }
}
