// Where to push in a region: services (or age bands) with the most transactions still to move to self-service.
import type { WhereToPush } from '@qyzmet/api/contract'
import { useMemo, useState } from 'react'
import { query } from '../api.ts'
import { barsOption } from '../charts/bars.ts'
import { formatValue } from '../i18n.ts'
import { useApi } from '../queries.ts'
import { useSession } from '../session.tsx'
import { apiParams } from '../view.ts'
import { useNarrow } from './narrow.ts'
import { Panel } from './Panel.tsx'

type Split = 'service' | 'age_band'

export const whereToPushUrl = (params: Record<string, string | undefined>) =>
  `/api/v1/shift/where-to-push${query({ ...params, interval: undefined })}`

export function WhereToPushPanel({ region }: { region: string }) {
  const { t, lang, view, label } = useSession()
  const [by, setBy] = useState<Split>('service')
  const narrow = useNarrow()
  const url = whereToPushUrl({ ...apiParams(view.filters), region, by })
  const state = useApi<WhereToPush>(url)
  const rows = state.data?.rows ?? []
  const share = (value: number | null) => formatValue(lang, value, 'share')
  const count = (value: number) => formatValue(lang, value, 'count')
  const nameOf = (code: string) => label(by, code)
  const shown = rows.slice(0, 10)
  const option = useMemo(
    () =>
      shown.length
        ? barsOption({
            bars: shown.map((row) => ({ name: nameOf(String(row[by] ?? '')), value: row.to_move })),
            formatValue: count,
            horizontal: true,
            // On a phone the names take a third of the width, cut short; the table has them in full.
            labelWidth: narrow ? 110 : by === 'service' ? 260 : 120,
            wholeNumbers: true,
          })
        : null,
    [state.data, lang, label, narrow],
  )
  const controls = (
    <label className="toggle">
      {t('pushBy')}
      <select value={by} onChange={(event) => setBy(event.target.value as Split)}>
        <option value="service">{t('service')}</option>
        <option value="age_band">{t('age_band')}</option>
      </select>
    </label>
  )
  return (
    <Panel
      title={t('pushTitle')}
      source={url}
      state={state}
      empty={rows.length === 0}
      option={option}
      height={380}
      span="full"
      controls={controls}
      table={{
        columns: [
          t(by),
          label('metric', 'volume'),
          t('selfShare'),
          t('toMove'),
          t('national'),
          t('bestShare'),
          t('bestRegion'),
          t('gainAtNational'),
          t('gainAtBest'),
        ],
        numeric: [1, 2, 3, 4, 5, 7, 8],
        rows: rows.map((row) => [
          nameOf(String(row[by] ?? '')),
          count(row.completed),
          share(row.share),
          count(row.to_move),
          share(row.national_share),
          share(row.best_share),
          row.best_region ? label('region', row.best_region) : '–',
          count(row.gain_at_national),
          count(row.gain_at_best),
        ]),
      }}
      footer={
        <>
          <p className="credit">{t('pushNote', { count: state.data?.benchmark_min_completed ?? 100 })}</p>
          {state.data?.provisional && <p className="credit">{t('provisionalNote')}</p>}
        </>
      }
    />
  )
}
