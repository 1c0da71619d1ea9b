// Regions against a target: bars in the given order, coloured by status, labelled with when they get there.
import { describe, expect, it } from 'vitest'
import { distanceOption } from './distance.ts'

describe('distance to a target', () => {
  it('keeps the order, colours by status and draws the target line', () => {
    const option = distanceOption({
      regions: [
        { name: 'Astana', value: 0.95, tone: 'good', when: 'reached' },
        { name: 'Turkistan', value: 0.81, tone: 'bad', when: 'not at the current trend' },
      ],
      target: 0.9,
      targetLabel: 'Target',
      formatValue: (value) => `${Math.round(value * 100)}%`,
      share: true,
    })
    expect(option.yAxis.data).toEqual(['Astana', 'Turkistan'])
    expect(option.series[0]?.data.map((bar) => [bar.value, bar.itemStyle.color])).toEqual([
      [0.95, '#009E73'],
      [0.81, '#D55E00'],
    ])
    expect(option.series[0]?.markLine.data).toEqual([{ xAxis: 0.9 }])
    expect(option.series[0]?.label.formatter({ dataIndex: 1 })).toBe('81% · not at the current trend')
  })
})
