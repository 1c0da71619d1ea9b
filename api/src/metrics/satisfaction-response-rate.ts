// Response rate of satisfaction: ratings given ÷ transactions decided (completed or rejected), which are asked to rate.
import { eventBreakdowns, eventMetric, shareOf } from './events.ts'

export const satisfactionResponseRate = eventMetric({
  id: 'satisfaction_response_rate',
  names: {
    kk: 'Бағалау үлесі',
    ru: 'Доля оценивших',
    en: 'Satisfaction response rate',
  },
  definition: {
    kk: 'Шешім шыққан (аяқталған не бас тартылған) транзакциялардың ішінде баға берілгендерінің үлесі.',
    ru: 'Доля транзакций с оценкой среди транзакций с решением (завершённых или отклонённых).',
    en: 'Of transactions decided (completed or rejected), the share that were rated.',
  },
  unit: 'share',
  higherIsBetter: true,
  breakdowns: [...eventBreakdowns],
  measures: ['satisfaction_count', 'completed', 'rejected'],
  ...shareOf('sum(satisfaction_count)', 'sum(completed) + sum(rejected)'),
})
