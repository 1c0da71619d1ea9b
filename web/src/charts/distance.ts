// Regions against a target: each region's current value as a bar, coloured by its status, with the target line and,
// at the bar's end, when its own trend reaches the target.
import { colours } from './palette.ts'

export interface RegionStanding {
  name: string
  value: number | null
  /** good: reached or on track; warn: at risk; bad: off track or missed. */
  tone: 'good' | 'warn' | 'bad' | 'none'
  /** "reached", "in 14 months", "not at the current trend". */
  when: string
}

const toneColour = { good: '#009E73', warn: '#E69F00', bad: '#D55E00', none: '#999999' } as const

export function distanceOption(input: {
  regions: RegionStanding[]
  target: number
  targetLabel: string
  formatValue: (value: number) => string
  share: boolean
  labelWidth?: number
}) {
  const { regions, target, targetLabel, formatValue, share, labelWidth = 150 } = input
  return {
    aria: { enabled: true },
    grid: { left: labelWidth + 10, right: 150, top: 24, bottom: 32 },
    tooltip: {
      trigger: 'axis' as const,
      formatter: (items: { dataIndex: number }[]) => {
        const region = regions[items[0]?.dataIndex ?? 0]
        return region
          ? `${region.name}: ${region.value === null ? '–' : formatValue(region.value)} · ${region.when}`
          : ''
      },
    },
    xAxis: {
      type: 'value' as const,
      // Shares on round steps of 5 points from just below the lowest region (and the target) to 100 %.
      ...(share
        ? {
            max: 1,
            interval: 0.05,
            min: Math.max(0, Math.floor(Math.min(target, ...regions.map((region) => region.value ?? 1)) * 20) / 20),
          }
        : {}),
      axisLabel: { formatter: (value: number) => formatValue(value) },
    },
    yAxis: {
      type: 'category' as const,
      inverse: true,
      data: regions.map((region) => region.name),
      axisLabel: { width: labelWidth, overflow: 'truncate' as const },
    },
    series: [
      {
        type: 'bar' as const,
        barMaxWidth: 18,
        data: regions.map((region) => ({ value: region.value, itemStyle: { color: toneColour[region.tone] } })),
        label: {
          show: true,
          position: 'right' as const,
          formatter: (item: { dataIndex: number }) => {
            const region = regions[item.dataIndex]
            return region ? `${region.value === null ? '–' : formatValue(region.value)} · ${region.when}` : ''
          },
        },
        markLine: {
          silent: true,
          symbol: 'none',
          lineStyle: { color: colours.target, type: 'dashed' as const, width: 2 },
          label: { formatter: `${targetLabel} ${formatValue(target)}`, position: 'end' as const },
          data: [{ xAxis: target }],
        },
      },
    ],
  }
}
