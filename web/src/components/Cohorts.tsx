// Who moved: a cohort heatmap (start month × months since), and whether volunteers' help lasted against staff's.
import type { Cohorts } from '@qyzmet/api/contract'
import { useMemo, useState } from 'react'
import { query } from '../api.ts'
import { groupedBarsOption } from '../charts/bars.ts'
import { cohortHeatmapOption, heatmapCells, windowShares } from '../charts/cohorts.ts'
import { formatDay, formatValue } from '../i18n.ts'
import { useApi } from '../queries.ts'
import { useSession } from '../session.tsx'
import { apiParams } from '../view.ts'
import { useNarrow } from './narrow.ts'
import { Panel } from './Panel.tsx'

type Start = 'assisted' | 'first'

export const cohortsUrl = (params: Record<string, string | undefined>) =>
  `/api/v1/shift/cohorts${query({ ...params, interval: undefined })}`

/** The ways a citizen can be helped, compared in the help panel. */
const helpers = ['volunteer', 'staff'] as const

export function CohortHeatmap() {
  const { t, lang, view } = useSession()
  const [start, setStart] = useState<Start>('assisted')
  const narrow = useNarrow()
  const url = cohortsUrl({ ...apiParams(view.filters), start, months: '12' })
  const state = useApi<Cohorts>(url)
  const share = (value: number) => formatValue(lang, value, 'share')
  const cohortLabel = (cohort: string) => formatDay(lang, cohort, 'LLL yyyy')
  const rows = state.data?.rows ?? []
  const option = useMemo(
    () =>
      rows.length
        ? cohortHeatmapOption({
            rows,
            cohortLabel,
            formatShare: share,
            formatCount: (value) => formatValue(lang, value, 'count'),
            unknownLabel: t('notYetKnown'),
            names: { cohort: t('cohortColumn'), monthsSince: t('monthsSince') },
            compact: narrow,
          })
        : null,
    [state.data, lang, narrow],
  )
  const table = useMemo(() => {
    const { cohorts, months, cells } = heatmapCells(rows)
    const citizens = new Map<string, number>()
    for (const row of rows) if (row.horizon === 'months' && row.after === 0) citizens.set(row.cohort, row.citizens)
    return {
      columns: [
        t('cohortColumn'),
        t('citizens'),
        ...Array.from({ length: months }, (_, k) => `${t('monthsSince')} ${k}`),
      ],
      numeric: Array.from({ length: months + 1 }, (_, index) => index + 1),
      rows: cohorts.map((cohort, y) => [
        cohortLabel(cohort),
        formatValue(lang, citizens.get(cohort) ?? 0, 'count'),
        ...Array.from({ length: months }, (_, x) => {
          const cell = cells.find((item) => item[0] === x && item[1] === y)
          return cell?.[2] === null || cell === undefined ? t('notYetKnown') : share(cell[2])
        }),
      ]),
    }
  }, [state.data, lang])
  const controls = (
    <label className="toggle">
      {t('cohortStart')}
      <select value={start} onChange={(event) => setStart(event.target.value as Start)}>
        <option value="assisted">{t('startAssisted')}</option>
        <option value="first">{t('startFirst')}</option>
      </select>
    </label>
  )
  return (
    <Panel
      title={start === 'assisted' ? t('cohortsTitle') : t('cohortsFirstTitle')}
      source={url}
      state={state}
      empty={rows.length === 0}
      option={option}
      table={table}
      height={420}
      span="full"
      controls={controls}
      footer={<p className="credit">{t('cohortNote', { start })}</p>}
    />
  )
}

export function HelpLasted() {
  const { t, lang, view, label } = useSession()
  const url = cohortsUrl({ ...apiParams(view.filters), start: 'assisted', by: 'assisted_by', months: '1' })
  const state = useApi<Cohorts>(url)
  const share = (value: number | null) => formatValue(lang, value, 'share')
  const groups = useMemo(() => windowShares(state.data?.rows ?? [], (row) => row.assisted_by ?? ''), [state.data])
  const windows = [...new Set(groups.flatMap((group) => group.windows.map((item) => item.days)))].sort((a, b) => a - b)
  const option = useMemo(() => {
    if (!groups.length) return null
    const option = groupedBarsOption({
      categories: windows.map((days) => t('withinDays', { days })),
      groups: groups.map((group) => ({
        name: label('assisted_by', group.group),
        values: windows.map((days) => group.windows.find((item) => item.days === days)?.moved ?? null),
      })),
      formatValue: (value) => share(value),
      share: true,
    })
    // Three windows: every one named, whatever the width.
    return { ...option, xAxis: { ...option.xAxis, axisLabel: { interval: 0 } } }
  }, [groups, lang, label])
  const first = groups.reduce((sum, group) => sum + (group.windows[0]?.citizens ?? 0), 0)
  // A helper with no citizen in the range is said, not left out silently (volunteers worked mostly in 2020).
  const missing = state.data ? helpers.filter((helper) => !groups.some((group) => group.group === helper)) : []
  return (
    <Panel
      title={t('helpersTitle')}
      source={url}
      state={state}
      empty={groups.length === 0}
      option={option}
      height={320}
      table={{
        columns: [t('helpedBy'), t('period'), t('citizens'), t('movedColumn'), t('fellBackColumn')],
        numeric: [2, 3, 4],
        rows: groups.flatMap((group) =>
          group.windows.map((item) => [
            label('assisted_by', group.group),
            t('withinDays', { days: item.days }),
            formatValue(lang, item.citizens, 'count'),
            share(item.moved),
            share(item.fellBack),
          ]),
        ),
      }}
      footer={
        <>
          {missing.map((helper) => (
            <p className="note" key={helper}>
              {t('helpersMissing', { helper: label('assisted_by', helper) })}
            </p>
          ))}
          <p className="credit">{t('helpersNote', { citizens: first })}</p>
        </>
      }
    />
  )
}
