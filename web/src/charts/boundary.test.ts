// The boundary break is marked only where a series runs across it, at the period holding the day.
import { describe, expect, it } from 'vitest'
import { breakIndex } from './boundary.ts'
import { versusOption } from './versus.ts'

const months = ['2022-04-01', '2022-05-01', '2022-06-01', '2022-07-01']

describe('breakIndex', () => {
  it('marks the month holding 8 June 2022, the year 2022, the week beginning on the day', () => {
    expect(breakIndex(months, '2022-06-08', '2022-07-31')).toBe(2)
    expect(breakIndex(['2021-01-01', '2022-01-01', '2023-01-01'], '2022-06-08', '2023-12-31')).toBe(1)
    expect(breakIndex(['2022-06-01', '2022-06-08'], '2022-06-08', '2022-06-14')).toBe(1)
  })

  it('marks nothing when the series is all before or all after the day', () => {
    expect(breakIndex(months, '2022-06-08', '2022-06-07')).toBeNull()
    expect(breakIndex(['2022-06-08', '2022-07-01'], '2022-06-08', '2022-07-31')).toBeNull()
    expect(breakIndex([], '2022-06-08', '2022-07-31')).toBeNull()
  })

  it('draws the mark on the region’s line, labelled', () => {
    const row = (period: string) => ({ period, value: 0.5 })
    const option = versusOption({
      region: months.map(row),
      national: months.map(row),
      names: { region: 'East Kazakhstan', national: 'Kazakhstan' },
      periodLabel: (period) => period,
      formatValue: String,
      boundaryBreak: { day: '2022-06-08', to: '2022-07-31', label: 'New boundaries' },
    })
    const line = option.series.find((series) => series.name === 'East Kazakhstan') as {
      markLine?: { data: { xAxis: number }[]; label: { formatter: string } }
    }
    expect(line.markLine?.data).toEqual([{ xAxis: 2 }])
    expect(line.markLine?.label.formatter).toBe('New boundaries')
  })
})
