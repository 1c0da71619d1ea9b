// Data-quality and region-versus-country options, built from given rows.
import { describe, expect, it } from 'vitest'
import { feedLags, freshnessOption, instant, sourceLags } from './quality.ts'
import { versusOption } from './versus.ts'

const feed = (source: string, region: string, loaded: string) => ({
  source,
  region,
  channel: 'portal',
  last_event_at: loaded,
  last_loaded_at: loaded,
  events: 10,
})

describe('freshness', () => {
  const rows = [
    feed('egov-portal', '75', '2026-10-31 12:00:00.000'),
    feed('egov-portal', '10', '2026-10-20 12:00:00.000'),
    feed('kiosk', '75', '2026-10-30 12:00:00.000'),
  ]
  it('reads the engine time as UTC', () => {
    expect(instant('2026-10-31 12:00:00.000')).toBe(Date.UTC(2026, 9, 31, 12))
  })
  it('measures each feed against the newest load and puts stale feeds first', () => {
    const lags = feedLags(rows)
    expect(lags.map((lag) => [lag.region, lag.source, lag.lagDays, lag.stale])).toEqual([
      ['10', 'egov-portal', 11, true],
      ['75', 'kiosk', 1, false],
      ['75', 'egov-portal', 0, false],
    ])
    expect(sourceLags(lags)).toEqual([
      { source: 'kiosk', lagDays: 1, feeds: 1, stale: 0 },
      { source: 'egov-portal', lagDays: 0, feeds: 2, stale: 1 },
    ])
  })
  it('draws stale sources in vermillion with the stale threshold marked', () => {
    const option = freshnessOption({
      sources: [
        { source: 'egov-portal', lagDays: 11 },
        { source: 'kiosk', lagDays: 1 },
      ],
      formatDays: (days) => `${days} d`,
      staleLabel: 'stale',
    })
    expect(option.yAxis.data).toEqual(['egov-portal', 'kiosk'])
    expect(option.series[0]?.data.map((bar) => [bar.value, bar.itemStyle.color])).toEqual([
      [11, '#D55E00'],
      [1, '#0072B2'],
    ])
    expect(option.series[0]?.markLine.data).toEqual([{ xAxis: 7 }])
  })
})

describe('region against the country', () => {
  it('aligns both lines on the same periods and stacks the interval band on its low bound', () => {
    const option = versusOption({
      region: [
        { period: '2024-02-01', value: 0.8, ci_low: 0.7, ci_high: 0.85 },
        { period: '2024-01-01', value: 0.75, ci_low: 0.6, ci_high: 0.8 },
      ],
      national: [
        { period: '2024-01-01', value: 0.9 },
        { period: '2024-02-01', value: 0.91 },
        { period: '2024-03-01', value: 0.92 },
      ],
      names: { region: 'Abai', national: 'Kazakhstan' },
      periodLabel: (period) => period.slice(0, 7),
      formatValue: String,
      ceiling: 1,
    })
    expect((option.yAxis.max as (extent: { max: number }) => number)({ max: 0.99 })).toBe(1)
    expect((option.yAxis.max as (extent: { max: number }) => number)({ max: 0.5 })).toBeCloseTo(0.525)
    expect(option.xAxis.data).toEqual(['2024-01', '2024-02', '2024-03'])
    const byName = Object.fromEntries(option.series.map((series) => [series.name, series.data]))
    expect(byName.Abai).toEqual([0.75, 0.8, null])
    expect(byName.Kazakhstan).toEqual([0.9, 0.91, 0.92])
    expect(byName.low).toEqual([0.6, 0.7, null])
    expect((byName['95 %'] as number[])[0]).toBeCloseTo(0.2)
    expect(option.legend.data).toEqual(['Abai', 'Kazakhstan'])
  })
})
