// Channel costs: each period's cost per transaction at its channel mix, what the shift saved, and the cost by service.
import type { Costs } from '@qyzmet/api/contract'
import { useMemo } from 'react'
import { query } from '../api.ts'
import { barsOption } from '../charts/bars.ts'
import { formatNumber, formatPeriod, formatValue, type Lang } from '../i18n.ts'
import { useApi } from '../queries.ts'
import { useSession } from '../session.tsx'
import { apiParams } from '../view.ts'
import { dayRange } from './Decomposition.tsx'
import { useSeriesInterval } from './IntervalNote.tsx'
import { Panel } from './Panel.tsx'

export const costsUrl = (params: Record<string, string | undefined>) => `/api/v1/shift/costs${query(params)}`

/** An amount in the answer's currency (its ISO code after the number: "1 020 KZT"). */
export const money = (lang: Lang, value: number | null | undefined, currency: string | null) =>
  value === null || value === undefined ? '–' : `${formatNumber(lang, value, 0)}${currency ? ` ${currency}` : ''}`

/** Whether every unit cost in use is a demo value (their sources say so). */
const demoCosts = (answer: Costs) => answer.unit_costs.some((unit) => unit.source.startsWith('demo value'))

export function CostPerTransaction() {
  const { t, lang, view, label } = useSession()
  const { used: interval } = useSeriesInterval(1)
  const url = costsUrl({ ...apiParams(view.filters), interval })
  const state = useApi<Costs>(url)
  const answer = state.data
  const amount = (value: number | null | undefined) => money(lang, value, answer?.currency ?? null)
  const option = useMemo(() => {
    if (!answer?.periods.length) return null
    const option = barsOption({
      bars: answer.periods.map((period) => ({
        name: formatPeriod(lang, period.period, interval),
        value: period.cost_per_transaction,
      })),
      formatValue: (value) => amount(value),
    })
    // Labels on more than a few bars run into each other; the axis and the tooltip carry the values then.
    const [bars] = option.series
    return answer.periods.length > 6 && bars
      ? { ...option, series: [{ ...bars, label: { ...bars.label, show: false } }] }
      : option
  }, [answer, lang, interval])
  const uncosted = answer ? answer.current.completed - answer.current.costed : 0
  return (
    <Panel
      title={t('costTitle')}
      source={url}
      state={state}
      empty={(answer?.periods.length ?? 0) === 0}
      option={option}
      height={320}
      table={{
        columns: [t('periodColumn'), label('metric', 'volume'), t('costColumn'), t('costPerTransaction')],
        numeric: [1, 2, 3],
        rows: (answer?.periods ?? []).map((period) => [
          `${formatPeriod(lang, period.period, interval)}${period.provisional ? ` (${t('provisionalBadge')})` : ''}`,
          formatValue(lang, period.completed, 'count'),
          amount(period.cost),
          amount(period.cost_per_transaction),
        ]),
      }}
      footer={
        answer ? (
          <>
            {answer.saved !== null && (
              <p className="credit" data-note="saved">
                {t('savedNote', {
                  baseRange: dayRange(lang, answer.base.from, answer.base.to),
                  before: amount(answer.base.cost_per_transaction),
                  after: amount(answer.current.cost_per_transaction),
                  saved: amount(answer.saved),
                  count: answer.current.costed,
                })}
              </p>
            )}
            {uncosted > 0 && <p className="credit">{t('uncostedNote', { count: uncosted })}</p>}
            {demoCosts(answer) && <p className="credit">{t('demoCostNote')}</p>}
            {answer.provisional && <p className="credit">{t('provisionalNote')}</p>}
          </>
        ) : null
      }
    />
  )
}

export function CostByService() {
  const { t, lang, view, label } = useSession()
  const url = costsUrl({ ...apiParams(view.filters), interval: undefined, by: 'service' })
  const state = useApi<Costs>(url)
  const amount = (value: number | null | undefined) => money(lang, value, state.data?.currency ?? null)
  return (
    <Panel
      title={t('costByServiceTitle')}
      source={url}
      state={state}
      empty={(state.data?.rows.length ?? 0) === 0}
      option={null}
      tableOnly
      height={320}
      table={{
        columns: [
          t('service'),
          label('metric', 'volume'),
          t('costPerTransaction'),
          t('basePerTransaction'),
          t('savedColumn'),
        ],
        numeric: [1, 2, 3, 4],
        rows: (state.data?.rows ?? []).map((row) => [
          label('service', row.service ?? ''),
          formatValue(lang, row.completed, 'count'),
          amount(row.cost_per_transaction),
          amount(row.base_cost_per_transaction),
          amount(row.saved),
        ]),
      }}
    />
  )
}
