// The regions map: boundaries keyed by region code (KATO's first two digits) and a choropleth of one metric.
import { sequential } from './palette.ts'

export interface RegionFeatureCollection {
  type: 'FeatureCollection'
  features: { type: 'Feature'; properties: Record<string, unknown>; geometry: unknown }[]
}

/** Names each feature by its region code, so that map data joins the API's `region` column directly. */
export function byRegionCode(geo: RegionFeatureCollection): RegionFeatureCollection {
  return {
    ...geo,
    features: geo.features.map((feature) => ({
      ...feature,
      properties: { ...feature.properties, name: String(feature.properties.KATO ?? '').slice(0, 2) },
    })),
  }
}

export interface RegionValue {
  code: string
  name: string
  value: number | null
}

export function choroplethOption({
  map,
  values,
  selected,
  formatValue,
}: {
  map: string
  values: RegionValue[]
  /** Regions the view is filtered to, outlined. */
  selected?: readonly string[]
  formatValue: (value: number) => string
}) {
  const known = values.map((item) => item.value).filter((value): value is number => value !== null)
  const min = known.length ? Math.min(...known) : 0
  const max = known.length ? Math.max(...known) : 1
  const names = new Map(values.map((item) => [item.code, item.name]))
  return {
    aria: { enabled: true },
    tooltip: {
      trigger: 'item' as const,
      formatter: (params: { name: string; value: unknown }) =>
        `${names.get(params.name) ?? params.name}: ${typeof params.value === 'number' && !Number.isNaN(params.value) ? formatValue(params.value) : '–'}`,
    },
    visualMap: {
      min,
      max: max > min ? max : min + 1e-9,
      left: 8,
      bottom: 8,
      calculable: false,
      text: [formatValue(max), formatValue(min)],
      orient: 'horizontal' as const,
      inRange: { color: [...sequential] },
      formatter: (value: number) => formatValue(value),
    },
    series: [
      {
        type: 'map' as const,
        map,
        roam: false,
        // The box the map fits in, leaving the bottom for the legend; the country keeps its shape inside it (ECharts
        // stretches a map to a box given on all four sides unless told to preserve its aspect).
        left: 8,
        right: 8,
        top: 8,
        bottom: 56,
        preserveAspect: 'contain' as const,
        selectedMode: 'multiple' as const,
        itemStyle: { borderColor: '#ffffff', borderWidth: 1, areaColor: '#F2F2F2' },
        emphasis: { label: { show: false }, itemStyle: { areaColor: '#E69F00' } },
        select: { label: { show: false }, itemStyle: { areaColor: '#E69F00', borderColor: '#000000' } },
        data: values.map((item) => ({
          name: item.code,
          value: item.value ?? Number.NaN,
          selected: selected?.includes(item.code) ?? false,
        })),
      },
    ],
  }
}
