// Each expected feed's state (on time, late, silent, zero) from its rows per day, and the days it left incomplete.
import { calendar, type Store } from '@qyzmet/sql'
import { type Clock, endOfDayIn, shiftDay, today } from './clock.ts'
import { monitorReads } from './config.ts'
import { type Feed, feedKey, loadFeeds } from './feeds.ts'

export const feedStates = ['on_time', 'late', 'silent', 'zero'] as const
export type FeedState = (typeof feedStates)[number]

export interface FeedDay {
  rows: number
  completed: number
}

export interface FeedJudgement {
  state: FeedState
  /** The latest day the feed's rows were due (null: none due yet). */
  judgedDay: string | null
  /** First day of the current run of due days without rows (or without a completed one). */
  since: string | null
  /** Due days in that run. */
  missingDays: number
  /** The state of each due day judged, latest first. */
  days: { day: string; state: FeedState; rows: number; completed: number }[]
}

const isWorkingDay = (day: { weekday: number; holiday: boolean }) =>
  !day.holiday && day.weekday >= 1 && day.weekday <= 5

/**
 * Rows a day needs before "none completed" says the feed is broken: a few requests of yesterday still being processed
 * are ordinary (a one-stop shop's cases take hours to days).
 */
export const fewestRowsForZero = 5

/**
 * Judges a feed on the due days from `from` to today: a day is due when the feed's cadence expects it, it is not before
 * the feed is expected, and its deadline (its end plus the feed's delay) has passed. A due day without rows is
 * silent, with rows (at least `fewestRowsForZero`) but none completed zero. The feed is in the state of its latest due day, except that a silent
 * latest day after a day that did report is only late: one deadline missed, not yet two.
 */
export function judgeFeed(feed: Feed, counts: ReadonlyMap<string, FeedDay>, clock: Clock, from: string): FeedJudgement {
  const start = from > feed.expectedFrom ? from : feed.expectedFrom
  const due = start > today(clock) ? [] : calendar(start, today(clock))
  const days = due
    .filter((day) => feed.cadence === 'daily' || isWorkingDay(day))
    .filter((day) => endOfDayIn(day.date, clock.zone) + feed.delayMinutes * 60_000 <= clock.now)
    .reverse()
    .map(({ date }): FeedJudgement['days'][number] => {
      const count = counts.get(date) ?? { rows: 0, completed: 0 }
      const state: FeedState =
        count.rows === 0 ? 'silent' : count.completed === 0 && count.rows >= fewestRowsForZero ? 'zero' : 'on_time'
      return { day: date, state, ...count }
    })
  const [latest, previous] = days
  if (!latest) return { state: 'on_time', judgedDay: null, since: null, missingDays: 0, days }
  let run = 0
  while (run < days.length && days[run]?.state !== 'on_time') run++
  const late = latest.state === 'silent' && previous !== undefined && previous.rows > 0
  if (late) days[0] = { ...latest, state: 'late' }
  return {
    state: late ? 'late' : latest.state,
    judgedDay: latest.day,
    since: run > 0 ? (days[run - 1]?.day ?? null) : null,
    missingDays: run,
    days,
  }
}

export interface FeedStatus extends Feed, Omit<FeedJudgement, 'days'> {
  /** Rows of the judged day that had arrived. */
  rows: number
  lastEventAt: string | null
  lastLoadedAt: string | null
}

interface CountRow {
  source: string
  channel: string
  region: string
  day: string
  rows: string
  completed: string
  last_event: string
  last_loaded: string
}

