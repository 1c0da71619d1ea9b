// Assisted digital share: completed online with help (staff or volunteer) ÷ all completed — the one-stop-shops' load.
import { eventBreakdowns, eventMetric, shareOf } from './events.ts'

export const assistedDigitalShare = eventMetric({
  id: 'assisted_digital_share',
  names: { kk: 'Көмекпен онлайн үлесі', ru: 'Доля онлайн с помощью', en: 'Assisted digital share' },
  definition: {
    kk: 'Қызметкердің немесе еріктінің көмегімен онлайн аяқталғандар ÷ барлық аяқталғандар.',
    ru: 'Завершённые онлайн с помощью сотрудника или волонтёра ÷ все завершённые.',
    en: 'Completed online with help from staff or a volunteer ÷ all completed.',
  },
  unit: 'share',
  higherIsBetter: false,
  breakdowns: [...eventBreakdowns],
  measures: ['completed', 'completed_online', 'completed_online_self'],
  ...shareOf('(sum(completed_online) - sum(completed_online_self))', 'sum(completed)'),
})
