// Publishing makes a release: figures computed from the rows ingested by a cut-off, disclosure control applied
// (primary in the query, secondary here), frozen with their content hash, numbered once and never changed.
import { type Store, withLease } from '@qyzmet/sql'
import { breakdownDispersion } from './analysis/dispersion.ts'
import {
  cellOf,
  type Draft,
  type Earlier,
  type Margin,
  protect,
  suppressionCounts,
  timeMargins,
} from './analysis/suppression.ts'
import type { Filters, Indicator, Names, PublishedBreakdown } from './contract/index.ts'
import { methodologyVersion } from './methodology.ts'
import { type Metric, plan, type QuerySpec } from './metrics/index.ts'
import { extremeFactor } from './metrics/sql.ts'
import { periodEnd } from './public/published.ts'
import { type Row, runRows } from './query/run.ts'
import type { Reference } from './reference.ts'
import { type RowsHash, rowsHashes } from './release-hash.ts'
import { recordLegacyReleases, reviseAgainst } from './release-history.ts'

export interface ReleaseContext {
  reference: Reference
  today: string
  suppressBelow: number
}

export interface Published {
  version: number
  release: number
  periods: number
  suppressed: { cells: number; primary: number; secondary: number }
  revisions: number
}

/** A figure as computed (primary suppression applied) and where it goes: the series or a breakdown. */
export interface Computed {
  row: Row
  dimension: PublishedBreakdown | null
  code: string
}

const clip = (filters: Filters, interval: Filters['interval'], period: string) => ({
  start: period < filters.from ? filters.from : period,
  end: periodEnd(period, interval) > filters.to ? filters.to : periodEnd(period, interval),
})

/** φ̂ of each period's regions (before suppression), for the intervals of a published share by region. */
async function regionDispersion(store: Store, spec: QuerySpec, reference: Reference) {
  const rows = await runRows(
    store,
    plan({ ...spec, by: ['region'], suppressBelow: undefined }, reference),
    'publish:dispersion',
  )
  const byPeriod = new Map<string, Row[]>()
  for (const row of rows) byPeriod.set(String(row.period), [...(byPeriod.get(String(row.period)) ?? []), row])
  const phi: Record<string, number> = {}
  for (const [period, cells] of byPeriod) {
    const found = breakdownDispersion(cells, 'region')
    if (found?.applied) phi[period] = found.phi
  }
  return phi
}

/** The figures of every earlier release about the same rows (any indicator, any version, any interval). */
async function earlierFigures(store: Store, cells: string[], before?: number): Promise<Earlier[]> {
  const rows = await store.rows<{
    cell: string
    interval: Filters['interval']
    period: string
    start: string
    end: string
    base: string | null
    withheld: number
    published: number
  }>(
    'publish:earlier',
    `SELECT cell, interval, toString(period) AS period, toString(argMax(period_start, release)) AS start,
            toString(argMax(period_end, release)) AS end, toString(argMax(base, release)) AS base,
            max(suppression != '') AS withheld, max(suppression = '') AS published
     FROM release_cells WHERE cell IN {cells:Array(String)} ${before === undefined ? '' : 'AND release < {before:UInt32}'}
     GROUP BY cell, interval, period`,
    { cells, before },
  )
  return rows.map((row) => ({
    ...row,
    base: row.base === null ? null : Number(row.base),
    withheld: Number(row.withheld) === 1,
    published: Number(row.published) === 1,
  }))
}

/** A release's figures: computed from the rows ingested by `cutoff`, primary and secondary suppression applied. */
export interface Figures {
  computed: Computed[]
  drafts: Draft[]
  /** Series figures by period: their index in `computed` and `drafts`. */
  seriesIndex: Map<unknown, number>
  dispersion: Partial<Record<PublishedBreakdown, Record<string, number>>>
}

/**
 * Computes an indicator's figures as they stand at `cutoff` and protects them against the releases before
 * `before` (all of them when publishing; those before it when a release is reproduced).
 */
