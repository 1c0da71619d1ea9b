// Age divide: the self-service online share of 18–29 minus that of 65 and over.
import { eventMetric } from './events.ts'

const selfShare = (band: string) =>
  `sumIf(completed_online_self, age_band = '${band}') / nullIf(sumIf(completed, age_band = '${band}'), 0)`

export const ageDivide = eventMetric({
  id: 'age_divide',
  names: { kk: 'Жас алшақтығы', ru: 'Возрастной разрыв', en: 'Age divide' },
  definition: {
    kk: '18–29 жастағылардың өз бетінше онлайн үлесі минус 65 және одан үлкендердікі.',
    ru: 'Доля самостоятельного онлайн у 18–29 лет минус у 65 лет и старше.',
    en: 'Self-service online share of ages 18–29 minus that of 65 and over.',
  },
  unit: 'share',
  higherIsBetter: false,
  breakdowns: ['region', 'channel', 'gender', 'assisted_by'],
  measures: ['completed', 'completed_online_self'],
  // The smaller of the two groups compared is what a reader learns most about.
  base: "least(sumIf(completed, age_band = '18-29'), sumIf(completed, age_band = '65+'))",
  requires: ['age_band'],
  value: () => `${selfShare('18-29')} - ${selfShare('65+')}`,
  refuses: (filters) =>
    filters.ageBands.length
      ? { parameter: 'age_band', reason: 'age_divide compares age bands itself; remove the age_band filter' }
      : null,
})
