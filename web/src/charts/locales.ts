// ECharts' own words (the ARIA description it writes for screen readers, month names) in the page's language:
// Russian from ECharts, Kazakh written here on ECharts' English model.
import { registerLocale } from 'echarts/core'
import langEN from 'echarts/lib/i18n/langEN.js'
import langRU from 'echarts/lib/i18n/langRU.js'
import type { Lang } from '../i18n.ts'

const kazakh = {
  ...langEN,
  time: {
    month: [
      'қаңтар',
      'ақпан',
      'наурыз',
      'сәуір',
      'мамыр',
      'маусым',
      'шілде',
      'тамыз',
      'қыркүйек',
      'қазан',
      'қараша',
      'желтоқсан',
    ],
    monthAbbr: ['қаң', 'ақп', 'нау', 'сәу', 'мам', 'мау', 'шіл', 'там', 'қыр', 'қаз', 'қар', 'жел'],
    dayOfWeek: ['жексенбі', 'дүйсенбі', 'сейсенбі', 'сәрсенбі', 'бейсенбі', 'жұма', 'сенбі'],
    dayOfWeekAbbr: ['жс', 'дс', 'сс', 'ср', 'бс', 'жм', 'сб'],
  },
  series: {
    typeNames: {
      ...langEN.series.typeNames,
      bar: 'бағанды диаграмма',
      line: 'сызықтық диаграмма',
      scatter: 'нүктелі диаграмма',
      map: 'карта',
      gauge: 'шкала',
      custom: 'диаграмма',
      chart: 'диаграмма',
    },
  },
  aria: {
    general: { withTitle: '«{title}» диаграммасы', withoutTitle: 'Диаграмма' },
    series: {
      single: { prefix: '', withName: ': {seriesType}, «{seriesName}».', withoutName: ': {seriesType}.' },
      multiple: {
        prefix: '. Қатар саны: {seriesCount}.',
        withName: ' {seriesId}-қатар — {seriesType}, «{seriesName}».',
        withoutName: ' {seriesId}-қатар — {seriesType}.',
        separator: { middle: '', end: '' },
      },
    },
    data: {
      allData: 'Деректер: ',
      partialData: 'Алғашқы {displayCnt} мән: ',
      withName: '{name} — {value}',
      withoutName: '{value}',
      separator: { middle: ', ', end: '. ' },
    },
  },
}

registerLocale('RU', langRU)
registerLocale('KK', kazakh)

/** The ECharts locale of a page language (English is ECharts' own default). */
export const chartLocale: Record<Lang, string> = { kk: 'KK', ru: 'RU', en: 'EN' }