export async function computeFigures(
  store: Store,
  context: ReleaseContext,
  definition: Indicator,
  metric: Metric,
  filters: Filters,
  cutoff: string,
  before?: number,
): Promise<Figures> {
  const spec: QuerySpec = {
    metric,
    filters,
    by: [],
    series: true,
    today: context.today,
    suppressBelow: context.suppressBelow,
    asOf: cutoff,
  }
  const computed: Computed[] = (await runRows(store, plan(spec, context.reference), 'publish:series')).map((row) => ({
    row,
    dimension: null,
    code: '',
  }))
  const dispersion: Partial<Record<PublishedBreakdown, Record<string, number>>> = {}
  for (const dimension of definition.breakdowns ?? []) {
    let breakdownSpec: QuerySpec = { ...spec, by: [dimension] }
    if (dimension === 'region' && metric.unit === 'share' && metric.kind !== 'services') {
      dispersion.region = await regionDispersion(store, breakdownSpec, context.reference)
      breakdownSpec = { ...breakdownSpec, dispersion: dispersion.region }
    }
    const cells = await runRows(store, plan(breakdownSpec, context.reference), `publish:${dimension}`)
    computed.push(...cells.map((row) => ({ row, dimension, code: String(row[dimension] ?? '') })))
  }

  const drafts: Draft[] = computed.map(({ row, dimension, code }) => ({
    cell: cellOf(dimension ? { ...definition.filters, [dimension]: [code] } : definition.filters),
    interval: filters.interval,
    period: String(row.period),
    ...clip(filters, filters.interval, String(row.period)),
    base: typeof row.base === 'number' ? row.base : null,
    suppression: (row.suppression as Draft['suppression']) || '',
  }))
  const seriesIndex = new Map(computed.flatMap((item, index) => (item.dimension ? [] : [[item.row.period, index]])))
  const margins: Margin[] = []
  for (const dimension of definition.breakdowns ?? []) {
    for (const [period, total] of seriesIndex) {
      const members = computed.flatMap((item, index) =>
        item.dimension === dimension && item.row.period === period ? [{ draft: index }] : [],
      )
      if (members.length) margins.push({ total: { draft: total }, members })
    }
  }
  const earlier = await earlierFigures(store, [...new Set(drafts.map((draft) => draft.cell))], before)
  margins.push(...timeMargins(drafts, earlier))
  protect(drafts, earlier, margins, context.suppressBelow)

  return { computed, drafts, seriesIndex, dispersion }
}

/** The rows of all periods and their content hash: the row count and the sum of the periods' sums, in hex. */
export function combineHashes(hashes: Map<string, RowsHash>): { rows: number; hash: string } {
  let rows = 0
  let sum = 0n
  for (const item of hashes.values()) {
    rows += item.rows
    sum = (sum + BigInt(`0x${item.hash || '0'}`)) % 2n ** 64n
  }
  return { rows, hash: `${rows.toString(16)}-${sum.toString(16).padStart(16, '0')}` }
}

