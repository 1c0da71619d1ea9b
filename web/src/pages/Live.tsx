// Live: today's transactions so far by hour and channel and the last hour by minute, kept current by the server's
// events without a reload, with the feeds that are not on time.
import type { LiveSnapshot } from '@qyzmet/api/contract'
import { useMemo } from 'react'
import { hourlyByChannel, hourlyOption, minutesOption, onlineShareOf } from '../charts/live.ts'
import { channelOrder } from '../charts/mix.ts'
import { FeedProblems } from '../components/FeedProblems.tsx'
import { Panel } from '../components/Panel.tsx'
import { formatNumber, formatValue, type PlainKey } from '../i18n.ts'
import { type LiveStatus, useLiveStream } from '../live.ts'
import type { Loaded } from '../queries.ts'
import { useSession } from '../session.tsx'

const statusKey: Record<LiveStatus, PlainKey> = {
  connecting: 'liveConnecting',
  live: 'liveConnected',
  unavailable: 'liveUnavailable',
  reconnecting: 'liveReconnecting',
  refused: 'liveRefused',
}

/** A clock time (HH:MM) of an instant in the deployment's zone. */
const clock = (iso: string, zone: string, seconds = false) =>
  new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    hour: '2-digit',
    minute: '2-digit',
    ...(seconds ? { second: '2-digit' as const } : {}),
    hourCycle: 'h23',
  }).format(new Date(iso))

export function Live() {
  const { t, lang, view, meta, label } = useSession()
  const live = useLiveStream(view.filters.region)
  const snapshot = live.snapshot
  const count = (value: number) => formatNumber(lang, value)
  const order = useMemo(() => channelOrder(meta?.dimensions.channel ?? []), [meta])
  const online = useMemo(
    () => new Set((meta?.dimensions.channel ?? []).filter((c) => c.kind === 'online').map((c) => c.code)),
    [meta],
  )
  const loaded: Loaded<LiveSnapshot> = snapshot
    ? { status: 'ready', data: snapshot }
    : live.status === 'refused'
      ? { status: 'error', error: new Error(t('liveRefused')) }
      : { status: 'loading' }
  const zone = snapshot?.timezone ?? meta?.timezone ?? 'Asia/Almaty'
  const currentHour = snapshot ? Number(clock(snapshot.asOf, zone).slice(0, 2)) : 0

  const hourly = useMemo(
    () =>
      snapshot
        ? hourlyOption({
            hours: snapshot.hours,
            order,
            nameOf: (code) => label('channel', code),
            formatCount: count,
            currentHour,
            labels: { now: t('liveNow') },
          })
        : null,
    [snapshot, order, lang, currentHour],
  )
  const perMinute = useMemo(
    () =>
      snapshot
        ? minutesOption({
            minutes: snapshot.minutes,
            formatCount: count,
            formatTime: (iso) => clock(iso, zone),
            label: t('liveByMinute'),
          })
        : null,
    [snapshot, lang, zone],
  )
  const receivedAgo = (asOf: string, received: string) => {
    const minutes = Math.floor((Date.parse(asOf) - Date.parse(received)) / 60_000)
    return minutes < 1 ? t('liveReceivedJustNow') : t('liveReceivedAgo', { minutes })
  }
  const table = snapshot ? hourlyByChannel(snapshot.hours, order) : new Map<string, number[]>()
  const share = snapshot ? onlineShareOf(snapshot.hours, online) : null

  return (
    <div className="page-grid live">
      <p className={`live-status span-full status-${live.status}`} role="status" data-live={live.status}>
        <span className="live-dot" aria-hidden="true" />
        {t(statusKey[live.status])}
        {snapshot && ` · ${t('liveUpdated', { time: clock(snapshot.asOf, zone, true) })}`}
      </p>
      <div className="kpis span-full">
        <article className="kpi" data-kpi="live-transactions">
          <h2>{t('liveTransactions')}</h2>
          <p className="kpi-value" data-value={snapshot?.transactions ?? ''}>
            {snapshot ? count(snapshot.transactions) : '…'}
            <span className="badge provisional">{t('provisionalBadge')}</span>
          </p>
          <p className="kpi-change">
            {snapshot?.lastEvent ? t('liveLastEvent', { time: clock(snapshot.lastEvent, zone) }) : t('liveNoneYet')}
          </p>
        </article>
        <article className="kpi" data-kpi="live-completed">
          <h2>{t('liveCompleted')}</h2>
          <p className="kpi-value">
            {snapshot ? count(snapshot.completed) : '…'}
            <span className="badge provisional">{t('provisionalBadge')}</span>
          </p>
          <p className="kpi-change">
            {snapshot?.lastReceived ? receivedAgo(snapshot.asOf, snapshot.lastReceived) : ' '}
          </p>
        </article>
        <article className="kpi" data-kpi="live-online-share">
          <h2>{t('liveOnlineShare')}</h2>
          <p className="kpi-value">
            {formatValue(lang, share, 'share')}
            <span className="badge provisional">{t('provisionalBadge')}</span>
          </p>
        </article>
      </div>
      <Panel
        title={t('liveByHour')}
        state={loaded}
        empty={(snapshot?.transactions ?? 0) === 0}
        emptyText={t('liveNoneYet')}
        option={hourly}
        height={340}
        span="two-thirds"
        table={{
          columns: [t('liveHour'), ...[...table.keys()].map((code) => label('channel', code))],
          numeric: [...table.keys()].map((_, index) => index + 1),
          rows: Array.from({ length: currentHour + 1 }, (_, hour) => [
            `${String(hour).padStart(2, '0')}:00`,
            ...[...table.values()].map((counts) => count(counts[hour] ?? 0)),
          ]),
        }}
      />
      <Panel
        title={t('liveByMinute')}
        state={loaded}
        empty={false}
        option={perMinute}
        height={340}
        span="third"
        table={{
          columns: [t('liveMinute'), t('liveTransactions')],
          numeric: [1],
          rows: (snapshot?.minutes ?? []).map((entry) => [clock(entry.minute, zone), count(entry.transactions)]),
        }}
      />
      <FeedProblems />
      <p className="note span-full">{t('liveProvisionalNote', { timezone: zone })}</p>
    </div>
  )
}
