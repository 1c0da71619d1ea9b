// Digital take-up (as GOV.UK defines it): of completed transactions of services that could be received online on
// their day, the share completed online. Read from raw events: no rollup knows a service's day of going online.
import { onlineChannels } from '@qyzmet/sql'
import type { Reference } from '../reference.ts'
import { eventBreakdowns } from './events.ts'
import {
  asOfConditions,
  dimensionConditions,
  dispersionOf,
  periodOf,
  selectDimension,
  suppress,
  wilson,
} from './sql.ts'
import type { Metric, Plan, QuerySpec } from './types.ts'

/** A day no service reaches: services never online are never available. */
const never = "toDate('2149-06-06')"

function planTakeUp(spec: QuerySpec, reference: Reference): Plan {
  const { filters, by, series } = spec
  const params: Record<string, unknown> = {
    from: filters.from,
    to: filters.to,
    service_codes: reference.services.map((service) => service.code),
    service_categories: reference.services.map((service) => service.category),
    online_since: reference.services.map((service) => service.onlineSince ?? '2149-06-06'),
  }
  const conditions = [...dimensionConditions(filters, reference, params), ...asOfConditions(spec, params)]
  const available = `occurred_on >= transform(service_code, {service_codes:Array(String)}, {online_since:Array(Date)}, ${never})`
  const keys = [...(series ? ['period'] : []), ...by]
  const [low, high] = wilson('numerator', 'denominator', dispersionOf(spec, params))
  const sql = `
    WITH ${onlineChannels}
    SELECT ${[
      ...(series ? [`${periodOf(filters.interval, 'occurred_on')} AS period`] : []),
      ...by.map(selectDimension),
      `countIf(status = 'completed' AND ${available} AND has(online_channels, channel)) AS numerator`,
      `countIf(status = 'completed' AND ${available}) AS denominator`,
      'numerator / nullIf(denominator, 0) AS value',
      `${low} AS ci_low`,
      `${high} AS ci_high`,
      'denominator AS base',
      'count() AS transactions',
    ].join(',\n           ')}
    FROM events
    WHERE ${['occurred_on BETWEEN {from:Date} AND {to:Date}', ...conditions].join(' AND ')}
    ${keys.length ? `GROUP BY ${keys.join(', ')} ORDER BY ${keys.join(', ')}` : ''}`
  return { sql: suppress(sql, spec, params, true), params, source: 'events' }
}

export const digitalTakeUp: Metric = {
  id: 'digital_take_up',
  kind: 'events',
  names: { kk: 'Цифрлық қолдану', ru: 'Цифровой охват', en: 'Digital take-up' },
  definition: {
    kk: 'Сол күні онлайн алуға болатын қызметтердің аяқталған транзакцияларының ішінде онлайн аяқталғандар үлесі.',
    ru: 'Доля завершённых онлайн среди завершённых транзакций услуг, которые в тот день можно было получить онлайн.',
    en: 'Of completed transactions of services that could be received online on their day, the share completed online.',
  },
  unit: 'share',
  higherIsBetter: true,
  breakdowns: [...eventBreakdowns],
  plan: planTakeUp,
}
