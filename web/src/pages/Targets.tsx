// Targets: each judged truthfully (reached on a date, missed at its due date, on track / at risk / off track by a
// projection with its band), with its chart; and every region's distance to a national target.
import { useMemo, useState } from 'react'
import { periodEnd, scopeRange, useAnnotations } from '../annotations.ts'
import { api, type Target, type TargetRegions } from '../api.ts'
import { distanceOption } from '../charts/distance.ts'
import { trendOption } from '../charts/trend.ts'
import { Panel } from '../components/Panel.tsx'
import { formatChange, formatDay, formatValue, type Unit } from '../i18n.ts'
import { useApi } from '../queries.ts'
import { useSession } from '../session.tsx'
import { statusKey, statusTone } from '../targets.ts'

const bandKey = {
  substantial: 'bandSubstantial',
  moderate: 'bandModerate',
  limited: 'bandLimited',
  deterioration: 'bandDeterioration',
} as const

function TargetCard({ target, unit }: { target: Target; unit: Unit }) {
  const { t, lang, meta } = useSession()
  const progress = target.progress
  const format = (value: number | null | undefined) => formatValue(lang, value, unit)
  // Monthly changes of a share read as percentage points, not as a share of their own.
  const formatGain = (value: number | null | undefined) =>
    value == null ? '–' : unit === 'share' ? formatChange(lang, value, null, unit) : format(value)
  const month = (period: string) => formatDay(lang, period, 'LLLL yyyy')
  // After "since" Russian needs the genitive ("с января 2019"), which date-fns writes for MMMM.
  const sinceMonth = (period: string) => formatDay(lang, period, 'MMMM yyyy')
  const metric = meta?.metrics.find((item) => item.id === target.metric)
  const last = progress?.series.at(-1)?.period
  const notes = useAnnotations(
    progress && last ? scopeRange(target.filters, progress.series, periodEnd(last, 'month')) : undefined,
  )
  const chart = useMemo(
    () =>
      progress
        ? trendOption({
            rows: progress.series,
            labels: {
              series: metric?.names[lang] ?? target.metric,
              provisional: t('provisional'),
              target: t('target'),
              projection: t('projection'),
              band: t('projectionBand'),
              lockdown: t('lockdown'),
            },
            target: { value: target.value, dueDate: target.dueDate },
            projection: progress.projection,
            formatValue: (value) => format(value),
            formatDate: (day) => formatDay(lang, day, 'yyyy'),
            share: unit === 'share',
            annotations: notes,
          })
        : null,
    [progress, lang, unit, notes],
  )
  if (!progress) return null
  const reachedText =
    progress.reachedOn === null
      ? null
      : progress.status === 'reached_late'
        ? t('reachedLateOn', { date: month(progress.reachedOn) })
        : `${t('reachedOn', { date: month(progress.reachedOn) })} ${
            progress.held ? t('heldSince') : t('notHeldSince', { value: format(progress.current) })
          }`
  return (
    <li className="target" data-status={progress.status}>
      <div className="target-head">
        <h2>{target.title[lang]}</h2>
        <span className={`badge ${statusTone[progress.status]}`}>{t(statusKey[progress.status])}</span>
      </div>
      <p className="muted">
        {t('targetLine', {
          metric: metric?.names[lang] ?? target.metric,
          value: format(target.value),
          date: formatDay(lang, target.dueDate),
        })}
        {target.rescoped ? ` · ${t('rescopedNote')}` : ''}
      </p>
      {reachedText && <p>{reachedText}</p>}
      {progress.atDueDate && (
        <p>{t('atDueDate', { date: month(progress.atDueDate.period), value: format(progress.atDueDate.value) })}</p>
      )}
      {progress.baseline && progress.progressRatio !== null && progress.progressBand && (
        <p>
          {t('progressSince', {
            date: sinceMonth(progress.baseline.period),
            value: format(progress.baseline.value),
            ratio: formatValue(lang, progress.progressRatio, 'share'),
          })}{' '}
          — {t(bandKey[progress.progressBand])}
        </p>
      )}
      <dl className="target-figures">
        <div>
          <dt>{t('current')}</dt>
          <dd>
            {format(progress.current)}
            {progress.currentPeriod ? ` (${month(progress.currentPeriod)})` : ''}
          </dd>
        </div>
        <div>
          <dt>{t('trendPerMonth')}</dt>
          <dd>{formatGain(progress.trendPerMonth)}</dd>
        </div>
        <div>
          <dt>{t('projectedDate')}</dt>
          <dd>
            {['reached', 'reached_late', 'missed'].includes(progress.status)
              ? '–'
              : progress.projectedDate
                ? formatDay(lang, progress.projectedDate, 'LLLL yyyy')
                : t('notAtTrend')}
          </dd>
        </div>
        <div>
          <dt>{t('gainNeeded')}</dt>
          <dd>{formatGain(progress.monthlyGainNeeded)}</dd>
        </div>
      </dl>
      <Panel
        title={metric?.names[lang] ?? target.metric}
        state={{ status: 'ready', data: progress }}
        empty={progress.series.length === 0}
        option={chart}
        height={240}
        span="full"
        table={{
          columns: [t('periodColumn'), t('value'), t('projection'), t('low'), t('high')],
          numeric: [1, 2, 3, 4],
          rows: [
            ...progress.series.map((point) => [
              `${month(point.period)}${point.provisional ? ` (${t('provisionalBadge')})` : ''}`,
              format(point.value),
              '',
              '',
              '',
            ]),
            ...progress.projection.map((point) => [
              month(point.period),
              '',
              format(point.value),
              format(point.low),
              format(point.high),
            ]),
          ],
        }}
      />
    </li>
  )
}

