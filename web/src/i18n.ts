// The one i18n lookup: ICU interface strings in kk/ru/en, content names from /meta, locale-aware numbers and dates.
import { format as formatDate, parseISO } from 'date-fns'
import { enGB, kk as kkLocale, ru as ruLocale } from 'date-fns/locale'
import { IntlMessageFormat } from 'intl-messageformat'
import { en } from './messages/en.ts'
import type { MessageValues } from './messages/icu-types.ts'
import { kk } from './messages/kk.ts'
import { ru } from './messages/ru.ts'

export const languages = ['kk', 'ru', 'en'] as const
export type Lang = (typeof languages)[number]
export type Names = Record<Lang, string>

export type MessageKey = keyof typeof en
/** A language's messages: every key, each an ICU MessageFormat string. */
export type Translation = { readonly [Key in MessageKey]: string }
/** The values a message needs, read from its English text: plural and number arguments take numbers. */
export type ValuesOf<Key extends MessageKey> = MessageValues<(typeof en)[Key]>
/** Keys whose message needs no values; a key computed at run time (a page, a state) must be one of these. */
export type PlainKey = { [Key in MessageKey]: unknown extends ValuesOf<Key> ? Key : never }[MessageKey]
type ValuesArgument<Key extends MessageKey> = [Key] extends [PlainKey] ? [] : [values: ValuesOf<Key>]
/** The lookup as pages call it: a missing key, or a missing or mistyped value, is a type error. */
export type Translate = <Key extends MessageKey>(key: Key, ...values: ValuesArgument<Key>) => string

/** Keys whose translation needs other values than the English message (the tests check the same at run time). */
type ArgumentMismatch<Messages extends Translation> = {
  [Key in MessageKey]: keyof MessageValues<Messages[Key]> extends keyof ValuesOf<Key>
    ? keyof ValuesOf<Key> extends keyof MessageValues<Messages[Key]>
      ? never
      : Key
    : Key
}[MessageKey]
// A mismatch fails here, naming the key: "Type 'true' is not assignable to type '"splitNote"'".
const sameValues: [ArgumentMismatch<typeof kk | typeof ru>] extends [never]
  ? true
  : ArgumentMismatch<typeof kk | typeof ru> = true
void sameValues

/** ICU text here and in tests; in the built app each message arrives already parsed (see web/vite.config.ts). */
export const messages: Record<Lang, Translation> = { kk, ru, en }

const intlLocale: Record<Lang, string> = { kk: 'kk-KZ', ru: 'ru-RU', en: 'en-GB' }
const dateLocale = { kk: kkLocale, ru: ruLocale, en: enGB }

// One formatter per message and language, made when first shown (it keeps its Intl plural and number formatters).
const compiled = new Map<string, IntlMessageFormat>()

/** The one lookup of interface strings: the message in the language, with its values (plurals, numbers) filled. */
export function translate<Key extends MessageKey>(lang: Lang, key: Key, ...values: ValuesArgument<Key>): string {
  const text: string | undefined = messages[lang][key]
  // A key computed at run time (a metric id from the API) may have no message: show the key, not a blank.
  if (text === undefined) return key
  const id = `${lang}:${key}`
  let message = compiled.get(id)
  if (!message) {
    message = new IntlMessageFormat(text, intlLocale[lang])
    compiled.set(id, message)
  }
  const formatted = message.format(values[0] as Record<string, string | number | Date> | undefined)
  // Only text and numbers go in, so the result is text (rich elements would come back as an array).
  return Array.isArray(formatted) ? formatted.join('') : String(formatted)
}

/** A content name from /meta in the chosen language, falling back to the code when the name is unknown. */
export const nameOf = (lang: Lang, names: Names | undefined, code: string): string => names?.[lang] || code

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
      if (value >= 86_400) return translate(lang, 'days', { value: formatNumber(lang, value / 86_400, 1) })
      if (value >= 3600) return translate(lang, 'hours', { value: formatNumber(lang, value / 3600, 1) })
      if (value >= 60) return translate(lang, 'minutes', { value: formatNumber(lang, value / 60, 0) })
      return translate(lang, 'seconds', { value: formatNumber(lang, value, 0) })
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
    return translate(lang, 'percentagePoints', { points: points.format(absolute * 100) })
  }
  if (relative === null) return '–'
  return new Intl.NumberFormat(locale, {
    style: 'percent',
    maximumFractionDigits: 1,
    signDisplay: 'exceptZero',
  }).format(relative)
}

/**
 * Which way a change goes at the precision it is shown with (one decimal of a point or of a per cent): a change
 * that rounds to zero is neutral, so that no arrow points at noise.
 */
export function changeDirection(absolute: number, relative: number | null, unit: Unit): -1 | 0 | 1 {
  const shown = unit === 'share' ? absolute * 100 : relative === null ? 0 : relative * 100
  const rounded = Math.round(shown * 10) / 10
  return rounded > 0 ? 1 : rounded < 0 ? -1 : 0
}

/** A calendar date (YYYY-MM-DD) in the language's style; `pattern` is a date-fns pattern. */
export function formatDay(lang: Lang, day: string, pattern = 'd MMM yyyy'): string {
  const date = parseISO(day)
  if (Number.isNaN(date.getTime())) return day
  return formatDate(date, pattern, { locale: dateLocale[lang] })
}

/** A period start labelled for its interval: months as "Mar 2020", quarters as "Q2 2020" (ru "2-й кв. 2020"), years as "2020". */
export function formatPeriod(lang: Lang, period: string, interval: string): string {
  if (interval === 'year') return period.slice(0, 4)
  if (interval === 'quarter') return formatDay(lang, period, 'QQQ yyyy')
  if (interval === 'month') return formatDay(lang, period, 'LLL yyyy')
  return formatDay(lang, period, 'd MMM yyyy')
}

/** Items joined as the language joins a list ("A, B and C"). */
export const listOf = (lang: Lang, items: string[]): string =>
  new Intl.ListFormat(intlLocale[lang], { style: 'long', type: 'conjunction' }).format(items)
