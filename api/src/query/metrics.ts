// The metric registry: every metric of METHODOLOGY.md defined once, as SQL over the rollups' additive measures.
import type { Measure } from '@qyzmet/sql'
import type { Names } from '../reference.ts'

export const dimensions = [
  'region',
  'channel',
  'service',
  'category',
  'age_band',
  'gender',
  'assisted_by',
  'office',
] as const
export type ApiDimension = (typeof dimensions)[number]

export type Unit = 'count' | 'share' | 'seconds' | 'per_1000'

interface BaseMetric {
  id: string
  names: Names
  unit: Unit
  /** Whether a rise is good news, for colours and "on track" checks. */
  higherIsBetter: boolean
  /** Dimensions a breakdown may use. */
  breakdowns: readonly ApiDimension[]
}

/** A metric over events: outer SQL aggregates over the inner rows' measure columns. */
export interface EventMetric extends BaseMetric {
  kind: 'events'
  measures: readonly Measure[]
  /** Dimensions the formula needs internally (grouped inside, aggregated away outside). */
  requires?: readonly ApiDimension[]
  /** SQL for the value; `population` is an SQL expression for the residents of the row's scope. */
  value: (context: { population: string }) => string
  /** A share: the value is numerator / denominator and carries a Wilson interval. */
  share?: { numerator: string; denominator: string }
  /** Filters the formula cannot take (it sets them itself). */
  excludes?: readonly ApiDimension[]
}

/** Services available online ÷ services in the register, at the end of each period. */
export interface CoverageMetric extends BaseMetric {
  kind: 'coverage'
}

/** Of citizens assisted in a period, the share who later complete a service online by themselves within N days. */
export interface MigrationMetric extends BaseMetric {
  kind: 'migration'
}

export type Metric = EventMetric | CoverageMetric | MigrationMetric

const eventBreakdowns = dimensions
const share = (numerator: string, denominator: string) => ({
  share: { numerator, denominator },
  value: () => `${numerator} / nullIf(${denominator}, 0)`,
})

/** Lower median of a (values, counts) histogram: the first value whose running count reaches half. */
export const histogramMedian = (histogram: string) =>
  `if(arraySum(${histogram}.2) = 0, NULL, ${histogram}.1[arrayFirstIndex(c -> c * 2 >= arraySum(${histogram}.2), arrayCumSum(${histogram}.2))])`

const selfShare = (band: string) =>
  `sumIf(completed_online_self, age_band = '${band}') / nullIf(sumIf(completed, age_band = '${band}'), 0)`