/** Every region's distance to a national target, ranked by months to it at the region's own trend. */
function RegionsToTarget({ targets }: { targets: Target[] }) {
  const { t, lang, label, meta } = useSession()
  const byRegion = (metric: string) =>
    meta?.metrics.find((item) => item.id === metric)?.breakdowns.includes('region') ?? false
  const national = targets.filter(
    (target) => !target.filters.region && target.progress?.status !== 'no_data' && byRegion(target.metric),
  )
  const [chosen, setChosen] = useState(national[0]?.id ?? '')
  const id = national.some((target) => target.id === chosen) ? chosen : (national[0]?.id ?? '')
  const state = useApi<TargetRegions>(id ? api.targetRegions(id) : null)
  const target = national.find((item) => item.id === id)
  const unit = meta?.metrics.find((item) => item.id === target?.metric)?.unit ?? 'share'
  const when = (row: TargetRegions['regions'][number]) =>
    row.monthsToTarget === null
      ? t('notAtTrend')
      : row.monthsToTarget === 0
        ? t('statusReached')
        : t('inMonths', { months: row.monthsToTarget })
  const option = useMemo(
    () =>
      state.data
        ? distanceOption({
            regions: state.data.regions.map((row) => ({
              name: label('region', row.region),
              value: row.current,
              tone: statusTone[row.status],
              when: when(row),
            })),
            target: state.data.target.value,
            targetLabel: t('target'),
            formatValue: (value) => formatValue(lang, value, unit),
            share: unit === 'share',
          })
        : null,
    [state.data, lang],
  )
  if (!target) return null
  return (
    <Panel
      title={t('regionsToTarget')}
      state={state}
      empty={(state.data?.regions.length ?? 0) === 0}
      option={option}
      height={Math.max(320, (state.data?.regions.length ?? 10) * 26)}
      span="full"
      controls={
        national.length > 1 ? (
          <select aria-label={t('targets')} value={id} onChange={(event) => setChosen(event.target.value)}>
            {national.map((item) => (
              <option key={item.id} value={item.id}>
                {item.title[lang]}
              </option>
            ))}
          </select>
        ) : null
      }
      table={
        state.data
          ? {
              columns: [t('region'), t('current'), t('monthsToTarget'), t('projectedDate')],
              numeric: [1, 2],
              rows: state.data.regions.map((row) => [
                label('region', row.region),
                formatValue(lang, row.current, unit),
                when(row),
                row.projectedDate ? formatDay(lang, row.projectedDate, 'LLL yyyy') : '–',
              ]),
            }
          : null
      }
    />
  )
}

export function Targets() {
  const { t, meta } = useSession()
  const state = useApi<{ targets: Target[] }>(api.targets())
  const unitOf = (metric: string): Unit => meta?.metrics.find((item) => item.id === metric)?.unit ?? 'share'
  if (state.status !== 'ready')
    return (
      <p className="state" role={state.status === 'error' ? 'alert' : 'status'} data-chart={state.status}>
        {state.status === 'loading' ? t('loading') : t('errorBecause', { reason: state.error.message })}
      </p>
    )
  if (state.data.targets.length === 0) return <p className="state">{t('noTargets')}</p>
  return (
    <div className="page-grid">
      <ul className="targets span-full" data-chart="ready">
        {state.data.targets.map((target) => (
          <TargetCard key={target.id} target={target} unit={unitOf(target.metric)} />
        ))}
      </ul>
      <RegionsToTarget targets={state.data.targets} />
    </div>
  )
}
