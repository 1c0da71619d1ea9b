// Interface strings exist in every language; numbers, changes and periods follow the language.
import { describe, expect, it } from 'vitest'
import {
  fill,
  formatChange,
  formatPeriod,
  formatValue,
  languages,
  listOf,
  messages,
  nameOf,
  translate,
} from './i18n.ts'

describe('i18n', () => {
  it('has every interface string in kk, ru and en', () => {
    const keys = Object.keys(messages.en)
    for (const lang of languages) {
      expect(Object.keys(messages[lang]).sort()).toEqual([...keys].sort())
      for (const key of keys) expect(messages[lang][key as keyof typeof messages.en], `${lang}.${key}`).not.toBe('')
    }
    expect(translate('kk', 'overview')).toBe('Шолу')
  })

  it('takes content names from /meta, falling back to the code', () => {
    expect(nameOf('ru', { kk: 'Алматы қ.', ru: 'г. Алматы', en: 'Almaty' }, '75')).toBe('г. Алматы')
    expect(nameOf('en', undefined, '75')).toBe('75')
  })

  it('formats numbers per locale', () => {
    expect(formatValue('en', 12345, 'count')).toBe('12,345')
    expect(formatValue('ru', 12345, 'count').replace(/\s/g, ' ')).toBe('12 345')
    expect(formatValue('en', 0.941, 'share')).toBe('94.1%')
    expect(formatValue('ru', 0.941, 'share').replace(/\s/g, ' ')).toBe('94,1 %')
    expect(formatValue('en', null, 'share')).toBe('–')
    expect(formatValue('en', 5400, 'seconds')).toBe('1.5 h')
    expect(formatValue('en', 600, 'seconds')).toBe('10 min')
  })

  it('signs changes, in points for shares', () => {
    expect(formatChange('en', 0.009, 0.01, 'share')).toBe('+0.9 pp')
    expect(formatChange('en', 1116, 0.1244, 'count')).toBe('+12.4%')
    expect(formatChange('en', -5, null, 'count')).toBe('–')
  })

  it('labels periods for their interval', () => {
    expect(formatPeriod('en', '2020-04-01', 'quarter')).toBe('2020 Q2')
    expect(formatPeriod('en', '2020-03-01', 'month')).toBe('Mar 2020')
    expect(formatPeriod('ru', '2020-03-01', 'year')).toBe('2020')
  })

  it('fills placeholders, the same ones in every language, and joins lists per language', () => {
    expect(fill('{stale} of {total}', { stale: 2, total: 5 })).toBe('2 of 5')
    expect(fill('{missing}', {})).toBe('{missing}')
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort()
    for (const key of Object.keys(messages.en) as (keyof typeof messages.en)[])
      for (const lang of languages)
        expect(placeholders(messages[lang][key]), `${lang}.${key}`).toEqual(placeholders(messages.en[key]))
    expect(listOf('en', ['Abai', 'Zhetisu', 'Ulytau'])).toBe('Abai, Zhetisu and Ulytau')
    expect(listOf('ru', ['A', 'B'])).toBe('A и B')
  })
})
