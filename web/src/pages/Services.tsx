// Services: where to push (transactions still to move to self-service among services available online), the
// catalogue gaps (services people still need in person), and a searchable, sortable table of every service.
import { useMemo, useState } from 'react'
import { api, type MetricTable, type Target } from '../api.ts'
import { barsOption } from '../charts/bars.ts'
import { useNarrow } from '../charts/EChart.tsx'
import { DataTable, Panel } from '../components/Panel.tsx'
import { formatValue, type PlainKey } from '../i18n.ts'
import { useApi } from '../queries.ts'
import { useSession } from '../session.tsx'
import { apiParams } from '../view.ts'

interface ServiceFigures {
  code: string
  name: string
  category: string
  volume: number
  /** Online share, assisted included. */
  share: number | null
  /** Self-service online share: what the target of moving people online tracks. */
  selfShare: number | null
  /** Whether the service could be received online by the end of the range. */
  online: boolean
  /** Transactions still to move: volume × how far the self-service share stands below the target (0 at or above). */
  toMove: number
}

type SortKey = 'name' | 'volume' | 'share' | 'selfShare' | 'toMove'
const sortKeys: { key: SortKey; label: PlainKey }[] = [
  { key: 'toMove', label: 'toMove' },
  { key: 'volume', label: 'volume' },
  { key: 'share', label: 'online_share' },
  { key: 'selfShare', label: 'online_share_self' },
  { key: 'name', label: 'service' },
]

/** Joins volume and shares per service and measures what is still to move toward the self-service target. */
export function serviceFigures(
  input: {
    volume: MetricTable['rows']
    share: MetricTable['rows']
    selfShare: MetricTable['rows']
    /** Codes of services available online by the end of the range. */
    availableOnline: ReadonlySet<string>
    target: number
  },
  nameOf: (code: string) => string,
  categoryOf: (code: string) => string,
): ServiceFigures[] {
  const shares = new Map(input.share.map((row) => [row.service ?? '', row.value]))
  const selfShares = new Map(input.selfShare.map((row) => [row.service ?? '', row.value]))
  return input.volume.map((row) => {
    const code = row.service ?? ''
    const volume = row.value ?? 0
    const selfShare = selfShares.get(code) ?? null
    const online = input.availableOnline.has(code)
    return {
      code,
      name: nameOf(code),
      category: categoryOf(code),
      volume,
      share: shares.get(code) ?? null,
      selfShare,
      online,
      toMove: online && selfShare !== null ? Math.round(volume * Math.max(0, input.target - selfShare)) : 0,
    }
  })
}

/** Used when no national self-service target is defined. */
const defaultSelfTarget = 0.9

