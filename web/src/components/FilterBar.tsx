// The filter bar: every control writes its API parameter into the URL; the pages read the URL.
import type { ReactNode } from 'react'
import type { Meta } from '../api.ts'
import { defaultPeriod, type FilterName, navigate, regionPageUrl, setParams, viewUrl } from '../filters.ts'
import { nameOf, type PlainKey } from '../i18n.ts'
import { useSession } from '../session.tsx'

const presetKeys: Record<string, PlainKey> = {
  last_7d: 'last_7d',
  last_30d: 'last_30d',
  last_90d: 'last_90d',
  last_12m: 'last_12m',
  ytd: 'ytd',
  previous_year: 'previous_year',
  all: 'allTime',
}
const intervalKeys: PlainKey[] = ['day', 'week', 'month', 'quarter', 'year']

/** Sets a filter; on a region's page the region control moves to another region's page (or back to all regions). */
function choose(name: FilterName, value: string): void {
  const onRegionPage = /^\/regions\/\d{2}$/.test(window.location.pathname)
  if (name === 'region' && onRegionPage) {
    navigate(value ? regionPageUrl(window.location, value) : viewUrl(window.location, { page: 'regions' }))
  } else setParams({ [name]: value || undefined })
}

function Select({
  name,
  label,
  value,
  children,
}: {
  name: FilterName
  label: string
  value: string
  children: ReactNode
}) {
  return (
    <label className="filter">
      <span>{label}</span>
      <select name={name} value={value} onChange={(event) => choose(name, event.target.value)}>
        {children}
      </select>
    </label>
  )
}

export function FilterBar() {
  const { t, lang, meta, view } = useSession()
  const { filters } = view
  const custom = Boolean(filters.from || filters.to)
  const dimension = (
    name: 'region' | 'channel' | 'service' | 'category' | 'age_band',
    items: Meta['dimensions'][typeof name] = [],
  ) => (
    <Select
      name={name}
      label={t(name)}
      value={(name === 'region' ? view.regionPage : undefined) ?? filters[name] ?? ''}
    >
      <option value="">{t('all')}</option>
      {items.map((item) => (
        <option key={item.code} value={item.code}>
          {nameOf(lang, item.names, item.code)}
        </option>
      ))}
    </Select>
  )
  return (
    <section className="filter-bar" aria-label={t('filters')}>
      <label className="filter">
        <span>{t('period')}</span>
        <select
          name="period"
          value={custom ? 'custom' : (filters.period ?? defaultPeriod)}
          onChange={(event) => {
            const value = event.target.value
            if (value === 'custom') {
              const to = meta?.lastDay ?? ''
              setParams({ period: undefined, from: `${Number(to.slice(0, 4)) - 1}${to.slice(4)}`, to })
            } else setParams({ period: value, from: undefined, to: undefined })
          }}
        >
          {(meta?.presets ?? Object.keys(presetKeys)).map((preset) => (
            <option key={preset} value={preset}>
              {t(presetKeys[preset] ?? 'custom')}
            </option>
          ))}
          <option value="custom">{t('custom')}</option>
        </select>
      </label>
      {custom && (
        <>
          <label className="filter">
            <span>{t('from')}</span>
            <input
              type="date"
              name="from"
              value={filters.from ?? ''}
              onChange={(event) => setParams({ from: event.target.value })}
            />
          </label>
          <label className="filter">
            <span>{t('to')}</span>
            <input
              type="date"
              name="to"
              value={filters.to ?? ''}
              onChange={(event) => setParams({ to: event.target.value })}
            />
          </label>
        </>
      )}
      <Select name="interval" label={t('interval')} value={filters.interval ?? ''}>
        <option value="">{t('month')}</option>
        {intervalKeys
          .filter((key) => key !== 'month')
          .map((key) => (
            <option key={key} value={key}>
              {t(key)}
            </option>
          ))}
      </Select>
      {dimension('region', meta?.dimensions.region)}
      {dimension('channel', meta?.dimensions.channel)}
      {dimension('category', meta?.dimensions.category)}
      {dimension(
        'service',
        meta?.dimensions.service.filter((service) => !filters.category || service.category === filters.category),
      )}
      {dimension('age_band', meta?.dimensions.age_band)}
      <button
        type="button"
        className="reset-filters"
        onClick={() =>
          setParams(
            Object.fromEntries(
              ['period', 'from', 'to', 'interval', 'region', 'channel', 'service', 'category', 'age_band'].map(
                (name) => [name, undefined],
              ),
            ),
          )
        }
      >
        {t('resetFilters')}
      </button>
    </section>
  )
}
