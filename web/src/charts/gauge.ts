// A gauge of a share against its target: the needle at the value, the target marked on the dial.
import { colours } from './palette.ts'

export function gaugeOption({
  value,
  target,
  formatValue,
}: {
  value: number | null
  target: number
  formatValue: (value: number) => string
}) {
  return {
    aria: { enabled: true },
    series: [
      {
        type: 'gauge' as const,
        min: 0,
        max: 1,
        startAngle: 200,
        endAngle: -20,
        radius: '95%',
        center: ['50%', '60%'],
        progress: { show: true, width: 14, itemStyle: { color: colours.primary } },
        axisLine: {
          lineStyle: {
            width: 14,
            // The dial darkens past the target, so the target reads as a boundary even without colour.
            color: [
              [target, '#E5E5E5'],
              [1, '#BFBFBF'],
            ] as [number, string][],
          },
        },
        splitNumber: 5,
        axisTick: { show: false },
        splitLine: { length: 8, lineStyle: { color: colours.muted } },
        axisLabel: { distance: 18, color: colours.muted, formatter: (number: number) => formatValue(number) },
        pointer: { width: 4, itemStyle: { color: colours.muted } },
        detail: {
          valueAnimation: false,
          offsetCenter: [0, '35%'],
          fontSize: 24,
          formatter: (number: number) => formatValue(number),
        },
        data: [{ value: value ?? 0, name: '' }],
      },
      {
        // A second, pointer-only gauge draws the target as a short tick on the same dial.
        type: 'gauge' as const,
        min: 0,
        max: 1,
        startAngle: 200,
        endAngle: -20,
        radius: '95%',
        center: ['50%', '60%'],
        axisLine: { show: false },
        axisTick: { show: false },
        splitLine: { show: false },
        axisLabel: { show: false },
        detail: { show: false },
        pointer: {
          icon: 'rect',
          width: 4,
          length: '22%',
          offsetCenter: [0, '-78%'],
          itemStyle: { color: colours.target },
        },
        data: [{ value: target, name: '' }],
      },
    ],
  }
}