export const metrics: readonly Metric[] = [
  {
    id: 'volume',
    kind: 'events',
    names: { kk: 'Көрсетілген қызметтер', ru: 'Оказано услуг', en: 'Services delivered' },
    unit: 'count',
    higherIsBetter: true,
    breakdowns: eventBreakdowns,
    measures: ['completed'],
    value: () => 'sum(completed)',
  },
  {
    id: 'requests',
    kind: 'events',
    names: { kk: 'Өтінімдер', ru: 'Заявки', en: 'Requests' },
    unit: 'count',
    higherIsBetter: true,
    breakdowns: eventBreakdowns,
    measures: ['transactions'],
    value: () => 'sum(transactions)',
  },
  {
    id: 'online_share',
    kind: 'events',
    names: { kk: 'Онлайн үлесі', ru: 'Доля онлайн', en: 'Online share' },
    unit: 'share',
    higherIsBetter: true,
    breakdowns: eventBreakdowns,
    measures: ['completed', 'completed_online'],
    ...share('sum(completed_online)', 'sum(completed)'),
  },
  {
    id: 'online_share_self',
    kind: 'events',
    names: { kk: 'Өз бетінше онлайн үлесі', ru: 'Доля самостоятельно онлайн', en: 'Self-service online share' },
    unit: 'share',
    higherIsBetter: true,
    breakdowns: eventBreakdowns,
    measures: ['completed', 'completed_online_self'],
    ...share('sum(completed_online_self)', 'sum(completed)'),
  },
  {
    id: 'assisted_digital_share',
    kind: 'events',
    names: { kk: 'Көмекпен онлайн үлесі', ru: 'Доля онлайн с помощью', en: 'Assisted digital share' },
    unit: 'share',
    higherIsBetter: false,
    breakdowns: eventBreakdowns,
    measures: ['completed', 'completed_online', 'completed_online_self'],
    ...share('(sum(completed_online) - sum(completed_online_self))', 'sum(completed)'),
  },
  {
    id: 'completion_rate',
    kind: 'events',
    names: { kk: 'Аяқталу деңгейі', ru: 'Доля завершённых', en: 'Completion rate' },
    unit: 'share',
    higherIsBetter: true,
    breakdowns: eventBreakdowns,
    measures: ['completed', 'rejected', 'cancelled'],
    ...share('sum(completed)', '(sum(completed) + sum(rejected) + sum(cancelled))'),
  },
  {
    id: 'per_capita',
    kind: 'events',
    names: { kk: '1000 тұрғынға', ru: 'На 1000 жителей', en: 'Per 1,000 residents' },
    unit: 'per_1000',
    higherIsBetter: true,
    breakdowns: eventBreakdowns.filter((dimension) => dimension !== 'office'),
    measures: ['completed'],
    value: ({ population }) => `sum(completed) * 1000 / nullIf(${population}, 0)`,
  },
  {
    id: 'processing_time_median',
    kind: 'events',
    names: { kk: 'Өңдеу уақытының медианасы', ru: 'Медиана срока обработки', en: 'Median processing time' },
    unit: 'seconds',
    higherIsBetter: false,
    breakdowns: eventBreakdowns,
    measures: ['completed', 'processing_hist'],
    value: () => histogramMedian('sumMap(processing_hist)'),
  },
  {
    id: 'satisfaction',
    kind: 'events',
    names: { kk: 'Қанағаттану', ru: 'Удовлетворённость', en: 'Satisfaction' },
    unit: 'share',
    higherIsBetter: true,
    breakdowns: eventBreakdowns,
    measures: ['satisfaction_sum', 'satisfaction_count'],
    value: () => '(sum(satisfaction_sum) / nullIf(sum(satisfaction_count), 0) - 1) / 4',
  },
  {
    id: 'age_divide',
    kind: 'events',
    names: { kk: 'Жас алшақтығы', ru: 'Возрастной разрыв', en: 'Age divide' },
    unit: 'share',
    higherIsBetter: false,
    breakdowns: ['region', 'channel', 'gender', 'assisted_by'],
    measures: ['completed', 'completed_online_self'],
    requires: ['age_band'],
    excludes: ['age_band'],
    value: () => `${selfShare('18-29')} - ${selfShare('65+')}`,
  },
  {
    id: 'catalogue_coverage',
    kind: 'coverage',
    names: { kk: 'Каталогтың онлайн қамтылуы', ru: 'Доля услуг, доступных онлайн', en: 'Catalogue coverage' },
    unit: 'share',
    higherIsBetter: true,
    breakdowns: ['category', 'service'],
  },
  {
    id: 'channel_migration',
    kind: 'migration',
    names: { kk: 'Арналық көші-қон', ru: 'Переход в онлайн', en: 'Channel migration' },
    unit: 'share',
    higherIsBetter: true,
    breakdowns: ['region', 'age_band', 'gender', 'assisted_by'],
  },
]

export const metricIds = metrics.map((metric) => metric.id)

/** What clients are told about a metric (in /meta and /metrics): no SQL. */
export function describeMetric({ id, names, unit, higherIsBetter, breakdowns, kind }: Metric) {
  return { id, names, unit, higherIsBetter, breakdowns, kind }
}

export function metricById(id: string): Metric | undefined {
  return metrics.find((metric) => metric.id === id)
}
