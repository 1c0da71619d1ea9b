// Targets as the public sees them: each judged on the published values of the indicator with its metric and scope,
// by the same evaluation the signed-in Targets page uses (api/src/targets/evaluation.ts), as of the release's cut-off.
import type { Store } from '@qyzmet/sql'
import { addDays, format, parseISO } from 'date-fns'
import type { PublicTarget, PublicValue, Scope } from '../contract/index.ts'
import { metricById } from '../metrics/index.ts'
import { evaluateTarget } from '../targets/evaluation.ts'
import { loadTargets } from '../targets/store.ts'
import type { Publication } from './published.ts'

/** A scope written the same way whatever order its filters and values were given in. */
export const scopeKey = (scope: Scope): string =>
  JSON.stringify(
    Object.entries(scope)
      .filter(([, values]) => values && values.length > 0)
      .map(([name, values]) => [name, [...(values ?? [])].sort()])
      .sort(([a], [b]) => String(a).localeCompare(String(b))),
  )

/** The monthly publication a target is judged on: same metric, same scope. */
export function publicationFor(
  target: { metric: string; filters: Scope },
  publications: readonly Publication[],
): Publication | undefined {
  return publications.find(
    (publication) =>
      publication.definition.interval === 'month' &&
      publication.definition.metric === target.metric &&
      scopeKey(publication.definition.filters) === scopeKey(target.filters),
  )
}

export async function publicTargets(
  store: Store,
  publications: readonly Publication[],
  values: ReadonlyMap<string, readonly PublicValue[]>,
): Promise<PublicTarget[]> {
  const targets: PublicTarget[] = []
  for (const target of await loadTargets(store)) {
    const publication = publicationFor(target, publications)
    const metric = metricById(target.metric)
    if (!publication || !metric) continue
    // As of the release: the day after its cut-off is its "today"; suppressed months are unknown, not zero.
    const asOf = format(addDays(parseISO(publication.cutoff), 1), 'yyyy-MM-dd')
    const series = (values.get(publication.definition.id) ?? []).map((point) => ({
      period: point.period,
      value: point.suppressed ? null : point.value,
      provisional: point.provisional,
    }))
    targets.push({
      id: target.id,
      title: target.title,
      metric: target.metric,
      filters: target.filters,
      value: target.value,
      dueDate: target.dueDate,
      indicator: publication.definition.id,
      release: publication.release,
      progress: {
        series,
        ...evaluateTarget(
          series,
          {
            value: target.value,
            dueDate: target.dueDate,
            higherIsBetter: metric.higherIsBetter,
            share: metric.unit === 'share',
            baseline: target.baseline,
          },
          asOf,
        ),
      },
    })
  }
  return targets
}
