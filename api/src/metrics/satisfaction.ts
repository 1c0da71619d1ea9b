// Satisfaction: the share of ratings that are 4 or 5 (of 1–5), with its Wilson interval; the ratings are its base.
import { eventBreakdowns, eventMetric, shareOf } from './events.ts'

export const satisfaction = eventMetric({
  id: 'satisfaction',
  names: { kk: 'Қанағаттану', ru: 'Удовлетворённость', en: 'Satisfaction' },
  definition: {
    kk: 'Берілген бағалардың (1–5) ішінде 4 не 5 бағалардың үлесі.',
    ru: 'Доля оценок 4 и 5 среди всех поставленных оценок (1–5).',
    en: 'Of the ratings given (1–5), the share that are 4 or 5.',
  },
  unit: 'share',
  higherIsBetter: true,
  breakdowns: [...eventBreakdowns],
  measures: ['satisfied', 'satisfaction_count'],
  // A share's base is its denominator: the ratings given, not the transactions.
  ...shareOf('sum(satisfied)', 'sum(satisfaction_count)'),
})
