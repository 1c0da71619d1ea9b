// Secondary suppression: no withheld figure may be recovered by subtraction, from its margin's total, from another
// published figure about the same rows, or from an earlier release. Pure: the release decides, the store keeps.
import { addDays, format, parseISO } from 'date-fns'
import type { Interval } from '../contract/index.ts'

/** Why a figure is withheld: its own small base or an extreme share (primary), or to protect another (secondary). */
export type Suppression = '' | 'base' | 'extreme' | 'complement' | 'earlier'
export const primaryReasons: readonly Suppression[] = ['base', 'extreme']
export const secondaryReasons: readonly Suppression[] = ['complement', 'earlier']

/** A figure about a set of rows: a cell (its scope) over a period, with its own base. */
export interface Figure {
  /** The rows: canonical scope (see cellOf); the metric does not matter, rows are rows. */
  cell: string
  interval: Interval
  /** The period's label (its first day as periods are labelled) … */
  period: string
  /** … and the days it covers: a period at the edge of the range is clipped. */
  start: string
  end: string
  base: number | null
}

/** A figure of the release being made: its suppression can still grow. */
export interface Draft extends Figure {
  suppression: Suppression
}

/** A figure of earlier releases (any indicator, any version): withheld in any of them, published in any. */
export interface Earlier extends Figure {
  withheld: boolean
  published: boolean
}

/** A node of a margin: a figure of this release (its index) or of an earlier one. */
export type Node = { draft: number } | { earlier: Earlier }

/** A total and members that add up to it (counts, and the numerators and denominators of shares). */
export interface Margin {
  total: Node
  members: Node[]
}

const scopeNames = ['region', 'channel', 'service', 'category', 'age_band', 'gender', 'assisted_by'] as const

/** The canonical name of a set of rows: the scope's non-empty lists, each sorted, in a fixed order of names. */
export function cellOf(scope: Partial<Record<string, readonly string[] | undefined>>): string {
  const parts = scopeNames
    .filter((name) => (scope[name]?.length ?? 0) > 0)
    .map((name) => [name, [...new Set(scope[name])].sort()])
  return JSON.stringify(Object.fromEntries(parts))
}

export const figureKey = (figure: Pick<Figure, 'cell' | 'interval' | 'period'>) =>
  `${figure.cell}|${figure.interval}|${figure.period}`

/** Intervals whose periods tile a coarser period exactly (weeks straddle months and years, so they do not). */
const finer: Partial<Record<Interval, Interval[]>> = { quarter: ['month'], year: ['month', 'quarter'] }

const nextDay = (day: string) => format(addDays(parseISO(day), 1), 'yyyy-MM-dd')

/**
 * Margins in time: a published period of a coarser interval (a year) over the same rows as periods of a finer one
 * (its months) that cover exactly the same days. Only margins with a figure of this release are returned.
 */
export function timeMargins(drafts: readonly Draft[], earlier: readonly Earlier[]): Margin[] {
  const byKey = new Map<string, { node: Node; figure: Figure; draft: boolean }>()
  for (const figure of earlier) byKey.set(figureKey(figure), { node: { earlier: figure }, figure, draft: false })
  drafts.forEach((figure, index) => {
    byKey.set(figureKey(figure), { node: { draft: index }, figure, draft: true })
  })
  const nodes = [...byKey.values()]
  const margins: Margin[] = []
  for (const coarse of nodes) {
    for (const interval of finer[coarse.figure.interval] ?? []) {
      const members = nodes
        .filter(
          (item) =>
            item.figure.cell === coarse.figure.cell &&
            item.figure.interval === interval &&
            item.figure.start >= coarse.figure.start &&
            item.figure.end <= coarse.figure.end,
        )
        .sort((a, b) => a.figure.start.localeCompare(b.figure.start))
      const tiles =
        members.length > 1 &&
        members[0]?.figure.start === coarse.figure.start &&
        members.at(-1)?.figure.end === coarse.figure.end &&
        members.every(
          (item, index) => index === 0 || item.figure.start === nextDay(members[index - 1]?.figure.end ?? ''),
        )
      if (tiles && (coarse.draft || members.some((item) => item.draft))) {
        margins.push({ total: coarse.node, members: members.map((item) => item.node) })
      }
    }
  }
  return margins
}

/**
 * Withholds what protects the withheld figures of this release, in place, and returns the drafts:
 * 1. a figure withheld by any earlier release stays withheld (`earlier`), so that two releases cannot be subtracted;
 * 2. in each margin whose total is withheld, every member is withheld too (they would add up to it);
 * 3. in each margin whose total is published, the withheld members must be at least two and rest together on a base
 *    of at least `threshold`; until they do, the published member with the smallest base is withheld
 *    (`complement`), preferring one no earlier release published; when none is left, the total itself.
 * Hiding one figure can expose another margin it belongs to, so the rules run until nothing changes.
 */
export function protect(drafts: Draft[], earlier: readonly Earlier[], margins: readonly Margin[], threshold: number) {
  const before = new Map(earlier.map((figure) => [figureKey(figure), figure]))
  for (const draft of drafts) {
    if (draft.suppression === '' && before.get(figureKey(draft))?.withheld) draft.suppression = 'earlier'
  }
  const withheld = (node: Node) =>
    'draft' in node ? (drafts[node.draft] as Draft).suppression !== '' : node.earlier.withheld
  const baseOf = (node: Node) => ('draft' in node ? (drafts[node.draft] as Draft).base : node.earlier.base) ?? 0
  const hide = (node: Node) => {
    if ('draft' in node) (drafts[node.draft] as Draft).suppression = 'complement'
  }
  for (let changed = true; changed; ) {
    changed = false
    for (const margin of margins) {
      const open = margin.members.filter((node) => 'draft' in node && !withheld(node))
      if (withheld(margin.total)) {
        for (const node of open) hide(node)
        changed ||= open.length > 0
        continue
      }
      const hidden = margin.members.filter(withheld)
      if (hidden.length === 0) continue
      if (hidden.length >= 2 && hidden.reduce((sum, node) => sum + baseOf(node), 0) >= threshold) continue
      const candidates = open
        .map((node) => ({ node, figure: drafts[(node as { draft: number }).draft] as Draft }))
        .sort(
          (a, b) =>
            Number(before.get(figureKey(a.figure))?.published ?? false) -
              Number(before.get(figureKey(b.figure))?.published ?? false) ||
            (a.figure.base ?? 0) - (b.figure.base ?? 0) ||
            a.figure.cell.localeCompare(b.figure.cell) ||
            a.figure.period.localeCompare(b.figure.period),
        )
      const [chosen] = candidates
      if (chosen) hide(chosen.node)
      else if ('draft' in margin.total) hide(margin.total)
      else continue
      changed = true
    }
  }
  return drafts
}

/** How many figures a release withheld, by kind of rule. */
export function suppressionCounts(drafts: readonly Pick<Draft, 'suppression'>[]) {
  return {
    cells: drafts.length,
    primary: drafts.filter((draft) => primaryReasons.includes(draft.suppression)).length,
    secondary: drafts.filter((draft) => secondaryReasons.includes(draft.suppression)).length,
  }
}
