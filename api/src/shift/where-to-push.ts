// Where to push, per region: the services (or age bands) with the most transactions still to move to self-service.
import type { Store } from '@qyzmet/sql'
import type { Filters, WhereToPush, WhereToPushDimension, WhereToPushRow } from '../contract/index.ts'
import { plan } from '../metrics/index.ts'
import { onlineShareSelf } from '../metrics/online-share-self.ts'
import { runRows } from '../query/run.ts'
import type { Reference } from '../reference.ts'

/** A region's share is a benchmark only when it rests on at least this many completed transactions. */
export const benchmarkMinCompleted = 100

interface Tally {
  completed: number
  self: number
}

const shareOf = (tally: Tally) => (tally.completed > 0 ? tally.self / tally.completed : null)
const gain = (completed: number, share: number | null, benchmark: number | null) =>
  share === null || benchmark === null ? 0 : completed * Math.max(0, benchmark - share)

/** Services that can move at all: available online by the range's last day (and in the filters, if they name any). */
export function movableServices(reference: Reference, filters: Filters): string[] {
  return reference.services
    .filter((service) => service.onlineSince !== null && service.onlineSince <= filters.to)
    .map((service) => service.code)
    .filter((code) => filters.services.length === 0 || filters.services.includes(code))
}

/**
 * One query by region and the dimension, over every region (through the planner, so from the rollup of regions
 * and services when the range is whole months): the regions in `filters` are summed into the answer's own figures,
 * every region into the national one, and the best region is the highest share resting on enough transactions.
 * Regions other than the asker's appear only as these aggregates; `nameBest` says whether the best is named.
 */
export async function whereToPushAnswer(
  store: Store,
  reference: Reference,
  filters: Filters,
  by: WhereToPushDimension,
  nameBest: boolean,
  today: string,
): Promise<WhereToPush> {
  const services = movableServices(reference, filters)
  const answer = {
    by: [by],
    filters,
    provisional: filters.to >= today,
    benchmark_min_completed: benchmarkMinCompleted,
    rows: [] as WhereToPushRow[],
  }
  if (services.length === 0) return answer
  const everywhere = { ...filters, regions: [], services }
  const rows = await runRows(
    store,
    plan({ metric: onlineShareSelf, filters: everywhere, by: ['region', by], series: false, today }, reference),
    'shift:push',
  )
  const own = new Set(filters.regions)
  const cells = new Map<string, { own: Tally; national: Tally; regions: Map<string, Tally> }>()
  for (const row of rows) {
    const code = String(row[by])
    const region = String(row.region)
    const tally = { completed: Number(row.denominator ?? 0), self: Number(row.numerator ?? 0) }
    let cell = cells.get(code)
    if (!cell) {
      cell = { own: { completed: 0, self: 0 }, national: { completed: 0, self: 0 }, regions: new Map() }
      cells.set(code, cell)
    }
    cell.national.completed += tally.completed
    cell.national.self += tally.self
    if (own.has(region)) {
      cell.own.completed += tally.completed
      cell.own.self += tally.self
    }
    cell.regions.set(region, tally)
  }
  for (const [code, cell] of cells) {
    if (cell.own.completed === 0) continue
    const best = [...cell.regions]
      .filter(([, tally]) => tally.completed >= benchmarkMinCompleted)
      .map(([region, tally]) => ({ region, share: shareOf(tally) ?? 0 }))
      .sort((a, b) => b.share - a.share || a.region.localeCompare(b.region))[0]
    const share = shareOf(cell.own)
    const national = shareOf(cell.national)
    answer.rows.push({
      [by]: code,
      completed: cell.own.completed,
      self_service: cell.own.self,
      share,
      to_move: cell.own.completed - cell.own.self,
      national_share: national,
      best_share: best?.share ?? null,
      best_region: best && nameBest ? best.region : null,
      gain_at_national: gain(cell.own.completed, share, national),
      gain_at_best: gain(cell.own.completed, share, best?.share ?? null),
    })
  }
  answer.rows.sort((a, b) => b.to_move - a.to_move || String(a[by]).localeCompare(String(b[by])))
  return answer
}
