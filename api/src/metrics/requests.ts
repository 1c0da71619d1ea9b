// Requests: every transaction, whatever its outcome.
import { eventBreakdowns, eventMetric } from './events.ts'

export const requests = eventMetric({
  id: 'requests',
  names: { kk: 'Өтінімдер', ru: 'Заявки', en: 'Requests' },
  definition: {
    kk: 'Нәтижесіне қарамастан барлық өтінімдер.',
    ru: 'Все заявки, с любым исходом.',
    en: 'All requests, whatever their outcome.',
  },
  unit: 'count',
  higherIsBetter: true,
  breakdowns: [...eventBreakdowns],
  measures: ['transactions'],
  // A count is its own base.
  base: 'sum(transactions)',
  value: () => 'sum(transactions)',
})
