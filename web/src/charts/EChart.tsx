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
import { useEffect, useRef } from 'react'

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

export function EChart({ option, height, label, onClick }: Props) {
  const element = useRef<HTMLDivElement>(null)
  const chart = useRef<ECharts | null>(null)
  const clickHandler = useRef(onClick)
  clickHandler.current = onClick

  useEffect(() => {
    const node = element.current
    if (!node) return
    // SVG keeps text crisp and lets the browser test find rendered marks.
    const instance = init(node, undefined, { renderer: 'svg' })
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
  }, [])

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
    // notMerge: a new option (e.g. other series after a filter change) replaces the old one whole.
    instance.setOption(option, { notMerge: true })
    return () => {
      instance.off('rendered', drawn)
    }
  }, [option])

  return <div ref={element} role="img" aria-label={label} className="echart" style={{ height }} />
}
