// The trend options built from given rows: points, target line, lockdown band, projection.
import { describe, expect, it } from 'vitest'
import { linesOption, lockdown, trendOption } from './trend.ts'

const labels = {
  series: 'Online share',
  provisional: 'Not yet complete',
  target: 'Target',
  projection: 'Projection',
  band: '95 % band',
  lockdown: 'Lockdown',
}
const rows = [
  { period: '2020-02-01', value: 0.5 },
  { period: '2020-03-01', value: 0.7 },
  { period: '2020-04-01', value: null },
]

describe('online-share trend', () => {
  it('plots each period at its date, keeping gaps', () => {
    const option = trendOption({ rows, labels, formatValue: String, formatDate: String })
    expect(option.series[0]?.data).toEqual([
      ['2020-02-01', 0.5],
      ['2020-03-01', 0.7],
      ['2020-04-01', null],
    ])
  })

  it('draws the target as a horizontal line and marks the lockdown', () => {
    const option = trendOption({
      rows,
      labels,
      target: { value: 0.9, dueDate: '2027-12-31' },
      formatValue: (value) => `${value * 100}%`,
      formatDate: String,
    })
    const line = option.series[0]
    expect(line?.markLine?.data).toEqual([{ yAxis: 0.9 }])
    expect(line?.markLine?.label.formatter).toBe('Target 90%')
    expect(line?.markArea?.data).toEqual([[{ xAxis: '2020-03-21' }, { xAxis: '2020-05-10' }]])
    expect(lockdown.to).toBe('2020-05-10')
  })

  it('draws the provisional period dashed, apart from the complete ones and joined to the last of them', () => {
    const option = trendOption({
      rows: [
        { period: '2026-09-01', value: 0.8 },
        { period: '2026-10-01', value: 0.81 },
        { period: '2026-11-01', value: 0.7, provisional: true },
      ],
      labels,
      formatValue: String,
      formatDate: String,
    })
    expect(option.series[0]?.data).toEqual([
      ['2026-09-01', 0.8],
      ['2026-10-01', 0.81],
    ])
    expect(option.series[1]).toMatchObject({
      name: 'Not yet complete',
      lineStyle: { type: 'dashed' },
      data: [
        ['2026-10-01', 0.81],
        ['2026-11-01', 0.7],
      ],
    })
  })

  it('draws the projection from the last complete point with its band (low, then the width stacked on it)', () => {
    const option = trendOption({
      rows: rows.slice(0, 2),
      labels,
      projection: [
        { period: '2020-04-01', value: 0.72, low: 0.7, high: 0.75 },
        { period: '2020-05-01', value: 0.74, low: 0.7, high: 0.8 },
      ],
      formatValue: String,
      formatDate: String,
    })
    expect(option.series.map((series) => series.name)).toEqual(['Online share', 'Projection', '95 % band', '95 % band'])
    expect(option.series[1]?.data).toEqual([
      ['2020-03-01', 0.7],
      ['2020-04-01', 0.72],
      ['2020-05-01', 0.74],
    ])
    expect(option.series[2]?.data).toEqual([
      ['2020-03-01', 0.7],
      ['2020-04-01', 0.7],
      ['2020-05-01', 0.7],
    ])
    const widths = ((option.series[3]?.data ?? []) as [string, number][]).map(([, width]) => width)
    expect(widths[0]).toBe(0)
    expect(widths[1]).toBeCloseTo(0.05, 12)
    expect(widths[2]).toBeCloseTo(0.1, 12)
    expect(option.xAxis.max).toBe('2020-05-01')
  })
})

describe('lines by a dimension', () => {
  it('makes one line per value, aligned on the sorted periods', () => {
    const option = linesOption({
      rows: [
        { period: '2024-02-01', value: 2, age_band: '65+' },
        { period: '2024-01-01', value: 1, age_band: '65+' },
        { period: '2024-01-01', value: 5, age_band: '18-29' },
      ],
      by: 'age_band',
      nameOf: (code) => `band ${code}`,
      periodLabel: (period) => period.slice(0, 7),
      formatValue: String,
    })
    expect(option.xAxis.data).toEqual(['2024-01', '2024-02'])
    expect(option.series.map((series) => [series.name, series.data])).toEqual([
      ['band 65+', [1, 2]],
      ['band 18-29', [5, null]],
    ])
  })
})
