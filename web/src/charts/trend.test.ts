// The trend options built from given rows: points, target line, lockdown band, projection.
import { describe, expect, it } from 'vitest'
import type { Progress } from '../api.ts'
import { linesOption, lockdown, projection, trendOption } from './trend.ts'

const labels = { series: 'Online share', target: 'Target', projection: 'Projection', lockdown: 'Lockdown' }
const rows = [
  { period: '2020-02-01', value: 0.5 },
  { period: '2020-03-01', value: 0.7 },
  { period: '2020-04-01', value: null },
]
const progress: Progress = {
  series: [],
  current: 0.8,
  currentPeriod: '2026-10-01',
  trendPerMonth: 0.01,
  reached: false,
  projectedDate: '2027-08-31',
  monthlyGainNeeded: 0.01,
  onTrack: true,
}

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

  it('projects the monthly trend to the due date, capped at 100 %', () => {
    expect(projection(progress, '2027-10-31')).toEqual([
      ['2026-10-01', 0.8],
      ['2027-10-01', 0.8 + 0.01 * 12],
    ])
    expect(projection({ ...progress, trendPerMonth: 0.1 }, '2027-10-31').at(-1)?.[1]).toBe(1)
    expect(projection({ ...progress, trendPerMonth: null }, '2027-10-31')).toEqual([])
    const option = trendOption({
      rows,
      labels,
      projected: projection(progress, '2027-10-31'),
      formatValue: String,
      formatDate: String,
    })
    expect(option.series).toHaveLength(2)
    expect(option.series[1]?.name).toBe('Projection')
    expect(option.xAxis.max).toBe('2027-10-01')
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
