// Regions: a map (in the boundaries of the period) and a funnel plot that says which regions are above, within or
// below expectation, never a ranking of differences that noise could make.

import { useQuery } from '@tanstack/react-query'
import { registerMap } from 'echarts/core'
import { useMemo, useState } from 'react'
import { ApiError, api, type FunnelAnswer, type MetricTable } from '../api.ts'
import { byRegionCode, choroplethOption, type RegionFeatureCollection } from '../charts/choropleth.ts'
import { useNarrow } from '../charts/EChart.tsx'
import { byName, type FunnelPoint, funnelOption, signalCounts } from '../charts/funnel.ts'
import { BoundariesChoice, BoundariesNote } from '../components/Boundaries.tsx'
import { Panel } from '../components/Panel.tsx'
import { SplitNote } from '../components/SplitNote.tsx'
import { periodRange } from '../filters.ts'
import { formatNumber, formatValue } from '../i18n.ts'
import { useApi } from '../queries.ts'
import { useSession } from '../session.tsx'
import { apiParams, goTo, navigate, regionPageUrl } from '../view.ts'

/** Where the build puts the boundaries (see vite.config.ts): of 2024, and of 2018 for periods before the split. */
const boundaries = {
  2024: { url: '/geo/kz_regions.geojson', map: 'kz-regions' },
  2018: { url: '/geo/kz_regions_2018.geojson', map: 'kz-regions-2018' },
} as const
type Boundaries = keyof typeof boundaries

/** The boundaries a period is drawn in: those of 2018 when it ends before the first region of 2022 began. */
export function boundariesOf(to: string, splitDays: readonly string[]): Boundaries {
  const first = [...splitDays].sort()[0]
  return first && to < first ? 2018 : 2024
}

/** Whether a map's boundaries are registered with ECharts: fetched once per page load, kept for good. */
export function useBoundaries(which: Boundaries): boolean {
  const { url, map } = boundaries[which]
  const loaded = useQuery({
    queryKey: ['boundaries', which],
    queryFn: async ({ signal }) => {
      const response = await fetch(url, { signal })
      if (!response.ok) throw new ApiError(response.status, response.statusText)
      const geo = (await response.json()) as RegionFeatureCollection
      // ECharts' map typing wants its own GeoJSON type; ours is the same shape, keyed by region code.
      registerMap(map, byRegionCode(geo) as unknown as Parameters<typeof registerMap>[1])
      return true
    },
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: Number.POSITIVE_INFINITY,
  })
  return loaded.data === true
}

