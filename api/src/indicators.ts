// Indicators in the store: drafts, and publishing, which freezes the current values (public suppression applied).
import type { Store } from '@qyzmet/sql'
import type { Indicator, IndicatorBody, Names } from './contract/index.ts'
import { plan, requireMetric } from './metrics/index.ts'
import { parseFilters } from './query/filters.ts'
import { runRows } from './query/run.ts'
import type { Reference } from './reference.ts'
import { scopeFromMap } from './targets/store.ts'

interface IndicatorRow {
  id: string
  metric: string
  scope: Record<string, string[]>
  interval: Indicator['interval']
  series_from: string | null
  series_to: string | null
  title_kk: string
  title_ru: string
  title_en: string
  methodology_kk: string
  methodology_ru: string
  methodology_en: string
}

const shape = (row: IndicatorRow): Indicator => ({
  id: row.id,
  metric: row.metric,
  filters: scopeFromMap(row.scope),
  interval: row.interval,
  ...(row.series_from ? { from: row.series_from } : {}),
  ...(row.series_to ? { to: row.series_to } : {}),
  title: { kk: row.title_kk, ru: row.title_ru, en: row.title_en },
  methodology: { kk: row.methodology_kk, ru: row.methodology_ru, en: row.methodology_en },
})

export async function loadDrafts(store: Store, id?: string): Promise<Indicator[]> {
  const rows = await store.rows<IndicatorRow>(
    'indicators:drafts',
    `SELECT id, metric, scope, interval, toString(series_from) AS series_from, toString(series_to) AS series_to,
            title_kk, title_ru, title_en, methodology_kk, methodology_ru, methodology_en
     FROM indicators FINAL WHERE deleted = 0 ${id === undefined ? '' : 'AND id = {id:String}'} ORDER BY id`,
    { id },
  )
  return rows.map(shape)
}

export function saveIndicator(store: Store, id: string, body: IndicatorBody, by: string): Promise<void> {
  return store.command(
    'indicators:save',
    `INSERT INTO indicators (id, metric, scope, filters, interval, series_from, series_to, title_kk, title_ru, title_en,
                             methodology_kk, methodology_ru, methodology_en, created_by)
     VALUES ({id:String}, {metric:String}, {scope:Map(String, Array(String))}, '', {interval:String},
             {from:Nullable(Date)}, {to:Nullable(Date)}, {tk:String}, {tr:String}, {te:String},
             {mk:String}, {mr:String}, {me:String}, {by:String})`,
    {
      id,
      metric: body.metric,
      scope: body.filters ?? {},
      interval: body.interval,
      from: body.from ?? null,
      to: body.to ?? null,
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
  definition: Indicator,
  note: Names,
  by: string,
): Promise<{ version: number; periods: number }> {
  const { id } = definition
  const metric = requireMetric(definition.metric)
  const filters = parseFilters(
    {
      ...definition.filters,
      from: definition.from ?? context.reference.firstDay,
      ...(definition.to ? { to: definition.to } : {}),
      interval: definition.interval,
    },
    context,
  )
  const spec = { metric, filters, by: [], series: true, today: context.today, suppressBelow: context.suppressBelow }
  const rows = await runRows(store, plan(spec, context.reference), 'indicators:publish')
  const [count] = await store.rows<{ n: string }>(
    'indicators:count',
    'SELECT count() AS n FROM indicator_versions FINAL WHERE indicator_id = {id:String}',
    { id },
  )
  const version = Number(count?.n ?? 0) + 1
  if (rows.length > 0) {
    await store.client.insert({
      table: 'indicator_values',
      format: 'JSONEachRow',
      values: rows.map((row) => ({
        indicator_id: id,
        version,
        period: row.period,
        value: row.value,
        ci_low: row.ci_low,
        ci_high: row.ci_high,
        transactions: row.transactions ?? 0,
        suppressed: row.suppressed ? 1 : 0,
        provisional: row.provisional ? 1 : 0,
      })),
    })
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
