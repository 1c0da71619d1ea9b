// Live chart options from hand-made snapshots: hours stacked by channel, the online share, the last hour by minute.
import { describe, expect, it } from 'vitest'
import { parseEvents } from '../live.ts'
import { hourlyByChannel, hourlyOption, minutesOption, onlineShareOf } from './live.ts'
import { enlarged } from './wall.ts'

const hours = [
  { hour: 9, channel: 'tson', transactions: 4, completed: 3 },
  { hour: 9, channel: 'portal', transactions: 10, completed: 9 },
  { hour: 10, channel: 'portal', transactions: 6, completed: 1 },
  { hour: 11, channel: 'mobile', transactions: 2, completed: 2 },
]

describe('live charts', () => {
  it('lays out 24 hours per channel in the given order, zeros where none', () => {
    const table = hourlyByChannel(hours, ['portal', 'mobile', 'tson'])
    expect([...table.keys()]).toEqual(['portal', 'mobile', 'tson'])
    expect(table.get('portal')).toHaveLength(24)
    expect(table.get('portal')?.[9]).toBe(10)
    expect(table.get('portal')?.[10]).toBe(6)
    expect(table.get('tson')?.[10]).toBe(0)
    const total = [...table.values()].flat().reduce((sum, value) => sum + value, 0)
    expect(total).toBe(22)
  })

  it('computes the online share of completed transactions', () => {
    // online: portal 9 + 1, mobile 2 = 12 of 15 completed
    expect(onlineShareOf(hours, new Set(['portal', 'mobile']))).toBeCloseTo(12 / 15)
    expect(onlineShareOf([], new Set(['portal']))).toBeNull()
  })

  it('stacks bars up to the current hour and marks it as still filling', () => {
    const option = hourlyOption({
      hours,
      order: ['portal', 'mobile', 'tson'],
      nameOf: (code) => code.toUpperCase(),
      formatCount: String,
      currentHour: 10,
      labels: { now: 'now' },
    })
    expect(option.series.map((series) => series.name)).toEqual(['PORTAL', 'MOBILE', 'TSON'])
    expect(option.series.every((series) => series.stack === 'hours')).toBe(true)
    const portal = option.series[0]?.data ?? []
    expect(portal[9]).toBe(10)
    // Hour 11 is later than the current hour: nothing drawn, though a row came (a clock a little ahead).
    expect(option.series[1]?.data[11]).toBeNull()
    expect(option.xAxis.data[10]).toBe('10:00')
    expect(option.series[0]?.markArea?.data[0]?.[0]?.xAxis).toBe('10:00')
  })

  it('draws the last hour minute by minute, the running minute lighter', () => {
    const minutes = [0, 1, 2].map((index) => ({
      minute: new Date(Date.UTC(2026, 10, 29, 10, index)).toISOString(),
      transactions: index * 5,
    }))
    const option = minutesOption({
      minutes,
      formatCount: String,
      formatTime: (iso) => iso.slice(11, 16),
      label: 'per minute',
    })
    expect(option.xAxis.data).toEqual(['10:00', '10:01', '10:02'])
    expect(option.series[0]?.data.slice(0, 2)).toEqual([0, 5])
    expect(option.series[0]?.data[2]).toMatchObject({ value: 10 })
  })
})

describe('server-sent events', () => {
  it('parses events, skips heartbeats, keeps an unfinished event for the next chunk', () => {
    const text = 'retry: 5000\n\n: heartbeat\n\nevent: snapshot\ndata: {"a":1}\n\nevent: bye\ndata: {}\n\nevent: snap'
    const { events, rest, retry } = parseEvents(text)
    expect(retry).toBe(5000)
    expect(events).toEqual([
      { event: 'snapshot', data: '{"a":1}' },
      { event: 'bye', data: '{}' },
    ])
    expect(rest).toBe('event: snap')
    const more = parseEvents(`${rest}shot\r\ndata: 1\r\ndata: 2\r\n\r\n`)
    expect(more.events).toEqual([{ event: 'snapshot', data: '1\n2' }])
  })
})

describe('wall-screen chart text', () => {
  it('enlarges axis labels, legends and the base text, keeping everything else', () => {
    const option = {
      grid: { left: 10, top: 20 },
      legend: { top: 0, textStyle: { color: 'red' } },
      xAxis: { type: 'category', data: ['a'] },
      yAxis: [{ type: 'value', axisLabel: { formatter: String } }],
      series: [{ type: 'bar', data: [1] }],
    }
    const large = enlarged(option, 20) as typeof option & Record<string, never>
    expect(large.series).toBe(option.series)
    expect(large.xAxis).toMatchObject({ type: 'category', axisLabel: { fontSize: 20 } })
    expect(large.yAxis[0]).toMatchObject({ axisLabel: { fontSize: 20, formatter: String } })
    expect(large.legend).toMatchObject({ textStyle: { color: 'red', fontSize: 20 } })
    expect(large.grid).toMatchObject({ left: 70, top: 80, bottom: 44 })
    expect(large.textStyle).toEqual({ fontSize: 20 })
    // A gauge has no axes and no legend: none are added.
    expect(Object.keys(enlarged({ series: [] }))).toEqual(['series', 'textStyle'])
  })
})
