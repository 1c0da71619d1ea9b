// Annotation marks on time and category axes, and as the trend and channel-mix charts draw them.
import { describe, expect, it } from 'vitest'
import { annotationMarks, type ChartAnnotation } from './annotations.ts'
import { mixOption } from './mix.ts'
import { linesOption, trendOption } from './trend.ts'

const notes: ChartAnnotation[] = [
  { from: '2024-02-10', to: '2024-02-12', label: 'Outage', origin: 'incident' },
  { from: '2024-03-08', to: '2024-03-08', label: 'Campaign day', origin: 'analyst' },
  { from: '2023-06-01', to: '2023-06-02', label: 'Before the chart', origin: 'analyst' },
]

describe('annotations on charts', () => {
  it('puts a band over several days and a line on a single day of a time axis', () => {
    const marks = annotationMarks(notes.slice(0, 2), { type: 'time' })
    expect(marks.areas).toHaveLength(1)
    expect(marks.areas[0]?.[0]).toMatchObject({ xAxis: '2024-02-10', name: 'Outage' })
    expect(marks.areas[0]?.[1]).toEqual({ xAxis: '2024-02-12' })
    expect(marks.lines).toEqual([expect.objectContaining({ xAxis: '2024-03-08' })])
  })

  it('names the periods holding the days on a category axis, leaving out what falls before the first', () => {
    const periods = ['2024-01-01', '2024-02-01', '2024-03-01']
    const marks = annotationMarks(notes, { type: 'category', periods, labelOf: (period) => period.slice(0, 7) })
    // Both fall in one period each (February, March): a line there, as a band would have no width.
    expect(marks.areas).toEqual([])
    expect(marks.lines.map((line) => line.xAxis)).toEqual(['2024-02', '2024-03'])
    const weekly = annotationMarks(notes, { type: 'category', periods: ['2024-02-05', '2024-02-12'], labelOf: String })
    expect(weekly.areas.map(([start, end]) => [start.xAxis, end.xAxis])).toEqual([['2024-02-05', '2024-02-12']])
  })

  it('adds the bands beside the lockdown on the trend, and to the base of the channel mix', () => {
    const trend = trendOption({
      rows: [{ period: '2024-01-01', value: 0.5, provisional: false }],
      labels: { series: 's', provisional: 'p', target: 't', projection: 'j', band: 'b', lockdown: 'l' },
      formatValue: String,
      formatDate: String,
      annotations: notes.slice(0, 2),
    })
    expect(trend.series[0]?.markArea?.data).toHaveLength(2)
    expect(trend.series[0]?.markLine?.data).toEqual([expect.objectContaining({ xAxis: '2024-03-08' })])
    const mix = mixOption({
      rows: [
        { period: '2024-02-01', channel: 'portal', value: 3 },
        { period: '2024-02-01', channel: 'tson', value: 1 },
      ],
      order: ['portal', 'tson'],
      nameOf: String,
      periodLabel: (period) => period,
      formatShare: String,
      annotations: notes,
    })
    // One period (February) on the mix's axis: the outage in it, and the campaign after it clipped to it (the API
    // sends only notes that touch the chart's range), are lines on the stack's base.
    expect(mix.series[0]?.markLine?.data).toHaveLength(2)
    expect(mix.series[1]?.markLine).toBeUndefined()
  })

  it('draws them on the first of several lines (targets, indicators, the age divide), over the periods holding them', () => {
    const lines = linesOption({
      rows: ['2024-01-01', '2024-02-01', '2024-03-01'].flatMap((period) => [
        { period, region: '75', value: 1 },
        { period, region: '71', value: 2 },
      ]),
      by: 'region',
      nameOf: String,
      periodLabel: (period) => period.slice(0, 7),
      formatValue: String,
      annotations: [...notes, { from: '2024-01-20', to: '2024-03-02', label: 'Campaign', origin: 'analyst' }],
    })
    // The outage and the campaign day fall in one month each (lines); the campaign spans January to March (a band).
    expect(lines.series[0]?.markLine?.data.map((line) => line.xAxis)).toEqual(['2024-02', '2024-03'])
    expect(lines.series[0]?.markArea?.data.map(([start, end]) => [start.xAxis, end.xAxis])).toEqual([
      ['2024-01', '2024-03'],
    ])
    expect(lines.series[1]?.markArea).toBeUndefined()
    // The monitor's incidents are named when pointed at, analysts' notes on the chart.
    const shown = (line: Record<string, unknown>) => (line.label as { show: boolean }).show
    expect(lines.series[0]?.markLine?.data.map(shown)).toEqual([false, true])
    const bare = linesOption({ rows: [], nameOf: String, periodLabel: String, formatValue: String })
    expect(bare.series).toEqual([])
  })
})
