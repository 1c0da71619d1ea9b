// The funnel plot's option: limits drawn from the curve, units coloured and shaped by signal, never ranked.
import { describe, expect, it } from 'vitest'
import { byName, type FunnelPoint, funnelOption, signalCounts, signalStyle } from './funnel.ts'

const point = (code: string, name: string, value: number, base: number, signal: FunnelPoint['signal']) => ({
  code,
  name,
  value,
  base,
  signal,
  beyond95: signal !== 'within',
  low998: 0.7,
  high998: 0.9,
})

const points: FunnelPoint[] = [
  point('75', 'Almaty', 0.95, 3500, 'above'),
  point('10', 'Abai', 0.8, 600, 'within'),
  point('61', 'Turkistan', 0.6, 2400, 'below'),
  point('62', 'Ulytau', 0.82, 250, 'within'),
]
const curve = [
  { n: 100, low95: 0.7, high95: 0.96, low998: 0.63, high998: 1 },
  { n: 1000, low95: 0.8, high95: 0.86, low998: 0.78, high998: 0.88 },
  { n: 5000, low95: 0.82, high95: 0.84, low998: 0.81, high998: 0.85 },
]
const labels = {
  target: 'All regions',
  limit95: '95 % limits',
  limit998: '99.8 % limits',
  base: 'Base',
  above: 'above expectation',
  within: 'within expectation',
  below: 'below expectation',
}
const option = funnelOption({
  points,
  curve,
  target: 0.83,
  formatValue: (value) => `${Math.round(value * 100)}%`,
  formatCount: String,
  labels,
})

describe('funnel plot', () => {
  it('draws both limits of each pair from the curve, and the pooled share as a flat line', () => {
    const lines = option.series.filter((series) => series.type === 'line') as { name: string; data: number[][] }[]
    expect(lines.map((line) => line.name)).toEqual([
      '99.8 % limits',
      '99.8 % limits',
      '95 % limits',
      '95 % limits',
      'All regions',
    ])
    expect(lines[0]?.data).toEqual([
      [100, 0.63],
      [1000, 0.78],
      [5000, 0.81],
    ])
    expect(lines[3]?.data.map(([, high]) => high)).toEqual([0.96, 0.86, 0.84])
    expect(lines[4]?.data.every(([, value]) => value === 0.83)).toBe(true)
    expect(option.xAxis).toMatchObject({ type: 'log', min: 100, max: 5000 })
  })

  it('puts each unit at (base, share) in the series of its signal, shaped apart as well as coloured', () => {
    const scatter = option.series.filter((series) => series.type === 'scatter') as {
      name: string
      symbol: string
      itemStyle: { color: string }
      data: { name: string; value: number[] }[]
    }[]
    expect(scatter.map((series) => series.name)).toEqual([
      'above expectation',
      'within expectation',
      'below expectation',
    ])
    expect(scatter[0]?.data).toEqual([expect.objectContaining({ name: '75', value: [3500, 0.95] })])
    expect(scatter[1]?.data.map((item) => item.name)).toEqual(['10', '62'])
    expect(scatter[2]?.data).toEqual([expect.objectContaining({ name: '61', value: [2400, 0.6] })])
    expect(new Set(scatter.map((series) => series.symbol)).size).toBe(3)
    expect(scatter[0]?.itemStyle.color).toBe(signalStyle.above.colour)
  })

  it('says a unit’s share, base and signal in its tooltip', () => {
    const tooltip = option.tooltip.formatter({
      seriesType: 'scatter',
      data: { label: 'Turkistan', value: [2400, 0.6], signal: 'below' },
    })
    expect(tooltip).toBe('Turkistan: 60% · Base 2400 · below expectation')
  })

  it('lists units by name, not by value, and counts them by signal', () => {
    expect(byName(points, 'en').map((item) => item.code)).toEqual(['10', '75', '61', '62'])
    expect(signalCounts(points)).toEqual({ above: 1, within: 2, below: 1 })
  })
})
