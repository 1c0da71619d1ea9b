// Median processing time of completed transactions, from the rollups' processing-time histograms.
import { eventBreakdowns, eventMetric } from './events.ts'

/** Lower median of a (values, counts) histogram: the first value whose running count reaches half. */
export const histogramMedian = (histogram: string) =>
  `if(arraySum(${histogram}.2) = 0, NULL, ${histogram}.1[arrayFirstIndex(c -> c * 2 >= arraySum(${histogram}.2), arrayCumSum(${histogram}.2))])`

export const processingTimeMedian = eventMetric({
  id: 'processing_time_median',
  names: { kk: 'Өңдеу уақытының медианасы', ru: 'Медиана срока обработки', en: 'Median processing time' },
  definition: {
    kk: 'Аяқталған қызметтердің өтінімнен нәтижеге дейінгі уақытының медианасы.',
    ru: 'Медиана времени от заявки до результата по завершённым услугам.',
    en: 'Median time from request to result of completed transactions.',
  },
  unit: 'seconds',
  higherIsBetter: false,
  breakdowns: [...eventBreakdowns],
  measures: ['completed', 'processing_hist'],
  // A median says something of the timed completions it rests on, not of every request.
  base: 'arraySum(tupleElement(sumMap(processing_hist), 2))',
  value: () => histogramMedian('sumMap(processing_hist)'),
})
