// Incidents: the anomalies of one series on consecutive days taken together, and each shown as a chart annotation.
import type { Annotation, Anomaly, Incident, Lang } from '../contract/index.ts'
import type { Reference } from '../reference.ts'
import type { Anomaly as Found } from './anomalies.ts'
import { shiftDay } from './clock.ts'
import { seriesId } from './series.ts'

/** A stored anomaly as the API shows it; `open` when its day is the last complete day. */
export const anomalyOf = (found: Found, lastDay: string): Anomaly => ({
  metric: found.metric,
  region: found.region,
  channel: found.channel,
  service: found.service,
  day: found.day,
  days: found.days,
  value: found.value,
  expected: found.expected,
  low: found.low,
  high: found.high,
  score: found.score,
  base: found.base,
  deviation: found.value - found.expected,
  open: found.day >= lastDay,
})

const firstDay = (anomaly: Anomaly) => shiftDay(anomaly.day, 1 - anomaly.days)

/** Anomalies grouped per series into runs of touching days (a run judged together covers its days), newest first. */
export function groupIncidents(anomalies: readonly Anomaly[]): Incident[] {
  const bySeries = new Map<string, Anomaly[]>()
  for (const anomaly of anomalies) {
    const id = seriesId(anomaly)
    bySeries.set(id, [...(bySeries.get(id) ?? []), anomaly])
  }
  const incidents: Incident[] = []
  for (const series of bySeries.values()) {
    series.sort((a, b) => firstDay(a).localeCompare(firstDay(b)) || a.day.localeCompare(b.day))
    let current: Incident | null = null
    for (const anomaly of series) {
      if (current && firstDay(anomaly) <= shiftDay(current.to, 1)) {
        current.anomalies.push(anomaly)
        if (anomaly.day > current.to) current.to = anomaly.day
        if (Math.abs(anomaly.score) > Math.abs(current.worst.score)) current.worst = anomaly
        current.open ||= anomaly.open
        continue
      }
      current = {
        metric: anomaly.metric,
        region: anomaly.region,
        channel: anomaly.channel,
        service: anomaly.service,
        from: firstDay(anomaly),
        to: anomaly.day,
        direction: 'up',
        open: anomaly.open,
        worst: anomaly,
        anomalies: [anomaly],
      }
      incidents.push(current)
    }
  }
  for (const incident of incidents) incident.direction = incident.worst.score < 0 ? 'down' : 'up'
  return incidents.sort((a, b) => b.to.localeCompare(a.to) || Math.abs(b.worst.score) - Math.abs(a.worst.score))
}

const headline: Record<Lang, Record<`${Incident['metric']}:${Incident['direction']}`, string>> = {
  kk: {
    'requests:down': 'Өтінімдер күтілгеннен аз',
    'requests:up': 'Өтінімдер күтілгеннен көп',
    'online_request_share:down': 'Онлайн үлес күтілгеннен төмен',
    'online_request_share:up': 'Онлайн үлес күтілгеннен жоғары',
  },
  ru: {
    'requests:down': 'Заявок меньше ожидаемого',
    'requests:up': 'Заявок больше ожидаемого',
    'online_request_share:down': 'Онлайн-доля ниже ожидаемой',
    'online_request_share:up': 'Онлайн-доля выше ожидаемой',
  },
  en: {
    'requests:down': 'Fewer requests than expected',
    'requests:up': 'More requests than expected',
    'online_request_share:down': 'Online share lower than expected',
    'online_request_share:up': 'Online share higher than expected',
  },
}

const everywhere: Record<Lang, string> = { kk: 'бүкіл Қазақстан', ru: 'весь Казахстан', en: 'all of Kazakhstan' }

/** An incident as an annotation of the charts of its range (kind outage when volume fell, otherwise other). */
export function incidentAnnotation(incident: Incident, reference: Reference): Annotation {
  const name = (list: { code: string; names: Record<Lang, string> }[], code: string, lang: Lang) =>
    code ? (list.find((each) => each.code === code)?.names[lang] ?? code) : ''
  const title = (lang: Lang) => {
    const where = [
      name(reference.regions, incident.region, lang) || (incident.service ? '' : everywhere[lang]),
      name(reference.channels, incident.channel, lang),
      incident.service ? `${incident.service} ${name(reference.services, incident.service, lang)}` : '',
    ].filter(Boolean)
    return `${headline[lang][`${incident.metric}:${incident.direction}`]}: ${where.join(' · ')}`.slice(0, 2000)
  }
  const list = (code: string) => (code ? [code] : undefined)
  return {
    id: `incident-${seriesId(incident).replaceAll('|', '-')}-${incident.from}`,
    from: incident.from,
    to: incident.to,
    kind: incident.metric === 'requests' && incident.direction === 'down' ? 'outage' : 'other',
    isBreak: false,
    scope: Object.fromEntries(
      Object.entries({
        region: list(incident.region),
        channel: list(incident.channel),
        service: list(incident.service),
      }).filter(([, values]) => values !== undefined),
    ),
    title: { kk: title('kk'), ru: title('ru'), en: title('en') },
    createdBy: 'monitor',
    origin: 'incident',
  }
}
