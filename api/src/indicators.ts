// Indicators in the store: drafts, and publishing, which freezes the current values (public suppression applied).
import { type Store, withLease } from '@qyzmet/sql'
import type { Indicator, IndicatorBody, Names, PublishedBreakdown } from './contract/index.ts'
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
  breakdowns: string[]
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
  ...(row.breakdowns.length > 0 ? { breakdowns: row.breakdowns as PublishedBreakdown[] } : {}),
  title: { kk: row.title_kk, ru: row.title_ru, en: row.title_en },
  methodology: { kk: row.methodology_kk, ru: row.methodology_ru, en: row.methodology_en },
})

export async function loadDrafts(store: Store, id?: string): Promise<Indicator[]> {
  const rows = await store.rows<IndicatorRow>(
    'indicators:drafts',
    `SELECT id, metric, scope, interval, toString(series_from) AS series_from, toString(series_to) AS series_to, breakdowns,
            title_kk, title_ru, title_en, methodology_kk, methodology_ru, methodology_en
     FROM indicators FINAL WHERE deleted = 0 ${id === undefined ? '' : 'AND id = {id:String}'} ORDER BY id`,
    { id },
  )
  return rows.map(shape)
}

export function saveIndicator(store: Store, id: string, body: IndicatorBody, by: string): Promise<void> {
  return store.command(
    'indicators:save',
    `INSERT INTO indicators (id, metric, scope, filters, interval, series_from, series_to, breakdowns, title_kk, title_ru,
                             title_en, methodology_kk, methodology_ru, methodology_en, created_by)
     VALUES ({id:String}, {metric:String}, {scope:Map(String, Array(String))}, '', {interval:String},
             {from:Nullable(Date)}, {to:Nullable(Date)}, {breakdowns:Array(String)}, {tk:String}, {tr:String}, {te:String},
             {mk:String}, {mr:String}, {me:String}, {by:String})`,
    {
      id,
      metric: body.metric,
      scope: body.filters ?? {},
      interval: body.interval,
      from: body.from ?? null,
      to: body.to ?? null,
      breakdowns: body.breakdowns ?? [],
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
  const breakdowns: Breakdown[] = []
  for (const dimension of definition.breakdowns ?? []) {
    const cells = await runRows(
      store,
      plan({ ...spec, by: [dimension] }, context.reference),
      `indicators:publish:${dimension}`,
    )
    breakdowns.push({ dimension, cells })
  }
  // Two publishes of one indicator at once (two API replicas, two analysts) must not take the same version.
  return withLease(store, `indicator:${id}`, () => freeze(store, definition, filters, rows, breakdowns, note, by), {
    waitMs: store.config.queryTimeout * 1000,
  })
}

/** A published breakdown's cells (public suppression applied, like the series). */
interface Breakdown {
  dimension: PublishedBreakdown
  cells: Awaited<ReturnType<typeof runRows>>
}

/** Numbers the release after the newest one and stores its values and its version row. */
async function freeze(
  store: Store,
  definition: Indicator,
  filters: unknown,
  rows: Awaited<ReturnType<typeof runRows>>,
  breakdowns: Breakdown[],
  note: Names,
  by: string,
): Promise<{ version: number; periods: number }> {
  const { id } = definition
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
        provisional: row.provisional ? 1 : 0,
      })),
    )
  }
  for (const { dimension, cells } of breakdowns) {
    if (cells.length === 0) continue
    await store.insert(
      'indicators:breakdowns',
      'indicator_breakdowns',
      cells.map((cell) => ({
        indicator_id: id,
        version,
        dimension,
        code: String(cell[dimension] ?? ''),
        period: cell.period,
        value: cell.value,
        ci_low: cell.ci_low,
        ci_high: cell.ci_high,
        transactions: cell.suppressed ? null : (cell.transactions ?? 0),
        suppressed: cell.suppressed ? 1 : 0,
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

export interface VersionRow {
  indicator_id: string
  version: number
  published_at: string
  /** The day of publication in the deployment's time zone. */
  published_on: string
  definition: string
  note_kk: string
  note_ru: string
  note_en: string
  revised: string
  /** The release: every publication of any indicator is the next release, numbered from 1. */
  release: string
}

/** The frozen definition of a version, as it was published (older versions stored `filters` as strings). */
export function definitionOf(row: VersionRow): Indicator {
  const stored = JSON.parse(row.definition) as Indicator & { filters?: Record<string, unknown> }
  const filters = Object.fromEntries(
    Object.entries(stored.filters ?? {})
      .filter(([name]) =>
        ['region', 'channel', 'service', 'category', 'age_band', 'gender', 'assisted_by'].includes(name),
      )
      .map(([name, value]) => [name, Array.isArray(value) ? value : String(value).split(',')]),
  )
  const { id, metric, interval, from, to, title, methodology, breakdowns } = stored
  return {
    id,
    metric,
    interval,
    filters,
    title,
    methodology,
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
    ...(breakdowns?.length ? { breakdowns } : {}),
  }
}

/** Versions (of one indicator, or all) with their release number and how many periods each changed against the one before it. */
export function loadVersions(store: Store, id?: string): Promise<VersionRow[]> {
  return store.rows<VersionRow>(
    'indicators:versions',
    `SELECT * FROM (
       SELECT v.indicator_id AS indicator_id, v.version AS version, toString(v.published_at) AS published_at,
              toString(toDate(v.published_at, {tz:String})) AS published_on,
              v.definition AS definition, v.note_kk AS note_kk, v.note_ru AS note_ru, v.note_en AS note_en,
              toString(ifNull(r.revised, 0)) AS revised,
              toString(row_number() OVER (ORDER BY v.published_at, v.indicator_id, v.version)) AS release
       FROM indicator_versions AS v FINAL
       LEFT JOIN (
         SELECT a.indicator_id AS indicator_id, a.version AS version, countIf(NOT isNotDistinctFrom(a.value, b.value)) AS revised
         FROM (SELECT indicator_id, version, period, value FROM indicator_values FINAL) AS a
         LEFT JOIN (SELECT indicator_id, version + 1 AS version, period, value FROM indicator_values FINAL) AS b
           ON a.indicator_id = b.indicator_id AND a.version = b.version AND a.period = b.period
         WHERE a.version > 1
         GROUP BY a.indicator_id, a.version
       ) AS r ON r.indicator_id = v.indicator_id AND r.version = v.version
     ) ${id === undefined ? '' : 'WHERE indicator_id = {id:String}'} ORDER BY indicator_id, version`,
    { id, tz: store.config.timezone },
  )
}
