// Data-quality charts: how far each feed's last load lags behind the newest load, with stale feeds flagged.
import type { IngestQuality } from '../api.ts'
import { colours, okabeIto } from './palette.ts'

/** One feed's freshness as GET /ingest/quality answers it. */
export type FeedFreshness = IngestQuality['freshness'][number]

/** A feed is stale when its last load is this far behind the newest load of any feed. */
export const staleAfterDays = 7

/** The engine's DateTime text ("2026-10-31 18:59:59.000", UTC) as milliseconds. */
export const instant = (text: string): number => Date.parse(`${text.replace(' ', 'T')}Z`)

export interface FeedLag {
  source: string
  region: string
  channel: string
  lastEventAt: string
  lastLoadedAt: string
  events: number
  /** Days between this feed's last load and the newest load of any feed. */
  lagDays: number
  stale: boolean
}

/** Lag of every feed behind the newest load, stale ones first, then the longest lag. */
export function feedLags(rows: FeedFreshness[], staleDays = staleAfterDays): FeedLag[] {
  const newest = Math.max(...rows.map((row) => instant(row.last_loaded_at)))
  return rows
    .map((row) => {
      const lagDays = (newest - instant(row.last_loaded_at)) / 86_400_000
      return {
        source: row.source,
        region: row.region,
        channel: row.channel,
        lastEventAt: row.last_event_at,
        lastLoadedAt: row.last_loaded_at,
        events: row.events,
        lagDays,
        stale: lagDays > staleDays,
      }
    })
    .sort((a, b) => Number(b.stale) - Number(a.stale) || b.lagDays - a.lagDays)
}

/**
 * Per source: the lag of its freshest feed (how long since anything came from it) and how many of its feeds are
 * stale; a single quiet region or channel shows in the per-feed table, not as the whole source going silent.
 */
export function sourceLags(lags: FeedLag[]): { source: string; lagDays: number; feeds: number; stale: number }[] {
  const bySource = new Map<string, { source: string; lagDays: number; feeds: number; stale: number }>()
  for (const lag of lags) {
    const entry = bySource.get(lag.source) ?? {
      source: lag.source,
      lagDays: Number.POSITIVE_INFINITY,
      feeds: 0,
      stale: 0,
    }
    entry.lagDays = Math.min(entry.lagDays, lag.lagDays)
    entry.feeds++
    if (lag.stale) entry.stale++
    bySource.set(lag.source, entry)
  }
  return [...bySource.values()].sort((a, b) => b.lagDays - a.lagDays || a.source.localeCompare(b.source))
}

/** Horizontal bars: the longest lag per source in days, stale ones in vermillion, with the stale line marked. */
export function freshnessOption({
  sources,
  staleDays = staleAfterDays,
  formatDays,
  staleLabel,
}: {
  sources: { source: string; lagDays: number }[]
  staleDays?: number
  formatDays: (days: number) => string
  staleLabel: string
}) {
  return {
    aria: { enabled: true },
    grid: { left: 150, right: 64, top: 24, bottom: 32 },
    tooltip: { trigger: 'axis' as const, valueFormatter: (value: unknown) => formatDays(Number(value)) },
    xAxis: { type: 'value' as const, axisLabel: { formatter: (value: number) => formatDays(value) } },
    yAxis: {
      type: 'category' as const,
      inverse: true,
      data: sources.map((item) => item.source),
      axisLabel: { width: 140, overflow: 'truncate' as const },
    },
    series: [
      {
        type: 'bar' as const,
        data: sources.map((item) => ({
          value: Number(item.lagDays.toFixed(2)),
          itemStyle: { color: item.lagDays > staleDays ? okabeIto[5] : colours.primary },
        })),
        label: {
          show: true,
          position: 'right' as const,
          formatter: (params: { value: unknown }) => formatDays(Number(params.value)),
        },
        markLine: {
          symbol: 'none',
          silent: true,
          lineStyle: { color: colours.muted, type: 'dashed' as const },
          label: { formatter: staleLabel, position: 'start' as const },
          data: [{ xAxis: staleDays }],
        },
      },
    ],
  }
}
