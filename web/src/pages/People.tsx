// People: the self-service online share (the age divide's measure) by age band and gender, and the age divide (18–29 minus 65+) over time.
import { useMemo } from 'react'
import { useAnnotations } from '../annotations.ts'
import { api, type MetricTable } from '../api.ts'
import { groupedBarsOption } from '../charts/bars.ts'
import { linesOption } from '../charts/trend.ts'
import { IntervalNote, useSeriesInterval } from '../components/IntervalNote.tsx'
import { Panel } from '../components/Panel.tsx'
import { formatPeriod, formatValue } from '../i18n.ts'
import { useApi } from '../queries.ts'
import { useSession } from '../session.tsx'
import { apiParams } from '../view.ts'

export function People() {
  const { t, lang, view, label, meta } = useSession()
  const params = apiParams(view.filters)
  const { chosen, used: interval } = useSeriesInterval(1)
  const byUrl = api.breakdown('online_share_self', { ...params, age_band: undefined, by: 'age_band,gender' })
  const divideUrl = meta ? api.series('age_divide', { ...params, age_band: undefined, interval }) : null
  const by = useApi<MetricTable>(byUrl)
  const divide = useApi<MetricTable>(divideUrl)
  const share = (value: number) => formatValue(lang, value, 'share')

  const grouped = useMemo(() => {
    if (!by.data?.rows.length) return null
    // Known bands and genders only: "unknown" is a data gap, not a group of people.
    const bands = (meta?.dimensions.age_band ?? []).map((band) => band.code).filter((code) => code !== 'unknown')
    const genders = (meta?.dimensions.gender ?? []).map((gender) => gender.code).filter((code) => code !== 'unknown')
    const value = (band: string, gender: string) =>
      by.data?.rows.find((row) => row.age_band === band && row.gender === gender)?.value ?? null
    return groupedBarsOption({
      categories: bands.map((band) => label('age_band', band)),
      groups: genders.map((gender) => ({
        name: label('gender', gender),
        values: bands.map((band) => value(band, gender)),
      })),
      formatValue: share,
      share: true,
    })
  }, [by.data, meta, label, lang])

  const notes = useAnnotations(divide.data?.filters)
  const divideChart = useMemo(
    () =>
      divide.data?.rows.length
        ? linesOption({
            rows: divide.data.rows,
            nameOf: () => label('metric', 'age_divide'),
            periodLabel: (period) => formatPeriod(lang, period, interval),
            formatValue: share,
            annotations: notes,
          })
        : null,
    [divide.data, lang, t, interval, notes],
  )

  return (
    <div className="page-grid">
      <Panel
        title={t('ageGender')}
        source={byUrl}
        state={by}
        empty={(by.data?.rows.length ?? 0) === 0}
        option={grouped}
        height={340}
        table={{
          columns: [t('age_band'), t('gender'), label('metric', 'online_share_self'), t('low'), t('high')],
          numeric: [2, 3, 4],
          rows: (by.data?.rows ?? []).map((row) => [
            label('age_band', row.age_band ?? ''),
            label('gender', row.gender ?? ''),
            share(row.value ?? Number.NaN),
            share(row.ci_low ?? Number.NaN),
            share(row.ci_high ?? Number.NaN),
          ]),
        }}
      />
      <Panel
        title={t('ageDivideTitle')}
        source={divideUrl ?? undefined}
        footer={
          <>
            <p className="note">
              {t('ageDivideNote', {
                unknown: (divide.data?.rows ?? []).reduce((sum, row) => sum + (row.unknown_age ?? 0), 0),
              })}
            </p>
            <IntervalNote chosen={chosen} used={interval} />
          </>
        }
        state={divide}
        empty={(divide.data?.rows.length ?? 0) === 0}
        option={divideChart}
        height={340}
        table={{
          columns: [t('periodColumn'), label('metric', 'age_divide'), t('unknownAges')],
          numeric: [1, 2],
          rows: (divide.data?.rows ?? []).map((row) => [
            formatPeriod(lang, row.period ?? '', interval),
            share(row.value ?? Number.NaN),
            formatValue(lang, row.unknown_age ?? null, 'count'),
          ]),
        }}
      />
    </div>
  )
}
