// The waterfall's bars float from the running total, below zero too, and the total stands on zero.
import { describe, expect, it } from 'vitest'
import { effectDigits, falling, pointDigits, rising, waterfallBars, waterfallOption } from './waterfall.ts'

const points = (value: number) => `${value > 0 ? '+' : ''}${(value * 100).toFixed(1)} pp`

describe('waterfall', () => {
  it('stacks an invisible base under each part, so that each starts where the last ended', () => {
    const bars = waterfallBars({
      steps: [
        { label: 'mix', value: 0.02 },
        { label: 'within', value: -0.03 },
        { label: 'interaction', value: 0.005 },
      ],
      total: { label: 'total', value: -0.005 },
    })
    const rounded = (value: number) => Math.round(value * 1e12) / 1e12
    expect(bars.map((bar) => [rounded(bar.base), rounded(bar.length)])).toEqual([
      [0, 0.02],
      [-0.01, 0.03],
      [-0.01, 0.005],
      [-0.005, 0.005],
    ])
  })

  it('colours rises and falls apart, labels each bar with its signed change, and draws the zero line', () => {
    const option = waterfallOption({
      steps: [
        { label: 'Mix', value: 0.075 },
        { label: 'Within', value: 0.15 },
        { label: 'Interaction', value: -0.025 },
      ],
      total: { label: 'Change', value: 0.2 },
      formatChange: points,
    })
    expect(option.xAxis.data).toEqual(['Mix', 'Within', 'Interaction', 'Change'])
    const [base, change] = option.series as unknown as [
      { data: number[]; itemStyle: unknown },
      {
        data: { itemStyle: { color: string } }[]
        label: { formatter: (params: { dataIndex: number }) => string }
        stackStrategy: string
        markLine: { data: unknown[] }
      },
    ]
    expect(base?.data.map((value) => Math.round(value * 1e12) / 1e12)).toEqual([0, 0.075, 0.2, 0])
    expect(base?.itemStyle).toEqual({ color: 'transparent' })
    expect(change?.data.map((item) => item.itemStyle.color)).toEqual([rising, rising, falling, '#0072B2'])
    expect(change?.data.map((_, index) => change.label.formatter({ dataIndex: index }))).toEqual([
      '+7.5 pp',
      '+15.0 pp',
      '-2.5 pp',
      '+20.0 pp',
    ])
    expect(change?.stackStrategy).toBe('all')
    expect(change?.markLine.data).toEqual([{ yAxis: 0 }])
    expect(option.tooltip.formatter([{ dataIndex: 2 }])).toBe('Interaction: -2.5 pp')
  })

  it('shows small changes with enough decimals to read them', () => {
    expect([0.15, 0.017, 0.004, 0.0004, 0.00001, 0].map(pointDigits)).toEqual([1, 1, 2, 3, 3, 1])
    // +1.7 pp and +0.03 pp: one decimal would show the second as 0.0.
    expect(effectDigits([0.017, 0.0003, 0])).toBe(2)
    expect(effectDigits([0.017, 0.002])).toBe(1)
  })
})
