// The URL form of views: parsing, API parameters and changed URLs.
import { describe, expect, it } from 'vitest'
import { apiParams, parseView, periodRange, regionPageUrl, seriesInterval, spansDay, viewUrl } from './filters.ts'

describe('views in the URL', () => {
  it('reads the page and the filters named as in the API', () => {
    const view = parseView('/regions', '?period=ytd&region=75&channel=portal&lang=ru&foo=1')
    expect(view.page).toBe('regions')
    expect(view.filters).toEqual({ period: 'ytd', region: '75', channel: 'portal' })
    expect(view.params.get('lang')).toBe('ru')
  })

  it('falls back to the overview for an unknown path', () => {
    expect(parseView('/nowhere', '').page).toBe('overview')
  })

  it('sends a preset by default and from/to instead of a preset when dates are given', () => {
    expect(apiParams({}).period).toBe('last_12m')
    const custom = apiParams({ period: 'ytd', from: '2020-01-01', to: '2020-06-30' })
    expect(custom.period).toBeUndefined()
    expect(custom.from).toBe('2020-01-01')
  })

  it('changes and removes parameters, keeping the others', () => {
    const url = viewUrl(
      { pathname: '/channels', search: '?lang=kk&region=75' },
      { set: { region: undefined, channel: 'mobile' } },
    )
    expect(url).toBe('/channels?lang=kk&channel=mobile')
    expect(viewUrl({ pathname: '/channels', search: '' }, { page: 'overview' })).toBe('/')
  })
})

describe('ranges and intervals', () => {
  const bounds = { firstDay: '2019-01-01', today: '2026-11-24' }
  it('resolves presets as the API does', () => {
    expect(periodRange({}, bounds)).toEqual({ from: '2025-11-01', to: '2026-10-31' })
    expect(periodRange({ period: 'last_7d' }, bounds)).toEqual({ from: '2026-11-18', to: '2026-11-24' })
    expect(periodRange({ period: 'previous_year' }, bounds)).toEqual({ from: '2025-01-01', to: '2025-12-31' })
    expect(periodRange({ period: 'all' }, bounds)).toEqual({ from: '2019-01-01', to: '2026-11-24' })
    expect(periodRange({ from: '2022-01-01' }, bounds)).toEqual({ from: '2022-01-01', to: '2026-11-24' })
  })
  it('knows whether a range spans the day three regions were split off', () => {
    expect(spansDay({ from: '2022-01-01', to: '2022-12-31' }, '2022-06-08')).toBe(true)
    expect(spansDay({ from: '2022-06-08', to: '2022-12-31' }, '2022-06-08')).toBe(false)
    expect(spansDay({ from: '2021-01-01', to: '2022-06-07' }, '2022-06-08')).toBe(false)
  })
  it('switches a day series over a long range to a coarser interval', () => {
    const year = { from: '2025-11-01', to: '2026-10-31' }
    expect(seriesInterval(year, 'day')).toBe('day')
    expect(seriesInterval(year, 'day', 9)).toBe('week')
    expect(seriesInterval({ from: '2019-01-01', to: '2026-10-31' }, 'day')).toBe('week')
    expect(seriesInterval({ from: '2019-01-01', to: '2026-10-31' }, 'day', 9)).toBe('month')
    expect(seriesInterval(year, 'quarter', 9)).toBe('quarter')
  })
  it('opens a region page at /regions/NN, keeping the filters', () => {
    const view = parseView('/regions/75', '?period=all&lang=en')
    expect(view).toMatchObject({ page: 'regions', regionPage: '75', filters: { period: 'all' } })
    expect(parseView('/regions/x', '').regionPage).toBeUndefined()
    expect(regionPageUrl({ pathname: '/regions', search: '?period=all&region=75' }, '75')).toBe(
      '/regions/75?period=all',
    )
  })
})
