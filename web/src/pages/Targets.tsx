// Targets: each with its current value, trend, projected date and whether it is on track.
import { api, type Target } from '../api.ts'
import { formatChange, formatDay, formatValue, type Unit } from '../i18n.ts'
import { useApi } from '../queries.ts'
import { useSession } from '../session.tsx'

export function Targets() {
  const { t, lang, meta } = useSession()
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
    <ul className="targets" data-chart="ready">
      {state.data.targets.map((target) => {
        const unit = unitOf(target.metric)
        const progress = target.progress
        const format = (value: number | null | undefined) => formatValue(lang, value, unit)
        // Monthly changes of a share read as percentage points, not as a share of their own.
        const formatGain = (value: number | null | undefined) =>
          value == null ? '–' : unit === 'share' ? formatChange(lang, value, null, unit) : format(value)
        const status = progress?.reached ? t('reached') : progress?.onTrack ? t('onTrack') : t('offTrack')
        const metricName = meta?.metrics.find((item) => item.id === target.metric)?.names[lang] ?? target.metric
        return (
          <li key={target.id} className="target">
            <div className="target-head">
              <h2>{target.title[lang]}</h2>
              <span className={`badge ${progress?.onTrack ? 'good' : 'bad'}`}>{status}</span>
            </div>
            <p className="muted">
              {t('targetLine', {
                metric: metricName,
                value: format(target.value),
                date: formatDay(lang, target.dueDate),
              })}
            </p>
            <meter
              className="bar"
              min={0}
              max={target.value}
              value={progress?.current ?? 0}
              aria-label={target.title[lang]}
            >
              {format(progress?.current)}
            </meter>
            <dl className="target-figures">
              <div>
                <dt>{t('current')}</dt>
                <dd>{format(progress?.current)}</dd>
              </div>
              <div>
                <dt>{t('trendPerMonth')}</dt>
                <dd>{formatGain(progress?.trendPerMonth)}</dd>
              </div>
              <div>
                <dt>{t('projectedDate')}</dt>
                <dd>{progress?.projectedDate ? formatDay(lang, progress.projectedDate) : t('never')}</dd>
              </div>
              <div>
                <dt>{t('gainNeeded')}</dt>
                <dd>{formatGain(progress?.monthlyGainNeeded)}</dd>
              </div>
            </dl>
          </li>
        )
      })}
    </ul>
  )
}
