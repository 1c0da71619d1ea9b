// Regions on 2024 boundaries: a parent's events before 8 June 2022 attributed, through their district, to the region
// their territory is in since (Abai, Zhetisu, Ulytau), so that series on both sides of the split compare.
import type { Dimension, Measure } from '@qyzmet/sql'
import { rawMeasures } from '@qyzmet/sql'
import { addDays, format, parseISO } from 'date-fns'
import type { Filters } from '../contract/index.ts'
import type { Reference } from '../reference.ts'
import { type Piece, piecesSource, planPieces } from './sources.ts'
import { dimensionConditions } from './sql.ts'
import type { QuerySpec } from './types.ts'

export type { Boundaries } from './population.ts'

/** Metrics whose plan can put a parent's earlier events on 2024 boundaries (those planned by events.ts). */
export const offersBoundaries = new WeakSet<object>()

const dayBefore = (day: string) => format(addDays(parseISO(day), -1), 'yyyy-MM-dd')

/** The day the new regions began and the regions they were split from, as the reference has them. */
export function splitOf(reference: Reference): { day: string; parents: string[] } | null {
  const children = reference.regions.filter((region) => region.splitFrom && region.validFrom)
  if (children.length === 0) return null
  const day = children.map((region) => region.validFrom as string).sort()[0] as string
  return { day, parents: [...new Set(children.map((region) => region.splitFrom))].sort() }
}

/**
 * Whether 2024 boundaries change the answer: asked, the rows are by region or filtered by it, and the range starts
 * before the split. Otherwise rows of the time are already rows of 2024.
 */
export function attributes(spec: QuerySpec, reference: Reference): boolean {
  const split = splitOf(reference)
  return (
    spec.boundaries === '2024' &&
    split !== null &&
    spec.filters.from < split.day &&
    (spec.by.includes('region') || spec.filters.regions.length > 0) &&
    concernedParents(spec.filters.regions, reference, split.parents).length > 0
  )
}

/**
 * The districts a parent's earlier events are attributed through, as one SQL value: (codes, regions of 2024), the
 * codes of the time before the split whose territory the reform did not divide.
 */
const attributionMap = `(SELECT (groupArray(code), groupArray(region_2024)) FROM (
    SELECT code, region_2024 FROM districts FINAL
    WHERE region IN {b_parents:Array(String)} AND valid_to < {b_split:Date} AND region_2024 != '' ORDER BY code))`

/** An event's region of 2024: its district's, when it is a parent's event before the split with a known district. */
const attributedRegion = `if(region IN {b_parents:Array(String)} AND occurred_on < {b_split:Date},
    transform(district, b_map.1, b_map.2, region), region)`

/** Left with its parent: a parent's event before the split whose district does not say where it belongs. */
const leftWithParent =
  'region IN {b_parents:Array(String)} AND occurred_on < {b_split:Date} AND NOT has(b_map.1, district)'

/**
 * The columns a measure, a dimension or a filter may read: not the identifiers and keys, whose strings would cost
 * more to read than everything else (bench/results/boundaries-*.md).
 */
const eventColumns =
  'region, district, occurred_on, channel, service_code, assisted_by, office_id, status, processing_seconds, age_band, gender, satisfaction, ingested_at'

/** The parents whose earlier events can reach an answer filtered to these regions (all of them when unfiltered). */
function concernedParents(regions: readonly string[], reference: Reference, parents: readonly string[]): string[] {
  if (regions.length === 0) return [...parents]
  return parents.filter(
    (parent) =>
      regions.includes(parent) ||
      reference.regions.some((child) => child.splitFrom === parent && regions.includes(child.code)),
  )
}

/** piecesSource with its own date parameters, so that two sources can sit in one query. */
function prefixedSource(
  prefix: string,
  pieces: readonly Piece[],
  columns: readonly string[],
  measures: readonly Measure[],
  conditions: readonly string[],
  params: Record<string, unknown>,
): string {
  const own: Record<string, unknown> = {}
  const source = piecesSource(pieces, columns, measures, conditions, own)
  let from = source.from
  for (const [name, value] of Object.entries(own)) {
    params[`${prefix}${name}`] = value
    from = from.replaceAll(`{${name}:`, `{${prefix}${name}:`)
  }
  return `SELECT ${[`${source.date} AS day`, ...columns, ...measures.map((m) => `${source.measureSql[m]} AS ${m}`), '0 AS unattributed'].join(', ')}
      FROM ${from}
      GROUP BY ${['day', ...columns].join(', ')}`
}

export interface AttributedInput {
  /** The dimensions stored (null: raw events only, as for a release's cut-off or an office). */
  dimensions: readonly Dimension[] | null
  range: { from: string; to: string }
  needs: { processing: boolean; byMonth: boolean }
  columns: readonly string[]
  measures: readonly Measure[]
  conditions: readonly string[]
  params: Record<string, unknown>
  reference: Reference
  /** The regions the answer is filtered to (none: all). */
  regions: readonly string[]
}