export function Services() {
  const narrow = useNarrow()
  const { t, lang, view, label, meta } = useSession()
  const params = { ...apiParams(view.filters), by: 'service' }
  const volumeUrl = api.breakdown('volume', params)
  const volume = useApi<MetricTable>(volumeUrl)
  const share = useApi<MetricTable>(api.breakdown('online_share', params))
  const selfShare = useApi<MetricTable>(api.breakdown('online_share_self', params))
  const targets = useApi<{ targets: Target[] }>(api.targets())
  const [search, setSearch] = useState('')
  const [sort, setSort] = useState<{ key: SortKey; descending: boolean }>({ key: 'toMove', descending: true })
  const state = volume.status !== 'ready' ? volume : share.status !== 'ready' ? share : selfShare
  const selfTarget =
    targets.data?.targets.find((item) => item.metric === 'online_share_self' && Object.keys(item.filters).length === 0)
      ?.value ?? defaultSelfTarget
  const end = volume.data?.filters.to ?? meta?.today ?? ''

  const figures = useMemo(() => {
    if (!volume.data || !share.data || !selfShare.data || !meta) return []
    const categoryOf = (code: string) => {
      const category = meta.dimensions.service.find((service) => service.code === code)?.category ?? ''
      return label('category', category)
    }
    const availableOnline = new Set(
      meta.dimensions.service
        .filter((service) => service.onlineSince !== null && service.onlineSince <= end)
        .map((service) => service.code),
    )
    return serviceFigures(
      {
        volume: volume.data.rows,
        share: share.data.rows,
        selfShare: selfShare.data.rows,
        availableOnline,
        target: selfTarget,
      },
      (code) => label('service', code),
      categoryOf,
    )
  }, [volume.data, share.data, selfShare.data, label, meta, selfTarget, end])

  const toPush = useMemo(
    () =>
      figures
        .filter((item) => item.toMove > 0)
        .sort((a, b) => b.toMove - a.toMove)
        .slice(0, 10),
    [figures],
  )
  const gaps = useMemo(
    () =>
      figures
        .filter((item) => !item.online && item.volume > 0)
        .sort((a, b) => b.volume - a.volume)
        .slice(0, 10),
    [figures],
  )
  const pushOption = useMemo(
    () =>
      toPush.length
        ? barsOption({
            bars: toPush.map((item) => ({ name: item.name, value: item.toMove })),
            formatValue: (value) => formatValue(lang, value, 'count'),
            horizontal: true,
            labelWidth: 320,
            narrow,
          })
        : null,
    [toPush, lang, narrow],
  )
  const gapOption = useMemo(
    () =>
      gaps.length
        ? barsOption({
            bars: gaps.map((item) => ({ name: item.name, value: item.volume })),
            formatValue: (value) => formatValue(lang, value, 'count'),
            horizontal: true,
            labelWidth: 320,
            narrow,
          })
        : null,
    [gaps, lang, narrow],
  )

  const shown = useMemo(() => {
    const needle = search.trim().toLocaleLowerCase()
    const matching = needle
      ? figures.filter((item) => `${item.code} ${item.name} ${item.category}`.toLocaleLowerCase().includes(needle))
      : figures
    const value = (item: ServiceFigures) => (sort.key === 'name' ? item.name : (item[sort.key] ?? -1))
    return [...matching].sort((a, b) => {
      const order = sort.key === 'name' ? a.name.localeCompare(b.name, lang) : Number(value(a)) - Number(value(b))
      return sort.descending ? -order : order
    })
  }, [figures, search, sort, lang])

  const columns = [
    t('service'),
    t('category'),
    label('metric', 'volume'),
    label('metric', 'online_share'),
    label('metric', 'online_share_self'),
    t('toMove'),
  ]
  const rows = (items: ServiceFigures[]) =>
    items.map((item) => [
      item.name,
      item.category,
      formatValue(lang, item.volume, 'count'),
      formatValue(lang, item.share, 'share'),
      formatValue(lang, item.selfShare, 'share'),
      item.online ? formatValue(lang, item.toMove, 'count') : t('notOnline'),
    ])
  return (
    <div className="page-grid">
      <Panel
        title={t('whereToPush', { target: formatValue(lang, selfTarget, 'share') })}
        source={volumeUrl}
        state={state}
        empty={toPush.length === 0}
        option={pushOption}
        height={380}
        span="full"
        footer={<p className="note">{t('whereToPushNote', { target: formatValue(lang, selfTarget, 'share') })}</p>}
        table={{ columns, numeric: [2, 3, 4, 5], rows: rows(toPush) }}
      />
      <Panel
        title={t('catalogueGaps')}
        state={state}
        empty={gaps.length === 0}
        emptyText={t('noCatalogueGaps')}
        option={gapOption}
        height={380}
        span="full"
        footer={<p className="note">{t('catalogueGapsNote')}</p>}
        table={{ columns, numeric: [2, 3, 4, 5], rows: rows(gaps) }}
      />
      <section className="panel span-full" aria-labelledby="services-table" data-chart={state.status}>
        <header className="panel-head">
          <h2 id="services-table">{t('servicesTable')}</h2>
          <div className="panel-actions">
            {state.status === 'ready' && (
              <span className="muted" role="status" data-count="services">
                {t('servicesShown', { shown: shown.length, total: figures.length })}
              </span>
            )}
            <label className="filter inline">
              <span>{t('searchServices')}</span>
              <input type="search" value={search} onChange={(event) => setSearch(event.target.value)} />
            </label>
            <label className="filter inline">
              <span>{t('sortBy')}</span>
              <select
                value={`${sort.key}:${sort.descending ? 'desc' : 'asc'}`}
                onChange={(event) => {
                  const [key, direction] = event.target.value.split(':')
                  setSort({ key: key as SortKey, descending: direction === 'desc' })
                }}
              >
                {sortKeys.flatMap(({ key, label: text }) => [
                  <option key={`${key}:desc`} value={`${key}:desc`}>
                    {t(text)} ↓
                  </option>,
                  <option key={`${key}:asc`} value={`${key}:asc`}>
                    {t(text)} ↑
                  </option>,
                ])}
              </select>
            </label>
          </div>
        </header>
        <div className="panel-body tall">
          {state.status === 'ready' ? (
            <DataTable table={{ columns, numeric: [2, 3, 4, 5], rows: rows(shown) }} caption={t('servicesTable')} />
          ) : (
            <p className="state">{state.status === 'loading' ? t('loading') : t('error')}</p>
          )}
        </div>
      </section>
    </div>
  )
}
