// Channel costs: each period's channel mix priced with the unit costs, and what the shift since a base period saved.
import type { Store } from '@qyzmet/sql'
import type { CostDimension, CostRange, CostRow, Costs, Filters, UnitCost } from '../contract/index.ts'
import { plan } from '../metrics/index.ts'
import { volume } from '../metrics/volume.ts'
import { runRows } from '../query/run.ts'
import type { Reference } from '../reference.ts'

export interface UnitCosts {
  /** The currency the answer is in: the one most unit costs are given in. */
  currency: string | null
  list: UnitCost[]
  /** The cost of a completed transaction through a channel with this assistance, or null when none is known. */
  costOf(channel: string, assistedBy: string): number | null
}

interface CostRecord {
  channel: string
  assisted_by: string
  cost_per_transaction: number
  currency: string
  source: string
}

/** The channel_costs reference: an exact (channel, assistance) row first, else the channel's own row. */
export async function loadUnitCosts(store: Store): Promise<UnitCosts> {
  const records = await store.rows<CostRecord>(
    'shift:unit-costs',
    'SELECT channel, assisted_by, cost_per_transaction, currency, source FROM channel_costs FINAL ORDER BY channel, assisted_by',
  )
  const tally = new Map<string, number>()
  for (const record of records) tally.set(record.currency, (tally.get(record.currency) ?? 0) + 1)
  const currency = [...tally].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? null
  // A cost in another currency cannot be added to these: its channel counts as not costed.
  const usable = records.filter((record) => record.currency === currency)
  const costs = new Map(
    usable.map((record) => [`${record.channel}\u0001${record.assisted_by}`, Number(record.cost_per_transaction)]),
  )
  return {
    currency,
    list: usable.map((record) => ({
      channel: record.channel,
      assisted_by: record.assisted_by === '' ? null : record.assisted_by,
      cost_per_transaction: Number(record.cost_per_transaction),
      source: record.source,
    })),
    costOf: (channel, assistedBy) =>
      costs.get(`${channel}\u0001${assistedBy}`) ?? costs.get(`${channel}\u0001`) ?? null,
  }
}

/** Completed transactions of one channel and assistance (in a period, a row of the breakdown …). */
export interface ChannelCount {
  channel: string
  assisted_by: string
  completed: number
}

export interface CostFigure {
  completed: number
  costed: number
  cost: number
  cost_per_transaction: number | null
}

/** The cost of a set of transactions: Σ completed × unit cost over those with a known cost, and its average. */
export function priced(counts: readonly ChannelCount[], unitCosts: Pick<UnitCosts, 'costOf'>): CostFigure {
  let completed = 0
  let costed = 0
  let cost = 0
  for (const count of counts) {
    completed += count.completed
    const unit = unitCosts.costOf(count.channel, count.assisted_by)
    if (unit === null) continue
    costed += count.completed
    cost += count.completed * unit
  }
  return { completed, costed, cost, cost_per_transaction: costed > 0 ? cost / costed : null }
}

/** What the current transactions cost less at their own channel mix than at the base period's mix. */
export const savedBetween = (base: CostFigure, current: CostFigure): number | null =>
  base.cost_per_transaction === null || current.cost_per_transaction === null
    ? null
    : current.costed * (base.cost_per_transaction - current.cost_per_transaction)

const groupBy = <T>(items: readonly T[], key: (item: T) => string) => {
  const groups = new Map<string, T[]>()
  for (const item of items) {
    const id = key(item)
    groups.set(id, [...(groups.get(id) ?? []), item])
  }
  return groups
}

type Row = Record<string, string | number | boolean | null>
const asCount = (row: Row): ChannelCount & Row => ({
  ...row,
  channel: String(row.channel),
  assisted_by: String(row.assisted_by),
  completed: Number(row.value ?? 0),
})

/**
 * Three queries through the volume metric's plan (so through the rollups): completed by channel and assistance
 * per period of the range, and over the range and the base range (by `by` too when asked).
 */
export async function costAnswer(
  store: Store,
  reference: Reference,
  periods: { base: Filters; current: Filters },
  by: CostDimension[],
  unitCosts: UnitCosts,
  today: string,
): Promise<Costs> {
  const split = ['channel', 'assisted_by', ...by] as const
  const run = (filters: Filters, dimensions: readonly ('channel' | 'assisted_by' | CostDimension)[], series: boolean) =>
    runRows(
      store,
      plan({ metric: volume, filters, by: [...dimensions], series, today }, reference),
      'shift:costs',
    ).then((rows) => rows.map(asCount))
  const [series, current, base] = await Promise.all([
    run(periods.current, ['channel', 'assisted_by'], true),
    run(periods.current, split, false),
    run(periods.base, split, false),
  ])
  const range = (filters: Filters, counts: ChannelCount[]): CostRange => ({
    from: filters.from,
    to: filters.to,
    ...priced(counts, unitCosts),
  })
  const currentRange = range(periods.current, current)
  const baseRange = range(periods.base, base)
  const dimension = by[0]
  const rows: CostRow[] = []
  if (dimension) {
    const baseGroups = groupBy(base, (row) => String(row[dimension]))
    for (const [code, counts] of groupBy(current, (row) => String(row[dimension]))) {
      const figure = priced(counts, unitCosts)
      const before = priced(baseGroups.get(code) ?? [], unitCosts)
      rows.push({
        [dimension]: code,
        ...figure,
        base_cost_per_transaction: before.cost_per_transaction,
        saved: savedBetween(before, figure),
      })
    }
    rows.sort((a, b) => b.completed - a.completed || String(a[dimension]).localeCompare(String(b[dimension])))
  }
  return {
    currency: unitCosts.currency,
    filters: periods.current,
    provisional: periods.current.to >= today,
    by,
    unit_costs: unitCosts.list,
    current: currentRange,
    base: baseRange,
    saved: savedBetween(baseRange, currentRange),
    periods: [...groupBy(series, (row) => String(row.period))].map(([period, counts]) => ({
      period,
      ...priced(counts, unitCosts),
      provisional: counts.some((count) => count.provisional === true),
    })),
    rows,
  }
}
