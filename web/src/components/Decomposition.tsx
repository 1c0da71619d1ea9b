// Why a share moved since the same dates a year earlier: a waterfall of mix, within and interaction, and who drove it.
import type { Contribution, Decomposition } from '@qyzmet/api/contract'
import { useMemo, useState } from 'react'
import { query } from '../api.ts'
import { effectDigits, pointDigits, waterfallOption } from '../charts/waterfall.ts'
import { formatDay, formatValue, type Lang, translate } from '../i18n.ts'
import { useApi } from '../queries.ts'
import { useSession } from '../session.tsx'
import { apiParams } from '../view.ts'
import { Panel } from './Panel.tsx'

const splits = ['service', 'category', 'region', 'age_band'] as const
type Split = (typeof splits)[number]

/** The decomposition request for a view's filters (a decomposition has no periods: the interval is left out). */
export const decomposeUrl = (metric: string, params: Record<string, string | undefined>) =>
  `/api/v1/metrics/${metric}/decompose${query({ ...params, interval: undefined })}`

/** A signed change of a share in percentage points ("+0.04 pp"). */
export const signedPoints = (lang: Lang, value: number, digits: number) =>
  translate(lang, 'percentagePoints', {
    points: new Intl.NumberFormat(lang === 'en' ? 'en-GB' : lang === 'ru' ? 'ru-RU' : 'kk-KZ', {
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
      signDisplay: 'exceptZero',
    }).format(value * 100),
  })

/** A date range as people read it. */
export const dayRange = (lang: Lang, from: string, to: string) => `${formatDay(lang, from)} – ${formatDay(lang, to)}`

export function DecompositionPanel({ metric, title }: { metric: 'online_share' | 'online_share_self'; title: string }) {
  const { t, lang, view, label } = useSession()
  const [by, setBy] = useState<Split>('service')
  const url = decomposeUrl(metric, { ...apiParams(view.filters), by })
  const state = useApi<Decomposition>(url)
  const answer = state.data
  // Effects are often a fraction of a point: enough decimals that each reads as more than zero.
  const effects = [answer?.change, answer?.effects?.mix, answer?.effects?.within, answer?.effects?.interaction]
  const points = (value: number) => signedPoints(lang, value, effectDigits(effects.map((x) => x ?? 0)))
  const share = (value: number | null) => formatValue(lang, value, 'share')
  const option = useMemo(
    () =>
      answer?.effects && answer.change !== null
        ? waterfallOption({
            steps: [
              { label: t('mixEffect'), value: answer.effects.mix },
              { label: t('withinEffect'), value: answer.effects.within },
              { label: t('interactionEffect'), value: answer.effects.interaction },
            ],
            total: { label: t('totalChange'), value: answer.change },
            formatChange: points,
          })
        : null,
    [answer, lang],
  )
  const nameOf = (row: Contribution) => label(by, String(row[by] ?? ''))
  const listed = [...(answer?.raising ?? []), ...(answer?.lowering ?? [])]
  const cellDigits = pointDigits(Math.max(0, ...listed.map((row) => Math.abs(row.total))))
  const cellPoints = (value: number) => signedPoints(lang, value, cellDigits)
  const line = (row: Contribution, effect: string) => [
    nameOf(row),
    effect,
    share(row.base_share),
    share(row.current_share),
    share(row.base_weight),
    share(row.current_weight),
    cellPoints(row.mix),
    cellPoints(row.within),
    cellPoints(row.interaction),
    cellPoints(row.total),
  ]
  const controls = (
    <label className="toggle">
      {t('decomposeBy')}
      <select value={by} onChange={(event) => setBy(event.target.value as Split)}>
        {splits.map((split) => (
          <option key={split} value={split}>
            {t(split)}
          </option>
        ))}
      </select>
    </label>
  )
  return (
    <Panel
      title={title}
      source={url}
      state={state}
      empty={!answer?.effects}
      option={option}
      height={300}
      span="full"
      controls={controls}
      table={
        answer
          ? {
              columns: [
                t(by),
                t('effectColumn'),
                t('baseShareColumn'),
                t('currentShareColumn'),
                t('baseWeightColumn'),
                t('currentWeightColumn'),
                t('mixEffect'),
                t('withinEffect'),
                t('interactionEffect'),
                t('contributionColumn'),
              ],
              numeric: [2, 3, 4, 5, 6, 7, 8, 9],
              rows: [
                ...answer.raising.map((row) => line(row, t('raised'))),
                ...answer.lowering.map((row) => line(row, t('lowered'))),
              ],
            }
          : null
      }
      footer={
        answer?.change !== null && answer?.change !== undefined ? (
          <>
            <p className="credit" data-note="decomposition">
              {t('decompositionNote', {
                base: share(answer.base.value),
                baseRange: dayRange(lang, answer.base.from, answer.base.to),
                current: share(answer.current.value),
                currentRange: dayRange(lang, answer.current.from, answer.current.to),
                change: points(answer.change),
                by,
              })}
            </p>
            {answer.provisional && <p className="credit">{t('provisionalNote')}</p>}
          </>
        ) : null
      }
    />
  )
}
