// The portal's words in Kazakh, Russian and English (ICU messages with plurals), and its number and date formats.
import { format as formatDate, parseISO } from 'date-fns'
import { enGB, kk as kkLocale, ru as ruLocale } from 'date-fns/locale'
import { IntlMessageFormat } from 'intl-messageformat'
import type { Lang } from '../contract/index.ts'

const en = {
  siteName: 'Qyzmet',
  siteTagline: 'Public services in figures',
  skip: 'Skip to content',
  language: 'Language',
  signIn: 'Sign in',
  home: 'Home',
  openData: 'Open data',
  services: 'Services',
  homeTitle: 'Public services in figures',
  homeIntro:
    'How many public services people receive, and how many of them online. Every figure here is published by the ministry’s analysts and can be downloaded.',
  dataAsOf: 'Data as of {date}',
  release: 'Release {number}',
  headlines: 'Headline indicators',
  latestPeriod: 'latest complete period: {period}',
  vsPrevious: '{change} on the previous period ({period})',
  vsYearEarlier: '{change} on a year earlier ({period})',
  noEarlier: 'no earlier period published',
  noChange: 'no change',
  percentagePoints: '{points} pp',
  statusReached: 'Target of {target} reached',
  statusOnTrack: 'On track for {target} by {due}',
  statusOffTrack: 'Not on track for {target} by {due}',
  statusUnknown: 'Target of {target} by {due}: not enough published data to judge',
  projectedBy: 'at the recent pace, {target} in {date}',
  againstTarget: '{title} against the target',
  target: 'Target {value}',
  projection: 'Projection',
  lockdown: 'Lockdown',
  regionSplit: '3 new regions',
  cataloguePassed: '{share} of services online',
  regions: 'Regions',
  regionsIntro: '{title}, {period}',
  map: 'Map of regions',
  mapCredit: 'Boundaries: geokz by A. Rodionov, CC BY 4.0',
  byRegion: 'By region',
  byChannel: 'By channel',
  byAgeBand: 'By age band',
  region: 'Region',
  channel: 'Channel',
  age_band: 'Age band',
  periodColumn: 'Period',
  value: 'Value',
  low: '95 % interval, low',
  high: '95 % interval, high',
  transactions: 'Transactions',
  status: 'Status',
  suppressed: 'suppressed',
  provisional: 'provisional',
  provisionalNote:
    'Provisional: the period was not complete when this release was published and may be revised in the next one.',
  suppressedNote:
    'Suppressed: the figure rests on fewer than {threshold} transactions and is not published, to protect the people behind it.',
  noData: 'no data',
  chartOf: 'Chart: {title}',
  tableOf: 'Table: {title}',
  methodology: 'Methodology',
  versions: 'Version history',
  version: 'Version',
  publishedOn: 'Published',
  revised: '{count, plural, =0 {no period revised} one {# period revised} other {# periods revised}}',
  note: 'What changed',
  downloads: 'Downloads',
  downloadCsv: 'CSV',
  downloadParquet: 'Parquet',
  downloadSvg: 'SVG image',
  downloadPng: 'PNG image',
  embed: 'Embed this chart',
  embedHelp: 'Copy this code into a web page to show the chart, kept up to date:',
  interval_day: 'daily',
  interval_week: 'weekly',
  interval_month: 'monthly',
  interval_quarter: 'quarterly',
  interval_year: 'yearly',
  indicatorFacts: '{interval} series, {count, plural, one {# period} other {# periods}}, version {version}',
  digitalTakeUp: 'Digital take-up',
  completionRate: 'Completion rate',
  userSatisfaction: 'User satisfaction',
  costPerTransaction: 'Cost per transaction',
  costValue: '{amount} ₸',
  costNote:
    'Computed from the published volume by channel of {period} and the cost of one transaction in each channel ({source}).',
  costUnknown: 'Not known: no cost is known for {channels}.',
  costNotPublished: 'Not published: the volume by channel of this service is not published.',
  costSuppressed: 'Not published: a channel’s volume is suppressed.',
  servicePage: 'Service: {name}',
  serviceIntro: '{agency} · {category}',
  serviceFigures: 'GOV.UK’s four measures of a service, from published indicators.',
  servicesIntro: 'The most-used services, with their published figures.',
  notPublished: 'not published',
  catalogueTitle: 'Open data',
  catalogueIntro:
    'Every published indicator, each version downloadable in full, and a machine-readable index (DCAT) for data portals.',
  catalogueIndex: 'Machine-readable index (DCAT, JSON-LD)',
  indicatorCount: '{count, plural, one {# published indicator} other {# published indicators}}',
  versionCount: '{count, plural, one {# version} other {# versions}}',
  allVersions: 'All versions',
  licence: 'Licence: CC BY 4.0. Cite as “Qyzmet, {title}, release {release}”.',
  noticeSignedOut:
    'The API token in this browser was not accepted (unknown, revoked or mistyped), so it was removed and you see the public view. Sign in again with a valid token.',
  notFound: 'Not found',
  notFoundText: 'There is no published page here. The published indicators are listed on the home page.',
  backHome: 'Back to the home page',
  noIndicators: 'Nothing is published yet.',
  embedSource: 'Source: Qyzmet, release {release}',
  share: 'share',
} as const

