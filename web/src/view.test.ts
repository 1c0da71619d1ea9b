// The view in the URL: parsing (several values per dimension, repeated or comma lists), changes, URLs, API parameters.
import { describe, expect, it } from 'vitest'
import {
  apiParams,
  changeView,
  isNarrowed,
  nextWallPage,
  noFilters,
  parseView,
  regionPageUrl,
  type View,
  viewUrl,
} from './view.ts'

const at = (url: string): View => {
  const [path = '/', search = ''] = url.split('?')
  return parseView(path, search)
}

describe('reading a view from the URL', () => {
  it('reads the page, the language and the filters named as in the API; unknown parameters are left out', () => {
    const view = at('/regions?period=ytd&region=75&channel=portal&lang=ru&foo=1')
    expect(view).toEqual({
      page: 'regions',
      lang: 'ru',
      filters: { ...noFilters, period: 'ytd', region: ['75'], channel: ['portal'] },
      perCapita: false,
    })
  })

  it('reads and writes 2024 boundaries, and leaves them out of the URL when of the time', () => {
    expect(at('/regions/63?boundaries=2024').boundaries2024).toBe(true)
    expect(at('/regions/63?boundaries=2018').boundaries2024).toBeUndefined()
    expect(viewUrl(at('/regions/63'), { boundaries2024: true })).toBe('/regions/63?boundaries=2024')
    expect(viewUrl(at('/regions/63?boundaries=2024'), { boundaries2024: false })).toBe('/regions/63')
    // Kept when the page changes, as the other view settings are.
    expect(viewUrl(at('/regions/63?boundaries=2024'), { page: 'regions', regionPage: '10' })).toBe(
      '/regions/10?boundaries=2024',
    )
  })

  it('takes several values per dimension, repeated or as a comma list, each once', () => {
    const view = at('/channels?region=75,71&region=79&channel=portal&channel=portal&age_band=18-29,%2065%2B')
    expect(view.filters.region).toEqual(['75', '71', '79'])
    expect(view.filters.channel).toEqual(['portal'])
    expect(view.filters.age_band).toEqual(['18-29', '65+'])
    expect(at('/?region=,,').filters.region).toEqual([])
  })

  it('falls back to the overview for an unknown path, and drops values of the wrong shape', () => {
    expect(at('/nowhere').page).toBe('overview')
    const view = at('/?lang=de&interval=fortnight&from=2020-13&to=2020-06-30')
    expect(view.lang).toBeUndefined()
    expect(view.filters.interval).toBeUndefined()
    expect(view.filters.from).toBeUndefined()
    expect(view.filters.to).toBe('2020-06-30')
  })

  it('opens a region page at /regions/NN, with the other state kept', () => {
    expect(at('/regions/75?period=all&lang=en')).toMatchObject({
      page: 'regions',
      regionPage: '75',
      lang: 'en',
      filters: { period: 'all' },
    })
    expect(at('/regions/x').regionPage).toBeUndefined()
    expect(at('/channels/75').regionPage).toBeUndefined()
    expect(at('/regions?percapita=1').perCapita).toBe(true)
    expect(at('/indicators?indicator=abc').indicator).toBe('abc')
  })
})

describe('writing a view to the URL', () => {
  it('writes what it read, in one order, lists as comma lists', () => {
    const url = '/channels?lang=kk&period=ytd&interval=week&region=75,71&channel=portal'
    expect(viewUrl(at(url))).toBe(url)
    expect(viewUrl(at('/channels?channel=portal&lang=kk&region=75&region=71'))).toBe(
      '/channels?lang=kk&region=75,71&channel=portal',
    )
    expect(viewUrl(at('/?age_band=65%2B'))).toBe('/overview?age_band=65%2B')
  })

  it('changes some parts and keeps the rest; an empty list or null clears', () => {
    const view = at('/channels?lang=kk&region=75')
    expect(viewUrl(view, { filters: { region: [], channel: ['mobile', 'portal'] } })).toBe(
      '/channels?lang=kk&channel=mobile,portal',
    )
    // `/` is the public portal's home: the Overview has its own path.
    expect(viewUrl(view, { page: 'overview' })).toBe('/overview?lang=kk&region=75')
    expect(viewUrl(at('/indicators?indicator=a'), { indicator: null })).toBe('/indicators')
    expect(viewUrl(at('/regions?percapita=1'), { perCapita: false })).toBe('/regions')
    expect(viewUrl(at('/?period=ytd'), { filters: { period: undefined, from: '2020-01-01' } })).toBe(
      '/overview?from=2020-01-01',
    )
  })

  it('leaves a region page when going to another page, and opens one without the region filter', () => {
    const region = at('/regions/75?period=all')
    expect(viewUrl(region, { page: 'channels' })).toBe('/channels?period=all')
    expect(viewUrl(region, { lang: 'en' })).toBe('/regions/75?lang=en&period=all')
    expect(viewUrl(region, { page: 'regions', regionPage: null })).toBe('/regions?period=all')
    expect(regionPageUrl(at('/regions?period=all&region=75,71'), '71')).toBe('/regions/71?period=all')
    // A region page exists only under /regions.
    expect(changeView(at('/'), { regionPage: '75' }).regionPage).toBeUndefined()
  })
})

describe('API parameters', () => {
  it('sends a preset by default, and from/to instead of a preset when dates are given', () => {
    expect(apiParams(noFilters).period).toBe('last_12m')
    const custom = apiParams({ ...noFilters, period: 'ytd', from: '2020-01-01', to: '2020-06-30' })
    expect(custom.period).toBeUndefined()
    expect(custom.from).toBe('2020-01-01')
  })

  it('sends several values as the comma list the API reads, and nothing for an empty list', () => {
    const params = apiParams(at('/?region=75&region=71&channel=portal').filters)
    expect(params).toMatchObject({ region: '75,71', channel: 'portal' })
    expect(params.service).toBeUndefined()
    expect(isNarrowed(noFilters)).toBe(false)
    expect(isNarrowed(at('/?age_band=65%2B').filters)).toBe(true)
  })
})

describe('wall-screen mode in the URL', () => {
  it('reads the pages in turn and the seconds per page, dropping unknown pages and out-of-range seconds', () => {
    expect(at('/live?wall=live,overview,nowhere&every=45')).toMatchObject({ wall: ['live', 'overview'], every: 45 })
    expect(at('/live?wall=nowhere&every=2')).toMatchObject({ wall: ['live'], every: 30 })
    expect(at('/live?wall=overview&every=soon').every).toBe(30)
    expect(at('/live').wall).toBeUndefined()
  })

  it('keeps the wall through page changes, so that rotating pages stays on the wall', () => {
    const view = at('/live?lang=kk&region=75&wall=live,overview&every=20')
    expect(viewUrl(view, { page: 'overview' })).toBe('/overview?lang=kk&region=75&wall=live,overview&every=20')
    expect(viewUrl(at('/live?wall=live,overview'), { page: 'overview' })).toBe('/overview?wall=live,overview')
    expect(at(viewUrl(view, { page: 'overview' }))).toMatchObject({ page: 'overview', wall: ['live', 'overview'] })
  })

  it('turns to the next page, round', () => {
    expect(nextWallPage(['live', 'overview', 'regions'], 'live')).toBe('overview')
    expect(nextWallPage(['live', 'overview', 'regions'], 'regions')).toBe('live')
    expect(nextWallPage(['live', 'overview'], 'channels')).toBe('live')
  })
})