/**
 * Rows on 2024 boundaries with the same columns as a rollup's, plus `unattributed` (a parent's earlier events left
 * with it): other regions' rows and the parents' rows from the split on come from the rollups as usual; the parents'
 * rows before it from raw events, where the district is, each with its region of 2024. The dimension filters apply
 * after attribution, so that `region=10` finds Abai's earlier events under East Kazakhstan.
 */
export function attributedSource(input: AttributedInput): { from: string; date: string; pieces: Piece[] } {
  const { range, columns, measures, conditions, params, reference } = input
  const split = splitOf(reference)
  if (!split) throw new Error('no region was split: nothing to attribute')
  params.b_parents = split.parents
  params.b_split = split.day
  params.b_concerned = concernedParents(input.regions, reference, split.parents)
  const branches: string[] = []
  const others = planPieces(input.dimensions, range, input.needs)
  branches.push(
    prefixedSource(
      'ba_',
      others,
      columns,
      measures,
      [...conditions, 'region NOT IN {b_parents:Array(String)}'],
      params,
    ),
  )
  // Dates as ISO strings: the later of the two (Math.max would not compare strings).
  const later = [range.from, split.day].sort()[1] as string
  const after = range.to >= split.day ? { from: later, to: range.to } : null
  const parentsAfter = after ? planPieces(input.dimensions, after, input.needs) : []
  if (after)
    branches.push(
      prefixedSource(
        'bb_',
        parentsAfter,
        columns,
        measures,
        [...conditions, 'region IN {b_parents:Array(String)}'],
        params,
      ),
    )
  params.b_to = range.to < split.day ? range.to : dayBefore(split.day)
  params.b_from = range.from
  const raw = rawMeasures()
  branches.push(`
      WITH ${attributionMap} AS b_map
      SELECT ${['occurred_on AS day', ...columns, ...measures.map((m) => `${raw[m]} AS ${m}`), 'countIf(left_with_parent) AS unattributed'].join(', ')}
      FROM (
        -- Renamed a layer up: an alias named region would also stand for the column in this layer's WHERE.
        SELECT * REPLACE (attributed_region AS region) FROM (
          SELECT ${eventColumns}, ${attributedRegion} AS attributed_region, ${leftWithParent} AS left_with_parent
          FROM events
          WHERE region IN {b_concerned:Array(String)} AND occurred_on BETWEEN {b_from:Date} AND {b_to:Date}))
      WHERE ${conditions.length ? conditions.join(' AND ') : '1'}
      GROUP BY ${['occurred_on', ...columns].join(', ')}`)
  return {
    from: `(${branches.join('\n      UNION ALL\n      ')})`,
    date: 'day',
    pieces: [...others, ...parentsAfter, { rollup: null, from: range.from, to: params.b_to as string }],
  }
}

export interface UnattributedCount {
  /** The parent the events stayed with. */
  region: string
  /** Its events before the split, in the answer's range and filters, that could not be attributed (null: withheld). */
  events: number | null
  /** Of them: without a district code. */
  noDistrict: number | null
  /** With the code of a district the reform divided (its part cannot be told from the code). */
  divided: number | null
  /** With a code the districts table does not know. */
  unknown: number | null
}

/**
 * The query counting, for each parent the answer concerns, its events before the split left with it: those the
 * answer could not attribute. Filtered as the answer is but for the region, which is the parent's.
 */
export function unattributedPlan(
  filters: Filters,
  reference: Reference,
  asOf?: string,
): { sql: string; params: Record<string, unknown> } | null {
  const split = splitOf(reference)
  if (!split || filters.from >= split.day) return null
  const concerned = concernedParents(filters.regions, reference, split.parents)
  if (concerned.length === 0) return null
  const params: Record<string, unknown> = {
    b_parents: split.parents,
    b_split: split.day,
    b_concerned: concerned,
    b_from: filters.from,
    b_to: filters.to < split.day ? filters.to : dayBefore(split.day),
  }
  const conditions = dimensionConditions({ ...filters, regions: [] }, reference, params)
  if (asOf) {
    params.as_of = asOf
    conditions.push("ingested_at <= parseDateTime64BestEffort({as_of:String}, 3, 'UTC')")
  }
  const divided = `(SELECT groupArray(code) FROM districts FINAL
    WHERE region IN {b_parents:Array(String)} AND valid_to < {b_split:Date} AND region_2024 = '')`
  const sql = `
    WITH ${attributionMap} AS b_map, ${divided} AS b_divided
    SELECT region,
           countIf(NOT has(b_map.1, district)) AS events,
           countIf(district = '') AS no_district,
           countIf(has(b_divided, district)) AS divided,
           countIf(district != '' AND NOT has(b_map.1, district) AND NOT has(b_divided, district)) AS unknown
    FROM events
    WHERE ${['region IN {b_concerned:Array(String)}', 'occurred_on BETWEEN {b_from:Date} AND {b_to:Date}', ...conditions].join(' AND ')}
    GROUP BY region ORDER BY region`
  return { sql, params }
}

/** Public answers: a count below the threshold is withheld (null), as any other figure. */
export function withheldBelow(count: number, threshold: number | undefined): number | null {
  return threshold && count > 0 && count < threshold ? null : count
}
