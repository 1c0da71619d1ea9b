// Annotations drawn on time charts: a band over the days of each (a line where it takes one place on the axis), as
// mark data the chart builders add to their own marks.
import { colours } from './palette.ts'

export interface ChartAnnotation {
  from: string
  to: string
  label: string
  /** Incidents the monitor found are told apart from analysts' notes and built-in breaks. */
  origin: 'builtin' | 'analyst' | 'incident'
}

/** How a chart's x axis places a day: a time axis takes it as it is; a category axis names the period holding it. */
export type AnnotationAxis =
  | { type: 'time' }
  | { type: 'category'; periods: readonly string[]; labelOf: (period: string) => string }

const areaColour: Record<ChartAnnotation['origin'], string> = {
  builtin: 'rgba(153, 153, 153, 0.15)',
  analyst: 'rgba(0, 158, 115, 0.15)',
  incident: 'rgba(213, 94, 0, 0.15)',
}

/** The category of the period holding `day` (periods sorted, each named by its first day), or null outside them. */
function periodOf(day: string, periods: readonly string[]): string | null {
  let found: string | null = null
  for (const period of periods) if (period <= day) found = period
  return found
}

export interface AnnotationMarks {
  /** markArea data: [start, end] pairs. */
  areas: [Record<string, unknown>, Record<string, unknown>][]
  /** markLine data. */
  lines: Record<string, unknown>[]
}

/** The bands and lines of the annotations that fall on the axis. */
export function annotationMarks(annotations: readonly ChartAnnotation[], axis: AnnotationAxis): AnnotationMarks {
  const place = (day: string): string | null => {
    if (axis.type === 'time') return day
    const period = periodOf(day, axis.periods)
    return period === null ? null : axis.labelOf(period)
  }
  const marks: AnnotationMarks = { areas: [], lines: [] }
  for (const annotation of annotations) {
    const start = place(annotation.from)
    const end = place(annotation.to)
    if (start === null || end === null) continue
    // Incidents the monitor found come in clusters (a bad day shows in several series): their names would print
    // over each other, so each is named when pointed at; notes and breaks, few and chosen, are named on the chart.
    const named = annotation.origin !== 'incident'
    const label = { formatter: annotation.label, color: colours.muted, overflow: 'truncate', width: 160, show: named }
    const colour = areaColour[annotation.origin]
    // One day, or one period of a category axis: a band there would have no width, so a line.
    if (start === end) {
      // Its name level above the line's top, not turned along it.
      marks.lines.push({
        xAxis: start,
        label: { ...label, position: 'end' },
        emphasis: { label: { ...label, show: true, position: 'end' } },
        lineStyle: { color: colour.replace('0.15', '0.9'), type: 'dashed' },
      })
    } else {
      // A band's name inside its top, below the names of one-day lines above the plot: the two apart when close.
      const inside = { ...label, position: 'insideTop' }
      marks.areas.push([
        {
          xAxis: start,
          name: annotation.label,
          itemStyle: { color: colour },
          label: inside,
          emphasis: { label: { ...inside, show: true } },
        },
        { xAxis: end },
      ])
    }
  }
  return marks
}
