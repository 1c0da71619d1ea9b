// Incidents: anomalies found and feeds not on time over a range, on a timeline and a map, each linked to the chart
// that shows it; alerts firing with acknowledge and resolve, and analysts' annotations of charts.
import { useQueryClient } from '@tanstack/react-query'
import { addDays, formatISO, parseISO } from 'date-fns'
import { useMemo, useState } from 'react'
import { choroplethOption } from '../charts/choropleth.ts'
import { useNarrow } from '../charts/EChart.tsx'
import { problemsByRegion, timelineItems, timelineOption } from '../charts/incidents.ts'
import { AnnotationForm } from '../components/AnnotationForm.tsx'
import { feedStateKey } from '../components/FeedProblems.tsx'
import { Panel } from '../components/Panel.tsx'
import { ViewLink } from '../components/ViewLink.tsx'
import { errorMessage } from '../errors.ts'
import { formatDay, formatNumber, formatValue, type PlainKey } from '../i18n.ts'
import { type Alert, type Incident, type Incidents as IncidentsAnswer, monitorApi, monitorWrites } from '../monitor.ts'
import { useApi } from '../queries.ts'
import { useSession } from '../session.tsx'
import { useBoundaries } from './Regions.tsx'

const shift = (day: string, days: number) => formatISO(addDays(parseISO(day), days), { representation: 'date' })

const headlineKey: Record<`${Incident['metric']}:${Incident['direction']}`, PlainKey> = {
  'requests:down': 'incidentRequestsDown',
  'requests:up': 'incidentRequestsUp',
  'online_request_share:down': 'incidentShareDown',
  'online_request_share:up': 'incidentShareUp',
}

