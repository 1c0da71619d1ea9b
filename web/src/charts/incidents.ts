// Incident charts: a timeline of incidents and feed problems (one row each, a bar over its days), and the count of
// open problems per region for the map.
import type { FeedStatus, Incident } from '@qyzmet/api/contract'
import { addDays, formatISO, parseISO } from 'date-fns'
import { colours, okabeIto } from './palette.ts'

export type TimelineKind = 'up' | 'down' | 'feed'

export interface TimelineItem {
  label: string
  /** First day, YYYY-MM-DD. */
  from: string
  /** Last day, included. */
  to: string
  kind: TimelineKind
}

const kindColour: Record<TimelineKind, string> = {
  up: okabeIto[1],
  down: okabeIto[0],
  feed: okabeIto[5],
}

const dayAfter = (day: string) => formatISO(addDays(parseISO(day), 1), { representation: 'date' })

/** Rows of the timeline: incidents (their days), and feeds not on time (from the first day missed to today). */
export function timelineItems(
  incidents: readonly Incident[],
  feeds: readonly FeedStatus[],
  today: string,
  describe: { incident: (incident: Incident) => string; feed: (feed: FeedStatus) => string },
): TimelineItem[] {
  return [
    ...incidents.map((incident) => ({
      label: describe.incident(incident),
      from: incident.from,
      to: incident.to,
      kind: incident.direction,
    })),
    ...feeds.map((feed) => ({
      label: describe.feed(feed),
      from: feed.since ?? feed.judgedDay ?? today,
      to: feed.judgedDay ?? today,
      kind: 'feed' as const,
    })),
  ]
}

export interface TimelineInput {
  items: readonly TimelineItem[]
  from: string
  to: string
  formatDate: (day: string) => string
  labels: Record<TimelineKind, string>
  /** Pixels for the rows' labels (less on a phone). */
  labelWidth?: number
}

/** One row per item, a bar from its first day to the end of its last, coloured by kind, on a time axis of the range. */
export function timelineOption({ items, from, to, formatDate, labels, labelWidth = 260 }: TimelineInput) {
  return {
    aria: { enabled: true },
    grid: { left: 8, right: 24, top: 32, bottom: 32, containLabel: true },
    legend: { top: 0, data: (['down', 'up', 'feed'] as const).map((kind) => labels[kind]) },
    tooltip: {
      trigger: 'item' as const,
      formatter: (params: { dataIndex: number }) => {
        const item = items[params.dataIndex]
        return item ? `${item.label}: ${formatDate(item.from)} – ${formatDate(item.to)}` : ''
      },
    },
    xAxis: {
      type: 'time' as const,
      min: from,
      max: dayAfter(to),
      axisLabel: {
        hideOverlap: true,
        formatter: (value: number) => formatDate(formatISO(value, { representation: 'date' })),
      },
    },
    yAxis: {
      type: 'category' as const,
      inverse: true,
      data: items.map((item) => item.label),
      axisLabel: { width: labelWidth, overflow: 'truncate' as const },
    },
    series: [
      ...(['down', 'up', 'feed'] as const).map((kind) => ({
        // Empty series, for the legend's colours: the one custom series below draws every bar.
        name: labels[kind],
        type: 'line' as const,
        data: [],
        color: kindColour[kind],
      })),
      {
        type: 'custom' as const,
        name: 'timeline',
        encode: { x: [1, 2], y: 0 },
        renderItem: (
          _params: unknown,
          api: {
            value: (dimension: number) => number
            coord: (point: number[]) => number[]
            size: (size: number[]) => number[]
            visual: (name: string) => string
          },
        ) => {
          const row = api.value(0)
          const [x0 = 0, y = 0] = api.coord([api.value(1), row])
          const [x1 = 0] = api.coord([api.value(2), row])
          const height = (api.size([0, 1])[1] ?? 20) * 0.6
          return {
            type: 'rect',
            shape: { x: x0, y: y - height / 2, width: Math.max(x1 - x0, 4), height },
            style: { fill: api.visual('color') },
          }
        },
        data: items.map((item, index) => ({
          value: [index, parseISO(item.from).getTime(), parseISO(dayAfter(item.to)).getTime()],
          itemStyle: { color: kindColour[item.kind] },
        })),
      },
    ],
    color: [colours.primary],
  }
}

/** Open problems per region: incidents still open and feeds not on time; national incidents (no region) left out. */
export function problemsByRegion(incidents: readonly Incident[], feeds: readonly FeedStatus[]): Map<string, number> {
  const counts = new Map<string, number>()
  const add = (region: string) => {
    if (region) counts.set(region, (counts.get(region) ?? 0) + 1)
  }
  for (const incident of incidents) if (incident.open) add(incident.region)
  for (const feed of feeds) if (feed.state !== 'on_time') add(feed.region)
  return counts
}
