// The portal's lookup of its words (api/src/public/messages/{kk,ru,en}.ts, ICU with plurals), and its number and date formats.
import { format as formatDate, parseISO } from 'date-fns'
import { enGB, kk as kkLocale, ru as ruLocale } from 'date-fns/locale'
import { IntlMessageFormat } from 'intl-messageformat'
import type { Lang } from '../contract/index.ts'

import { en, type PortalKey, type PortalMessages } from './messages/en.ts'
import { kk } from './messages/kk.ts'
import { ru } from './messages/ru.ts'

export type { PortalKey }

export const portalMessages: Record<Lang, PortalMessages> = { kk, ru, en }

const locales: Record<Lang, string> = { kk: 'kk-KZ', ru: 'ru-RU', en: 'en-GB' }
const dateLocales = { kk: kkLocale, ru: ruLocale, en: enGB }
const compiled = new Map<string, IntlMessageFormat>()

export type Say = (key: PortalKey, values?: Record<string, string | number>) => string

/** The portal's lookup for one language: the message with its values (plurals, numbers) filled. */
export function sayer(lang: Lang): Say {
  return (key, values) => {
    const id = `${lang}:${key}`
    let message = compiled.get(id)
    if (!message) {
      message = new IntlMessageFormat(portalMessages[lang][key], locales[lang])
      compiled.set(id, message)
    }
    return String(message.format(values))
  }
}

export const numberIn = (lang: Lang, value: number, digits = 0): string =>
  new Intl.NumberFormat(locales[lang], { maximumFractionDigits: digits }).format(value)

export const percentIn = (lang: Lang, value: number, digits = 1): string =>
  new Intl.NumberFormat(locales[lang], { style: 'percent', maximumFractionDigits: digits }).format(value)

/** A calendar day (YYYY-MM-DD) as the language writes it. */
export function dayIn(lang: Lang, day: string, pattern = 'd MMMM yyyy'): string {
  const date = parseISO(day)
  return Number.isNaN(date.getTime()) ? day : formatDate(date, pattern, { locale: dateLocales[lang] })
}

/** A period by its first day, labelled for its interval: "March 2020", "Q2 2020" (ru "2-й кв. 2020"), "2020". */
export function periodIn(lang: Lang, period: string, interval: string): string {
  if (interval === 'year') return period.slice(0, 4)
  if (interval === 'quarter') return dayIn(lang, period, 'QQQ yyyy')
  if (interval === 'month') return dayIn(lang, period, 'LLLL yyyy')
  return dayIn(lang, period, 'd MMM yyyy')
}
