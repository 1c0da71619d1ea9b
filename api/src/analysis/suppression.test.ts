// Secondary suppression on small tables worked by hand: a withheld cell recoverable from its margin without it, and
// not with it; across two versions; across indicators over the same rows; and in time (months within a year).
import { describe, expect, it } from 'vitest'
import {
  cellOf,
  type Draft,
  type Earlier,
  type Margin,
  protect,
  suppressionCounts,
  timeMargins,
} from './suppression.ts'

const threshold = 10

/** A month's figure about the rows of `scope`, with its base, withheld for its small base if below the threshold. */
function draft(scope: Record<string, string[]>, base: number, period = '2026-10-01', end = '2026-10-31'): Draft {
  return {
    cell: cellOf(scope),
    interval: 'month',
    period,
    start: period,
    end,
    base,
    suppression: base < threshold ? 'base' : '',
  }
}

/**
 * What a reader can work out from the published figures by subtraction: for each margin (total = Σ members) with the
 * total and all members but one published, the missing member's base. Written apart from the code under test.
 */
function recovered(margins: { total: number | null; members: (number | null)[] }[]): number[] {
  const found: number[] = []
  for (const { total, members } of margins) {
    const missing = members.filter((value) => value === null)
    if (total !== null && missing.length === 1)
      found.push(total - members.reduce<number>((sum, value) => sum + (value ?? 0), 0))
  }
  return found
}
const shown = (figure: Draft) => (figure.suppression === '' ? figure.base : null)

/** The national total for October and its breakdown by three regions: A rests on 5, below the threshold. */
function table(bases = { total: 100, a: 5, b: 30, c: 65 }) {
  const drafts = [
    draft({}, bases.total),
    draft({ region: ['A'] }, bases.a),
    draft({ region: ['B'] }, bases.b),
    draft({ region: ['C'] }, bases.c),
  ]
  const margins: Margin[] = [{ total: { draft: 0 }, members: [{ draft: 1 }, { draft: 2 }, { draft: 3 }] }]
  return { drafts, margins }
}
const published = (drafts: Draft[]) => ({ total: shown(drafts[0] as Draft), members: drafts.slice(1).map(shown) })

describe('secondary suppression', () => {
  it('withholds the next-smallest cell of the margin, so that the small cell cannot be recovered from the total', () => {
    const { drafts, margins } = table()
    // Primary suppression alone: A = 100 − 30 − 65 = 5.
    expect(recovered([published(drafts)])).toEqual([5])
    protect(drafts, [], margins, threshold)
    expect(drafts.map((figure) => figure.suppression)).toEqual(['', 'base', 'complement', ''])
    expect(recovered([published(drafts)])).toEqual([])
    expect(suppressionCounts(drafts)).toEqual({ cells: 4, primary: 1, secondary: 1 })
  })

  it('adds complements until the withheld cells together rest on at least the threshold', () => {
    const drafts = [
      draft({}, 100),
      draft({ region: ['A'] }, 3),
      draft({ region: ['B'] }, 4),
      draft({ region: ['C'] }, 11),
      draft({ region: ['D'] }, 82),
    ]
    const margins: Margin[] = [{ total: { draft: 0 }, members: [1, 2, 3, 4].map((draft) => ({ draft })) }]
    protect(drafts, [], margins, threshold)
    // A and B are both primary, but 3 + 4 < 10: their sum (7) would be a small figure of its own. C joins them.
    expect(drafts.map((figure) => figure.suppression)).toEqual(['', 'base', 'base', 'complement', ''])
  })

  it('withholds every cell of a margin whose total is withheld', () => {
    const { drafts, margins } = table({ total: 8, a: 2, b: 3, c: 3 })
    protect(drafts, [], margins, threshold)
    expect(drafts.every((figure) => figure.suppression !== '')).toBe(true)
  })

  it('keeps withheld, in a later version, what an earlier version withheld, so the two cannot be subtracted', () => {
    const first = table()
    protect(first.drafts, [], first.margins, threshold)
    // Version 2: A grew past the threshold; B and C did not change.
    const second = table({ total: 107, a: 12, b: 30, c: 65 })
    const earlier: Earlier[] = first.drafts.map((figure) => ({
      ...figure,
      withheld: figure.suppression !== '',
      published: figure.suppression === '',
    }))
    // Without the earlier release: version 2 publishes B, and version 1's A = 100 − 30 − 65 = 5 is recovered.
    const naive = table({ total: 107, a: 12, b: 30, c: 65 })
    protect(naive.drafts, [], naive.margins, threshold)
    const versionOneWithB = { total: 100, members: [null, shown(naive.drafts[2] as Draft), 65] }
    expect(recovered([versionOneWithB])).toEqual([5])
    // With it: A and B stay withheld in version 2, and nothing of version 1 comes out.
    protect(second.drafts, earlier, second.margins, threshold)
    expect(second.drafts.map((figure) => figure.suppression)).toEqual(['', 'earlier', 'earlier', ''])
    expect(recovered([{ total: 100, members: [null, shown(second.drafts[2] as Draft), 65] }])).toEqual([])
    expect(recovered([published(second.drafts)])).toEqual([])
  })

  it('keeps withheld what another indicator about the same rows withheld, and prefers complements never published', () => {
    const { drafts, margins } = table({ total: 100, a: 20, b: 30, c: 50 })
    // Another indicator (satisfaction, say: few ratings) withheld region A of October; one published region B.
    const earlier: Earlier[] = [
      { ...draft({ region: ['A'] }, 4), withheld: true, published: false },
      { ...draft({ region: ['B'] }, 30), withheld: false, published: true },
    ]
    protect(drafts, earlier, margins, threshold)
    // A is withheld again; its complement is C, although B is smaller: B's figure is already public.
    expect(drafts.map((figure) => figure.suppression)).toEqual(['', 'earlier', '', 'complement'])
    expect(recovered([published(drafts)])).toEqual([])
  })

  it('protects a month from the year of the same rows that another indicator published', () => {
    const months = Array.from({ length: 12 }, (_, index) => {
      const month = String(index + 1).padStart(2, '0')
      const end = new Date(Date.UTC(2025, index + 1, 0)).toISOString().slice(0, 10)
      return draft({ service: ['S1'] }, index === 6 ? 4 : 20 + index, `2025-${month}-01`, end)
    })
    const year: Earlier = {
      cell: cellOf({ service: ['S1'] }),
      interval: 'year',
      period: '2025-01-01',
      start: '2025-01-01',
      end: '2025-12-31',
      base: months.reduce((sum, figure) => sum + (figure.base ?? 0), 0),
      withheld: false,
      published: true,
    }
    const margins = timeMargins(months, [year])
    expect(margins).toHaveLength(1)
    const asTable = () => ({ total: year.base, members: months.map(shown) })
    expect(recovered([asTable()])).toEqual([4])
    protect(months, [year], margins, threshold)
    expect(months.filter((figure) => figure.suppression !== '').map((figure) => figure.period)).toEqual([
      '2025-01-01',
      '2025-07-01',
    ])
    expect(recovered([asTable()])).toEqual([])
    // Months that do not cover the year exactly (a range starting in March) are no margin of it.
    expect(timeMargins(months.slice(2), [year])).toEqual([])
  })

  it('names rows the same whatever the order of the scope’s lists', () => {
    expect(cellOf({ service: ['S2', 'S1'], region: ['75'] })).toBe(cellOf({ region: ['75'], service: ['S1', 'S2'] }))
    expect(cellOf({ region: [], channel: undefined })).toBe('{}')
  })
})