export function Incidents() {
  const { t, lang, view, meta, label, who } = useSession()
  const queries = useQueryClient()
  const today = meta?.today ?? ''
  const to = view.filters.to ?? today
  const from = view.filters.from ?? (to ? shift(to, -30) : '')
  const scope = {
    region: view.filters.region.join(',') || undefined,
    channel: view.filters.channel.join(',') || undefined,
    service: view.filters.service.join(',') || undefined,
  }
  const url = today ? monitorApi.incidents({ from, to, ...scope }) : null
  const answer = useApi<IncidentsAnswer>(url)
  const alerts = useApi<{ alerts: Alert[] }>(monitorApi.alerts('firing'))
  const analyst = who?.role === 'analyst'
  const boundaries = useBoundaries(2024)
  const narrow = useNarrow()
  const [failure, setFailure] = useState<string | null>(null)

  const incidents = answer.data?.incidents ?? []
  const feeds = answer.data?.feeds ?? []
  const where = (region: string, channel: string, service: string) =>
    [
      region ? label('region', region) : service ? '' : t('everywhere'),
      channel ? label('channel', channel) : '',
      service ? label('service', service) : '',
    ]
      .filter(Boolean)
      .join(' · ')
  const describe = {
    incident: (incident: Incident) =>
      `${t(headlineKey[`${incident.metric}:${incident.direction}`])}: ${where(incident.region, incident.channel, incident.service)}`,
    feed: (feed: IncidentsAnswer['feeds'][number]) =>
      `${t(feedStateKey[feed.state])}: ${feed.source} · ${where(feed.region, feed.channel, '')}`,
  }
  const items = timelineItems(incidents, feeds, today, describe)
  const timeline = useMemo(
    () =>
      items.length && from
        ? timelineOption({
            items,
            from,
            to,
            formatDate: (day) => formatDay(lang, day, 'd MMM'),
            labels: { down: t('timelineDown'), up: t('timelineUp'), feed: t('timelineFeed') },
            labelWidth: narrow ? 120 : 260,
          })
        : null,
    [answer.data, lang, from, to, narrow],
  )
  const counts = problemsByRegion(incidents, feeds)
  const regions = meta?.dimensions.region ?? []
  const map = useMemo(
    () =>
      boundaries && regions.length
        ? choroplethOption({
            map: 'kz-regions',
            values: regions.map((region) => ({
              code: region.code,
              name: region.names[lang],
              value: counts.get(region.code) ?? 0,
            })),
            selected: view.filters.region,
            formatValue: (value) => formatNumber(lang, value),
          })
        : null,
    [answer.data, boundaries, regions, lang],
  )

  /** The Channels page over the incident's weeks by day: the chart on which the incident shows. */
  const chartOf = (incident: Incident) => ({
    page: 'channels' as const,
    filters: {
      region: incident.region ? [incident.region] : [],
      service: incident.service ? [incident.service] : [],
      channel: [],
      category: [],
      age_band: [],
      period: undefined,
      from: shift(incident.from, -21),
      // Dates compare as text (YYYY-MM-DD); a week after the incident, or today if that is sooner.
      to: [shift(incident.to, 7), today].sort()[0],
      interval: 'day' as const,
    },
  })
  const unit = (incident: Incident) => (incident.metric === 'requests' ? 'count' : 'share')
  const act = async (write: () => Promise<unknown>) => {
    setFailure(null)
    try {
      await write()
      await queries.invalidateQueries({ queryKey: ['api'] })
    } catch (error) {
      setFailure(errorMessage(t, error as Error))
    }
  }

  return (
    <div className="page-grid incidents">
      <p className="summary span-full" role="status" data-incidents={incidents.length} data-feeds={feeds.length}>
        {from && `${formatDay(lang, from)} – ${formatDay(lang, to)}: `}
        {t('incidentsSummary', {
          incidents: incidents.length,
          open: incidents.filter((incident) => incident.open).length,
          feeds: feeds.length,
        })}
      </p>
      <Panel
        title={t('timelineTitle')}
        state={answer}
        empty={items.length === 0}
        emptyText={t('noIncidents')}
        option={timeline}
        height={Math.min(640, 80 + 30 * items.length)}
        span="two-thirds"
        table={{
          columns: [t('incidentWhat'), t('from'), t('to')],
          rows: items.map((item) => [item.label, formatDay(lang, item.from), formatDay(lang, item.to)]),
        }}
      />
      <Panel
        title={t('problemsMap')}
        state={boundaries ? answer : { status: 'loading' }}
        empty={false}
        option={map}
        height={Math.min(640, Math.max(320, 80 + 30 * items.length))}
        span="third"
        table={{
          columns: [t('region'), t('problemsColumn')],
          numeric: [1],
          rows: [...counts.entries()].map(([code, count]) => [label('region', code), String(count)]),
        }}
      />
      <Panel
        title={t('incidentsList')}
        state={answer}
        empty={incidents.length === 0}
        emptyText={t('noIncidents')}
        option={null}
        tableOnly
        height={Math.min(520, 80 + 44 * incidents.length)}
        span="full"
        table={{
          columns: [t('incidentWhat'), t('incidentDays'), t('incidentValue'), t('incidentState'), ''],
          rows: incidents.map((incident) => [
            describe.incident(incident),
            `${formatDay(lang, incident.from)} – ${formatDay(lang, incident.to)}`,
            t('incidentExpected', {
              value: formatValue(lang, incident.worst.value, unit(incident)),
              expected: formatValue(lang, incident.worst.expected, unit(incident)),
              low: formatValue(lang, incident.worst.low, unit(incident)),
              high: formatValue(lang, incident.worst.high, unit(incident)),
            }),
            incident.open ? t('incidentOpen') : t('incidentOver'),
            <ViewLink key="chart" to={chartOf(incident)}>
              {t('showOnChart')}
            </ViewLink>,
          ]),
        }}
      />
      <Panel
        title={t('alertsFiring')}
        state={alerts}
        empty={(alerts.data?.alerts.length ?? 0) === 0}
        emptyText={t('noAlerts')}
        option={null}
        tableOnly
        height={Math.min(480, 80 + 44 * (alerts.data?.alerts.length ?? 0))}
        span="full"
        footer={
          failure ? (
            <p className="state error" role="alert">
              {failure}
            </p>
          ) : null
        }
        table={{
          columns: [t('alertRule'), t('alertDetail'), t('alertStarted'), ''],
          rows: (alerts.data?.alerts ?? []).map((alert) => [
            alert.ruleName ?? alert.ruleId,
            alert.detail,
            `${alert.startedAt.slice(0, 16)} UTC`,
            analyst ? (
              <span key="actions" className="alert-actions">
                {alert.acknowledgedAt ? (
                  <span className="badge">{t('acknowledged')}</span>
                ) : (
                  <button type="button" onClick={() => act(() => monitorWrites.acknowledge(alert.id))}>
                    {t('acknowledge')}
                  </button>
                )}
                <button type="button" onClick={() => act(() => monitorWrites.resolve(alert.id))}>
                  {t('resolve')}
                </button>
              </span>
            ) : (
              ''
            ),
          ]),
        }}
      />
      {analyst && <AnnotationForm />}
    </div>
  )
}
