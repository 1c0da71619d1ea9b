// Satisfaction: the mean rating (1–5) rescaled to 0–1.
import { eventBreakdowns, eventMetric } from './events.ts'

export const satisfaction = eventMetric({
  id: 'satisfaction',
  names: { kk: 'Қанағаттану', ru: 'Удовлетворённость', en: 'Satisfaction' },
  definition: {
    kk: '0–100 %-ға келтірілген орташа баға ((орташа − 1) ÷ 4).',
    ru: 'Средняя оценка, приведённая к 0–100 % ((среднее − 1) ÷ 4).',
    en: 'Mean rating rescaled to 0–100 % ((mean − 1) ÷ 4).',
  },
  unit: 'share',
  higherIsBetter: true,
  breakdowns: [...eventBreakdowns],
  measures: ['satisfaction_sum', 'satisfaction_count'],
  // A satisfaction figure rests on the ratings given, not on the transactions.
  base: 'sum(satisfaction_count)',
  value: () => '(sum(satisfaction_sum) / nullIf(sum(satisfaction_count), 0) - 1) / 4',
})
