// The daily series the detector watches: requests recorded per region × channel, per region, per channel, per service
// and nationally, and the share of them made online per region, per service and nationally. Requests of any status:
// a recent day's completions keep arriving for weeks (cases still in progress), its requests do not.
import { type CalendarDay, calendar, type Store } from '@qyzmet/sql'
import type { Filters } from '../contract/index.ts'
import { metricById, plan } from '../metrics/index.ts'
import { unfiltered } from '../query/filters.ts'
import type { Reference } from '../reference.ts'
import { monitorReads } from './config.ts'
import type { DailySeries, DetectedMetric } from './detect.ts'

export interface SeriesKey {
  metric: DetectedMetric
  /** Empty: every region (channel, service). */
  region: string
  channel: string
  service: string
}

export const seriesId = (key: SeriesKey) => `${key.metric}|${key.region}|${key.channel}|${key.service}`

export interface WatchedSeries {
  key: SeriesKey
  data: { metric: DetectedMetric; numerator: Float64Array; denominator: Float64Array }
}

/** Dense daily arrays over one calendar, filled piece by piece (old history once a day, recent days every round). */
export interface DailyData {
  days: CalendarDay[]
  position: Map<string, number>
  series: Map<string, WatchedSeries>
}

export function emptyDailyData(from: string, to: string): DailyData {
  const days = calendar(from, to)
  return { days, position: new Map(days.map((day, index) => [day.date, index])), series: new Map() }
}

const allFilters = (from: string, to: string): Filters => ({ from, to, interval: 'day', ...unfiltered })

interface RegionChannelRow {
  period: string
  region: string
  channel: string
  value: number | string | null
}

interface ServiceRow {
  day: string
  service: string
  requests: string
  online: string
}

/**
 * Adds to the series' arrays the figures of days [from, to], which must hold nothing yet. Requests by region and
 * channel come through the metric registry (from a rollup); by service, from events (no daily rollup has services).
 */
export async function fillDailySeries(
  store: Store,
  reference: Reference,
  target: DailyData,
  from: string,
  to: string,
  today: string,
): Promise<void> {
  const requests = metricById('requests')
  if (!requests) throw new Error('the requests metric is missing from the registry')
  const online = reference.channels.filter((channel) => channel.kind === 'online').map((channel) => channel.code)
  const onlineSet = new Set(online)
  const planned = plan(
    { metric: requests, filters: allFilters(from, to), by: ['region', 'channel'], series: true, today },
    reference,
  )
  const [byRegionChannel, byService] = await Promise.all([
    store.rows<RegionChannelRow>('monitor:series:region-channel', planned.sql, planned.params, monitorReads(store)),
    store.rows<ServiceRow>(
      'monitor:series:service',
      `SELECT toString(occurred_on) AS day, service_code AS service, count() AS requests,
              countIf(channel IN {online:Array(String)}) AS online
       FROM events WHERE occurred_on BETWEEN {from:Date} AND {to:Date}
       GROUP BY occurred_on, service_code`,
      { from, to, online },
      monitorReads(store),
    ),
  ])
  const add = (key: SeriesKey, index: number, numerator: number, denominator: number) => {
    const id = seriesId(key)
    let entry = target.series.get(id)
    if (!entry) {
      const length = target.days.length
      entry = {
        key,
        data: { metric: key.metric, numerator: new Float64Array(length), denominator: new Float64Array(length) },
      }
      target.series.set(id, entry)
    }
    entry.data.numerator[index] = (entry.data.numerator[index] ?? 0) + numerator
    entry.data.denominator[index] = (entry.data.denominator[index] ?? 0) + denominator
  }
  for (const row of byRegionChannel) {
    const index = target.position.get(row.period)
    if (index === undefined) continue
    const count = Number(row.value ?? 0)
    const made = onlineSet.has(row.channel) ? count : 0
    // A count's numerator and base are both the count.
    for (const [region, channel] of [
      [row.region, row.channel],
      [row.region, ''],
      ['', row.channel],
      ['', ''],
    ] as const) {
      add({ metric: 'requests', region, channel, service: '' }, index, count, count)
    }
    add({ metric: 'online_request_share', region: row.region, channel: '', service: '' }, index, made, count)
    add({ metric: 'online_request_share', region: '', channel: '', service: '' }, index, made, count)
  }
  for (const row of byService) {
    const index = target.position.get(row.day)
    if (index === undefined) continue
    const count = Number(row.requests)
    add({ metric: 'requests', region: '', channel: '', service: row.service }, index, count, count)
    add(
      { metric: 'online_request_share', region: '', channel: '', service: row.service },
      index,
      Number(row.online),
      count,
    )
  }
}

/** Empties days [from, to] of every series, before they are read again. */
export function clearDays(target: DailyData, from: string, to: string): void {
  for (const [date, index] of target.position) {
    if (date < from || date > to) continue
    for (const { data } of target.series.values()) {
      data.numerator[index] = 0
      data.denominator[index] = 0
    }
  }
}

export type { DailySeries }
