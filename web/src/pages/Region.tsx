// A region's own page (/regions/NN): against the country, its channel mix, its top services and its offices.

import { useMemo } from 'react'
import { useAnnotations } from '../annotations.ts'
import { api, type MetricRow, type MetricTable, type Target, type TargetRegions } from '../api.ts'
import { barsOption } from '../charts/bars.ts'
import { useNarrow } from '../charts/EChart.tsx'
import { channelOrder, mixOption } from '../charts/mix.ts'
import { versusOption } from '../charts/versus.ts'
import { BoundariesChoice, BoundariesNote } from '../components/Boundaries.tsx'
import { IntervalNote, useSeriesInterval } from '../components/IntervalNote.tsx'
import { Panel } from '../components/Panel.tsx'
import { SplitNote } from '../components/SplitNote.tsx'
import { ViewLink } from '../components/ViewLink.tsx'
import { WhereToPushPanel } from '../components/WhereToPush.tsx'
import { formatDay, formatPeriod, formatValue } from '../i18n.ts'
import { type Loaded, useApi } from '../queries.ts'
import { useSession } from '../session.tsx'
import { statusKey, statusTone } from '../targets.ts'
import { apiParams } from '../view.ts'

/** Volume and online share joined on one dimension's codes, largest volume first. */
export function volumeWithShare(volume: MetricRow[], share: MetricRow[], key: 'service' | 'office') {
  const shares = new Map(share.map((row) => [row[key] ?? '', row]))
  return volume
    .filter((row) => row[key])
    .map((row) => ({
      code: row[key] ?? '',
      volume: row.value ?? 0,
      share: shares.get(row[key] ?? '')?.value ?? null,
      low: shares.get(row[key] ?? '')?.ci_low ?? null,
      high: shares.get(row[key] ?? '')?.ci_high ?? null,
    }))
    .sort((a, b) => b.volume - a.volume || a.code.localeCompare(b.code))
}

/** The targets that concern this region: its own, and where it stands against each national one. */
function RegionTargets({ code }: { code: string }) {
  const { t, lang, meta } = useSession()
  const targets = useApi<{ targets: Target[] }>(api.targets())
  const national = targets.data?.targets.find(
    (item) =>
      !item.filters.region && meta?.metrics.find((metric) => metric.id === item.metric)?.breakdowns.includes('region'),
  )
  const standings = useApi<TargetRegions>(national ? api.targetRegions(national.id) : null)
  const own = targets.data?.targets.filter((item) => item.filters.region?.includes(code)) ?? []
  const mine = standings.data?.regions.find((row) => row.region === code)
  const unitOf = (metric: string) => meta?.metrics.find((item) => item.id === metric)?.unit ?? 'share'
  const rows = [
    ...own.map((target) => ({
      id: target.id,
      title: target.title[lang],
      status: target.progress?.status ?? 'no_data',
      current: formatValue(lang, target.progress?.current, unitOf(target.metric)),
      projected: target.progress?.projectedDate ?? null,
    })),
    ...(national && mine
      ? [
          {
            id: national.id,
            title: national.title[lang],
            status: mine.status,
            current: formatValue(lang, mine.current, unitOf(national.metric)),
            projected: mine.projectedDate,
          },
        ]
      : []),
  ]
  if (rows.length === 0) return null
  return (
    <section className="span-full region-targets" aria-labelledby="region-targets">
      <h2 id="region-targets">{t('targets')}</h2>
      <ul>
        {rows.map((row) => (
          <li key={row.id}>
            <strong>{row.title}</strong>{' '}
            <span className={`badge ${statusTone[row.status]}`}>{t(statusKey[row.status])}</span> {t('current')}:{' '}
            {row.current}
            {row.projected && !['reached', 'reached_late', 'missed'].includes(row.status)
              ? ` · ${t('projectedDate')}: ${formatDay(lang, row.projected, 'LLL yyyy')}`
              : ''}
          </li>
        ))}
      </ul>
    </section>
  )
}

const both = <A, B>(a: Loaded<A>, b: Loaded<B>): Loaded<unknown> => (a.status !== 'ready' ? a : b)

function VolumeAndShare({ by, title, code }: { by: 'service' | 'office'; title: string; code: string }) {
  const narrow = useNarrow()
  const { t, lang, view, label } = useSession()
  const params = {
    ...apiParams(view.filters),
    region: code,
    by,
    boundaries: view.boundaries2024 ? '2024' : undefined,
  }
  const volumeUrl = api.breakdown('volume', params)
  const volume = useApi<MetricTable>(volumeUrl)
  const share = useApi<MetricTable>(api.breakdown('online_share', params))
  const name = (value: string) => (by === 'service' ? label('service', value) : value)
  const items = useMemo(
    () => (volume.data && share.data ? volumeWithShare(volume.data.rows, share.data.rows, by) : []),
    [volume.data, share.data, by],
  )
  const shown = items.slice(0, by === 'service' ? 10 : 15)
  const percent = (value: number) => formatValue(lang, value, 'share')
  const option = useMemo(
    () =>
      shown.length
        ? barsOption({
            bars: shown.map((item) => ({ name: name(item.code), value: item.share })),
            formatValue: percent,
            share: true,
            horizontal: true,
            labelWidth: by === 'service' ? 300 : 90,
            narrow,
          })
        : null,
    [items, lang, label, narrow],
  )
  return (
    <Panel
      title={title}
      source={volumeUrl}
      state={both(volume, share)}
      empty={items.length === 0}
      emptyText={by === 'office' ? t('noOffices') : undefined}
      option={option}
      height={380}
      table={{
        columns: [t(by), label('metric', 'volume'), label('metric', 'online_share'), t('low'), t('high')],
        numeric: [1, 2, 3, 4],
        rows: items.map((item) => [
          name(item.code),
          formatValue(lang, item.volume, 'count'),
          percent(item.share ?? Number.NaN),
          percent(item.low ?? Number.NaN),
          percent(item.high ?? Number.NaN),
        ]),
      }}
    />
  )
}

