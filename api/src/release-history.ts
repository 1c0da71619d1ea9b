// A release against the ones before it: numbers for versions published before releases were recorded, and why each
// earlier period's value changed (the revision notes).
import type { Store } from '@qyzmet/sql'
import { methodologyVersion } from './methodology.ts'
import type { RowsHash } from './release-hash.ts'

/** Versions published before migration 0040 get release rows, numbered as they always were (in publication order). */
export async function recordLegacyReleases(store: Store): Promise<void> {
  await store.command(
    'publish:legacy',
    `INSERT INTO releases (release, indicator_id, version, published_at, published_by, methodology_version)
     SELECT toUInt32(row_number() OVER (ORDER BY published_at, indicator_id, version)), indicator_id, version,
            published_at, published_by, ''
     FROM indicator_versions FINAL
     WHERE (SELECT count() FROM releases) = 0`,
  )
}

export type RevisionReason = 'completed' | 'definition' | 'data' | 'methodology' | 'suppression'

interface SeriesRow {
  period: unknown
  value: number | null
  suppressed: number
}

export interface Revision {
  release: number
  indicator_id: string
  period: string
  previous_release: number
  previous_value: number | null
  value: number | null
  reason: RevisionReason
}

/**
 * Each period of the previous version whose value (or whether it is withheld) changed, with the reason, in this
 * order: the period was still incomplete then (`completed`); the indicator's definition changed (`definition`); its
 * rows differ (`data`: late or corrected rows, by the periods' content hashes); the methodology version changed
 * (`methodology`); otherwise only disclosure control withheld or released it (`suppression`).
 */
export async function reviseAgainst(
  store: Store,
  current: {
    id: string
    version: number
    release: number
    definition: string
    rows: SeriesRow[]
    hashes: Map<string, RowsHash>
  },
): Promise<Revision[]> {
  if (current.version <= 1) return []
  const ids = { id: current.id, previous: current.version - 1 }
  const [release] = await store.rows<{ release: string; methodology: string; definition: string }>(
    'publish:previous-release',
    `SELECT toString(r.release) AS release, r.methodology_version AS methodology, d.definition AS definition
     FROM (SELECT release, methodology_version FROM releases WHERE indicator_id = {id:String} AND version = {previous:UInt32}) AS r
     CROSS JOIN (SELECT definition FROM indicator_versions FINAL WHERE indicator_id = {id:String} AND version = {previous:UInt32}) AS d`,
    ids,
  )
  if (!release) return []
  const previous = await store.rows<{
    period: string
    value: number | null
    suppressed: number
    provisional: number
    rows_hash: string
  }>(
    'publish:previous',
    `SELECT toString(v.period) AS period, v.value AS value, v.suppressed AS suppressed, v.provisional AS provisional,
            ifNull(c.hash, '') AS rows_hash
     FROM (SELECT * FROM indicator_values FINAL WHERE indicator_id = {id:String} AND version = {previous:UInt32}) AS v
     LEFT JOIN (SELECT period, any(rows_hash) AS hash FROM release_cells
                WHERE release = {release:UInt32} AND rows_hash != '' GROUP BY period) AS c ON c.period = v.period
     ORDER BY period`,
    { ...ids, release: Number(release.release) },
  )
  const shape = (text: string) => {
    const { metric, interval, filters, from, to } = JSON.parse(text) as Record<string, unknown>
    return JSON.stringify({ metric, interval, filters, from, to })
  }
  const sameDefinition = shape(release.definition) === shape(current.definition)
  const sameMethodology = release.methodology === methodologyVersion
  const now = new Map(current.rows.map((row) => [String(row.period), row]))
  const revisions: Revision[] = []
  for (const before of previous) {
    const after = now.get(before.period)
    if (!after) continue
    const wasHidden = Number(before.suppressed) === 1
    if (before.value === after.value && wasHidden === (after.suppressed === 1)) continue
    const rowsKnown = before.rows_hash !== ''
    // Releases made before hashes were recorded cannot tell late rows from anything else: `data`.
    const reason: RevisionReason =
      Number(before.provisional) === 1
        ? 'completed'
        : !sameDefinition
          ? 'definition'
          : rowsKnown && before.rows_hash !== current.hashes.get(before.period)?.hash
            ? 'data'
            : !sameMethodology
              ? 'methodology'
              : rowsKnown
                ? 'suppression'
                : 'data'
    revisions.push({
      release: current.release,
      indicator_id: current.id,
      period: before.period,
      previous_release: Number(release.release),
      previous_value: wasHidden ? null : before.value,
      value: after.value,
      reason,
    })
  }
  return revisions
}