export function Regions() {
  const narrow = useNarrow()
  const { t, lang, view, label, meta } = useSession()
  const { perCapita } = view
  const metric = perCapita ? 'per_capita' : 'online_share'
  const unit = perCapita ? 'per_1000' : 'share'
  // Every region is shown and compared; the chosen one is highlighted rather than filtered away.
  const params = {
    ...apiParams({ ...view.filters, region: [] }),
    by: 'region',
    boundaries: view.boundaries2024 ? '2024' : undefined,
  }
  const url = api.breakdown(metric, params)
  // The funnel's widening: additive by default (the API's), multiplicative on request, to see what the choice does.
  const [model, setModel] = useState<'additive' | 'multiplicative'>('additive')
  const funnelUrl = api.funnel('online_share', { ...params, model: model === 'additive' ? undefined : model })
  const state = useApi<MetricTable>(url)
  const funnelState = useApi<FunnelAnswer>(funnelUrl)
  const splitDays = (meta?.dimensions.region ?? []).flatMap((region) => (region.validFrom ? [region.validFrom] : []))
  // On 2024 boundaries every period is drawn on the 2024 map: its rows are in those boundaries.
  const drawnIn =
    meta && !view.boundaries2024 ? boundariesOf(periodRange(view.filters, meta).to, splitDays) : (2024 as const)
  const mapReady = useBoundaries(drawnIn)
  const selected = view.filters.region
  const format = (value: number) => formatValue(lang, value, unit)
  const share = (value: number) => formatValue(lang, value, 'share')
  const count = (value: number) => formatNumber(lang, value, 0)

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
  const map = useMemo(
    () =>
      mapReady && items.length
        ? choroplethOption({ map: boundaries[drawnIn].map, values: items, selected, formatValue: format })
        : null,
    [mapReady, drawnIn, items, selected, lang, unit],
  )
  const points: FunnelPoint[] = useMemo(
    () =>
      (funnelState.data?.units ?? []).map((unit) => ({
        code: unit.key,
        name: label('region', unit.key),
        value: unit.value,
        base: unit.denominator,
        signal: unit.signal,
        beyond95: unit.beyond95,
        low998: unit.low998,
        high998: unit.high998,
      })),
    [funnelState.data, label],
  )
  const funnel = useMemo(
    () =>
      funnelState.data && points.length
        ? funnelOption({
            points,
            curve: funnelState.data.curve,
            target: funnelState.data.target,
            formatValue: share,
            formatCount: count,
            narrow,
            labels: {
              target: t('funnelPooled'),
              limit95: t('funnelLimit95'),
              limit998: t('funnelLimit998'),
              base: t('funnelBase'),
              above: t('signalAbove'),
              within: t('signalWithin'),
              below: t('signalBelow'),
            },
          })
        : null,
    [funnelState.data, points, lang, narrow],
  )
  const open = (code: string) => navigate(regionPageUrl(view, code))
  const regionLink = (code: string, name: string) => (
    <a
      key={code}
      href={regionPageUrl(view, code)}
      onClick={(event) => {
        event.preventDefault()
        open(code)
      }}
    >
      {name}
    </a>
  )
  const signalWord = { above: t('signalAbove'), within: t('signalWithin'), below: t('signalBelow') }
  const funnelTable = {
    columns: [t('region'), t('value'), t('funnelBase'), t('funnelLimit998'), t('funnelSignal')],
    numeric: [1, 2, 3],
    rows: byName(points, lang).map((point) => [
      regionLink(point.code, point.name),
      share(point.value),
      count(point.base),
      `${share(point.low998)} – ${share(point.high998)}`,
      point.beyond95 && point.signal === 'within'
        ? `${signalWord.within} (${t('funnelBeyond95')})`
        : signalWord[point.signal],
    ]),
  }
  const mapTable = {
    columns: [t('region'), t('value'), t('low'), t('high'), t('transactions')],
    numeric: [1, 2, 3, 4],
    rows: [...items]
      .sort((a, b) => a.name.localeCompare(b.name, lang))
      .map((item) => [
        regionLink(item.code, item.name),
        format(item.value ?? Number.NaN),
        format(item.low ?? Number.NaN),
        format(item.high ?? Number.NaN),
        formatValue(lang, item.transactions, 'count'),
      ]),
  }
  const toggle = (
    <>
      <BoundariesChoice />
      <label className="toggle">
        <input
          type="checkbox"
          checked={perCapita}
          onChange={(event) => goTo(view, { perCapita: event.target.checked })}
        />
        {t('perCapitaToggle')}
      </label>
    </>
  )
  const counts = signalCounts(points)
  const answer = funnelState.data
  return (
    <div className="page-grid">
      <SplitNote />
      <BoundariesNote table={state.data} />
      <Panel
        title={perCapita ? t('perCapitaMap') : t('map')}
        source={url}
        state={mapReady ? state : { status: 'loading' }}
        empty={items.length === 0}
        option={map}
        table={mapTable}
        height={420}
        controls={toggle}
        onChartClick={(event) => {
          if (event.seriesType === 'map' && /^\d{2}$/.test(event.name)) open(event.name)
        }}
        footer={
          <p className="credit" data-boundaries={drawnIn}>
            {drawnIn === 2018 ? `${t('mapBoundaries2018')} ` : ''}
            {t('mapHint')} {t('mapCredit')}
          </p>
        }
      />
      <Panel
        title={t('funnelTitle')}
        source={funnelUrl}
        state={funnelState}
        empty={points.length === 0}
        option={funnel}
        table={funnelTable}
        height={440}
        controls={
          <label className="toggle funnel-model">
            {t('funnelModel')}
            <select
              value={model}
              onChange={(event) => setModel(event.target.value === 'multiplicative' ? 'multiplicative' : 'additive')}
            >
              <option value="additive">{t('funnelModelAdditive')}</option>
              <option value="multiplicative">{t('funnelModelMultiplicative')}</option>
            </select>
          </label>
        }
        onChartClick={(event) => {
          if (event.seriesType === 'scatter' && /^\d{2}$/.test(event.name)) open(event.name)
        }}
        footer={
          answer && (
            <>
              <p className="credit" data-signals={`${counts.above}/${counts.within}/${counts.below}`}>
                {t('funnelSummary', counts)}
              </p>
              <p className="credit">
                {t('funnelNote', {
                  pooled: share(answer.target),
                  phi: formatNumber(lang, answer.phi, 1),
                })}
              </p>
              <p className="credit" data-funnel-model={answer.model}>
                {t('funnelModelNote', {
                  model: answer.model,
                  tau: formatValue(lang, answer.tau, 'share'),
                  additiveFlagged: answer.flaggedBy.additive.above + answer.flaggedBy.additive.below,
                  multiplicativeFlagged: answer.flaggedBy.multiplicative.above + answer.flaggedBy.multiplicative.below,
                })}
              </p>
            </>
          )
        }
      />
    </div>
  )
}
