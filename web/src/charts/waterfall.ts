// A waterfall of a change: each effect a floating bar from the running total, then the whole change from zero.
import { colours, okabeIto } from './palette.ts'

export interface WaterfallStep {
  label: string
  value: number
}

export interface WaterfallInput {
  /** The parts, in order (mix, within, interaction); each floats from where the previous ended. */
  steps: WaterfallStep[]
  /** Their sum, drawn from zero. */
  total: WaterfallStep
  /** A signed change as people read it (e.g. "+1.2 pp"). */
  formatChange: (value: number) => string
}

/** Decimals of percentage points that show a change this large (a share, 0.017 = 1.7 pp) with two significant digits. */
export function pointDigits(largest: number): number {
  if (!(largest > 0) || !Number.isFinite(largest)) return 1
  return Math.min(3, Math.max(1, 1 - Math.floor(Math.log10(largest * 100))))
}

/** Decimals for a set of effects: those of the largest, one more (up to 3) when a non-zero one would read as 0. */
export function effectDigits(values: number[]): number {
  const digits = pointDigits(Math.max(0, ...values.map(Math.abs)))
  const hidden = values.some((value) => value !== 0 && Math.abs(value * 100) < 0.5 * 10 ** -digits)
  return hidden ? Math.min(3, digits + 1) : digits
}

export const rising = okabeIto[2]
export const falling = okabeIto[5]

/**
 * Each bar as an invisible base plus a visible length, stacked with the 'all' strategy so that bars below zero stack
 * the same way: a part that goes from 0.02 down to −0.01 is a base of −0.01 and a length of 0.03.
 */
export function waterfallBars({ steps, total }: Pick<WaterfallInput, 'steps' | 'total'>) {
  let running = 0
  const bars = steps.map((step) => {
    const from = running
    running += step.value
    return { base: Math.min(from, running), length: Math.abs(step.value), value: step.value, total: false }
  })
  bars.push({ base: Math.min(0, total.value), length: Math.abs(total.value), value: total.value, total: true })
  return bars
}

export function waterfallOption({ steps, total, formatChange }: WaterfallInput) {
  const bars = waterfallBars({ steps, total })
  const colourOf = (bar: (typeof bars)[number]) => (bar.total ? colours.primary : bar.value < 0 ? falling : rising)
  return {
    aria: { enabled: true },
    grid: { left: 64, right: 24, top: 28, bottom: 40 },
    tooltip: {
      trigger: 'axis' as const,
      formatter: (items: { dataIndex: number }[]) => {
        const index = items[0]?.dataIndex ?? 0
        const label = index < steps.length ? steps[index]?.label : total.label
        return `${label}: ${formatChange(bars[index]?.value ?? 0)}`
      },
    },
    xAxis: {
      type: 'category' as const,
      data: [...steps.map((step) => step.label), total.label],
      // Four bars: every one named, wrapped rather than hidden on a phone.
      axisLabel: { interval: 0, width: 80, overflow: 'break' as const },
    },
    yAxis: {
      type: 'value' as const,
      axisLabel: { formatter: (value: number) => formatChange(value) },
      splitLine: { lineStyle: { color: '#e5e5e5' } },
    },
    series: [
      {
        name: 'base',
        type: 'bar' as const,
        stack: 'waterfall',
        stackStrategy: 'all' as const,
        silent: true,
        itemStyle: { color: 'transparent' },
        data: bars.map((bar) => bar.base),
      },
      {
        name: 'change',
        type: 'bar' as const,
        stack: 'waterfall',
        stackStrategy: 'all' as const,
        barMaxWidth: 72,
        data: bars.map((bar) => ({ value: bar.length, itemStyle: { color: colourOf(bar) } })),
        label: {
          show: true,
          position: 'top' as const,
          formatter: (params: { dataIndex: number }) => formatChange(bars[params.dataIndex]?.value ?? 0),
        },
        markLine: {
          silent: true,
          symbol: 'none',
          lineStyle: { color: colours.muted, type: 'solid' as const, width: 1 },
          label: { show: false },
          data: [{ yAxis: 0 }],
        },
      },
    ],
  }
}
