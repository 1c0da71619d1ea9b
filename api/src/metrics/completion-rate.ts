// Completion rate: completed ÷ closed (completed, rejected or cancelled); open cases are not counted.
import { eventBreakdowns, eventMetric, shareOf } from './events.ts'

export const completionRate = eventMetric({
  id: 'completion_rate',
  names: { kk: 'Аяқталу деңгейі', ru: 'Доля завершённых', en: 'Completion rate' },
  definition: {
    kk: 'Аяқталғандар ÷ жабылғандар (аяқталған, бас тартылған немесе тоқтатылған).',
    ru: 'Завершённые ÷ закрытые (завершённые, отказанные или отменённые).',
    en: 'Completed ÷ closed (completed, rejected or cancelled).',
  },
  unit: 'share',
  higherIsBetter: true,
  breakdowns: [...eventBreakdowns],
  measures: ['completed', 'rejected', 'cancelled'],
  ...shareOf('sum(completed)', '(sum(completed) + sum(rejected) + sum(cancelled))'),
})