export type PortalKey = keyof typeof en
type Messages = { readonly [Key in PortalKey]: string }

const kk: Messages = {
  siteName: 'Qyzmet',
  siteTagline: 'Мемлекеттік қызметтер сандармен',
  skip: 'Мазмұнға өту',
  language: 'Тіл',
  signIn: 'Кіру',
  home: 'Басты бет',
  openData: 'Ашық деректер',
  services: 'Қызметтер',
  homeTitle: 'Мемлекеттік қызметтер сандармен',
  homeIntro:
    'Адамдар қанша мемлекеттік қызмет алады және олардың қаншасы онлайн. Мұндағы әр көрсеткішті министрлік талдаушылары жариялайды, оны жүктеп алуға болады.',
  dataAsOf: 'Деректер {date} күйінде',
  release: '{number}-шығарылым',
  headlines: 'Негізгі көрсеткіштер',
  latestPeriod: 'соңғы толық кезең: {period}',
  vsPrevious: 'алдыңғы кезеңмен салыстырғанда {change} ({period})',
  vsYearEarlier: 'бір жыл бұрынғымен салыстырғанда {change} ({period})',
  noEarlier: 'бұрынғы кезең жарияланбаған',
  noChange: 'өзгеріс жоқ',
  percentagePoints: '{points} п.т.',
  statusReached: '{target} мақсатына жетті',
  statusOnTrack: '{due} дейін {target} мақсатына жету жолында',
  statusOffTrack: '{due} дейін {target} мақсатына жету қарқыны жеткіліксіз',
  statusUnknown: '{due} дейін {target} мақсаты: бағалауға жарияланған деректер жеткіліксіз',
  projectedBy: 'соңғы қарқынмен {target} — {date}',
  againstTarget: '{title}: мақсатпен салыстыру',
  target: 'Мақсат {value}',
  projection: 'Болжам',
  lockdown: 'Карантин',
  regionSplit: '3 жаңа облыс',
  cataloguePassed: 'қызметтердің {share} онлайн',
  regions: 'Өңірлер',
  regionsIntro: '{title}, {period}',
  map: 'Өңірлер картасы',
  mapCredit: 'Шекаралар: geokz, А. Родионов, CC BY 4.0',
  byRegion: 'Өңірлер бойынша',
  byChannel: 'Арналар бойынша',
  byAgeBand: 'Жас топтары бойынша',
  region: 'Өңір',
  channel: 'Арна',
  age_band: 'Жас тобы',
  periodColumn: 'Кезең',
  value: 'Мәні',
  low: '95 % аралық, төменгі',
  high: '95 % аралық, жоғарғы',
  transactions: 'Транзакциялар',
  status: 'Мәртебе',
  suppressed: 'жасырылған',
  provisional: 'алдын ала',
  provisionalNote:
    'Алдын ала: бұл шығарылым жарияланғанда кезең аяқталмаған еді, келесі шығарылымда қайта қаралуы мүмкін.',
  suppressedNote:
    'Жасырылған: көрсеткіш {threshold} транзакциядан азына негізделген, оның артындағы адамдарды қорғау үшін жарияланбайды.',
  noData: 'дерек жоқ',
  chartOf: 'Диаграмма: {title}',
  tableOf: 'Кесте: {title}',
  methodology: 'Әдістеме',
  versions: 'Нұсқалар тарихы',
  version: 'Нұсқа',
  publishedOn: 'Жарияланды',
  revised: '{count, plural, =0 {ешбір кезең қайта қаралмады} other {# кезең қайта қаралды}}',
  note: 'Не өзгерді',
  downloads: 'Жүктеп алу',
  downloadCsv: 'CSV',
  downloadParquet: 'Parquet',
  downloadSvg: 'SVG сурет',
  downloadPng: 'PNG сурет',
  embed: 'Диаграмманы енгізу',
  embedHelp: 'Диаграмманы өз бетіңізде жаңартылып тұратындай көрсету үшін мына кодты көшіріңіз:',
  interval_day: 'күндік',
  interval_week: 'апталық',
  interval_month: 'айлық',
  interval_quarter: 'тоқсандық',
  interval_year: 'жылдық',
  indicatorFacts: '{interval} қатар, {count, plural, other {# кезең}}, {version}-нұсқа',
  digitalTakeUp: 'Цифрлық қолдану',
  completionRate: 'Аяқталу үлесі',
  userSatisfaction: 'Пайдаланушылардың қанағаттануы',
  costPerTransaction: 'Бір транзакцияның құны',
  costValue: '{amount} ₸',
  costNote:
    '{period} кезеңіндегі арналар бойынша жарияланған көлем мен әр арнадағы бір транзакцияның құны бойынша есептелді ({source}).',
  costUnknown: 'Белгісіз: {channels} үшін құн белгісіз.',
  costNotPublished: 'Жарияланбаған: бұл қызметтің арналар бойынша көлемі жарияланбаған.',
  costSuppressed: 'Жарияланбаған: бір арнаның көлемі жасырылған.',
  servicePage: 'Қызмет: {name}',
  serviceIntro: '{agency} · {category}',
  serviceFigures: 'Қызметтің GOV.UK ұсынған төрт өлшемі, жарияланған көрсеткіштерден.',
  servicesIntro: 'Ең көп қолданылатын қызметтер және олардың жарияланған көрсеткіштері.',
  notPublished: 'жарияланбаған',
  catalogueTitle: 'Ашық деректер',
  catalogueIntro:
    'Жарияланған әр көрсеткіш, әр нұсқасы толық жүктеп алынады, және деректер порталдарына арналған машина оқитын индекс (DCAT).',
  catalogueIndex: 'Машина оқитын индекс (DCAT, JSON-LD)',
  indicatorCount: '{count, plural, other {# жарияланған көрсеткіш}}',
  versionCount: '{count, plural, other {# нұсқа}}',
  allVersions: 'Барлық нұсқалар',
  licence: 'Лицензия: CC BY 4.0. Дәйексөз: «Qyzmet, {title}, {release}-шығарылым».',
  noticeSignedOut:
    'Осы браузердегі API токені қабылданбады (белгісіз, қайтарып алынған немесе қате терілген), сондықтан ол жойылды және сіз жалпыға ашық көріністі көресіз. Жарамды токенмен қайта кіріңіз.',
  notFound: 'Табылмады',
  notFoundText: 'Мұнда жарияланған бет жоқ. Жарияланған көрсеткіштер басты бетте берілген.',
  backHome: 'Басты бетке оралу',
  noIndicators: 'Әзірге ештеңе жарияланбаған.',
  embedSource: 'Дереккөз: Qyzmet, {release}-шығарылым',
  share: 'үлес',
}

