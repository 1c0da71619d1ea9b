// Live charts: today's transactions by hour stacked by channel, and the last hour minute by minute.
import type { LiveSnapshot } from '@qyzmet/api/contract'
import { colourAt, colours } from './palette.ts'

export const hoursOfDay = Array.from({ length: 24 }, (_, hour) => hour)

/** Transactions per channel and hour: every hour of the day for every channel seen, zeros where none. */
export function hourlyByChannel(hours: LiveSnapshot['hours'], order: readonly string[]): Map<string, number[]> {
  const rank = (code: string) => (order.indexOf(code) === -1 ? order.length : order.indexOf(code))
  const channels = [...new Set(hours.map((row) => row.channel))].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
  const table = new Map(channels.map((channel) => [channel, hoursOfDay.map(() => 0)]))
  for (const row of hours) {
    const counts = table.get(row.channel)
    if (counts && row.hour >= 0 && row.hour < 24) counts[row.hour] = (counts[row.hour] ?? 0) + row.transactions
  }
  return table
}

/** The online share of today's completed transactions: completed online ÷ completed; null before any is completed. */
export function onlineShareOf(hours: LiveSnapshot['hours'], online: ReadonlySet<string>): number | null {
  const completed = hours.reduce((sum, row) => sum + row.completed, 0)
  if (completed === 0) return null
  return hours.reduce((sum, row) => sum + (online.has(row.channel) ? row.completed : 0), 0) / completed
}

export interface HourlyInput {
  hours: LiveSnapshot['hours']
  /** Channel codes in stacking order (online first); others follow. */
  order: readonly string[]
  nameOf: (code: string) => string
  formatCount: (value: number) => string
  /** The hour now (in the deployment's zone): it is still filling, so it is marked, and later hours are empty. */
  currentHour: number
  labels: { now: string }
}

/** Stacked bars of today's transactions by hour, one colour per channel, the current hour marked as still filling. */
export function hourlyOption({ hours, order, nameOf, formatCount, currentHour, labels }: HourlyInput) {
  const table = hourlyByChannel(hours, order)
  const hourLabel = (hour: number) => `${String(hour).padStart(2, '0')}:00`
  return {
    aria: { enabled: true },
    grid: { left: 56, right: 16, top: 56, bottom: 32 },
    legend: { top: 0, type: 'scroll' as const },
    tooltip: { trigger: 'axis' as const, valueFormatter: (value: unknown) => formatCount(Number(value)) },
    xAxis: { type: 'category' as const, data: hoursOfDay.map(hourLabel) },
    yAxis: { type: 'value' as const, minInterval: 1, axisLabel: { formatter: (value: number) => formatCount(value) } },
    series: [...table.entries()].map(([channel, counts], index) => ({
      name: nameOf(channel),
      type: 'bar' as const,
      stack: 'hours',
      color: colourAt(index),
      // Hours still to come have no bar at all, not a zero.
      data: counts.map((count, hour) => (hour > currentHour ? null : count)),
      ...(index === 0
        ? {
            markArea: {
              silent: true,
              itemStyle: { color: colours.lockdown },
              label: { formatter: labels.now, position: 'insideTop' as const, color: colours.muted },
              data: [[{ xAxis: hourLabel(currentHour) }, { xAxis: hourLabel(currentHour) }]],
            },
          }
        : {}),
    })),
  }
}

export interface MinutesInput {
  minutes: LiveSnapshot['minutes']
  formatCount: (value: number) => string
  /** A minute's start (ISO) as the clock shows it in the deployment's zone. */
  formatTime: (iso: string) => string
  label: string
}

/** Bars of the last hour's transactions, minute by minute (the last bar is the minute still running). */
export function minutesOption({ minutes, formatCount, formatTime, label }: MinutesInput) {
  return {
    aria: { enabled: true },
    grid: { left: 48, right: 16, top: 24, bottom: 32 },
    tooltip: { trigger: 'axis' as const, valueFormatter: (value: unknown) => formatCount(Number(value)) },
    xAxis: {
      type: 'category' as const,
      data: minutes.map((entry) => formatTime(entry.minute)),
      axisLabel: { hideOverlap: true },
    },
    yAxis: { type: 'value' as const, minInterval: 1, axisLabel: { formatter: (value: number) => formatCount(value) } },
    series: [
      {
        name: label,
        type: 'bar' as const,
        color: colours.primary,
        data: minutes.map((entry, index) =>
          // The running minute is drawn lighter: it is not over.
          index === minutes.length - 1
            ? { value: entry.transactions, itemStyle: { color: colours.primary, opacity: 0.45 } }
            : entry.transactions,
        ),
      },
    ],
  }
}
