// Cohort heatmap cells and window shares from API rows: groups summed, unknown cells kept apart from zeros.
import type { CohortRow } from '@qyzmet/api/contract'
import { describe, expect, it } from 'vitest'
import { cohortHeatmapOption, heatmapCells, windowShares } from './cohorts.ts'

const row = (
  cohort: string,
  horizon: 'days' | 'months',
  after: number,
  citizens: number,
  moved: number | null,
  extra = {},
): CohortRow => ({
  cohort,
  citizens,
  horizon,
  after,
  known: moved !== null,
  moved,
  moved_share: moved === null ? null : moved / citizens,
  fell_back: moved === null ? null : 0,
  fell_back_share: moved === null ? null : 0,
  ...extra,
})

const rows: CohortRow[] = [
  row('2025-01-01', 'months', 0, 10, 1, { assisted_by: 'staff' }),
  row('2025-01-01', 'months', 0, 30, 9, { assisted_by: 'volunteer' }),
  row('2025-01-01', 'months', 1, 10, 2, { assisted_by: 'staff' }),
  row('2025-01-01', 'months', 1, 30, 18, { assisted_by: 'volunteer' }),
  row('2025-02-01', 'months', 0, 20, 0, { assisted_by: 'staff' }),
  row('2025-02-01', 'months', 1, 20, null, { assisted_by: 'staff' }),
  row('2025-01-01', 'days', 30, 10, 2, { assisted_by: 'staff', fell_back: 1 }),
  row('2025-01-01', 'days', 30, 30, 15, { assisted_by: 'volunteer' }),
  row('2025-02-01', 'days', 30, 20, 4, { assisted_by: 'staff' }),
  row('2025-02-01', 'days', 90, 20, null, { assisted_by: 'staff' }),
]

describe('cohort heatmap', () => {
  it('sums the groups of each cohort and month, and leaves unknown cells without a value', () => {
    const { cohorts, months, cells, sizes } = heatmapCells(rows)
    expect(cohorts).toEqual(['2025-01-01', '2025-02-01'])
    expect(sizes).toEqual([40, 20])
    expect(months).toBe(2)
    expect(cells).toEqual([
      [0, 0, 10 / 40],
      [1, 0, 20 / 40],
      [0, 1, 0],
      [1, 1, null],
    ])
  })

  it('colours known cells only, and draws unknown ones grey in a series of their own', () => {
    const option = cohortHeatmapOption({
      rows,
      cohortLabel: (cohort) => cohort.slice(0, 7),
      formatShare: (value) => `${Math.round(value * 100)}%`,
      formatCount: String,
      unknownLabel: 'not yet known',
      names: { cohort: 'Cohort', monthsSince: 'Months since' },
    })
    expect(option.yAxis.data).toEqual(['2025-01 · 40', '2025-02 · 20'])
    expect(option.series[0]?.data).toEqual([
      [0, 0, 0.25],
      [1, 0, 0.5],
      [0, 1, 0],
    ])
    expect(option.series[1]?.data).toEqual([[1, 1, 0]])
    expect(option.visualMap[0]).toMatchObject({ seriesIndex: 0, min: 0, max: 0.5 })
    expect(option.visualMap[1]).toMatchObject({ seriesIndex: 1, show: false })
    expect(option.series.map((series) => series.label.show)).toEqual([true, true])
    const phone = cohortHeatmapOption({
      rows,
      cohortLabel: String,
      formatShare: String,
      formatCount: String,
      unknownLabel: '',
      names: { cohort: '', monthsSince: '' },
      compact: true,
    })
    expect(phone.series.map((series) => series.label.show)).toEqual([false, false])
    expect(option.tooltip.formatter({ seriesIndex: 1, value: [1, 1, 0] })).toBe(
      '2025-02 · Months since 1: not yet known',
    )
    expect(option.tooltip.formatter({ seriesIndex: 0, value: [1, 0, 0.5] })).toBe('2025-01 · Months since 1: 50%')
  })
})

describe('window shares', () => {
  it('divides the moved by the citizens of known cohorts only, per group and window', () => {
    const shares = windowShares(rows, (item) => item.assisted_by ?? '')
    expect(shares).toEqual([
      {
        group: 'staff',
        windows: [{ days: 30, citizens: 30, moved: 6 / 30, fellBack: 1 / 30 }],
      },
      { group: 'volunteer', windows: [{ days: 30, citizens: 30, moved: 0.5, fellBack: 0 }] },
    ])
  })
})