const ru: Messages = {
  siteName: 'Qyzmet',
  siteTagline: 'Государственные услуги в цифрах',
  skip: 'Перейти к содержанию',
  language: 'Язык',
  signIn: 'Войти',
  home: 'Главная',
  openData: 'Открытые данные',
  services: 'Услуги',
  homeTitle: 'Государственные услуги в цифрах',
  homeIntro:
    'Сколько государственных услуг получают люди и сколько из них онлайн. Каждый показатель здесь опубликован аналитиками министерства, его можно скачать.',
  dataAsOf: 'Данные на {date}',
  release: 'Выпуск {number}',
  headlines: 'Главные показатели',
  latestPeriod: 'последний полный период: {period}',
  vsPrevious: '{change} к предыдущему периоду ({period})',
  vsYearEarlier: '{change} к году ранее ({period})',
  noEarlier: 'более ранний период не опубликован',
  noChange: 'без изменений',
  percentagePoints: '{points} п. п.',
  statusReached: 'Цель {target} достигнута',
  statusOnTrack: 'Цель {target} к {due} достижима',
  statusOffTrack: 'Цель {target} к {due} при нынешнем темпе не достигается',
  statusUnknown: 'Цель {target} к {due}: опубликованных данных недостаточно для оценки',
  projectedBy: 'при нынешнем темпе {target} — в {date}',
  againstTarget: '{title}: сравнение с целью',
  target: 'Цель {value}',
  projection: 'Прогноз',
  lockdown: 'Карантин',
  regionSplit: '3 новые области',
  cataloguePassed: '{share} услуг онлайн',
  regions: 'Регионы',
  regionsIntro: '{title}, {period}',
  map: 'Карта регионов',
  mapCredit: 'Границы: geokz, А. Родионов, CC BY 4.0',
  byRegion: 'По регионам',
  byChannel: 'По каналам',
  byAgeBand: 'По возрастным группам',
  region: 'Регион',
  channel: 'Канал',
  age_band: 'Возрастная группа',
  periodColumn: 'Период',
  value: 'Значение',
  low: '95 % интервал, нижняя граница',
  high: '95 % интервал, верхняя граница',
  transactions: 'Транзакции',
  status: 'Статус',
  suppressed: 'скрыто',
  provisional: 'предварительно',
  provisionalNote:
    'Предварительно: период не был завершён, когда вышел этот выпуск, и может быть пересмотрен в следующем.',
  suppressedNote:
    'Скрыто: показатель основан менее чем на {threshold} транзакциях и не публикуется, чтобы защитить стоящих за ним людей.',
  noData: 'нет данных',
  chartOf: 'Диаграмма: {title}',
  tableOf: 'Таблица: {title}',
  methodology: 'Методика',
  versions: 'История версий',
  version: 'Версия',
  publishedOn: 'Опубликовано',
  revised:
    '{count, plural, =0 {периоды не пересмотрены} one {пересмотрен # период} few {пересмотрено # периода} many {пересмотрено # периодов} other {пересмотрено # периода}}',
  note: 'Что изменилось',
  downloads: 'Скачать',
  downloadCsv: 'CSV',
  downloadParquet: 'Parquet',
  downloadSvg: 'Изображение SVG',
  downloadPng: 'Изображение PNG',
  embed: 'Встроить диаграмму',
  embedHelp: 'Скопируйте этот код на свою страницу, чтобы показывать диаграмму с актуальными данными:',
  interval_day: 'дневной',
  interval_week: 'недельный',
  interval_month: 'месячный',
  interval_quarter: 'квартальный',
  interval_year: 'годовой',
  indicatorFacts:
    '{interval} ряд, {count, plural, one {# период} few {# периода} many {# периодов} other {# периода}}, версия {version}',
  digitalTakeUp: 'Цифровое использование',
  completionRate: 'Доля завершённых',
  userSatisfaction: 'Удовлетворённость пользователей',
  costPerTransaction: 'Стоимость одной транзакции',
  costValue: '{amount} ₸',
  costNote:
    'Рассчитано по опубликованному объёму по каналам за {period} и стоимости одной транзакции в каждом канале ({source}).',
  costUnknown: 'Неизвестна: нет стоимости для каналов {channels}.',
  costNotPublished: 'Не опубликовано: объём услуги по каналам не опубликован.',
  costSuppressed: 'Не опубликовано: объём одного из каналов скрыт.',
  servicePage: 'Услуга: {name}',
  serviceIntro: '{agency} · {category}',
  serviceFigures: 'Четыре показателя услуги по методике GOV.UK, из опубликованных индикаторов.',
  servicesIntro: 'Самые востребованные услуги и их опубликованные показатели.',
  notPublished: 'не опубликовано',
  catalogueTitle: 'Открытые данные',
  catalogueIntro:
    'Все опубликованные показатели, каждая версия целиком, и машиночитаемый индекс (DCAT) для порталов данных.',
  catalogueIndex: 'Машиночитаемый индекс (DCAT, JSON-LD)',
  indicatorCount:
    '{count, plural, one {# опубликованный показатель} few {# опубликованных показателя} many {# опубликованных показателей} other {# опубликованного показателя}}',
  versionCount: '{count, plural, one {# версия} few {# версии} many {# версий} other {# версии}}',
  allVersions: 'Все версии',
  licence: 'Лицензия: CC BY 4.0. Ссылка: «Qyzmet, {title}, выпуск {release}».',
  noticeSignedOut:
    'API-токен в этом браузере не принят (неизвестен, отозван или введён с ошибкой), поэтому он удалён, и вы видите публичную версию. Войдите снова с действующим токеном.',
  notFound: 'Не найдено',
  notFoundText: 'Здесь нет опубликованной страницы. Опубликованные показатели перечислены на главной.',
  backHome: 'На главную',
  noIndicators: 'Пока ничего не опубликовано.',
  embedSource: 'Источник: Qyzmet, выпуск {release}',
  share: 'доля',
}

export const portalMessages: Record<Lang, Messages> = { kk, ru, en }

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

/** A period by its first day, labelled for its interval: "March 2020", "2020 Q2", "2020". */
export function periodIn(lang: Lang, period: string, interval: string): string {
  if (interval === 'year') return period.slice(0, 4)
  if (interval === 'quarter') return `${period.slice(0, 4)} Q${Math.floor((Number(period.slice(5, 7)) - 1) / 3) + 1}`
  if (interval === 'month') return dayIn(lang, period, 'LLLL yyyy')
  return dayIn(lang, period, 'd MMM yyyy')
}
