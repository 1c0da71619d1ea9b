// The registry of expected feeds (source × channel × region): seeded from the history, edited by analysts.
import { calendar, type Store } from '@qyzmet/sql'
import { type Clock, shiftDay, today } from './clock.ts'
import { monitorReads } from './config.ts'

export type Cadence = 'daily' | 'working_days'

export interface Feed {
  source: string
  channel: string
  region: string
  cadence: Cadence
  /** How long after the end of a day its rows are expected to have arrived. */
  delayMinutes: number
  active: boolean
  /** The first day the feed is expected to report: days before it are never judged. */
  expectedFrom: string
  origin: 'seeded' | 'analyst'
  updatedBy: string
  updatedAt: string
}

export const feedKey = (feed: Pick<Feed, 'source' | 'channel' | 'region'>) =>
  `${feed.source}/${feed.channel}/${feed.region}`

interface FeedRow {
  source: string
  channel: string
  region: string
  cadence: Cadence
  delay_minutes: number
  active: number
  expected_from: string
  origin: Feed['origin']
  updated_by: string
  updated_at: string
}

export async function loadFeeds(store: Store): Promise<Feed[]> {
  const rows = await store.rows<FeedRow>(
    'monitor:feeds',
    `SELECT source, channel, region, toString(cadence) AS cadence, delay_minutes, active,
            toString(expected_from) AS expected_from, toString(origin) AS origin, updated_by, toString(updated_at) AS updated_at
     FROM monitor_feeds FINAL ORDER BY region, channel, source`,
  )
  return rows.map((row) => ({
    source: row.source,
    channel: row.channel,
    region: row.region,
    cadence: row.cadence,
    delayMinutes: Number(row.delay_minutes),
    active: Number(row.active) === 1,
    expectedFrom: row.expected_from,
    origin: row.origin,
    updatedBy: row.updated_by,
    updatedAt: row.updated_at,
  }))
}

export async function saveFeeds(store: Store, feeds: readonly Omit<Feed, 'updatedAt'>[]): Promise<void> {
  if (feeds.length === 0) return
  await store.insert(
    'monitor:feeds:save',
    'monitor_feeds',
    feeds.map((feed) => ({
      source: feed.source,
      channel: feed.channel,
      region: feed.region,
      cadence: feed.cadence,
      delay_minutes: feed.delayMinutes,
      active: feed.active ? 1 : 0,
      expected_from: feed.expectedFrom,
      origin: feed.origin,
      updated_by: feed.updatedBy,
    })),
  )
}

export interface SeedOptions {
  /** Weeks of history looked at. */
  weeks: number
  /** Share of those days (or of the working days) a feed must have reported on to be expected ("most days"). */
  mostDays: number
  /**
   * Rows per reporting day a feed must average to be expected: below it an empty day is ordinary chance, not a
   * stopped feed (a feed of 5 rows a day has no row on 0.7 % of days by chance alone; one of 2 a day on 13.5 %).
   */
  minDailyRows: number
}

export const defaultSeed: SeedOptions = { weeks: 8, mostDays: 0.9, minDailyRows: 5 }

interface Reported {
  source: string
  channel: string
  region: string
  days: string
  working: string
  rows: string
  lag: number | null
}

/**
 * Adds to the registry every feed that reported on most days of the last weeks, with enough rows a day that an empty
 * day means something, and is not in it yet (an analyst's edits are kept). A feed that reported on most working days
 * but on few others is expected on working days only; its
 * delay is 1.5 × the 90th percentile of how long after a day's end its last rows of the day arrived, at least an hour.
 */
export async function seedFeeds(
  store: Store,
  clock: Clock,
  options: SeedOptions = defaultSeed,
  /** The first day new feeds are expected (default: the first day looked at, for the registry's first seed). */
  expectedFrom?: string,
): Promise<Feed[]> {
  const to = shiftDay(today(clock), -1)
  const from = shiftDay(to, -(options.weeks * 7 - 1))
  const days = calendar(from, to)
  const working = days.filter((day) => !day.holiday && day.weekday >= 1 && day.weekday <= 5).map((day) => day.date)
  const reported = await store.rows<Reported>(
    'monitor:feeds:seed',
    `SELECT source, channel, region, count() AS days, countIf(has({working:Array(Date)}, occurred_on)) AS working,
            sum(rows) AS rows, quantileExact(0.9)(lag) AS lag
     FROM (SELECT source, channel, region, occurred_on, count() AS rows,
                  dateDiff('minute', toDateTime(occurred_on + 1, {zone:String}), max(ingested_at)) AS lag
           FROM events
           WHERE occurred_on BETWEEN {from:Date} AND {to:Date} AND ingested_at <= fromUnixTimestamp64Milli({now:Int64})
           GROUP BY source, channel, region, occurred_on)
     GROUP BY source, channel, region`,
    { working, zone: clock.zone, from, to, now: clock.now },
    monitorReads(store),
  )
  const known = new Set((await loadFeeds(store)).map(feedKey))
  const offDays = days.length - working.length
  const daily = (row: Reported) => Number(row.days) >= options.mostDays * days.length
  const onWorkingDays = (row: Reported) =>
    Number(row.working) >= options.mostDays * working.length && Number(row.days) - Number(row.working) < 0.2 * offDays
  const added: Omit<Feed, 'updatedAt'>[] = reported
    .filter(
      (row) =>
        (daily(row) || onWorkingDays(row)) &&
        Number(row.rows) >= options.minDailyRows * Number(row.days) &&
        !known.has(feedKey(row)),
    )
    .map((row) => {
      const workingOnly = !daily(row) && onWorkingDays(row)
      return {
        source: row.source,
        channel: row.channel,
        region: row.region,
        cadence: workingOnly ? 'working_days' : 'daily',
        delayMinutes: Math.max(60, Math.ceil((Math.max(0, Number(row.lag ?? 0)) * 1.5) / 30) * 30),
        active: true,
        expectedFrom: expectedFrom ?? from,
        origin: 'seeded',
        updatedBy: 'seed',
      }
    })
  await saveFeeds(store, added)
  return loadFeeds(store)
}
