// Self-service online share: completed online by the citizen alone ÷ all completed.
import { eventBreakdowns, eventMetric, shareOf } from './events.ts'

export const onlineShareSelf = eventMetric({
  id: 'online_share_self',
  names: { kk: 'Өз бетінше онлайн үлесі', ru: 'Доля самостоятельно онлайн', en: 'Self-service online share' },
  definition: {
    kk: 'Азаматтың өзі онлайн аяқтағандары ÷ барлық аяқталғандар.',
    ru: 'Завершённые онлайн самим гражданином ÷ все завершённые.',
    en: 'Completed online by the citizen alone ÷ all completed.',
  },
  unit: 'share',
  higherIsBetter: true,
  breakdowns: [...eventBreakdowns],
  measures: ['completed', 'completed_online_self'],
  ...shareOf('sum(completed_online_self)', 'sum(completed)'),
})
