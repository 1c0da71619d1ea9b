// Per capita: completed transactions per 1,000 residents of the rows' regions.
import { eventBreakdowns, eventMetric } from './events.ts'

const noGroupPopulation = (dimension: 'age_band' | 'gender') =>
  `per_capita divides by the residents of the regions, and the reference data has no population by ${dimension === 'age_band' ? 'age band' : 'gender'}: a per-capita figure by ${dimension} would divide one group's transactions by everyone. Remove ${dimension}, or use volume`

export const perCapita = eventMetric({
  id: 'per_capita',
  names: { kk: '1000 тұрғынға', ru: 'На 1000 жителей', en: 'Per 1,000 residents' },
  definition: {
    kk: 'Кезеңдегі орташа халыққа (әр жылдың жыл ортасындағы бағасы, сол кездегі шекаралармен) 1000 тұрғынға шаққандағы аяқталған қызметтер (демо-таңдамада халық таңдама үлесіне көбейтіледі).',
    ru: 'Завершённые услуги на 1000 жителей, при среднем за период населении (оценка на середину каждого года, в границах того времени; для демо-выборки население умножается на долю выборки).',
    en: 'Completed transactions per 1,000 residents, over the period’s mean population (each year’s mid-year estimate, in the boundaries of the time; for a demo sample, times the sample’s fraction).',
  },
  unit: 'per_1000',
  higherIsBetter: true,
  // No population by age or gender exists: a group's transactions over everyone would be no per-capita figure.
  breakdowns: eventBreakdowns.filter((dimension) => !['office', 'age_band', 'gender'].includes(dimension)),
  refusesBreakdown: (dimension) =>
    dimension === 'age_band' || dimension === 'gender' ? noGroupPopulation(dimension) : null,
  refuses: (filters) =>
    filters.ageBands.length
      ? { parameter: 'age_band', reason: noGroupPopulation('age_band') }
      : filters.genders.length
        ? { parameter: 'gender', reason: noGroupPopulation('gender') }
        : null,
  measures: ['completed'],
  perCapita: true,
  // The base is the count itself: residents are not people in the data.
  base: 'sum(completed)',
  value: ({ population }) => `sum(completed) * 1000 / nullIf(${population}, 0)`,
})
