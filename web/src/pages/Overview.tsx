// Overview: KPI cards against the previous period, the online share against its target, and its trend since 2019.
import { useMemo } from 'react'
import { api, type Comparison, type MetricTable, type Target } from '../api.ts'
import { gaugeOption } from '../charts/gauge.ts'
import { projection, trendOption } from '../charts/trend.ts'
import { DecompositionPanel } from '../components/Decomposition.tsx'
import { Panel } from '../components/Panel.tsx'
import { formatChange, formatDay, formatValue, type PlainKey, type Unit } from '../i18n.ts'
import { useApi } from '../queries.ts'
import { useSession } from '../session.tsx'
import { apiParams, isNarrowed } from '../view.ts'

const kpis: { metric: string; unit: Unit }[] = [
  { metric: 'volume', unit: 'count' },
  { metric: 'online_share', unit: 'share' },
  { metric: 'online_share_self', unit: 'share' },
  { metric: 'catalogue_coverage', unit: 'share' },
  { metric: 'completion_rate', unit: 'share' },
  { metric: 'satisfaction', unit: 'share' },
]
/** Used when no national online-share target is defined. */
const defaultOnlineTarget = 0.9

function KpiCard({ metric, unit, params }: { metric: string; unit: Unit; params: Record<string, string | undefined> }) {
  const { t, lang } = useSession()
  const state = useApi<Comparison>(api.compare(metric, params))
  const change = state.data?.change.previous
  const direction = change ? Math.sign(change.absolute) : 0
  return (
    <article className="kpi" data-kpi={metric} data-state={state.status}>
      <h2>{t(metric as PlainKey)}</h2>
      <p className="kpi-value">{state.status === 'ready' ? formatValue(lang, state.data.current.value, unit) : '…'}</p>
      <p className={`kpi-change ${direction > 0 ? 'up' : direction < 0 ? 'down' : ''}`}>
        {state.status === 'error'
          ? t('error')
          : change
            ? `${direction > 0 ? '▲' : direction < 0 ? '▼' : '■'} ${t('vsPrevious', { change: formatChange(lang, change.absolute, change.relative, unit) })}`
            : state.status === 'ready'
              ? t('noComparison')
              : ' '}
      </p>
    </article>
  )
}

export function Overview() {
  const { t, lang, view, meta } = useSession()
  const params = apiParams(view.filters)
  const scoped = isNarrowed(view.filters)
  const trendParams = { ...params, period: undefined, from: '2019-01-01', to: meta?.lastDay, interval: 'month' }
  const trendUrl = meta ? api.series('online_share', trendParams) : null
  const trend = useApi<MetricTable>(trendUrl)
  const targets = useApi<{ targets: Target[] }>(api.targets())
  const onlineCompare = useApi<Comparison>(api.compare('online_share', params))
  const target = targets.data?.targets.find(
    (item) => item.metric === 'online_share' && Object.keys(item.filters).length === 0,
  )
  const share = (value: number) => formatValue(lang, value, 'share')

  const gauge = useMemo(
    () =>
      onlineCompare.data
        ? gaugeOption({
            value: onlineCompare.data.current.value,
            target: target?.value ?? defaultOnlineTarget,
            formatValue: share,
          })
        : null,
    [onlineCompare.data, target, lang],
  )
  const trendChart = useMemo(() => {
    if (!trend.data) return null
    const projected = target?.progress && !scoped ? projection(target.progress, target.dueDate) : []
    return trendOption({
      rows: trend.data.rows,
      labels: { series: t('online_share'), target: t('target'), projection: t('projection'), lockdown: t('lockdown') },
      target: { value: target?.value ?? defaultOnlineTarget, dueDate: target?.dueDate ?? '' },
      projected,
      formatValue: share,
      formatDate: (day) => formatDay(lang, day, 'yyyy'),
    })
  }, [trend.data, target, scoped, lang])

  return (
    <div className="page-grid">
      <div className="kpis span-full">
        {kpis.map((kpi) => (
          <KpiCard key={kpi.metric} {...kpi} params={params} />
        ))}
      </div>
      <Panel
        title={t('gaugeTitle')}
        state={onlineCompare}
        empty={onlineCompare.data?.current.value === null}
        option={gauge}
        height={280}
        span="third"
        table={
          onlineCompare.data
            ? {
                columns: [t('online_share'), t('target'), t('due')],
                rows: [
                  [
                    share(onlineCompare.data.current.value ?? Number.NaN),
                    share(target?.value ?? defaultOnlineTarget),
                    target ? formatDay(lang, target.dueDate) : '–',
                  ],
                ],
              }
            : null
        }
      />
      <Panel
        title={t('trendTitle')}
        source={trendUrl ?? undefined}
        state={trend}
        empty={(trend.data?.rows.length ?? 0) === 0}
        option={trendChart}
        height={280}
        span="two-thirds"
        table={
          trend.data
            ? {
                columns: [t('periodColumn'), t('online_share'), t('low'), t('high')],
                numeric: [1, 2, 3],
                rows: trend.data.rows.map((row) => [
                  formatDay(lang, row.period ?? '', 'LLL yyyy'),
                  share(row.value ?? Number.NaN),
                  share(row.ci_low ?? Number.NaN),
                  share(row.ci_high ?? Number.NaN),
                ]),
              }
            : null
        }
      />
      <DecompositionPanel metric="online_share" title={t('decompositionTitle')} />
    </div>
  )
}
