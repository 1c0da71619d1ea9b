// The one i18n lookup: interface strings in kk/ru/en, content names from /meta, locale-aware numbers and dates.
import { format as formatDate, parseISO } from 'date-fns'
import { enGB, kk as kkLocale, ru as ruLocale } from 'date-fns/locale'
import { en } from './messages/en.ts'
import { kk } from './messages/kk.ts'
import { ru } from './messages/ru.ts'

export const languages = ['kk', 'ru', 'en'] as const
export type Lang = (typeof languages)[number]
export type Names = Record<Lang, string>

export type MessageKey = keyof typeof en

export const messages: Record<Lang, Record<MessageKey, string>> = { kk, ru, en }

/** The one lookup of interface strings. */
export const translate = (lang: Lang, key: MessageKey): string => messages[lang][key]

/** A content name from /meta in the chosen language, falling back to the code when the name is unknown. */
export const nameOf = (lang: Lang, names: Names | undefined, code: string): string => names?.[lang] || code

const intlLocale: Record<Lang, string> = { kk: 'kk-KZ', ru: 'ru-RU', en: 'en-GB' }
const dateLocale = { kk: kkLocale, ru: ruLocale, en: enGB }

export function isLang(value: string | null | undefined): value is Lang {
  return languages.includes(value as Lang)
}

export type Unit = 'count' | 'share' | 'seconds' | 'per_1000'

/** A metric value as people read it: shares as percentages, seconds as hours or days, counts grouped. */
export function formatValue(lang: Lang, value: number | null | undefined, unit: Unit): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '–'
  const locale = intlLocale[lang]
  switch (unit) {
    case 'share':
      return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(value)
    case 'seconds': {
      if (value >= 86_400) return `${formatNumber(lang, value / 86_400, 1)} ${translate(lang, 'days')}`
      if (value >= 3600) return `${formatNumber(lang, value / 3600, 1)} ${translate(lang, 'hours')}`
      if (value >= 60) return `${formatNumber(lang, value / 60, 0)} ${translate(lang, 'minutes')}`
      return `${formatNumber(lang, value, 0)} ${translate(lang, 'seconds')}`
    }
    case 'per_1000':
      return formatNumber(lang, value, 1)
    case 'count':
      return formatNumber(lang, value, 0)
  }
}

export function formatNumber(lang: Lang, value: number, digits = 0): string {
  return new Intl.NumberFormat(intlLocale[lang], { maximumFractionDigits: digits }).format(value)
}

/** A change in percentage points (shares) or per cent (everything else), always signed. */
export function formatChange(lang: Lang, absolute: number, relative: number | null, unit: Unit): string {
  const locale = intlLocale[lang]
  if (unit === 'share') {
    const points = new Intl.NumberFormat(locale, { maximumFractionDigits: 1, signDisplay: 'exceptZero' })
    return `${points.format(absolute * 100)} ${lang === 'en' ? 'pp' : lang === 'ru' ? 'п.п.' : 'п.т.'}`
  }
  if (relative === null) return '–'
  return new Intl.NumberFormat(locale, {
    style: 'percent',
    maximumFractionDigits: 1,
    signDisplay: 'exceptZero',
  }).format(relative)
}

/** A calendar date (YYYY-MM-DD) in the language's style; `pattern` is a date-fns pattern. */
export function formatDay(lang: Lang, day: string, pattern = 'd MMM yyyy'): string {
  const date = parseISO(day)
  if (Number.isNaN(date.getTime())) return day
  return formatDate(date, pattern, { locale: dateLocale[lang] })
}

/** A period start labelled for its interval: months as "Mar 2020", years as "2020". */
export function formatPeriod(lang: Lang, period: string, interval: string): string {
  if (interval === 'year') return period.slice(0, 4)
  if (interval === 'quarter') return `${period.slice(0, 4)} Q${Math.floor((Number(period.slice(5, 7)) - 1) / 3) + 1}`
  if (interval === 'month') return formatDay(lang, period, 'LLL yyyy')
  return formatDay(lang, period, 'd MMM yyyy')
}

/** Fills `{name}` placeholders of an interface string. */
export const fill = (text: string, values: Record<string, string | number>): string =>
  text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole))

/** Items joined as the language joins a list ("A, B and C"). */
export const listOf = (lang: Lang, items: string[]): string =>
  new Intl.ListFormat(intlLocale[lang], { style: 'long', type: 'conjunction' }).format(items)
