// Regions: ranking with Wilson intervals (or per capita), small regions not ranked, and a map that opens a region.

import { useQuery } from '@tanstack/react-query'
import { registerMap } from 'echarts/core'
import { useMemo } from 'react'
import { ApiError, api, type MetricTable } from '../api.ts'
import { rankingOption, rankingRules, rankOrder } from '../charts/bars.ts'
import { byRegionCode, choroplethOption, type RegionFeatureCollection } from '../charts/choropleth.ts'
import { useNarrow } from '../charts/EChart.tsx'
import { Panel } from '../components/Panel.tsx'
import { SplitNote } from '../components/SplitNote.tsx'
import { formatValue } from '../i18n.ts'
import { useApi } from '../queries.ts'
import { useSession } from '../session.tsx'
import { apiParams, goTo, navigate, regionPageUrl } from '../view.ts'

/** Where the build puts the boundaries (see vite.config.ts). */
const boundariesUrl = '/geo/kz_regions.geojson'
const mapName = 'kz-regions'

/** Whether the region boundaries are registered with ECharts: fetched once per page load, kept for good. */
export function useBoundaries(): boolean {
  const loaded = useQuery({
    queryKey: ['boundaries'],
    queryFn: async ({ signal }) => {
      const response = await fetch(boundariesUrl, { signal })
      if (!response.ok) throw new ApiError(response.status, response.statusText)
      const geo = (await response.json()) as RegionFeatureCollection
      // ECharts' map typing wants its own GeoJSON type; ours is the same shape, keyed by region code.
      registerMap(mapName, byRegionCode(geo) as unknown as Parameters<typeof registerMap>[1])
      return true
    },
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: Number.POSITIVE_INFINITY,
  })
  return loaded.data === true
}

export function Regions() {
  const narrow = useNarrow()
  const { t, lang, view, label } = useSession()
  const { perCapita } = view
  const metric = perCapita ? 'per_capita' : 'online_share'
  const unit = perCapita ? 'per_1000' : 'share'
  // Every region is shown and compared; the chosen one is highlighted rather than filtered away.
  const url = api.breakdown(metric, { ...apiParams({ ...view.filters, region: [] }), by: 'region' })
  const state = useApi<MetricTable>(url)
  const mapReady = useBoundaries()
  const selected = view.filters.region
  const format = (value: number) => formatValue(lang, value, unit)

  const items = useMemo(
    () =>
      (state.data?.rows ?? []).map((row) => ({
        code: row.region ?? '',
        name: label('region', row.region ?? ''),
        value: row.value,
        low: row.ci_low ?? null,
        high: row.ci_high ?? null,
        transactions: row.transactions ?? null,
      })),
    [state.data, label],
  )
  const ranking = useMemo(
    () =>
      items.length ? rankingOption({ items, formatValue: format, unrankedLabel: t('notRankedShort'), narrow }) : null,
    [items, lang, unit, narrow],
  )
  const map = useMemo(
    () =>
      mapReady && items.length
        ? choroplethOption({ map: mapName, values: items, selected, formatValue: format })
        : null,
    [mapReady, items, selected, lang, unit],
  )
  const order = useMemo(() => rankOrder(items), [items])
  const open = (code: string) => navigate(regionPageUrl(view, code))
  const table = {
    columns: [t('rank'), t('region'), t('value'), t('low'), t('high'), t('transactions')],
    numeric: [2, 3, 4, 5],
    rows: [...order.ranked, ...order.unranked].map((item, index) => [
      index < order.ranked.length ? String(index + 1) : t('notRanked'),
      <a
        key={item.code}
        href={regionPageUrl(view, item.code)}
        onClick={(event) => {
          event.preventDefault()
          open(item.code)
        }}
      >
        {item.name}
      </a>,
      format(item.value ?? Number.NaN),
      format(item.low ?? Number.NaN),
      format(item.high ?? Number.NaN),
      formatValue(lang, item.transactions, 'count'),
    ]),
  }
  const toggle = (
    <label className="toggle">
      <input
        type="checkbox"
        checked={perCapita}
        onChange={(event) => goTo(view, { perCapita: event.target.checked })}
      />
      {t('perCapitaToggle')}
    </label>
  )
  return (
    <div className="page-grid">
      <SplitNote />
      <Panel
        title={t('map')}
        source={url}
        state={mapReady ? state : { status: 'loading' }}
        empty={items.length === 0}
        option={map}
        table={table}
        height={420}
        onChartClick={(event) => {
          if (event.seriesType === 'map' && /^\d{2}$/.test(event.name)) open(event.name)
        }}
        footer={
          <p className="credit">
            {t('mapHint')} {t('mapCredit')}
          </p>
        }
      />
      <Panel
        title={perCapita ? t('perCapitaRanking') : t('ranking')}
        source={url}
        state={state}
        empty={items.length === 0}
        option={ranking}
        table={table}
        height={420}
        controls={toggle}
        onChartClick={(event) => {
          if (event.seriesType === 'scatter' && /^\d{2}$/.test(event.name)) open(event.name)
        }}
        footer={
          order.unranked.length > 0 && (
            <p className="credit">
              {t('notRankedNote', {
                transactions: rankingRules.minTransactions,
                points: rankingRules.maxIntervalWidth * 100,
              })}
            </p>
          )
        }
      />
    </div>
  )
}
