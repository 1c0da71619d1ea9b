// The one chart component: owns ECharts init, option updates, resize (ResizeObserver) and dispose.
import { BarChart, CustomChart, GaugeChart, HeatmapChart, LineChart, MapChart, ScatterChart } from 'echarts/charts'
import {
  AriaComponent,
  DatasetComponent,
  GridComponent,
  LegendComponent,
  MarkAreaComponent,
  MarkLineComponent,
  TooltipComponent,
  VisualMapComponent,
} from 'echarts/components'
import { type ECharts, type EChartsCoreOption, init, use } from 'echarts/core'
import { SVGRenderer } from 'echarts/renderers'
import { useEffect, useRef, useSyncExternalStore } from 'react'
import { useSession } from '../session.tsx'
import { chartLocale } from './locales.ts'

use([
  BarChart,
  CustomChart,
  GaugeChart,
  HeatmapChart,
  LineChart,
  MapChart,
  ScatterChart,
  AriaComponent,
  DatasetComponent,
  GridComponent,
  LegendComponent,
  MarkAreaComponent,
  MarkLineComponent,
  TooltipComponent,
  VisualMapComponent,
  SVGRenderer,
])

export interface ChartClick {
  name: string
  seriesType: string
}

interface Props {
  option: EChartsCoreOption
  height: number
  /** Text for screen readers; the table toggle is the full alternative. */
  label: string
  onClick?: (event: ChartClick) => void
}

const phone = '(max-width: 640px)'

/** Whether the screen is phone-width: bar and ranking charts give their labels less room there. */
export function useNarrow(): boolean {
  return useSyncExternalStore(
    (listener) => {
      const query = window.matchMedia(phone)
      query.addEventListener('change', listener)
      return () => query.removeEventListener('change', listener)
    },
    () => window.matchMedia(phone).matches,
    () => false,
  )
}

export function EChart({ option, height, label, onClick }: Props) {
  const { lang } = useSession()
  const element = useRef<HTMLDivElement>(null)
  const chart = useRef<ECharts | null>(null)
  const clickHandler = useRef(onClick)
  clickHandler.current = onClick

  useEffect(() => {
    const node = element.current
    if (!node) return
    // SVG keeps text crisp and lets the browser test find rendered marks.
    // The locale gives ECharts' screen-reader description (ARIA) and month names in the page's language.
    const instance = init(node, undefined, { renderer: 'svg', locale: chartLocale[lang] })
    chart.current = instance
    instance.on('click', (params) => {
      const event = params as { name?: string; seriesType?: string }
      clickHandler.current?.({ name: event.name ?? '', seriesType: event.seriesType ?? '' })
    })
    const observer = new ResizeObserver(() => instance.resize())
    observer.observe(node)
    return () => {
      observer.disconnect()
      instance.dispose()
      chart.current = null
    }
  }, [lang])

  useEffect(() => {
    const instance = chart.current
    const node = element.current
    if (!instance || !node) return
    node.removeAttribute('data-ready')
    // data-ready: the first frame with this option's data is drawn (tests and bench/web.ts wait for it).
    const drawn = () => {
      node.setAttribute('data-ready', 'true')
      instance.off('rendered', drawn)
    }
    instance.on('rendered', drawn)
    // notMerge: a new option (e.g. other series after a filter change) replaces the old one whole. ARIA is on for
    // every chart: ECharts describes the series and their values, after the panel's own title.
    const aria = { enabled: true, label: { general: { withTitle: `${label}.`, withoutTitle: `${label}.` } } }
    instance.setOption({ ...option, aria }, { notMerge: true })
    return () => {
      instance.off('rendered', drawn)
    }
  }, [option, label, lang])

  // ECharts replaces this label with its fuller description (title, series, values) once it has drawn.
  return <div ref={element} role="img" aria-label={label} className="echart" style={{ height }} />
}
