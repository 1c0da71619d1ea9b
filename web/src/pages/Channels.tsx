// Channels: the mix over time, and completion and median processing time by channel.
import { useMemo } from 'react'
import { api, type MetricTable } from '../api.ts'
import { barsOption } from '../charts/bars.ts'
import { channelOrder, mixOption, mixShares } from '../charts/mix.ts'
import { CohortHeatmap, HelpLasted } from '../components/Cohorts.tsx'
import { CostByService, CostPerTransaction } from '../components/Costs.tsx'
import { DecompositionPanel } from '../components/Decomposition.tsx'
import { IntervalNote, useSeriesInterval } from '../components/IntervalNote.tsx'
import { Panel } from '../components/Panel.tsx'
import { formatPeriod, formatValue, type Unit } from '../i18n.ts'
import { useApi } from '../queries.ts'
import { useSession } from '../session.tsx'
import { apiParams } from '../view.ts'

function ChannelBars({ metric, unit, title }: { metric: string; unit: Unit; title: string }) {
  const { t, lang, view, label, meta } = useSession()
  const url = api.breakdown(metric, { ...apiParams(view.filters), by: 'channel' })
  const state = useApi<MetricTable>(url)
  const bars = useMemo(() => {
    const order = meta?.dimensions.channel.map((channel) => channel.code) ?? []
    return [...(state.data?.rows ?? [])]
      .sort((a, b) => order.indexOf(a.channel ?? '') - order.indexOf(b.channel ?? ''))
      .map((row) => ({ code: row.channel ?? '', name: label('channel', row.channel ?? ''), value: row.value }))
  }, [state.data, meta, label])
  const option = useMemo(
    () =>
      bars.length
        ? barsOption({
            bars,
            formatValue: (value) => formatValue(lang, value, unit),
            horizontal: true,
            share: unit === 'share',
          })
        : null,
    [bars, lang, unit],
  )
  return (
    <Panel
      title={title}
      source={url}
      state={state}
      empty={bars.length === 0}
      option={option}
      height={340}
      table={{
        columns: [t('channel'), t('value')],
        numeric: [1],
        rows: bars.map((bar) => [bar.name, formatValue(lang, bar.value, unit)]),
      }}
    />
  )
}

export function Channels() {
  const { t, lang, view, label, meta } = useSession()
  const params = apiParams(view.filters)
  // One series per channel: a long range by day would be thousands of points, so the interval coarsens.
  const { chosen, used: interval } = useSeriesInterval(meta?.dimensions.channel.length ?? 9)
  const url = meta ? api.series('volume', { ...params, by: 'channel', interval }) : null
  const mix = useApi<MetricTable>(url)
  const share = (value: number) => formatValue(lang, value, 'share')
  const option = useMemo(() => {
    if (!mix.data?.rows.length) return null
    return mixOption({
      rows: mix.data.rows,
      order: channelOrder(meta?.dimensions.channel ?? []),
      nameOf: (code) => label('channel', code),
      periodLabel: (period) => formatPeriod(lang, period, interval),
      formatShare: share,
    })
  }, [mix.data, meta, label, lang, interval])
  const table = useMemo(() => {
    if (!mix.data) return null
    const shares = mixShares(mix.data.rows)
    return {
      columns: [t('periodColumn'), t('channel'), label('metric', 'volume'), t('value')],
      numeric: [2, 3],
      rows: mix.data.rows.map((row) => [
        formatPeriod(lang, row.period ?? '', interval),
        label('channel', row.channel ?? ''),
        formatValue(lang, row.value, 'count'),
        share(shares.get(row.channel ?? '')?.get(row.period ?? '') ?? Number.NaN),
      ]),
    }
  }, [mix.data, lang, label, t, interval])
  return (
    <div className="page-grid">
      <Panel
        title={t('channelMix')}
        source={url ?? undefined}
        state={mix}
        empty={(mix.data?.rows.length ?? 0) === 0}
        option={option}
        table={table}
        height={360}
        span="full"
        footer={<IntervalNote chosen={chosen} used={interval} />}
      />
      <ChannelBars metric="completion_rate" unit="share" title={t('completionByChannel')} />
      <ChannelBars metric="processing_time_median" unit="seconds" title={t('processingByChannel')} />
      <DecompositionPanel metric="online_share_self" title={t('decompositionSelfTitle')} />
      <CohortHeatmap />
      <HelpLasted />
      <CostPerTransaction />
      <CostByService />
    </div>
  )
}
