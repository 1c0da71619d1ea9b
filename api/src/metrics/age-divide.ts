// Age divide standardised for service mix: per service, the self-service online share of 18–29 minus that of 65+,
// weighted by the service's completed transactions; completed transactions of unknown age are counted beside it.
import type { Reference } from '../reference.ts'
import {
  asOfConditions,
  dimensionConditions,
  noValue,
  periodOf,
  selectDimension,
  suppress,
  suppressCount,
} from './sql.ts'
import type { Metric, Plan, QuerySpec } from './types.ts'

const online = "channel IN (SELECT code FROM channels FINAL WHERE kind = 'online')"
const completed = "status = 'completed'"
const selfOnline = `${completed} AND ${online} AND assisted_by = 'self'`

function planAgeDivide(spec: QuerySpec, reference: Reference): Plan {
  const { filters, by, series } = spec
  const params: Record<string, unknown> = { from: filters.from, to: filters.to }
  const conditions = [...dimensionConditions(filters, reference, params), ...asOfConditions(spec, params)]
  const keys = [...(series ? ['period'] : []), ...by]
  // Each (row, service): the two groups' counts; a service counts where both groups completed something in it.
  const inner = `
    SELECT ${[
      ...(series ? [`${periodOf(filters.interval, 'occurred_on')} AS period`] : []),
      ...by.map(selectDimension),
      'service_code',
      `countIf(${completed} AND age_band = '18-29') AS young`,
      `countIf(${selfOnline} AND age_band = '18-29') AS young_self`,
      `countIf(${completed} AND age_band = '65+') AS old`,
      `countIf(${selfOnline} AND age_band = '65+') AS old_self`,
      `countIf(${completed}) AS weight`,
      `countIf(${completed} AND age_band = 'unknown') AS unknown`,
      'count() AS row_count',
    ].join(',\n           ')}
    FROM events
    WHERE ${['occurred_on BETWEEN {from:Date} AND {to:Date}', ...conditions].join(' AND ')}
    GROUP BY ${[...keys, 'service_code'].join(', ')}`
  const both = 'young > 0 AND old > 0'
  const sql = `
    SELECT ${[
      ...keys,
      `sumIf(weight * (young_self / young - old_self / old), ${both}) / nullIf(sumIf(weight, ${both}), 0) AS value`,
      `${noValue} AS numerator`,
      `${noValue} AS denominator`,
      `${noValue} AS ci_low`,
      `${noValue} AS ci_high`,
      // The smaller of the two groups compared is what a reader learns most about.
      'least(sum(young), sum(old)) AS base',
      'sum(row_count) AS transactions',
      'sum(unknown) AS unknown_age',
    ].join(',\n           ')}
    FROM (${inner})
    ${keys.length ? `GROUP BY ${keys.join(', ')} ORDER BY ${keys.join(', ')}` : ''}`
  return { sql: suppressCount(suppress(sql, spec, params, false), spec, 'unknown_age'), params, source: 'events' }
}

export const ageDivide: Metric = {
  id: 'age_divide',
  kind: 'events',
  names: { kk: 'Жас алшақтығы', ru: 'Возрастной разрыв', en: 'Age divide' },
  definition: {
    kk: '18–29 жастағылардың өз бетінше онлайн үлесі минус 65 және одан үлкендердікі, әр қызмет бойынша есептеліп, қызметтердің аяқталған транзакцияларымен өлшенген; жасы белгісіздер бөлек саналады.',
    ru: 'Доля самостоятельного онлайн у 18–29 лет минус у 65 лет и старше, по каждой услуге, взвешенная по завершённым транзакциям услуг; транзакции с неизвестным возрастом считаются отдельно.',
    en: 'Self-service online share of ages 18–29 minus that of 65 and over, within each service, weighted by the services’ completed transactions; unknown ages are counted apart.',
  },
  unit: 'share',
  higherIsBetter: false,
  breakdowns: ['region', 'channel', 'gender', 'assisted_by'],
  refuses: (filters) =>
    filters.ageBands.length
      ? { parameter: 'age_band', reason: 'age_divide compares age bands itself; remove the age_band filter' }
      : null,
  plan: planAgeDivide,
}
