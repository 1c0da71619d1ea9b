// Incident charts from hand-made incidents and feeds: timeline rows and bars, and problems counted per region.
import type { FeedStatus, Incident } from '@qyzmet/api/contract'
import { describe, expect, it } from 'vitest'
import { problemsByRegion, timelineItems, timelineOption } from './incidents.ts'

const anomaly = {
  metric: 'requests',
  region: '75',
  channel: 'mobile',
  service: '',
  day: '2026-11-20',
  days: 1,
  value: 10,
  expected: 100,
  low: 60,
  high: 140,
  score: -9,
  base: 100,
  deviation: -90,
  open: false,
} as const
const incident = (changes: Partial<Incident>): Incident => ({
  metric: 'requests',
  region: '75',
  channel: 'mobile',
  service: '',
  from: '2026-11-18',
  to: '2026-11-20',
  direction: 'down',
  open: false,
  worst: anomaly,
  anomalies: [anomaly],
  ...changes,
})
const feed = (changes: Partial<FeedStatus>): FeedStatus => ({
  source: 'tson-71',
  channel: 'tson',
  region: '71',
  cadence: 'working_days',
  delayMinutes: 600,
  active: true,
  expectedFrom: '2026-01-01',
  origin: 'seeded',
  state: 'silent',
  judgedDay: '2026-11-27',
  since: '2026-11-25',
  missingDays: 3,
  rows: 0,
  lastEventAt: null,
  lastLoadedAt: null,
  ...changes,
})

describe('incident charts', () => {
  const incidents = [incident({}), incident({ region: '', direction: 'up', open: true }), incident({ open: true })]
  const feeds = [feed({}), feed({ region: '75', state: 'on_time', since: null }), feed({ region: '75', state: 'late' })]

  it('makes one timeline row per incident and per feed, a feed from its first missed day', () => {
    const items = timelineItems(incidents, feeds, '2026-11-29', {
      incident: (each) => `${each.direction} ${each.region}`,
      feed: (each) => `${each.state} ${each.region}`,
    })
    expect(items.map((item) => item.label)).toEqual(['down 75', 'up ', 'down 75', 'silent 71', 'on_time 75', 'late 75'])
    expect(items[3]).toMatchObject({ from: '2026-11-25', to: '2026-11-27', kind: 'feed' })
    const option = timelineOption({
      items,
      from: '2026-10-30',
      to: '2026-11-29',
      formatDate: (day) => day,
      labels: { up: 'up', down: 'down', feed: 'feed' },
    })
    const bars = option.series.at(-1)?.data ?? []
    // A bar runs from the start of its first day to the end of its last (the next day's start), in UTC dates.
    expect(bars[0]?.value).toEqual([0, Date.parse('2026-11-18T00:00:00'), Date.parse('2026-11-21T00:00:00')])
    expect(option.yAxis.data).toHaveLength(6)
    expect(option.xAxis.max).toBe('2026-11-30')
    expect(bars[1]?.itemStyle.color).not.toBe(bars[0]?.itemStyle.color)
  })

  it('counts open incidents and feeds not on time per region, leaving national incidents out', () => {
    const counts = problemsByRegion(incidents, feeds)
    // Region 75: one open incident and one late feed (its closed incident and on-time feed do not count).
    expect(Object.fromEntries(counts)).toEqual({ '75': 2, '71': 1 })
  })
})
