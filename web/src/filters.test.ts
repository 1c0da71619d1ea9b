// The URL form of views: parsing, API parameters and changed URLs.
import { describe, expect, it } from 'vitest'
import { apiParams, parseView, viewUrl } from './filters.ts'

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
