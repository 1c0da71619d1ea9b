// Overview: KPI cards against the previous period and a year earlier, the online share against its target, and its
// trend since 2019 with the incomplete period marked and the projection to the target's due date.
import { useMemo } from 'react'
import { api, type Comparison, type Meta, type MetricTable, type Target } from '../api.ts'
import { gaugeOption } from '../charts/gauge.ts'
import { trendOption } from '../charts/trend.ts'
import { DecompositionPanel } from '../components/Decomposition.tsx'
import { Panel } from '../components/Panel.tsx'
import { seriesInterval } from '../filters.ts'
import { changeDirection, formatChange, formatDay, formatValue, type Lang, type Unit } from '../i18n.ts'
import { useApi } from '../queries.ts'
import { useSession } from '../session.tsx'
import { apiParams, isNarrowed } from '../view.ts'

/** The KPIs, in order; their names and units come from /meta. */
const kpis = ['volume', 'online_share', 'online_share_self', 'catalogue_coverage', 'completion_rate', 'satisfaction']
/** The service register has no regions, channels or people: its KPI takes only the dates and the service filters. */
const registerParameters = new Set(['period', 'from', 'to', 'service', 'category'])
/** Used when no national online-share target is defined. */
const defaultOnlineTarget = 0.9

type Params = Record<string, string | undefined>

function Change({
  change,
  unit,
  label,
}: {
  change: Comparison['change']['previous']
  unit: Unit
  label: 'vsPrevious' | 'vsYearEarlier'
}) {
  const { t, lang } = useSession()
  if (!change) return <span className="kpi-change">{t('noComparison')}</span>
  const direction = changeDirection(change.absolute, change.relative, unit)
  return (
    <span className={`kpi-change ${direction > 0 ? 'up' : direction < 0 ? 'down' : 'flat'}`}>
      {`${direction > 0 ? '▲' : direction < 0 ? '▼' : '■'} ${t(label, { change: formatChange(lang, change.absolute, change.relative, unit) })}`}
    </span>
  )
}

function KpiCard({ metric, params }: { metric: Meta['metrics'][number]; params: Params }) {
  const { t, lang } = useSession()
  const asked =
    metric.id === 'catalogue_coverage'
      ? Object.fromEntries(Object.entries(params).filter(([name]) => registerParameters.has(name)))
      : params
  const state = useApi<Comparison>(api.compare(metric.id, asked))
  const current = state.data?.current
  return (
    <article className="kpi" data-kpi={metric.id} data-state={state.status} title={metric.definition[lang]}>
      <h2>{metric.names[lang]}</h2>
      <p className="kpi-value">
        {state.status === 'ready' ? formatValue(lang, current?.value, metric.unit) : '…'}
        {current?.provisional && <span className="badge provisional">{t('provisionalBadge')}</span>}
      </p>
      {state.status === 'error' ? (
        <p className="kpi-change">{t('error')}</p>
      ) : state.status === 'ready' ? (
        <p className="kpi-changes">
          <Change change={state.data.change.previous} unit={metric.unit} label="vsPrevious" />
          <Change change={state.data.change.previousYear} unit={metric.unit} label="vsYearEarlier" />
        </p>
      ) : (
        <p className="kpi-change"> </p>
      )}
    </article>
  )
}

const periodLabel = (lang: Lang, period: string, interval: string) =>
  formatDay(
    lang,
    period,
    interval === 'year' ? 'yyyy' : interval === 'month' || interval === 'quarter' ? 'LLL yyyy' : 'd MMM yyyy',
  )

export function Overview() {
  const { t, lang, view, meta, label } = useSession()
  const params = apiParams(view.filters)
  const narrowed = isNarrowed(view.filters)
  // The trend keeps its road from 2019 to today, at the page's interval (coarsened when too many points).
  const range = { from: meta?.firstDay ?? '2019-01-01', to: meta?.today ?? '' }
  const interval = meta ? seriesInterval(range, view.filters.interval ?? 'month') : 'month'
  const trendParams = { ...params, period: undefined, from: range.from, to: range.to, interval }
  const trendUrl = meta ? api.series('online_share', trendParams) : null
  const trend = useApi<MetricTable>(trendUrl)
  const targets = useApi<{ targets: Target[] }>(api.targets())
  const onlineCompare = useApi<Comparison>(api.compare('online_share', params))
  const target = targets.data?.targets.find(
    (item) => item.metric === 'online_share' && Object.keys(item.filters).length === 0,
  )
  const share = (value: number) => formatValue(lang, value, 'share')
  const shownKpis = kpis.flatMap((id) => meta?.metrics.filter((metric) => metric.id === id) ?? [])

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
  // The projection is the national target's, drawn on the national monthly trend only.
  const projected = target?.progress && !narrowed && interval === 'month' ? target.progress.projection : []
  const trendChart = useMemo(() => {
    if (!trend.data) return null
    return trendOption({
      rows: trend.data.rows,
      labels: {
        series: label('metric', 'online_share'),
        provisional: t('provisional'),
        target: t('target'),
        projection: t('projection'),
        band: t('projectionBand'),
        lockdown: t('lockdown'),
      },
      target: { value: target?.value ?? defaultOnlineTarget, dueDate: target?.dueDate ?? '' },
      projection: projected,
      formatValue: share,
      formatDate: (day) => formatDay(lang, day, 'yyyy'),
    })
  }, [trend.data, target, projected, lang])
  const provisional = trend.data?.rows.some((row) => row.provisional)

  return (
    <div className="page-grid">
      <div className="kpis span-full">
        {shownKpis.map((metric) => (
          <KpiCard key={metric.id} metric={metric} params={params} />
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
                columns: [label('metric', 'online_share'), t('target'), t('due')],
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
        height={300}
        span="two-thirds"
        footer={
          provisional || narrowed ? (
            <p className="note">
              {[provisional ? t('provisionalNote') : '', narrowed ? t('noProjectionNarrowed') : ''].join(' ').trim()}
            </p>
          ) : null
        }
        table={
          trend.data
            ? {
                columns: [t('periodColumn'), label('metric', 'online_share'), t('low'), t('high')],
                numeric: [1, 2, 3],
                rows: trend.data.rows.map((row) => [
                  `${periodLabel(lang, row.period ?? '', interval)}${row.provisional ? ` (${t('provisionalBadge')})` : ''}`,
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
