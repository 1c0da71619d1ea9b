// The filter bar: every control changes the view in the URL; the pages read the view.
import type { Meta } from '../api.ts'
import { listOf, nameOf, type PlainKey } from '../i18n.ts'
import { useSession } from '../session.tsx'
import {
  type Dimension,
  defaultPeriod,
  goTo,
  type Interval,
  intervals,
  navigate,
  noFilters,
  regionPageUrl,
  viewUrl,
} from '../view.ts'
import { Choices } from './Choices.tsx'

const presetKeys: Record<string, PlainKey> = {
  last_7d: 'last_7d',
  last_30d: 'last_30d',
  last_90d: 'last_90d',
  last_12m: 'last_12m',
  ytd: 'ytd',
  previous_year: 'previous_year',
  all: 'allTime',
}

/** On a region's own page the region control moves to another region's page (or back to all regions). */
function RegionPageSelect() {
  const { t, lang, meta, view } = useSession()
  return (
    <label className="filter">
      <span>{t('region')}</span>
      <select
        name="region"
        value={view.regionPage ?? ''}
        onChange={(event) => {
          const code = event.target.value
          navigate(code ? regionPageUrl(view, code) : viewUrl(view, { page: 'regions', regionPage: null }))
        }}
      >
        <option value="">{t('all')}</option>
        {(meta?.dimensions.region ?? []).map((item) => (
          <option key={item.code} value={item.code}>
            {nameOf(lang, item.names, item.code)}
          </option>
        ))}
      </select>
    </label>
  )
}

export function FilterBar() {
  const { t, lang, meta, view, who, label } = useSession()
  const { filters } = view
  const custom = Boolean(filters.from || filters.to)
  const dimension = (name: Dimension, items: Meta['dimensions'][Dimension] = []) => (
    <Choices
      name={name}
      label={t(name)}
      items={items.map((item) => ({ code: item.code, name: nameOf(lang, item.names, item.code) }))}
      chosen={filters[name]}
      onChange={(codes) => goTo(view, { filters: { [name]: codes } })}
    />
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
              goTo(view, { filters: { period: undefined, from: `${Number(to.slice(0, 4)) - 1}${to.slice(4)}`, to } })
            } else goTo(view, { filters: { period: value, from: undefined, to: undefined } })
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
              onChange={(event) => goTo(view, { filters: { from: event.target.value || undefined } })}
            />
          </label>
          <label className="filter">
            <span>{t('to')}</span>
            <input
              type="date"
              name="to"
              value={filters.to ?? ''}
              onChange={(event) => goTo(view, { filters: { to: event.target.value || undefined } })}
            />
          </label>
        </>
      )}
      <label className="filter">
        <span>{t('interval')}</span>
        <select
          name="interval"
          value={filters.interval ?? 'month'}
          onChange={(event) => {
            const interval = event.target.value as Interval
            // Month is the default: it stays out of the URL.
            goTo(view, { filters: { interval: interval === 'month' ? undefined : interval } })
          }}
        >
          {intervals.map((interval) => (
            <option key={interval} value={interval}>
              {t(interval)}
            </option>
          ))}
        </select>
      </label>
      {view.regionPage ? <RegionPageSelect /> : dimension('region', meta?.dimensions.region)}
      {who?.role === 'regional' && (
        <p className="filter-note" data-scope={who.regions.join(',')}>
          {t('scopeFilterNote', {
            regions: listOf(
              lang,
              who.regions.map((code) => label('region', code)),
            ),
          })}
        </p>
      )}
      {dimension('channel', meta?.dimensions.channel)}
      {dimension('category', meta?.dimensions.category)}
      {dimension(
        'service',
        meta?.dimensions.service.filter(
          (service) => filters.category.length === 0 || filters.category.includes(service.category),
        ),
      )}
      {dimension('age_band', meta?.dimensions.age_band)}
      <button
        type="button"
        className="reset-filters"
        onClick={() =>
          goTo(view, {
            filters: { ...noFilters, period: undefined, from: undefined, to: undefined, interval: undefined },
          })
        }
      >
        {t('resetFilters')}
      </button>
    </section>
  )
}