/** Rows and completed rows per feed and day, as they had arrived by the clock's now. */
async function countsByFeed(store: Store, clock: Clock, from: string, days?: readonly string[]) {
  const rows = await store.rows<CountRow>(
    'monitor:feeds:counts',
    `SELECT source, channel, region, toString(occurred_on) AS day, count() AS rows,
            countIf(status = 'completed') AS completed,
            toString(max(occurred_at)) AS last_event, toString(max(ingested_at)) AS last_loaded
     FROM events
     WHERE occurred_on BETWEEN {from:Date} AND {to:Date} ${days ? 'AND occurred_on IN {days:Array(Date)}' : ''}
       AND ingested_at <= fromUnixTimestamp64Milli({now:Int64})
     GROUP BY source, channel, region, occurred_on`,
    { from, to: today(clock), days, now: clock.now },
    monitorReads(store),
  )
  const byFeed = new Map<string, { days: Map<string, FeedDay>; lastEvent: string; lastLoaded: string }>()
  for (const row of rows) {
    const key = feedKey(row)
    const entry = byFeed.get(key) ?? { days: new Map(), lastEvent: '', lastLoaded: '' }
    entry.days.set(row.day, { rows: Number(row.rows), completed: Number(row.completed) })
    if (row.last_event > entry.lastEvent) entry.lastEvent = row.last_event
    if (row.last_loaded > entry.lastLoaded) entry.lastLoaded = row.last_loaded
    byFeed.set(key, entry)
  }
  return byFeed
}

interface GapRow {
  day: string
  source: string
  channel: string
  region: string
  state: FeedState
}

/** The feed days recorded as not on time (the newest judgement of each). */
export async function openGaps(store: Store, from?: string, to?: string): Promise<GapRow[]> {
  const rows = await store.rows<Omit<GapRow, 'day'> & { on_day: string }>(
    'monitor:feeds:gaps',
    `SELECT toString(day) AS on_day, source, channel, region, toString(state) AS state
     FROM monitor_feed_days FINAL
     WHERE state != 'on_time' ${from ? 'AND day >= {from:Date}' : ''} ${to ? 'AND day <= {to:Date}' : ''}
     ORDER BY day, region, channel, source`,
    { from, to },
  )
  return rows.map(({ on_day, ...gap }) => ({ ...gap, day: on_day }))
}

/**
 * Judges every active expected feed over the last `windowDays`, records the days it left incomplete (and, as on
 * time, earlier records made good since: rows that arrived late), and returns each feed's state. With
 * `record: false` it only looks (the live view, between rounds).
 */
export async function judgeFeeds(
  store: Store,
  clock: Clock,
  windowDays = 8,
  options: { record?: boolean } = {},
): Promise<FeedStatus[]> {
  const from = shiftDay(today(clock), -windowDays)
  const feeds = (await loadFeeds(store)).filter((feed) => feed.active)
  const counts = await countsByFeed(store, clock, from)
  const recorded = new Map((await openGaps(store)).map((gap) => [`${feedKey(gap)}/${gap.day}`, gap]))
  const writes: (GapRow & FeedDay)[] = []
  const statuses = feeds.map((feed): FeedStatus => {
    const entry = counts.get(feedKey(feed))
    const { days, ...judged } = judgeFeed(feed, entry?.days ?? new Map(), clock, from)
    for (const day of days) {
      const key = `${feedKey(feed)}/${day.day}`
      if (day.state !== 'on_time' || recorded.has(key)) {
        if (recorded.get(key)?.state !== day.state) writes.push({ ...feed, ...day })
      }
      recorded.delete(key)
    }
    return {
      ...feed,
      ...judged,
      rows: days[0]?.rows ?? 0,
      lastEventAt: entry?.lastEvent || null,
      lastLoadedAt: entry?.lastLoaded || null,
    }
  })
  // Older incomplete days: made good if their rows have arrived since.
  const older = [...recorded.values()].filter((gap) => gap.day < from)
  if (older.length > 0) {
    const late = await countsByFeed(store, clock, older[0]?.day ?? from, [...new Set(older.map((gap) => gap.day))])
    for (const gap of older) {
      const count = late.get(feedKey(gap))?.days.get(gap.day)
      if (count && count.rows > 0 && count.completed > 0) writes.push({ ...gap, ...count, state: 'on_time' })
    }
  }
  if (writes.length > 0 && options.record !== false) {
    await store.insert(
      'monitor:feeds:days',
      'monitor_feed_days',
      writes.map((write) => ({
        day: write.day,
        source: write.source,
        channel: write.channel,
        region: write.region,
        state: write.state,
        rows: write.rows,
        completed: write.completed,
      })),
    )
  }
  return statuses
}
