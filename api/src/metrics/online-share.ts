// Online share: completed online ÷ all completed, assisted included, over all services (digital_take_up keeps the online ones).
import { eventBreakdowns, eventMetric, shareOf } from './events.ts'

export const onlineShare = eventMetric({
  id: 'online_share',
  names: { kk: 'Онлайн үлесі', ru: 'Доля онлайн', en: 'Online share' },
  definition: {
    kk: 'Онлайн арналар арқылы аяқталғандар ÷ барлық аяқталғандар, көмекпен берілгендерді қоса.',
    ru: 'Завершённые через онлайн-каналы ÷ все завершённые, включая поданные с помощью.',
    en: 'Completed through online channels ÷ all completed, assisted included.',
  },
  unit: 'share',
  higherIsBetter: true,
  breakdowns: [...eventBreakdowns],
  measures: ['completed', 'completed_online'],
  ...shareOf('sum(completed_online)', 'sum(completed)'),
})
