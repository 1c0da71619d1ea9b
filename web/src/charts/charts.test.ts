// Options of the mix, bar, ranking, gauge and map charts, built from given rows.
import { describe, expect, it } from 'vitest'
import { barsOption, groupedBarsOption, isRankable, type Ranked, rankingOption, rankOrder } from './bars.ts'
import { byRegionCode, choroplethOption } from './choropleth.ts'
import { gaugeOption } from './gauge.ts'
import { channelOrder, mixOption, mixShares } from './mix.ts'
import { okabeIto } from './palette.ts'

const percent = (value: number) => `${Math.round(value * 100)}%`

describe('channel mix', () => {
  it('stacks online channels first, keeping the reference order within each kind', () => {
    const channels = [
      { code: 'tson', kind: 'offline' },
      { code: 'portal', kind: 'online' },
      { code: 'callcenter', kind: 'offline' },
      { code: 'mobile', kind: 'online' },
    ]
    expect(channelOrder(channels)).toEqual(['portal', 'mobile', 'tson', 'callcenter'])
  })

  const rows = [
    { period: '2024-01-01', channel: 'tson', value: 30 },
    { period: '2024-01-01', channel: 'portal', value: 70 },
    { period: '2024-02-01', channel: 'portal', value: 50 },
    { period: '2024-02-01', channel: 'tson', value: 0 },
  ]
  it('turns volumes into shares of each period', () => {
    const shares = mixShares(rows)
    expect(shares.get('tson')?.get('2024-01-01')).toBeCloseTo(0.3)
    expect(shares.get('portal')?.get('2024-02-01')).toBe(1)
  })
  it('stacks one area per channel in the given order, with Okabe–Ito colours', () => {
    const option = mixOption({
      rows,
      order: ['portal', 'tson'],
      nameOf: (c) => c.toUpperCase(),
      periodLabel: (p) => p.slice(0, 7),
      formatShare: percent,
    })
    expect(option.xAxis.data).toEqual(['2024-01', '2024-02'])
    expect(option.series.map((series) => series.name)).toEqual(['PORTAL', 'TSON'])
    expect(option.series[0]?.data).toEqual([0.7, 1])
    expect(option.series[1]?.data).toEqual([0.3, 0])
    expect(option.series.every((series) => series.stack === 'mix')).toBe(true)
    expect(option.series[0]?.color).toBe(okabeIto[0])
  })
})

describe('bars', () => {
  it('labels one bar per category and formats the axis', () => {
    const option = barsOption({
      bars: [
        { name: 'Portal', value: 0.95 },
        { name: 'Kiosk', value: 0.8 },
      ],
      formatValue: percent,
    })
    expect((option.xAxis as { data: string[] }).data).toEqual(['Portal', 'Kiosk'])
    expect(option.series[0]?.data).toEqual([0.95, 0.8])
    expect((option.yAxis.axisLabel as { formatter: (value: number) => string }).formatter(0.5)).toBe('50%')
  })
  it('ends a share axis at 100 %, and leaves a count axis to ECharts', () => {
    const bars = [{ name: 'Portal', value: 0.999 }]
    const shares = barsOption({ bars, formatValue: percent, horizontal: true, share: true })
    expect(shares.xAxis).toMatchObject({ min: 0, max: 1 })
    const counts = barsOption({ bars, formatValue: percent, horizontal: true })
    expect(counts.xAxis).not.toHaveProperty('max')
    const grouped = groupedBarsOption({
      categories: ['18–29'],
      groups: [{ name: 'all', values: [1] }],
      formatValue: percent,
      share: true,
    })
    expect(grouped.yAxis).toMatchObject({ min: 0, max: 1 })
  })
  it('groups bars by a second dimension', () => {
    const option = groupedBarsOption({
      categories: ['18–29', '65+'],
      groups: [
        { name: 'women', values: [0.9, 0.4] },
        { name: 'men', values: [0.85, null] },
      ],
      formatValue: percent,
    })
    expect(option.series.map((series) => [series.name, series.data])).toEqual([
      ['women', [0.9, 0.4]],
      ['men', [0.85, null]],
    ])
  })
})

