// Interface strings exist in every language as valid ICU, with the same values and the language's plural forms.
import { IntlMessageFormat } from 'intl-messageformat'
import { describe, expect, it } from 'vitest'
import {
  formatChange,
  formatPeriod,
  formatValue,
  type Lang,
  languages,
  listOf,
  type MessageKey,
  messages,
  nameOf,
  translate,
} from './i18n.ts'

const keys = Object.keys(messages.en) as MessageKey[]
// CLDR's plural categories as the runtime's Intl knows them, not as our messages list them.
const locales: Record<Lang, string> = { kk: 'kk-KZ', ru: 'ru-RU', en: 'en-GB' }
const categories = (lang: Lang) => [...new Intl.PluralRules(locales[lang]).resolvedOptions().pluralCategories].sort()

interface Element {
  type: number
  value?: string
  options?: Record<string, { value: Element[] }>
  children?: Element[]
}
// The parser's element types (TYPE in @formatjs/icu-messageformat-parser) by the value they take: 1 argument (text),
// 2 number and 6 plural (a count), 3 date and 4 time, 5 select (a key).
const valueKinds: Record<number, string> = { 1: 'text', 2: 'count', 3: 'date', 4: 'date', 5: 'key', 6: 'count' }

/** Every argument of a parsed message with its kind, and the branch keys of each plural. */
function walk(elements: Element[], found = { values: new Set<string>(), plurals: [] as string[][] }) {
  for (const element of elements) {
    const kind = valueKinds[element.type]
    if (kind && element.value) found.values.add(`${element.value}:${kind}`)
    if (element.type === 6 && element.options) found.plurals.push(Object.keys(element.options).sort())
    for (const option of Object.values(element.options ?? {})) walk(option.value, found)
    walk(element.children ?? [], found)
  }
  return found
}
const parsed = (lang: Lang, key: MessageKey) =>
  walk(new IntlMessageFormat(messages[lang][key], locales[lang]).getAst() as unknown as Element[])

