// Volume: completed transactions.
import { eventBreakdowns, eventMetric } from './events.ts'

export const volume = eventMetric({
  id: 'volume',
  names: { kk: 'Көрсетілген қызметтер', ru: 'Оказано услуг', en: 'Services delivered' },
  definition: { kk: 'Аяқталған қызметтер саны.', ru: 'Число завершённых услуг.', en: 'Completed transactions.' },
  unit: 'count',
  higherIsBetter: true,
  breakdowns: [...eventBreakdowns],
  measures: ['completed'],
  // A count is its own base.
  base: 'sum(completed)',
  value: () => 'sum(completed)',
})
