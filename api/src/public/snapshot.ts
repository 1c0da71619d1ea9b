// Everything a portal page reads, in one pass over the store: publications, their latest values, public targets,
// channel costs and the reference names.
import type { FastifyInstance } from 'fastify'
import type { PublicTarget, PublicValue } from '../contract/index.ts'
import type { Reference } from '../reference.ts'
import type { ChannelCost } from './figures.ts'
import { loadPublications, loadValues, type Publication } from './published.ts'
import { publicTargets } from './targets.ts'

export interface Snapshot {
  publications: Publication[]
  values: Map<string, PublicValue[]>
  targets: PublicTarget[]
  reference: Reference
  costs: ChannelCost[]
  /** The latest release and the last day of data it holds in full ("data as of"). */
  release: { number: number; day: string } | null
  suppressBelow: number
}

export async function loadSnapshot(app: FastifyInstance, suppressBelow: number): Promise<Snapshot> {
  const [publications, reference] = await Promise.all([loadPublications(app.store), app.reference()])
  const values = await loadValues(app.store, publications)
  const latest = publications.reduce<Publication | null>(
    (top, publication) => (top === null || publication.release > top.release ? publication : top),
    null,
  )
  return {
    publications,
    values,
    targets: await publicTargets(app.store, publications, values),
    reference,
    costs: await loadCosts(app),
    release: latest ? { number: latest.release, day: latest.cutoff } : null,
    suppressBelow,
  }
}

/** The cost of one transaction in each channel (the channel's own cost, not split by assistance). */
async function loadCosts(app: FastifyInstance): Promise<ChannelCost[]> {
  const rows = await app.store.rows<{ channel: string; cost: number; currency: string; source: string }>(
    'portal:costs',
    `SELECT channel, cost_per_transaction AS cost, currency, source FROM channel_costs FINAL WHERE assisted_by = ''`,
  )
  return rows.map((row) => ({ ...row, cost: Number(row.cost) }))
}

export const targetFor = (snapshot: Snapshot, publication: Publication): PublicTarget | undefined =>
  snapshot.targets.find((target) => target.indicator === publication.definition.id)

/** Publications about exactly one service (a service page shows them), by service code. */
export function servicePublications(snapshot: Snapshot): Map<string, Publication[]> {
  const byService = new Map<string, Publication[]>()
  for (const publication of snapshot.publications) {
    const { service, ...rest } = publication.definition.filters
    const [code] = service ?? []
    if (!code || service?.length !== 1 || Object.values(rest).some((values) => values && values.length > 0)) continue
    byService.set(code, [...(byService.get(code) ?? []), publication])
  }
  return byService
}
