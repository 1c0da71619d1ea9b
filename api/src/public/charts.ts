// Public charts: pure ECharts options from published values (series with its target and annotations, a breakdown's
// bars, the regions map), drawn to SVG on the server so that pages, embeds and image downloads work without JavaScript.
import { readFileSync } from 'node:fs'
import { Resvg } from '@resvg/resvg-js'
import * as echarts from 'echarts'
import type { PublicValue } from '../contract/index.ts'
import type { PublicCell } from './published.ts'

// The dashboard's palette (web/src/charts/palette.ts): Okabe–Ito, readable with colour-vision deficiencies.
const colours = {
  primary: '#0072B2',
  provisional: '#56B4E9',
  target: '#D55E00',
  projection: '#E69F00',
  band: 'rgba(153, 153, 153, 0.18)',
  muted: '#595959',
  mark: '#009E73',
}
const sequential = ['#EFF6FB', '#B9D7EA', '#6BAED6', '#2C7FB8', '#08306B']
const font = { fontFamily: 'DejaVu Sans, Verdana, sans-serif' }

/** Region boundaries keyed by region code; the 2018 map for periods before the June 2022 split. */
const geoFiles = { '2018': 'kz_regions_2018.geojson', '2024': 'kz_regions_2024.geojson' } as const
export type RegionMap = keyof typeof geoFiles
for (const [name, file] of Object.entries(geoFiles)) {
  const geo = JSON.parse(readFileSync(new URL(`../../../sql/reference/geo/${file}`, import.meta.url), 'utf8')) as {
    features: { properties: Record<string, unknown> }[]
  }
  for (const feature of geo.features) feature.properties.name = String(feature.properties.KATO ?? '').slice(0, 2)
  // The file is GeoJSON (checked by the dashboard's map test); JSON.parse cannot say so to the type checker.
  echarts.registerMap(`kz-${name}`, geo as Parameters<typeof echarts.registerMap>[1])
}
export const splitDay = '2022-06-08'
export const lockdown = { from: '2020-03-21', to: '2020-05-10' }
export const mapFor = (period: string): RegionMap => (period < splitDay ? '2018' : '2024')

export interface Formats {
  value: (value: number) => string
  day: (day: string) => string
}

export interface SeriesChart {
  values: readonly PublicValue[]
  unit: string
  labels: { series: string; provisional: string; target: string; projection: string }
  target?: { value: number }
  /** From the last complete value to the due date, at the recent pace. */
  projection?: [string, number][]
  /** Vertical marks and bands: the lockdown, the 2022 region split, catalogue milestones. */
  marks: { day: string; label: string }[]
  bands: { from: string; to: string; label: string }[]
  narrow: boolean
  formats: Formats
}

export function seriesOption(chart: SeriesChart): echarts.EChartsCoreOption {
  const { values, unit, labels, formats, narrow } = chart
  const first = values[0]?.period ?? ''
  const last = chart.projection?.at(-1)?.[0] ?? values.at(-1)?.period ?? ''
  const within = (day: string) => day >= first && day <= last
  const complete = values.map((point) => [point.period, point.provisional ? null : point.value])
  // The provisional part starts at the last complete value so that the line continues, dashed.
  const lastComplete = values.findLastIndex((point) => !point.provisional)
  const provisional = values.map((point, index) => [
    point.period,
    point.provisional || index === lastComplete ? point.value : null,
  ])
  const share = unit === 'share'
  const known = values.map((point) => point.value).filter((value): value is number => value !== null)
  const low = Math.min(...known, chart.target?.value ?? Number.POSITIVE_INFINITY)
  return {
    animation: false,
    aria: { enabled: true },
    textStyle: font,
    color: [colours.primary, colours.provisional, colours.projection],
    grid: { left: narrow ? 44 : 64, right: narrow ? 16 : 40, top: narrow ? 52 : 56, bottom: 32 },
    legend: {
      top: 0,
      left: 0,
      // Server-side rendering estimates text widths; a wide gap keeps an underestimated name off the next item.
      itemGap: 28,
      textStyle: { fontSize: narrow ? 11 : 12 },
      data: [labels.series, ...(values.some((point) => point.provisional) ? [labels.provisional] : [])].concat(
        chart.projection?.length ? [labels.projection] : [],
      ),
    },
    xAxis: {
      type: 'time',
      min: first,
      max: last,
      splitNumber: narrow ? 3 : 6,
      axisLabel: {
        hideOverlap: true,
        formatter: (value: number) => formats.day(new Date(value).toISOString().slice(0, 10)),
      },
    },
    yAxis: {
      type: 'value',
      ...(share ? { min: Math.max(0, Math.floor(low * 10) / 10), max: 1 } : { min: 0 }),
      axisLabel: { formatter: (value: number) => formats.value(value) },
    },
    series: [
      {
        name: labels.series,
        type: 'line',
        showSymbol: values.length < 40,
        connectNulls: false,
        data: complete,
        lineStyle: { width: 2.5 },
        markLine: {
          silent: true,
          symbol: 'none',
          label: { color: colours.muted, fontSize: 11 },
          data: [
            ...(chart.target
              ? [
                  {
                    yAxis: chart.target.value,
                    lineStyle: { color: colours.target, type: 'dashed', width: 2 },
                    // At the start, where the series is far below its target; the end is where the projection runs.
                    label: { formatter: labels.target, position: 'insideStartTop', color: colours.target },
                  },
                ]
              : []),
            ...chart.marks
              .filter((mark) => within(mark.day))
              .map((mark, index) => ({
                xAxis: mark.day,
                lineStyle: { color: colours.mark, type: 'dotted', width: 1.5 },
                // Above the plot, level and staggered (a label along the line would cross the series); a phone has
                // no room for them, and the page's text says what the marks are.
                label: {
                  show: !narrow,
                  formatter: mark.label,
                  position: 'end',
                  rotate: 0,
                  distance: 4 + (index % 2) * 14,
                },
              })),
          ],
        },
        markArea: {
          silent: true,
          itemStyle: { color: colours.band },
          label: { position: 'insideTop', color: colours.muted, fontSize: 11 },
          data: chart.bands
            .filter((band) => within(band.from) || within(band.to))
            .map((band) => [{ xAxis: band.from, name: band.label }, { xAxis: band.to }]),
        },
      },
      ...(values.some((point) => point.provisional)
        ? [
            {
              name: labels.provisional,
              type: 'line',
              showSymbol: true,
              symbol: 'emptyCircle',
              connectNulls: false,
              lineStyle: { type: 'dashed', width: 2 },
              data: provisional,
            },
          ]
        : []),
      ...(chart.projection?.length
        ? [
            {
              name: labels.projection,
              type: 'line',
              // A dot a month would read as measured values; a lone projected point still needs one.
              showSymbol: (chart.projection?.length ?? 0) < 3,
              symbol: 'circle',
              lineStyle: { type: 'dotted', width: 2 },
              data: chart.projection,
            },
          ]
        : []),
    ],
  }
}

