// Digital take-up (as GOV.UK defines it): of completed transactions of services that could be received online on
// their day, the share completed online. Whole months from a monthly rollup by service, the rest from raw events.
import { onlineChannels } from '@qyzmet/sql'
import type { Reference } from '../reference.ts'
import { eventBreakdowns } from './events.ts'
import { planServiceMonths, sourceOf } from './sources.ts'
import {
  asOfConditions,
  dimensionConditions,
  dispersionOf,
  filteredDimensions,
  periodOf,
  selectDimension,
  storageColumn,
  suppress,
  wilson,
} from './sql.ts'
import type { Metric, Plan, QuerySpec } from './types.ts'

/** A day no service reaches: services never online are never available. */
const never = "toDate('2149-06-06')"

function planTakeUp(spec: QuerySpec, reference: Reference): Plan {
  const { filters, by, series } = spec
  const storage = [...by, ...filteredDimensions(filters)].map((d) =>
    d === 'category' ? 'service_code' : storageColumn[d],
  )
  const months = planServiceMonths({
    storage,
    from: filters.from,
    to: filters.to,
    byMonth: !spec.forceDaily && (!series || ['month', 'quarter', 'year'].includes(filters.interval)),
    raw: Boolean(spec.forceRaw || spec.asOf),
  })
  const params: Record<string, unknown> = {
    from: filters.from,
    to: filters.to,
    service_codes: reference.services.map((service) => service.code),
    service_categories: reference.services.map((service) => service.category),
    online_since: reference.services.map((service) => service.onlineSince ?? '2149-06-06'),
  }
  const conditions = [...dimensionConditions(filters, reference, params), ...asOfConditions(spec, params)]
  const keys = [...(series ? ['period'] : []), ...by]
  const [low, high] = wilson('numerator', 'denominator', dispersionOf(spec, params))
  const counts = months
    ? ['sum(available_online) AS numerator', 'sum(available) AS denominator']
    : [
        `countIf(status = 'completed' AND ${availableOn('occurred_on')} AND has(online_channels, channel)) AS numerator`,
        `countIf(status = 'completed' AND ${availableOn('occurred_on')}) AS denominator`,
      ]
  const from = months
    ? `(${monthBranches(months, by, conditions, params, reference).join('\n      UNION ALL\n      ')})`
    : `events WHERE ${['occurred_on BETWEEN {from:Date} AND {to:Date}', ...conditions].join(' AND ')}`
  const sql = `
    WITH ${onlineChannels}
    SELECT ${[
      ...(series ? [`${periodOf(filters.interval, months ? 'day' : 'occurred_on')} AS period`] : []),
      ...by.map(selectDimension),
      ...counts,
      'numerator / nullIf(denominator, 0) AS value',
      `${low} AS ci_low`,
      `${high} AS ci_high`,
      'denominator AS base',
      `${months ? 'sum(transactions)' : 'count()'} AS transactions`,
    ].join(',\n           ')}
    FROM ${from}
    ${keys.length ? `GROUP BY ${keys.join(', ')} ORDER BY ${keys.join(', ')}` : ''}`
  return { sql: suppress(sql, spec, params, true), params, source: sourceOf(months) }
}

/** Whether the row's service could be received online on the date: from its day in the register on. */
const availableOn = (date: string) =>
  `${date} >= transform(service_code, {service_codes:Array(String)}, {online_since:Array(Date)}, ${never})`

/**
 * The rows of a range planned by months, with the same columns: the rollup's months (a service counts in a month it
 * was online on the first day of), the raw days of each month in which a service went online, from that day, and the
 * raw days outside whole months. Transactions are counted once, in the rollup's rows and the edges' days.
 */
function monthBranches(
  months: NonNullable<ReturnType<typeof planServiceMonths>>,
  by: QuerySpec['by'],
  conditions: string[],
  params: Record<string, unknown>,
  reference: Reference,
): string[] {
  const columns = [...new Set(by.map((d) => (d === 'category' ? 'service_code' : storageColumn[d])))]
  params.months_from = months.months.from
  params.months_to = months.months.to
  const raw = (transactions: string, within: string[]) => `
      SELECT ${['occurred_on AS day', ...columns, `${transactions} AS transactions`].join(', ')},
             countIf(status = 'completed' AND ${availableOn('occurred_on')}) AS available,
             countIf(status = 'completed' AND ${availableOn('occurred_on')} AND has(online_channels, channel)) AS available_online
      FROM events WHERE ${[`(${within.join(' OR ')})`, ...conditions].join(' AND ')}
      GROUP BY ${['day', ...columns].join(', ')}`
  const branches = [
    `SELECT ${['month AS day', ...columns, 'transactions'].join(', ')},
             if(${availableOn('month')}, completed, 0) AS available,
             if(${availableOn('month')}, completed_online, 0) AS available_online
      FROM ${months.rollup.table}
      WHERE ${['month BETWEEN {months_from:Date} AND {months_to:Date}', ...conditions].join(' AND ')}`,
  ]
  const edges = months.edges.map((edge, index) => {
    params[`edge_from_${index}`] = edge.from
    params[`edge_to_${index}`] = edge.to
    return `occurred_on BETWEEN {edge_from_${index}:Date} AND {edge_to_${index}:Date}`
  })
  // The edges' days from the daily rollup by service when it holds the request's dimensions, each day's availability
  // known exactly; otherwise from raw events.
  if (edges.length && months.days)
    branches.push(`SELECT ${['day', ...columns, 'transactions'].join(', ')},
             if(${availableOn('day')}, completed, 0) AS available,
             if(${availableOn('day')}, completed_online, 0) AS available_online
      FROM ${months.days.table}
      WHERE ${[`(${edges.map((edge) => edge.replaceAll('occurred_on', 'day')).join(' OR ')})`, ...conditions].join(' AND ')}`)
  else if (edges.length) branches.push(raw('count()', edges))
  // A service that went online after the first day of a whole month: that month's days from then on, from raw events.
  const transitions = reference.services.filter((service) => {
    const since = service.onlineSince
    return since && since > months.months.from && since <= months.months.to && !since.endsWith('-01')
  })
  const within = transitions.map((service, index) => {
    const since = service.onlineSince as string
    params[`went_online_${index}`] = service.code
    params[`went_online_from_${index}`] = since
    params[`went_online_to_${index}`] = endOfMonthOf(since)
    return `(service_code = {went_online_${index}:String} AND occurred_on BETWEEN {went_online_from_${index}:Date} AND {went_online_to_${index}:Date})`
  })
  if (within.length) branches.push(raw('toUInt64(0)', within))
  return branches
}

const endOfMonthOf = (day: string) => {
  const [year, month] = day.split('-').map(Number) as [number, number]
  return new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10)
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
