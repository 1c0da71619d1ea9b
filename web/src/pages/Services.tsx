// Services: where to push (high volume, low online share) and a searchable, sortable table of every service.

import { useMemo, useState } from 'react'
import { api, type MetricTable } from '../api.ts'
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
  share: number | null
  /** Services delivered offline: what moving this service online would shift. */
  offline: number
}

type SortKey = 'name' | 'volume' | 'share' | 'offline'
const sortKeys: { key: SortKey; label: PlainKey }[] = [
  { key: 'offline', label: 'offlineVolume' },
  { key: 'volume', label: 'volume' },
  { key: 'share', label: 'online_share' },
  { key: 'name', label: 'service' },
]

/** Joins volume and online share per service. */
export function serviceFigures(
  volume: MetricTable['rows'],
  share: MetricTable['rows'],
  nameOf: (code: string) => string,
  categoryOf: (code: string) => string,
): ServiceFigures[] {
  const shares = new Map(share.map((row) => [row.service ?? '', row.value]))
  return volume.map((row) => {
    const code = row.service ?? ''
    const value = row.value ?? 0
    const online = shares.get(code) ?? null
    return {
      code,
      name: nameOf(code),
      category: categoryOf(code),
      volume: value,
      share: online,
      offline: online === null ? 0 : Math.round(value * (1 - online)),
    }
  })
}

export function Services() {
  const narrow = useNarrow()
  const { t, lang, view, label, meta } = useSession()
  const params = { ...apiParams(view.filters), by: 'service' }
  const volumeUrl = api.breakdown('volume', params)
  const shareUrl = api.breakdown('online_share', params)
  const volume = useApi<MetricTable>(volumeUrl)
  const share = useApi<MetricTable>(shareUrl)
  const [search, setSearch] = useState('')
  const [sort, setSort] = useState<{ key: SortKey; descending: boolean }>({ key: 'offline', descending: true })
  const state = volume.status !== 'ready' ? volume : share

  const figures = useMemo(() => {
    if (!volume.data || !share.data) return []
    const categoryOf = (code: string) => {
      const category = meta?.dimensions.service.find((service) => service.code === code)?.category ?? ''
      return label('category', category)
    }
    return serviceFigures(volume.data.rows, share.data.rows, (code) => label('service', code), categoryOf)
  }, [volume.data, share.data, label, meta])

  const pushOption = useMemo(() => {
    const top = figures
      .filter((item) => item.offline > 0)
      .sort((a, b) => b.offline - a.offline)
      .slice(0, 10)
    if (top.length === 0) return null
    return barsOption({
      bars: top.map((item) => ({ name: item.name, value: item.offline })),
      formatValue: (value) => formatValue(lang, value, 'count'),
      horizontal: true,
      labelWidth: 320,
      narrow,
    })
  }, [figures, lang, narrow])

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

  const columns = [t('service'), t('category'), t('volume'), t('online_share'), t('offlineVolume')]
  const rows = (items: ServiceFigures[]) =>
    items.map((item) => [
      item.name,
      item.category,
      formatValue(lang, item.volume, 'count'),
      formatValue(lang, item.share, 'share'),
      formatValue(lang, item.offline, 'count'),
    ])
  return (
    <div className="page-grid">
      <Panel
        title={t('whereToPush')}
        source={volumeUrl}
        state={state}
        empty={figures.length === 0}
        option={pushOption}
        height={380}
        span="full"
        table={{
          columns,
          numeric: [2, 3, 4],
          rows: rows(
            figures
              .filter((item) => item.offline > 0)
              .sort((a, b) => b.offline - a.offline)
              .slice(0, 10),
          ),
        }}
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
            <DataTable table={{ columns, numeric: [2, 3, 4], rows: rows(shown) }} caption={t('servicesTable')} />
          ) : (
            <p className="state">{state.status === 'loading' ? t('loading') : t('error')}</p>
          )}
        </div>
      </section>
    </div>
  )
}