describe('region ranking', () => {
  const items = [
    { code: '10', name: 'Abai', value: 0.8, low: 0.77, high: 0.82 },
    { code: '75', name: 'Almaty', value: 0.95, low: 0.94, high: 0.96 },
    { code: '62', name: 'Ulytau', value: null },
  ]
  it('ranks highest first, leaves out regions without a value, and draws intervals', () => {
    const option = rankingOption({ items, formatValue: percent })
    expect(option.yAxis.data).toEqual(['1. Almaty', '2. Abai'])
    expect(option.series[0]?.data).toEqual([
      { value: [0.95, 0], name: '75' },
      { value: [0.8, 1], name: '10' },
    ])
    expect(option.series[1]?.data).toEqual([
      [0, 0.94, 0.96],
      [1, 0.77, 0.82],
    ])
  })
  it('does not rank regions with few transactions or a wide interval, and lists them after, by name', () => {
    const fair = [
      { code: '75', name: 'Almaty', value: 0.95, low: 0.94, high: 0.96, transactions: 50_000 },
      { code: '62', name: 'Ulytau', value: 0.99, low: 0.9, high: 1, transactions: 5000 },
      { code: '10', name: 'Abai', value: 0.97, low: 0.96, high: 0.98, transactions: 999 },
      { code: '35', name: 'Karaganda', value: 0.9, low: 0.88, high: 0.92, transactions: 20_000 },
    ]
    expect(isRankable(fair[0] as Ranked)).toBe(true)
    expect(isRankable(fair[1] as Ranked)).toBe(false)
    expect(isRankable(fair[2] as Ranked)).toBe(false)
    const order = rankOrder(fair)
    expect(order.ranked.map((item) => item.code)).toEqual(['75', '35'])
    expect(order.unranked.map((item) => item.code)).toEqual(['10', '62'])
    const option = rankingOption({ items: fair, formatValue: percent, unrankedLabel: 'not ranked' })
    expect(option.yAxis.data).toEqual(['1. Almaty', '2. Karaganda', 'Abai (not ranked)', 'Ulytau (not ranked)'])
    expect(option.series[0]?.data[2]).toMatchObject({ value: [0.97, 2], itemStyle: { color: '#ffffff' } })
    expect(option.series[0]?.data[0]).not.toHaveProperty('itemStyle')
  })
  it('draws no whiskers for values without intervals (per capita)', () => {
    const option = rankingOption({ items: [{ code: '10', name: 'Abai', value: 120 }], formatValue: String })
    expect(option.series).toHaveLength(1)
  })
})

describe('gauge', () => {
  it('shows the value and marks the target on the dial', () => {
    const option = gaugeOption({ value: 0.94, target: 0.9, formatValue: percent })
    expect(option.series[0]?.data).toEqual([{ value: 0.94, name: '' }])
    expect(option.series[1]?.data).toEqual([{ value: 0.9, name: '' }])
    const dial = option.series[0]?.axisLine as { lineStyle: { color: [number, string][] } }
    expect(dial.lineStyle.color[0]?.[0]).toBe(0.9)
  })
})

describe('map', () => {
  it('keys features by the first two KATO digits', () => {
    const geo = byRegionCode({
      type: 'FeatureCollection',
      features: [{ type: 'Feature', properties: { KATO: '750000000' }, geometry: null }],
    })
    expect(geo.features[0]?.properties.name).toBe('75')
  })
  it('colours regions by value between the smallest and largest and marks the selected one', () => {
    const option = choroplethOption({
      map: 'kz',
      values: [
        { code: '10', name: 'Abai', value: 0.8 },
        { code: '75', name: 'Almaty', value: 0.95 },
      ],
      selected: ['75'],
      formatValue: percent,
    })
    expect(option.visualMap.min).toBe(0.8)
    expect(option.visualMap.max).toBe(0.95)
    expect(option.series[0]?.data).toEqual([
      { name: '10', value: 0.8, selected: false },
      { name: '75', value: 0.95, selected: true },
    ])
    expect(option.tooltip.formatter({ name: '75', value: 0.95 })).toBe('Almaty: 95%')
    // A tall panel (the Incidents page) must not stretch the country to its box.
    expect(option.series[0]?.preserveAspect).toBe('contain')
  })
})
