// What an answer on 2024 boundaries says beside its rows: the parents' earlier events it could not attribute.
import type { Store } from '@qyzmet/sql'
import type { BoundariesNote } from '../contract/index.ts'
import { BadRequest } from '../query/errors.ts'
import { runRows } from '../query/run.ts'
import type { Reference } from '../reference.ts'
import { type Boundaries, offersBoundaries, splitOf, unattributedPlan, withheldBelow } from './boundaries.ts'
import { metrics } from './index.ts'
import type { Metric, QuerySpec } from './types.ts'

/** The boundaries asked for, or a 400 naming the parameter when the metric cannot put its rows on 2024 boundaries. */
export function checkBoundaries(metric: Metric, asked: Boundaries | undefined): Boundaries {
  if (asked !== '2024') return 'of_the_time'
  if (!offersBoundaries.has(metric)) {
    const offered = metrics.filter((candidate) => offersBoundaries.has(candidate)).map((candidate) => candidate.id)
    throw new BadRequest(
      'boundaries',
      `${metric.id} is answered on the boundaries of the time only (it is computed from rows the 2024 attribution does not reach); boundaries=2024 is offered for ${offered.join(', ')}`,
    )
  }
  return '2024'
}

/** The note: the split, and for each parent the answer concerns its unattributed events by reason. */
export async function boundariesNote(store: Store, spec: QuerySpec, reference: Reference): Promise<BoundariesNote> {
  const split = splitOf(reference)
  const planned = unattributedPlan(spec.filters, reference, spec.asOf)
  const rows = planned ? await runRows(store, { ...planned, source: 'events' }, 'boundaries:unattributed') : []
  const count = (value: unknown) => withheldBelow(Number(value ?? 0), spec.suppressBelow)
  return {
    basis: '2024',
    split: split?.day ?? null,
    unattributed: rows.map((row) => ({
      region: String(row.region),
      events: count(row.events),
      noDistrict: count(row.no_district),
      divided: count(row.divided),
      unknown: count(row.unknown),
    })),
  }
}