export function Region({ code }: { code: string }) {
  const { t, lang, view, label, meta } = useSession()
  const params = apiParams(view.filters)
  // The region's own figures follow the boundaries chosen; the country's are the same on either.
  const own = { ...params, region: code, boundaries: view.boundaries2024 ? '2024' : undefined }
  const { chosen, used: versusInterval } = useSeriesInterval(2)
  const { used: mixInterval } = useSeriesInterval(meta?.dimensions.channel.length ?? 9)
  const regionUrl = meta ? api.series('online_share', { ...own, interval: versusInterval }) : null
  const nationalUrl = meta
    ? api.series('online_share', { ...params, region: undefined, interval: versusInterval })
    : null
  const mixUrl = meta ? api.series('volume', { ...own, by: 'channel', interval: mixInterval }) : null
  const regional = useApi<MetricTable>(regionUrl)
  const national = useApi<MetricTable>(nationalUrl)
  const mix = useApi<MetricTable>(mixUrl)
  const notes = useAnnotations(mix.data?.filters)
  const percent = (value: number) => formatValue(lang, value, 'share')
  const name = label('region', code)
  // A region the 2022 reform changed: one split off, or a parent of one. Only their figures differ on 2024 boundaries.
  const affected = meta?.dimensions.region.some(
    (region) => region.validFrom && region.splitFrom && (region.code === code || region.splitFrom === code),
  )
  // The day this region's boundaries changed: it split off, or a region split off from it (the reference table).
  // On 2024 boundaries the series has no break to mark: the region is the same territory throughout.
  const reshaped = view.boundaries2024
    ? undefined
    : meta?.dimensions.region.find(
        (region) => region.validFrom && region.splitFrom && (region.code === code || region.splitFrom === code),
      )?.validFrom

  const versus = useMemo(
    () =>
      regional.data && national.data
        ? versusOption({
            region: regional.data.rows,
            national: national.data.rows,
            names: { region: name, national: t('national') },
            periodLabel: (period) => formatPeriod(lang, period, versusInterval),
            formatValue: percent,
            ceiling: 1,
            boundaryBreak: reshaped
              ? {
                  day: reshaped,
                  to: regional.data.filters.to,
                  label: t('boundaryBreak', { date: formatDay(lang, reshaped) }),
                }
              : undefined,
          })
        : null,
    [regional.data, national.data, name, lang, versusInterval, reshaped],
  )
  const mixChart = useMemo(() => {
    if (!mix.data?.rows.length) return null
    return mixOption({
      rows: mix.data.rows,
      order: channelOrder(meta?.dimensions.channel ?? []),
      nameOf: (channel) => label('channel', channel),
      periodLabel: (period) => formatPeriod(lang, period, mixInterval),
      formatShare: percent,
      annotations: notes,
    })
  }, [mix.data, meta, label, lang, mixInterval, notes])
  const nationalAt = new Map((national.data?.rows ?? []).map((row) => [row.period ?? '', row.value]))

  return (
    <div className="page-grid">
      <p className="span-full back">
        <ViewLink to={{ page: 'regions', regionPage: null }}>← {t('allRegions')}</ViewLink>
      </p>
      <SplitNote />
      {affected && (
        <div className="span-full">
          <BoundariesChoice />
        </div>
      )}
      <BoundariesNote table={regional.data} />
      <RegionTargets code={code} />
      <Panel
        title={t('regionVsNational')}
        source={regionUrl ?? undefined}
        state={both(regional, national)}
        empty={(regional.data?.rows.length ?? 0) === 0}
        option={versus}
        height={320}
        table={{
          columns: [t('periodColumn'), name, t('low'), t('high'), t('national')],
          numeric: [1, 2, 3, 4],
          rows: (regional.data?.rows ?? []).map((row) => [
            formatPeriod(lang, row.period ?? '', versusInterval),
            percent(row.value ?? Number.NaN),
            percent(row.ci_low ?? Number.NaN),
            percent(row.ci_high ?? Number.NaN),
            percent(nationalAt.get(row.period ?? '') ?? Number.NaN),
          ]),
        }}
        footer={<IntervalNote chosen={chosen} used={versusInterval} />}
      />
      <Panel
        title={t('regionChannelMix')}
        source={mixUrl ?? undefined}
        state={mix}
        empty={(mix.data?.rows.length ?? 0) === 0}
        option={mixChart}
        height={320}
        table={{
          columns: [t('periodColumn'), t('channel'), label('metric', 'volume')],
          numeric: [2],
          rows: (mix.data?.rows ?? []).map((row) => [
            formatPeriod(lang, row.period ?? '', mixInterval),
            label('channel', row.channel ?? ''),
            formatValue(lang, row.value, 'count'),
          ]),
        }}
        footer={<IntervalNote chosen={chosen} used={mixInterval} />}
      />
      <VolumeAndShare by="service" code={code} title={t('topServices')} />
      <VolumeAndShare by="office" code={code} title={t('offices')} />
      <WhereToPushPanel region={code} />
    </div>
  )
}
