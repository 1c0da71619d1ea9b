// Published indicators, the public view: the list, a chosen indicator's values, methodology, versions and CSV.
import { useMemo } from 'react'
import { periodEnd, scopeRange, useAnnotations } from '../annotations.ts'
import { api, type IndicatorDetail, type IndicatorSummary } from '../api.ts'
import { linesOption } from '../charts/trend.ts'
import { Panel } from '../components/Panel.tsx'
import { ViewLink } from '../components/ViewLink.tsx'
import { formatDay, formatPeriod, formatValue, type Unit } from '../i18n.ts'
import { useApi } from '../queries.ts'
import { useSession } from '../session.tsx'

export function Indicators() {
  const { t, lang, view, meta } = useSession()
  const list = useApi<{ indicators: IndicatorSummary[] }>(api.indicators())
  const indicators = list.data?.indicators ?? []
  const chosen = view.indicator ?? indicators[0]?.id ?? null
  const detail = useApi<IndicatorDetail>(chosen ? api.indicator(chosen) : null)
  const unit: Unit = meta?.metrics.find((metric) => metric.id === detail.data?.metric)?.unit ?? 'share'
  const format = (value: number | null | undefined) => formatValue(lang, value, unit)
  const interval = detail.data?.interval ?? 'month'

  const values = detail.data?.values ?? []
  const lastDay = values.at(-1)?.period
  const notes = useAnnotations(
    detail.data && lastDay ? scopeRange(detail.data.filters, values, periodEnd(lastDay, interval)) : undefined,
  )
  const option = useMemo(
    () =>
      detail.data?.values.length
        ? linesOption({
            rows: detail.data.values.map((row) => ({ ...row, value: row.value === null ? null : Number(row.value) })),
            nameOf: () => detail.data?.title[lang] ?? '',
            periodLabel: (period) => formatPeriod(lang, period, interval),
            formatValue: (value) => formatValue(lang, value, unit),
            annotations: notes,
          })
        : null,
    [detail.data, lang, interval, unit, notes],
  )

  if (list.status === 'loading')
    return (
      <p className="state" role="status">
        {t('loading')}
      </p>
    )
  if (list.status === 'error')
    return (
      <p className="state" role="alert">
        {t('errorBecause', { reason: list.error.message })}
      </p>
    )
  if (indicators.length === 0) return <p className="state">{t('noIndicators')}</p>
  return (
    <div className="page-grid indicators">
      <nav className="panel span-third" aria-label={t('chooseIndicator')}>
        <ul className="indicator-list">
          {indicators.map((indicator) => {
            return (
              <li key={indicator.id}>
                <ViewLink to={{ indicator: indicator.id }} current={indicator.id === chosen ? 'true' : undefined}>
                  {indicator.title[lang]}
                </ViewLink>
                <span className="muted">
                  {t('versionOn', {
                    version: indicator.version,
                    date: formatDay(lang, indicator.publishedAt.slice(0, 10)),
                  })}
                </span>
              </li>
            )
          })}
        </ul>
      </nav>
      <div className="span-two-thirds stack">
        <Panel
          title={detail.data?.title[lang] ?? t('indicators')}
          state={detail}
          empty={(detail.data?.values.length ?? 0) === 0}
          option={option}
          height={320}
          span="full"
          csvHref={chosen ? api.indicatorCsv(chosen) : undefined}
          table={{
            columns: [t('periodColumn'), t('value'), t('low'), t('high'), t('transactions')],
            numeric: [1, 2, 3, 4],
            rows: (detail.data?.values ?? []).map((row) =>
              row.suppressed && Number(row.suppressed) !== 0
                ? [formatPeriod(lang, row.period ?? '', interval), t('suppressed'), '', '', '']
                : [
                    formatPeriod(lang, row.period ?? '', interval),
                    format(row.value),
                    format(row.ci_low),
                    format(row.ci_high),
                    formatValue(lang, row.transactions ?? null, 'count'),
                  ],
            ),
          }}
        />
        {detail.data && (
          <section className="panel span-full" aria-labelledby="methodology">
            <h2 id="methodology">{t('methodology')}</h2>
            <p className="methodology">{detail.data.methodology[lang]}</p>
            <h2>{t('versions')}</h2>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('version')}</th>
                  <th scope="col">{t('publishedAt')}</th>
                  <th scope="col" className="num">
                    {t('revisedPeriods')}
                  </th>
                  <th scope="col">{t('note')}</th>
                </tr>
              </thead>
              <tbody>
                {[...detail.data.versions].reverse().map((version) => (
                  <tr key={version.version}>
                    <td>{version.version}</td>
                    <td>{formatDay(lang, version.publishedAt.slice(0, 10))}</td>
                    <td className="num">{version.revisedPeriods}</td>
                    <td>{version.note[lang]}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        )}
      </div>
    </div>
  )
}