export interface BarsChart {
  cells: readonly PublicCell[]
  nameOf: (code: string) => string
  suppressedLabel: string
  narrow: boolean
  formats: Formats
  share: boolean
}

/** Longest label a bar keeps on a phone; the full name is in the table (and the SVG's title). */
export const shortLabel = (text: string, narrow: boolean): string =>
  narrow && text.length > 18 ? `${text.slice(0, 17).trimEnd()}…` : text

/** One bar per value of the dimension, largest first; a suppressed cell has no bar, only the word. */
export function barsOption({ cells, nameOf, suppressedLabel, narrow, formats, share }: BarsChart) {
  const sorted = [...cells].sort((a, b) => (b.value ?? -1) - (a.value ?? -1)).reverse()
  return {
    animation: false,
    aria: { enabled: true },
    textStyle: font,
    grid: { left: 8, right: narrow ? 56 : 72, top: 8, bottom: 8, containLabel: true },
    xAxis: {
      type: 'value',
      ...(share ? { min: 0, max: 1 } : {}),
      axisLabel: { show: false },
      splitLine: { show: false },
    },
    yAxis: {
      type: 'category',
      data: sorted.map((cell) => shortLabel(nameOf(cell.code), narrow)),
      axisLabel: { fontSize: narrow ? 11 : 12 },
      axisTick: { show: false },
    },
    series: [
      {
        type: 'bar',
        barMaxWidth: 22,
        itemStyle: { color: colours.primary },
        label: {
          show: true,
          position: 'right',
          fontSize: 11,
          formatter: (params: { dataIndex: number }) => {
            const cell = sorted[params.dataIndex]
            return cell?.suppressed || cell?.value == null ? suppressedLabel : formats.value(cell.value)
          },
        },
        // A suppressed cell stands at zero, so that its label (the word, never a number) has a place.
        data: sorted.map((cell) => (cell.value === null ? 0 : cell.value)),
      },
    ],
  }
}

export interface MapChart {
  cells: readonly PublicCell[]
  map: RegionMap
  formats: Formats
}

export function mapOption({ cells, map, formats }: MapChart) {
  const known = cells.map((cell) => cell.value).filter((value): value is number => value !== null)
  const min = known.length ? Math.min(...known) : 0
  const max = known.length ? Math.max(...known) : 1
  return {
    animation: false,
    aria: { enabled: true },
    textStyle: font,
    visualMap: {
      min,
      max: max > min ? max : min + 1e-9,
      left: 8,
      bottom: 8,
      orient: 'horizontal',
      calculable: false,
      text: [formats.value(max), formats.value(min)],
      inRange: { color: sequential },
      textStyle: { fontSize: 11 },
    },
    series: [
      {
        type: 'map',
        map: `kz-${map}`,
        roam: false,
        left: 8,
        right: 8,
        top: 8,
        bottom: 48,
        // The country keeps its shape in any box (an embed can be any size).
        preserveAspect: 'contain',
        itemStyle: { borderColor: '#ffffff', borderWidth: 1, areaColor: '#E5E5E5' },
        label: { show: false },
        // Suppressed and unpublished regions get no value: drawn in the neutral grey, named in the table.
        data: cells.map((cell) => ({ name: cell.code, value: cell.value ?? Number.NaN })),
      },
    ],
  }
}

/** The chart as an SVG document of the given size, with a title for screen readers and image viewers. */
export function renderSvg(option: echarts.EChartsCoreOption, width: number, height: number, title: string): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height })
  try {
    chart.setOption(option)
    const svg = chart.renderToSVGString()
    const escaped = title.replace(/[&<>"]/g, (char) => `&#${char.charCodeAt(0)};`)
    return svg.replace(/^<svg([^>]*)>/, `<svg$1><title>${escaped}</title>`)
  } finally {
    chart.dispose()
  }
}

/** The widest PNG drawn: a large image costs the server time and memory for every request that asks for it. */
const maxPngWidth = 2400

/** The same drawing as PNG, twice the size for sharp text (at most 2,400 px wide); fonts from the system. */
export function renderPng(svg: string): Buffer {
  const width = Number(/^<svg[^>]*\bwidth="(\d+)"/.exec(svg)?.[1] ?? 880)
  const image = new Resvg(svg, {
    fitTo: { mode: 'width', value: Math.min(maxPngWidth, width * 2) },
    background: '#ffffff',
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
  })
  return Buffer.from(image.render().asPng())
}
