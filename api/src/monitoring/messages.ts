// The words of notifications in Kazakh, Russian and English (ICU messages with plural forms), and their lookup.
import { IntlMessageFormat } from 'intl-messageformat'
import type { Lang } from '../contract/index.ts'

const en = {
  subject:
    '[Qyzmet] {rule}: {firing, plural, =0 {nothing firing} one {# alert firing} other {# alerts firing}}{resolved, plural, =0 {} one {, # resolved} other {, # resolved}}',
  digestSubject:
    '[Qyzmet] {rule}: digest, {firing, plural, =0 {nothing firing} one {# alert firing} other {# alerts firing}}',
  testSubject: '[Qyzmet] {rule}: test notification',
  testBody: 'This is a test notification for the rule “{rule}”. Its alerts will be sent here.',
  firing: 'FIRING',
  resolved: 'RESOLVED',
  repeat: 'STILL FIRING',
  still: 'firing',
  requests: 'Requests',
  online_request_share: 'Online share of requests',
  everywhere: 'all of Kazakhstan',
  anomaly:
    '{series}: {value} on {day}{days, plural, =1 {} other { (# days)}}, expected {expected} (normal range {low}–{high})',
  feed: 'Feed {source} · {channel} · {region}: {state} since {since} ({days, plural, one {# due day} other {# due days}})',
  on_time: 'on time',
  late: 'late',
  silent: 'silent',
  zero: 'zero completed',
  threshold: '{metric} over the {window, plural, one {last day} other {last # days}} to {day}: {value} (limit {limit})',
  change:
    '{metric} over the {window, plural, one {last day} other {last # days}} to {day}: {value}, against {base} {compare}',
  previous: 'in the period before',
  year: 'a year earlier',
  more: '… and {count, plural, one {# more} other {# more}}',
  open: 'Open: {url}',
}

type Key = keyof typeof en

const ru: Record<Key, string> = {
  subject:
    '[Qyzmet] {rule}: {firing, plural, =0 {нет активных оповещений} one {# активное оповещение} few {# активных оповещения} many {# активных оповещений} other {# активного оповещения}}{resolved, plural, =0 {} one {, # снято} few {, # снято} many {, # снято} other {, # снято}}',
  digestSubject:
    '[Qyzmet] {rule}: сводка, {firing, plural, =0 {нет активных оповещений} one {# активное оповещение} few {# активных оповещения} many {# активных оповещений} other {# активного оповещения}}',
  testSubject: '[Qyzmet] {rule}: проверочное уведомление',
  testBody: 'Это проверочное уведомление правила «{rule}». Его оповещения будут приходить сюда.',
  firing: 'СРАБОТАЛО',
  resolved: 'СНЯТО',
  repeat: 'ВСЁ ЕЩЁ АКТИВНО',
  still: 'активно',
  requests: 'Заявки',
  online_request_share: 'Доля онлайн-заявок',
  everywhere: 'весь Казахстан',
  anomaly:
    '{series}: {value} за {day}{days, plural, =1 {} one { (# день)} few { (# дня)} many { (# дней)} other { (# дня)}}, ожидалось {expected} (обычный диапазон {low}–{high})',
  feed: 'Поток {source} · {channel} · {region}: {state} с {since} ({days, plural, one {# день} few {# дня} many {# дней} other {# дня}} без данных)',
  on_time: 'вовремя',
  late: 'запаздывает',
  silent: 'молчит',
  zero: 'нет завершённых',
  threshold:
    '{metric} за {window, plural, one {последний # день} few {последние # дня} many {последние # дней} other {последние # дня}} по {day}: {value} (порог {limit})',
  change:
    '{metric} за {window, plural, one {последний # день} few {последние # дня} many {последние # дней} other {последние # дня}} по {day}: {value}, против {base} {compare}',
  previous: 'в предыдущем периоде',
  year: 'годом ранее',
  more: '… и ещё {count}',
  open: 'Открыть: {url}',
}

const kk: Record<Key, string> = {
  subject:
    '[Qyzmet] {rule}: {firing, plural, =0 {белсенді ескерту жоқ} other {# белсенді ескерту}}{resolved, plural, =0 {} other {, # жабылды}}',
  digestSubject: '[Qyzmet] {rule}: жиынтық, {firing, plural, =0 {белсенді ескерту жоқ} other {# белсенді ескерту}}',
  testSubject: '[Qyzmet] {rule}: тексеру хабарламасы',
  testBody: 'Бұл «{rule}» ережесінің тексеру хабарламасы. Оның ескертулері осында келеді.',
  firing: 'ІСКЕ ҚОСЫЛДЫ',
  resolved: 'ЖАБЫЛДЫ',
  repeat: 'ӘЛІ БЕЛСЕНДІ',
  still: 'белсенді',
  requests: 'Өтінімдер',
  online_request_share: 'Онлайн өтінімдер үлесі',
  everywhere: 'бүкіл Қазақстан',
  anomaly:
    '{series}: {day} күні {value}{days, plural, =1 {} other { (# күн)}}, күтілгені {expected} (қалыпты ауқым {low}–{high})',
  feed: '{source} · {channel} · {region} ағыны: {since} бастап {state} ({days, plural, other {# күн}} деректерсіз)',
  on_time: 'уақытында',
  late: 'кешігуде',
  silent: 'үнсіз',
  zero: 'аяқталғандар жоқ',
  threshold: '{metric}, {day} дейінгі соңғы {window, plural, other {# күн}}: {value} (шек {limit})',
  change: '{metric}, {day} дейінгі соңғы {window, plural, other {# күн}}: {value}, {compare} {base}',
  previous: 'алдыңғы кезеңде',
  year: 'бір жыл бұрын',
  more: '… және тағы {count}',
  open: 'Ашу: {url}',
}

const messages: Record<Lang, Record<Key, string>> = { kk, ru, en }
const compiled = new Map<string, IntlMessageFormat>()

/** A notification's text in a language, with its values put in. */
export function say(lang: Lang, key: Key, values: Record<string, string | number> = {}): string {
  const id = `${lang}:${key}`
  let format = compiled.get(id)
  if (!format) {
    format = new IntlMessageFormat(messages[lang][key], lang)
    compiled.set(id, format)
  }
  return String(format.format(values))
}

export const notificationKeys = Object.keys(en) as Key[]
export { messages as notificationMessages }
