// Age divide standardised for service mix: per service, the self-service online share of 18–29 minus that of 65+,
// weighted by the service's completed transactions; completed transactions of unknown age are counted beside it.
// Whole months from the rollup by month, region and service that keeps the age counts; other days from raw events.
import type { Reference } from '../reference.ts'
import { planServiceMonths, sourceOf } from './sources.ts'
import {
  asOfConditions,
  dimensionConditions,
  filteredDimensions,
  noValue,
  periodOf,
  selectDimension,
  storageColumn,
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
  const months = planServiceMonths(
    {
      storage: [...by, ...filteredDimensions(filters)].map((d) =>
        d === 'category' ? 'service_code' : storageColumn[d],
      ),
      from: filters.from,
      to: filters.to,
      byMonth: !spec.forceDaily && (!series || ['month', 'quarter', 'year'].includes(filters.interval)),
      raw: Boolean(spec.forceRaw || spec.asOf),
    },
    'completed_young',
  )
  const columns = [...new Set(['service_code', ...by.map((d) => storageColumn[d])])]
  const raw = (within: string) => `
      SELECT ${['occurred_on AS day', ...columns, ...Object.entries(rawCounts).map(([name, sql]) => `${sql} AS ${name}`)].join(', ')}
      FROM events WHERE ${[within, ...conditions].join(' AND ')}
      GROUP BY ${['day', ...columns].join(', ')}`
  const branches = months
    ? [
        `SELECT ${['month AS day', ...columns, ...Object.entries(rolledCounts).map(([name, column]) => `${column} AS ${name}`)].join(', ')}
      FROM ${months.rollup.table}
      WHERE ${['month BETWEEN {months_from:Date} AND {months_to:Date}', ...conditions].join(' AND ')}`,
        ...(months.edges.length && months.days
          ? [
              `SELECT ${['day', ...columns, ...Object.entries(rolledCounts).map(([name, column]) => `${column} AS ${name}`)].join(', ')}
      FROM ${months.days.table}
      WHERE ${[`(${edgeConditions(months.edges, params, 'day').join(' OR ')})`, ...conditions].join(' AND ')}`,
            ]
          : []),
        ...(months.edges.length && !months.days
          ? [raw(`(${edgeConditions(months.edges, params, 'occurred_on').join(' OR ')})`)]
          : []),
      ]
    : [raw('occurred_on BETWEEN {from:Date} AND {to:Date}')]
  if (months) {
    params.months_from = months.months.from
    params.months_to = months.months.to
  }
  // Each (row, service): the two groups' counts; a service counts where both groups completed something in it.
  const inner = `
    SELECT ${[
      ...(series ? [`${periodOf(filters.interval, 'day')} AS period`] : []),
      ...by.map(selectDimension),
      'service_code',
      ...Object.keys(rawCounts).map((name) => `sum(${name}) AS ${name}`),
    ].join(',\n           ')}
    FROM (${branches.join('\n      UNION ALL\n      ')})
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
  return {
    sql: suppressCount(suppress(sql, spec, params, false), spec, 'unknown_age'),
    params,
    source: sourceOf(months),
  }
}

/** Each edge of the range as a condition on a date column, its days as parameters. */
function edgeConditions(
  edges: { from: string; to: string }[],
  params: Record<string, unknown>,
  date: string,
): string[] {
  return edges.map((edge, index) => {
    params[`edge_from_${index}`] = edge.from
    params[`edge_to_${index}`] = edge.to
    return `${date} BETWEEN {edge_from_${index}:Date} AND {edge_to_${index}:Date}`
  })
}

/** Each (day, row, service)'s counts from raw events, and the rollup columns (0044_age_measures.sql) that hold them. */
const rawCounts = {
  young: `countIf(${completed} AND age_band = '18-29')`,
  young_self: `countIf(${selfOnline} AND age_band = '18-29')`,
  old: `countIf(${completed} AND age_band = '65+')`,
  old_self: `countIf(${selfOnline} AND age_band = '65+')`,
  weight: `countIf(${completed})`,
  unknown: `countIf(${completed} AND age_band = 'unknown')`,
  row_count: 'count()',
}
const rolledCounts: Record<keyof typeof rawCounts, string> = {
  young: 'completed_young',
  young_self: 'completed_young_self',
  old: 'completed_old',
  old_self: 'completed_old_self',
  weight: 'completed',
  unknown: 'completed_unknown_age',
  row_count: 'transactions',
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
