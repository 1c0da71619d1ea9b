// Pages by role, the page shown when one is not allowed, the token handed over in the address, errors by code.
import { describe, expect, it } from 'vitest'
import { ApiError } from './api.ts'
import { errorMessage } from './errors.ts'
import { type Lang, type Translate, translate } from './i18n.ts'
import { allowedPage, pagesFor, tokenFromHash } from './roles.ts'

describe('pages by role', () => {
  it('gives analysts every page, regional managers all but data quality, ingest tokens only data quality', () => {
    expect(pagesFor('analyst')).toContain('quality')
    expect(pagesFor('regional')).not.toContain('quality')
    expect(pagesFor('regional')).toContain('regions')
    expect(pagesFor('ingest')).toEqual(['quality'])
    expect(pagesFor('public')).toEqual([])
    expect(pagesFor(undefined)).toEqual([])
  })

  it('opens a page the role may not use as its first page instead', () => {
    expect(allowedPage('quality', 'regional')).toBe('overview')
    expect(allowedPage('channels', 'ingest')).toBe('quality')
    expect(allowedPage('channels', 'analyst')).toBe('channels')
    expect(allowedPage('overview', 'public')).toBeNull()
  })

  it('reads a token from the address the server prints, and nothing else', () => {
    expect(tokenFromHash('#token=qz_ab12_secret')).toBe('qz_ab12_secret')
    expect(tokenFromHash('#token=')).toBeNull()
    expect(tokenFromHash('#section')).toBeNull()
  })
})

describe('errors in the page language', () => {
  const t =
    (lang: Lang): Translate =>
    (key, ...values) =>
      translate(lang, key, ...values)

  it('translates an error by its code, keeping the API’s words only as the detail of a refusal', () => {
    expect(errorMessage(t('ru'), new ApiError(503, 'the database is not answering', 5, 'unavailable'))).toBe(
      'База данных не отвечает; повторим чуть позже.',
    )
    expect(errorMessage(t('kk'), new ApiError(403, 'a regional token may not', null, 'forbidden'))).toBe(
      'Сіздің токеніңіз мұны көре алмайды.',
    )
    expect(errorMessage(t('en'), new ApiError(400, 'region: unknown code 99', null, 'bad_request', 'region'))).toBe(
      'The request was refused: region: unknown code 99',
    )
    expect(errorMessage(t('en'), new TypeError('Failed to fetch'))).toBe('Could not load the data: Failed to fetch')
  })
})