describe('interface strings', () => {
  it('has every key in kk, ru and en, none empty', () => {
    for (const lang of languages) {
      expect(Object.keys(messages[lang]).sort(), lang).toEqual([...keys].sort())
      for (const key of keys) expect(messages[lang][key], `${lang}.${key}`).not.toBe('')
    }
    expect(translate('kk', 'overview')).toBe('Шолу')
  })

  it('asks for the same values, of the same kinds, in every language', () => {
    for (const key of keys) {
      const english = [...parsed('en', key).values].sort()
      for (const lang of languages) expect([...parsed(lang, key).values].sort(), `${lang}.${key}`).toEqual(english)
    }
  })

  it("gives every plural exactly the language's plural forms: one/few/many/other in Russian, one/other else", () => {
    expect(categories('ru')).toEqual(['few', 'many', 'one', 'other'])
    expect(categories('kk')).toEqual(['one', 'other'])
    let plurals = 0
    for (const lang of languages)
      for (const key of keys)
        for (const branches of parsed(lang, key).plurals) {
          plurals += 1
          expect(branches, `${lang}.${key}`).toEqual(categories(lang))
        }
    expect(plurals).toBeGreaterThanOrEqual(3 * 8)
  })

  it('declines Russian counts for 1, 2, 5, 21, 22 and 25', () => {
    const days = [1, 2, 5, 21, 22, 25].map((count) => translate('ru', 'noLoadFor', { days: count }))
    expect(days).toEqual([
      'Ничего не загружалось уже 1 день.',
      'Ничего не загружалось уже 2 дня.',
      'Ничего не загружалось уже 5 дней.',
      'Ничего не загружалось уже 21 день.',
      'Ничего не загружалось уже 22 дня.',
      'Ничего не загружалось уже 25 дней.',
    ])
    const services = [1, 2, 5, 21, 22, 25].map((total) => translate('ru', 'servicesShown', { shown: 1, total }))
    expect(services).toEqual([
      '1 из 1 услуги',
      '1 из 2 услуг',
      '1 из 5 услуг',
      '1 из 21 услуги',
      '1 из 22 услуг',
      '1 из 25 услуг',
    ])
    const chosen = [1, 2, 5, 21, 22, 25].map((count) => translate('ru', 'selectedCount', { count }))
    expect(chosen).toEqual(['выбран 1', 'выбрано 2', 'выбрано 5', 'выбран 21', 'выбрано 22', 'выбрано 25'])
    // Thousands are grouped as Russian groups them, inside the plural.
    expect(translate('ru', 'noLoadFor', { days: 1001 }).replace(/\s/g, ' ')).toBe(
      'Ничего не загружалось уже 1 001 день.',
    )
  })

  it('uses one and other in English and Kazakh', () => {
    expect(translate('en', 'noLoadFor', { days: 1 })).toBe('Nothing has been loaded for 1 day.')
    expect(translate('en', 'noLoadFor', { days: 21 })).toBe('Nothing has been loaded for 21 days.')
    expect(translate('en', 'staleSummary', { stale: 1, total: 12, days: 7 })).toBe(
      '1 of 12 feeds is stale: its last load is more than 7 days behind the newest.',
    )
    expect(translate('en', 'staleSummary', { stale: 0, total: 1, days: 1 })).toBe(
      '0 of 1 feed are stale: their last load is more than 1 day behind the newest.',
    )
    expect(translate('kk', 'noLoadFor', { days: 3 })).toBe('3 күн бойы ештеңе жүктелмеген.')
  })

  it('chooses a select branch by its key', () => {
    expect(translate('en', 'shownByInterval', { interval: 'week' })).toBe(
      'Too many points for one chart: shown by week.',
    )
    expect(translate('ru', 'shownByInterval', { interval: 'month' })).toBe(
      'Слишком много точек для одного графика: показано по месяцам.',
    )
  })

  it('refuses a missing key or value when type-checked, and a missing value at run time', () => {
    // @ts-expect-error: no such key; at run time the key itself is shown rather than a blank
    expect(translate('en', 'noSuchKey')).toBe('noSuchKey')
    // @ts-expect-error: the message needs `days`
    expect(() => translate('en', 'noLoadFor')).toThrow(/days/)
    // @ts-expect-error: a plural counts a number
    translate('en', 'noLoadFor', { days: 'two' })
    // @ts-expect-error: a message without values takes none
    translate('en', 'overview', { count: 1 })
  })
})

describe('content names and numbers', () => {
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
    expect(formatValue('ru', 3 * 86_400, 'seconds')).toBe('3 дн.')
  })

  it('signs changes, in points for shares', () => {
    expect(formatChange('en', 0.009, 0.01, 'share')).toBe('+0.9 pp')
    expect(formatChange('ru', -0.012, null, 'share')).toBe('-1,2 п.п.')
    expect(formatChange('en', 1116, 0.1244, 'count')).toBe('+12.4%')
    expect(formatChange('en', -5, null, 'count')).toBe('–')
  })

  it('labels periods for their interval', () => {
    expect(formatPeriod('en', '2020-04-01', 'quarter')).toBe('Q2 2020')
    expect(formatPeriod('ru', '2020-12-31', 'quarter')).toBe('4-й кв. 2020')
    expect(formatPeriod('kk', '2020-07-01', 'quarter')).toBe('3-ші тоқ. 2020')
    expect(formatPeriod('en', '2020-03-01', 'month')).toBe('Mar 2020')
    expect(formatPeriod('ru', '2020-03-01', 'year')).toBe('2020')
  })

  it('joins lists per language', () => {
    expect(listOf('en', ['Abai', 'Zhetisu', 'Ulytau'])).toBe('Abai, Zhetisu and Ulytau')
    expect(listOf('ru', ['A', 'B'])).toBe('A и B')
  })
})
