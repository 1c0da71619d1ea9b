// Indicators in the store: drafts, publishing (a release, releases.ts) and the versions published.
import type { Store } from '@qyzmet/sql'
import type { Indicator, IndicatorBody, Names, PublishedBreakdown } from './contract/index.ts'
import { requireMetric } from './metrics/index.ts'
import { parseFilters } from './query/filters.ts'
import { type Published, publishRelease, type ReleaseContext } from './releases.ts'
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

/** Computes the indicator's figures, applies disclosure control and freezes them as the next release. */
export async function publishIndicator(
  store: Store,
  context: ReleaseContext,
  definition: Indicator,
  note: Names,
  by: string,
): Promise<Published> {
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
  return publishRelease(store, context, definition, metric, filters, note, by)
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
  /** What the release recorded (empty for versions published before releases were recorded). */
  methodology_version: string
  data_hash: string
  data_rows: string
  rows_cutoff: string | null
  suppress_below: string
  suppressed_primary: string
  suppressed_secondary: string
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
              -- Versions published before releases were recorded keep the number they always had.
              toString(if(rel.release > 0, rel.release, row_number() OVER (ORDER BY v.published_at, v.indicator_id, v.version))) AS release,
              rel.methodology_version AS methodology_version, rel.data_hash AS data_hash,
              toString(rel.data_rows) AS data_rows, if(rel.release > 0, toString(rel.rows_cutoff), NULL) AS rows_cutoff,
              toString(rel.suppress_below) AS suppress_below, toString(rel.suppressed_primary) AS suppressed_primary,
              toString(rel.suppressed_secondary) AS suppressed_secondary
       FROM indicator_versions AS v FINAL
       LEFT JOIN releases AS rel ON rel.indicator_id = v.indicator_id AND rel.version = v.version
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
