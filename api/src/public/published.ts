// What the public may read, from the store: the latest version of every published indicator, its values and
// breakdowns, marked provisional where the period was not over at the data's cut-off. Nothing else is read here.
import type { Store } from '@qyzmet/sql'
import { addDays, endOfMonth, endOfQuarter, endOfYear, format, parseISO } from 'date-fns'
import type { Indicator, Interval, Names, PublicValue, PublishedBreakdown } from '../contract/index.ts'
import { definitionOf, loadVersions, type VersionRow } from '../indicators.ts'

export interface VersionEntry {
  version: number
  interval: Interval
  /** The last day whose data the version holds in full. */
  cutoff: string
  release: number
  publishedAt: string
  publishedOn: string
  note: Names
  revisedPeriods: number
  /** What the release recorded; null for versions published before releases were recorded. */
  record: { methodology: string; cutoff: string; hash: string; primary: number; secondary: number } | null
}

export interface Publication {
  definition: Indicator
  version: number
  release: number
  publishedAt: string
  /** The day the version was published, in the deployment's time zone. */
  publishedOn: string
  /** The last day whose data the version holds in full: the day before publication, or the series' own end. */
  cutoff: string
  versions: VersionEntry[]
}

export interface PublicCell extends PublicValue {
  dimension: PublishedBreakdown
  code: string
  /** φ̂ that widened the intervals of the cell's period (shares by region), or null. */
  dispersion: number | null
}

const day = (date: Date) => format(date, 'yyyy-MM-dd')

/** The last day of the period that starts on `period`. */
export function periodEnd(period: string, interval: Interval): string {
  const start = parseISO(period)
  switch (interval) {
    case 'day':
      return period
    case 'week':
      return day(addDays(start, 6))
    case 'month':
      return day(endOfMonth(start))
    case 'quarter':
      return day(endOfQuarter(start))
    case 'year':
      return day(endOfYear(start))
  }
}

function cutoffOf(row: VersionRow): string {
  const dayBefore = day(addDays(parseISO(row.published_on), -1))
  const stored = JSON.parse(row.definition) as { resolvedFilters?: { to?: string } }
  const to = stored.resolvedFilters?.to
  return to && to < dayBefore ? to : dayBefore
}

function entry(row: VersionRow): VersionEntry {
  return {
    version: Number(row.version),
    interval: definitionOf(row).interval,
    cutoff: cutoffOf(row),
    release: Number(row.release),
    publishedAt: row.published_at,
    publishedOn: row.published_on,
    note: { kk: row.note_kk, ru: row.note_ru, en: row.note_en },
    revisedPeriods: Number(row.revised),
    record: row.rows_cutoff
      ? {
          methodology: row.methodology_version,
          cutoff: row.rows_cutoff,
          hash: row.data_hash,
          primary: Number(row.suppressed_primary),
          secondary: Number(row.suppressed_secondary),
        }
      : null,
  }
}

/** Every published indicator at its latest version, in the order of their first publication. */
export async function loadPublications(store: Store, id?: string): Promise<Publication[]> {
  const byIndicator = new Map<string, VersionRow[]>()
  for (const row of await loadVersions(store, id)) {
    const list = byIndicator.get(row.indicator_id) ?? []
    list.push(row)
    byIndicator.set(row.indicator_id, list)
  }
  const publications: Publication[] = []
  for (const rows of byIndicator.values()) {
    const latest = rows.at(-1)
    if (!latest) continue
    publications.push({
      definition: definitionOf(latest),
      version: Number(latest.version),
      release: Number(latest.release),
      publishedAt: latest.published_at,
      publishedOn: latest.published_on,
      cutoff: cutoffOf(latest),
      versions: rows.map(entry),
    })
  }
  return publications.sort((a, b) => (a.versions[0]?.release ?? 0) - (b.versions[0]?.release ?? 0))
}

interface ValueRow {
  indicator_id: string
  period: string
  value: number | null
  ci_low: number | null
  ci_high: number | null
  transactions: string | null
  suppressed: number
}

/** A stored row as published: a suppressed row carries no value, interval or count, whatever was stored. */
function publicValue(row: ValueRow, publication: Publication): PublicValue {
  const suppressed = Number(row.suppressed) === 1
  const number = (value: number | string | null) => (suppressed || value === null ? null : Number(value))
  return {
    period: row.period,
    value: number(row.value),
    ci_low: number(row.ci_low),
    ci_high: number(row.ci_high),
    transactions: number(row.transactions),
    suppressed,
    provisional: periodEnd(row.period, publication.definition.interval) > publication.cutoff,
  }
}

/** The values of the given version of each publication (its latest unless `version` says), by indicator id. */
export async function loadValues(
  store: Store,
  publications: Publication[],
  version?: number,
): Promise<Map<string, PublicValue[]>> {
  const wanted = publications.map((publication) => ({
    id: publication.definition.id,
    version: version ?? publication.version,
  }))
  const rows = await store.rows<ValueRow>(
    'portal:values',
    `SELECT indicator_id, toString(period) AS period, value, ci_low, ci_high, toString(transactions) AS transactions, suppressed
     FROM indicator_values FINAL
     WHERE (indicator_id, version) IN (SELECT tupleElement(pair, 1), tupleElement(pair, 2) FROM (SELECT arrayJoin(arrayZip({ids:Array(String)}, {versions:Array(UInt32)})) AS pair))
     ORDER BY indicator_id, period`,
    { ids: wanted.map((item) => item.id), versions: wanted.map((item) => item.version) },
  )
  const byId = new Map(publications.map((publication) => [publication.definition.id, publication]))
  const values = new Map<string, PublicValue[]>(publications.map((publication) => [publication.definition.id, []]))
  for (const row of rows) {
    const publication = byId.get(row.indicator_id)
    if (publication) values.get(row.indicator_id)?.push(publicValue(row, publication))
  }
  return values
}

/** The published breakdowns of a publication's latest version (or `version`), every period. */
export async function loadCells(store: Store, publication: Publication, version?: number): Promise<PublicCell[]> {
  const rows = await store.rows<ValueRow & { dimension: PublishedBreakdown; code: string; dispersion: number | null }>(
    'portal:cells',
    `SELECT indicator_id, dimension, code, toString(period) AS period, value, ci_low, ci_high,
            toString(transactions) AS transactions, suppressed, dispersion
     FROM indicator_breakdowns FINAL
     WHERE indicator_id = {id:String} AND version = {version:UInt32}
     ORDER BY dimension, period, code`,
    { id: publication.definition.id, version: version ?? publication.version },
  )
  return rows.map((row) => ({
    ...publicValue(row, publication),
    dimension: row.dimension,
    code: row.code,
    dispersion: row.dispersion === null ? null : Number(row.dispersion),
  }))
}
