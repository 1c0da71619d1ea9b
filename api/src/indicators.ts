// Defining and publishing indicators, shared by the routes and the demo's start-up.
import { type Store, withLease } from '@qyzmet/sql'
import { parseFilters, type QueryInput } from './query/filters.ts'
import { metricById } from './query/metrics.ts'
import { plan } from './query/plan.ts'
import { runRows } from './query/run.ts'
import type { Names, Reference } from './reference.ts'

export interface IndicatorDefinition {
  metric: string
  filters?: Record<string, string>
  interval: string
  title: Names
  methodology: Names
}

export function saveIndicator(store: Store, id: string, body: IndicatorDefinition, by: string): Promise<void> {
  return store.command(
    'indicators:save',
    `INSERT INTO indicators (id, metric, filters, interval, title_kk, title_ru, title_en, methodology_kk, methodology_ru, methodology_en, created_by)
     VALUES ({id:String}, {metric:String}, {filters:String}, {interval:String}, {tk:String}, {tr:String}, {te:String}, {mk:String}, {mr:String}, {me:String}, {by:String})`,
    {
      id,
      metric: body.metric,
      filters: JSON.stringify(body.filters ?? {}),
      interval: body.interval,
      tk: body.title.kk,
      tr: body.title.ru,
      te: body.title.en,
      mk: body.methodology.kk,
      mr: body.methodology.ru,
      me: body.methodology.en,
      by,
    },
  )
}

/** Computes the indicator's series (public suppression applied) and freezes it as the next version. */
export async function publishIndicator(
  store: Store,
  context: { reference: Reference; today: string; suppressBelow: number },
  id: string,
  definition: IndicatorDefinition & { id: string },
  note: Names,
  by: string,
): Promise<{ version: number; periods: number }> {
  const metric = metricById(definition.metric)
  if (!metric) throw new Error(`unknown metric ${definition.metric}`)
  const filters = parseFilters(
    { period: 'all', ...definition.filters, interval: definition.interval } as QueryInput,
    context,
  )
  const spec = { metric, filters, by: [], series: true, suppressBelow: context.suppressBelow }
  const rows = await runRows(store, plan(spec, context.reference), 'indicators:publish')
  // Two publishes of one indicator at once (two API replicas, two analysts) must not take the same version.
  return withLease(store, `indicator:${id}`, () => freeze(store, id, definition, filters, rows, note, by), {
    waitMs: store.config.queryTimeout * 1000,
  })
}

/** Numbers the release after the newest one and stores its values and its version row. */
async function freeze(
  store: Store,
  id: string,
  definition: IndicatorDefinition & { id: string },
  filters: unknown,
  rows: Awaited<ReturnType<typeof runRows>>,
  note: Names,
  by: string,
): Promise<{ version: number; periods: number }> {
  const [count] = await store.rows<{ n: string }>(
    'indicators:count',
    'SELECT count() AS n FROM indicator_versions FINAL WHERE indicator_id = {id:String}',
    { id },
  )
  const version = Number(count?.n ?? 0) + 1
  if (rows.length > 0) {
    await store.insert(
      'indicators:values',
      'indicator_values',
      rows.map((row) => ({
        indicator_id: id,
        version,
        period: row.period,
        value: row.value,
        ci_low: row.ci_low,
        ci_high: row.ci_high,
        transactions: row.transactions ?? 0,
        suppressed: row.suppressed ? 1 : 0,
      })),
    )
  }
  await store.command(
    'indicators:version',
    `INSERT INTO indicator_versions (indicator_id, version, published_by, definition, note_kk, note_ru, note_en)
     VALUES ({id:String}, {version:UInt32}, {by:String}, {definition:String}, {kk:String}, {ru:String}, {en:String})`,
    {
      id,
      version,
      by,
      definition: JSON.stringify({ ...definition, resolvedFilters: filters }),
      kk: note.kk,
      ru: note.ru,
      en: note.en,
    },
  )
  return { version, periods: rows.length }
}