/** Computes an indicator's figures as of now, protects them and freezes them as the next release. */
export async function publishRelease(
  store: Store,
  context: ReleaseContext,
  definition: Indicator,
  metric: Metric,
  filters: Filters,
  note: Names,
  by: string,
): Promise<Published> {
  // One release at a time, whichever replica publishes: numbers are taken in order and never twice.
  return withLease(
    store,
    'releases',
    async () => {
      await recordLegacyReleases(store)
      const [now] = await store.rows<{ cutoff: string }>('publish:cutoff', "SELECT toString(now64(3, 'UTC')) AS cutoff")
      const cutoff = now?.cutoff ?? new Date().toISOString()
      const { computed, drafts, seriesIndex, dispersion } = await computeFigures(
        store,
        context,
        definition,
        metric,
        filters,
        cutoff,
      )
      const hashes = await rowsHashes(store, metric, filters, cutoff, context.reference)
      const [latest] = await store.rows<{ release: string; version: string }>(
        'publish:number',
        `SELECT toString((SELECT max(release) FROM releases)) AS release,
                toString((SELECT count() FROM indicator_versions FINAL WHERE indicator_id = {id:String})) AS version`,
        { id: definition.id },
      )
      const release = Number(latest?.release ?? 0) + 1
      const version = Number(latest?.version ?? 0) + 1
      const id = definition.id
      const withheld = (index: number) => (drafts[index] as Draft).suppression !== ''
      const figure = (index: number) => {
        const { row } = computed[index] as Computed
        const hidden = withheld(index)
        const shown = (value: unknown) => (hidden || typeof value !== 'number' ? null : value)
        return {
          period: row.period,
          value: shown(row.value),
          ci_low: shown(row.ci_low),
          ci_high: shown(row.ci_high),
          base: shown(row.base),
          suppressed: hidden ? 1 : 0,
          suppression: (drafts[index] as Draft).suppression,
        }
      }
      const seriesRows = [...seriesIndex.values()].map((index) => ({
        indicator_id: id,
        version,
        ...figure(index),
        transactions: withheld(index) ? 0 : Number((computed[index] as Computed).row.transactions ?? 0),
        provisional: (computed[index] as Computed).row.provisional ? 1 : 0,
      }))
      const frozenDefinition = JSON.stringify({ ...definition, resolvedFilters: filters })
      const revisions = await reviseAgainst(store, {
        id,
        version,
        release,
        definition: frozenDefinition,
        rows: seriesRows,
        hashes,
      })
      if (seriesRows.length) await store.insert('publish:values', 'indicator_values', seriesRows)
      const cellRows = computed.flatMap((item, index) =>
        item.dimension
          ? [
              {
                indicator_id: id,
                version,
                dimension: item.dimension,
                code: item.code,
                ...figure(index),
                transactions: withheld(index) ? null : Number(item.row.transactions ?? 0),
                dispersion: dispersion[item.dimension]?.[String(item.row.period)] ?? null,
              },
            ]
          : [],
      )
      if (cellRows.length) await store.insert('publish:breakdowns', 'indicator_breakdowns', cellRows)
      await store.insert(
        'publish:cells',
        'release_cells',
        drafts.map((draft, index) => {
          const hash = computed[index]?.dimension ? undefined : hashes.get(draft.period)
          return {
            release,
            indicator_id: id,
            cell: draft.cell,
            interval: draft.interval,
            period: draft.period,
            period_start: draft.start,
            period_end: draft.end,
            base: draft.base,
            suppression: draft.suppression,
            rows: hash?.rows ?? 0,
            rows_hash: hash?.hash ?? '',
          }
        }),
      )
      if (revisions.length) await store.insert('publish:revisions', 'release_revisions', revisions)
      const counts = suppressionCounts(drafts)
      const total = combineHashes(hashes)
      await store.command(
        'publish:version',
        `INSERT INTO indicator_versions (indicator_id, version, published_by, definition, note_kk, note_ru, note_en)
         VALUES ({id:String}, {version:UInt32}, {by:String}, {definition:String}, {kk:String}, {ru:String}, {en:String})`,
        {
          id,
          version,
          by,
          definition: frozenDefinition,
          kk: note.kk,
          ru: note.ru,
          en: note.en,
        },
      )
      await store.insert('publish:release', 'releases', [
        {
          release,
          indicator_id: id,
          version,
          published_at: cutoff,
          published_by: by,
          methodology_version: methodologyVersion,
          rows_cutoff: cutoff,
          data_until: filters.to,
          today: context.today,
          data_rows: total.rows,
          data_hash: total.hash,
          suppress_below: context.suppressBelow,
          extreme_below: context.suppressBelow * extremeFactor,
          cells: counts.cells,
          suppressed_primary: counts.primary,
          suppressed_secondary: counts.secondary,
        },
      ])
      return { version, release, periods: seriesRows.length, suppressed: counts, revisions: revisions.length }
    },
    { waitMs: store.config.queryTimeout * 1000 },
  )
}
