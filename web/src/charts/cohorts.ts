// Cohort heatmap (start month × months since) and the windows' shares per group; cells not yet known stay grey.
import type { CohortRow } from '@qyzmet/api/contract'
import { sequential } from './palette.ts'

export interface HeatmapInput {
  rows: CohortRow[]
  cohortLabel: (cohort: string) => string
  formatShare: (value: number) => string
  /** Cohort sizes beside their months, so that a 100 % of three citizens reads as such. */
  formatCount: (value: number) => string
  /** The text of a cell whose window reaches past the data: not yet known. */
  unknownLabel: string
  /** Axis names. */
  names: { cohort: string; monthsSince: string }
  /** A phone: cells too small for their figures show colour only (the tooltip and the table have them). */
  compact?: boolean
}

/** The month cells of every cohort (summed over groups, if split), as [months since, cohort index, share | null]. */
export function heatmapCells(rows: CohortRow[]) {
  const cohorts = [...new Set(rows.map((row) => row.cohort))].sort()
  const tallies = new Map<string, { citizens: number; moved: number; known: boolean }>()
  for (const row of rows) {
    if (row.horizon !== 'months') continue
    const id = `${row.cohort}|${row.after}`
    const tally = tallies.get(id) ?? { citizens: 0, moved: 0, known: true }
    tally.citizens += row.citizens
    tally.moved += row.moved ?? 0
    tally.known &&= row.known
    tallies.set(id, tally)
  }
  const months = Math.max(-1, ...rows.filter((row) => row.horizon === 'months').map((row) => row.after)) + 1
  const sizes = cohorts.map((cohort) => tallies.get(`${cohort}|0`)?.citizens ?? 0)
  const cells: [number, number, number | null][] = []
  cohorts.forEach((cohort, y) => {
    for (let x = 0; x < months; x++) {
      const tally = tallies.get(`${cohort}|${x}`)
      if (!tally) continue
      cells.push([x, y, tally.known && tally.citizens > 0 ? tally.moved / tally.citizens : null])
    }
  })
  return { cohorts, months, cells, sizes }
}

export function cohortHeatmapOption({
  rows,
  cohortLabel,
  formatShare,
  formatCount,
  unknownLabel,
  names,
  compact = false,
}: HeatmapInput) {
  const { cohorts, months, cells, sizes } = heatmapCells(rows)
  const figures = !compact && months <= 13 && cohorts.length <= 18
  const known = cells.filter((cell) => cell[2] !== null)
  const highest = Math.max(0.01, ...known.map((cell) => cell[2] ?? 0))
  return {
    aria: { enabled: true },
    grid: { left: compact ? 110 : 120, right: 16, top: 12, bottom: 88 },
    tooltip: {
      formatter: (params: { seriesIndex: number; value: [number, number, number | null] }) => {
        const [x, y, value] = params.value
        const share = params.seriesIndex === 0 ? value : null
        const cohort = cohortLabel(cohorts[y] ?? '')
        return `${cohort} · ${names.monthsSince} ${x}: ${share === null ? unknownLabel : formatShare(share)}`
      },
    },
    xAxis: {
      type: 'category' as const,
      name: names.monthsSince,
      nameLocation: 'middle' as const,
      nameGap: 28,
      data: Array.from({ length: months }, (_, index) => String(index)),
    },
    yAxis: {
      type: 'category' as const,
      inverse: true,
      data: cohorts.map((cohort, index) => `${cohortLabel(cohort)} · ${formatCount(sizes[index] ?? 0)}`),
    },
    visualMap: [
      {
        type: 'continuous' as const,
        seriesIndex: 0,
        min: 0,
        max: highest,
        calculable: false,
        text: [formatShare(highest), formatShare(0)],
        orient: 'horizontal' as const,
        left: 'center',
        bottom: 0,
        itemHeight: 120,
        inRange: { color: [...sequential] },
        formatter: (value: number) => formatShare(value),
      },
      // ECharts draws a heatmap only under a visual map: the unknown cells get one of their own, a single grey.
      { type: 'piecewise' as const, seriesIndex: 1, show: false, pieces: [{ value: 0, color: '#eeeeee' }] },
    ],
    series: [
      {
        name: names.cohort,
        type: 'heatmap' as const,
        data: known,
        label: {
          show: figures,
          formatter: (p: { value: [number, number, number] }) => formatShare(p.value[2]),
        },
      },
      {
        // Right-censored cells: drawn, but grey and without a value, so that an empty cell never reads as 0 %.
        name: unknownLabel,
        type: 'heatmap' as const,
        data: cells.filter((cell) => cell[2] === null).map(([x, y]) => [x, y, 0]),
        itemStyle: { color: '#eeeeee', borderColor: '#ffffff', borderWidth: 1 },
        label: { show: figures, formatter: () => '…', color: '#595959' },
      },
    ],
  }
}

/**
 * For each group (e.g. volunteer, staff) and window of days: of citizens whose window has passed, the share who
 * self-served online (and who fell back) — Σ moved ÷ Σ citizens over the known cohorts.
 */
export function windowShares(rows: CohortRow[], groupOf: (row: CohortRow) => string) {
  const tallies = new Map<string, Map<number, { citizens: number; moved: number; fellBack: number }>>()
  for (const row of rows) {
    if (row.horizon !== 'days' || !row.known) continue
    const group = groupOf(row)
    const windows = tallies.get(group) ?? new Map()
    const tally = windows.get(row.after) ?? { citizens: 0, moved: 0, fellBack: 0 }
    tally.citizens += row.citizens
    tally.moved += row.moved ?? 0
    tally.fellBack += row.fell_back ?? 0
    windows.set(row.after, tally)
    tallies.set(group, windows)
  }
  return [...tallies].map(([group, windows]) => ({
    group,
    windows: [...windows]
      .sort((a, b) => a[0] - b[0])
      .map(([days, tally]) => ({
        days,
        citizens: tally.citizens,
        moved: tally.citizens ? tally.moved / tally.citizens : null,
        fellBack: tally.citizens ? tally.fellBack / tally.citizens : null,
      })),
  }))
}
