// Per capita: completed transactions per 1,000 residents of the rows' regions.
import { eventBreakdowns, eventMetric } from './events.ts'

export const perCapita = eventMetric({
  id: 'per_capita',
  names: { kk: '1000 тұрғынға', ru: 'На 1000 жителей', en: 'Per 1,000 residents' },
  definition: {
    kk: '1000 тұрғынға шаққандағы аяқталған қызметтер (демо-таңдамада халық таңдама үлесіне көбейтіледі).',
    ru: 'Завершённые услуги на 1000 жителей (для демо-выборки население умножается на долю выборки).',
    en: 'Completed transactions per 1,000 residents (for a demo sample, the population times the sample’s fraction).',
  },
  unit: 'per_1000',
  higherIsBetter: true,
  breakdowns: eventBreakdowns.filter((dimension) => dimension !== 'office'),
  measures: ['completed'],
  // The base is the count itself: residents are not people in the data.
  base: 'sum(completed)',
  value: ({ population }) => `sum(completed) * 1000 / nullIf(${population}, 0)`,
})
