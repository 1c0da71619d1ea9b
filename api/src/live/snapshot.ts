// Reads the live view's figures from raw events: today by hour and channel, and the last hour minute by minute.
import { type Store, todayIn } from '@qyzmet/sql'
import type { LiveSnapshot } from '../contract/index.ts'

/** Minutes the per-minute series covers, the current one included. */
export const minutesShown = 60

interface HourRow {
  hour: number
  channel: string
  transactions: string
  completed: string
  last_event: string | null
  last_received: string | null
}

interface MinuteRow {
  minute: string
  transactions: string
}

/** ClickHouse's UTC date-time text ("2026-11-29 10:15:00" or with milliseconds) as ISO 8601 with milliseconds. */
const iso = (text: string | null) => (text ? new Date(`${text.replace(' ', 'T')}Z`).toISOString() : null)

const minuteMs = 60_000

/**
 * Today's figures for some regions (none: the country). Today is the deployment's calendar day; hours are hours of
 * that zone; minutes are the last `minutesShown` whole minutes up to `now`, every one present (zeros included).
 */
export async function readSnapshot(store: Store, regions: readonly string[], now = new Date()): Promise<LiveSnapshot> {
  const timezone = store.config.timezone
  const day = todayIn(timezone, now)
  const current = Math.floor(now.getTime() / minuteMs) * minuteMs
  const since = new Date(current - (minutesShown - 1) * minuteMs)
  // The region clause is one of two fixed texts; the codes are bound.
  const inRegions = regions.length > 0 ? 'AND region IN {regions:Array(String)}' : ''
  const params = { day, tz: timezone, regions, since: since.toISOString().slice(0, 23).replace('T', ' ') }
  const [hours, minutes] = await Promise.all([
    store.rows<HourRow>(
      'live:hours',
      `SELECT toHour(occurred_at, {tz:String}) AS hour, channel,
              toString(count()) AS transactions, toString(countIf(status = 'completed')) AS completed,
              toString(max(occurred_at)) AS last_event, toString(max(ingested_at)) AS last_received
       FROM events
       WHERE occurred_on = {day:Date} ${inRegions}
       GROUP BY hour, channel
       ORDER BY hour, channel`,
      params,
    ),
    store.rows<MinuteRow>(
      'live:minutes',
      // occurred_on bounds the scan to the partitions of the last hour (it may reach back over midnight).
      `SELECT toString(toStartOfMinute(occurred_at)) AS minute, toString(count()) AS transactions
       FROM events
       WHERE occurred_on >= toDate({since:DateTime64(3, 'UTC')}, {tz:String})
         AND occurred_at >= {since:DateTime64(3, 'UTC')} ${inRegions}
       GROUP BY minute`,
      params,
    ),
  ])
  const perMinute = new Map(minutes.map((row) => [iso(row.minute), Number(row.transactions)]))
  const latest = (pick: (row: HourRow) => string | null) =>
    hours.reduce<string | null>((max, row) => {
      const value = pick(row)
      return value !== null && (max === null || value > max) ? value : max
    }, null)
  return {
    day,
    timezone,
    asOf: now.toISOString(),
    regions: [...regions],
    provisional: true,
    transactions: hours.reduce((sum, row) => sum + Number(row.transactions), 0),
    completed: hours.reduce((sum, row) => sum + Number(row.completed), 0),
    hours: hours.map((row) => ({
      hour: Number(row.hour),
      channel: row.channel,
      transactions: Number(row.transactions),
      completed: Number(row.completed),
    })),
    minutes: Array.from({ length: minutesShown }, (_, index) => {
      const minute = new Date(since.getTime() + index * minuteMs).toISOString()
      return { minute, transactions: perMinute.get(minute) ?? 0 }
    }),
    lastEvent: iso(latest((row) => row.last_event)),
    lastReceived: iso(latest((row) => row.last_received)),
  }
}
