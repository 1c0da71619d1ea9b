// Median processing time of completions closed in the period, with the cases still open at its end.
import { planClosedCases } from './closed-cases.ts'
import { eventBreakdowns } from './events.ts'
import type { Metric } from './types.ts'

export const processingTimeMedian: Metric = {
  id: 'processing_time_median',
  kind: 'events',
  names: { kk: 'Өңдеу уақытының медианасы', ru: 'Медиана срока обработки', en: 'Median processing time' },
  definition: {
    kk: 'Кезеңде аяқталған қызметтердің өтінімнен нәтижеге дейінгі уақытының медианасы; кезең соңында ашық істер бөлек саналады.',
    ru: 'Медиана времени от заявки до результата по услугам, завершённым в периоде; дела, открытые на конец периода, считаются отдельно.',
    en: 'Median time from request to result of transactions completed in the period; cases open at its end are counted apart.',
  },
  unit: 'seconds',
  higherIsBetter: false,
  breakdowns: [...eventBreakdowns],
  plan: (spec, reference) => planClosedCases(spec, reference, 'processing_median'),
}
