// Completion rate over cases closed in the period: completed ÷ closed, with the cases still open at its end.
import { planClosedCases } from './closed-cases.ts'
import { eventBreakdowns } from './events.ts'
import type { Metric } from './types.ts'

export const completionRate: Metric = {
  id: 'completion_rate',
  kind: 'events',
  names: { kk: 'Аяқталу деңгейі', ru: 'Доля завершённых', en: 'Completion rate' },
  definition: {
    kk: 'Кезеңде жабылған істердің (аяқталған, бас тартылған не тоқтатылған) ішінде аяқталғандар үлесі; кезең соңында ашық істер бөлек саналады.',
    ru: 'Доля завершённых среди дел, закрытых в периоде (завершённых, отказанных или отменённых); дела, открытые на конец периода, считаются отдельно.',
    en: 'Of cases closed in the period (completed, rejected or cancelled), the share completed; cases open at its end are counted apart.',
  },
  unit: 'share',
  higherIsBetter: true,
  breakdowns: [...eventBreakdowns],
  plan: (spec, reference) => planClosedCases(spec, reference, 'completion_rate'),
}
