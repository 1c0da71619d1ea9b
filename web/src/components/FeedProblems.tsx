// The expected feeds that are not on time (late, silent, or rows with none completed), from the monitor.
import { useQuery } from '@tanstack/react-query'
import { readToken } from '../api.ts'
import { formatDay, type PlainKey } from '../i18n.ts'
import { type FeedList, type FeedStatus, monitorApi } from '../monitor.ts'
import { apiQuery, type Loaded } from '../queries.ts'
import { useSession } from '../session.tsx'
import { Panel } from './Panel.tsx'

export const feedStateKey: Record<FeedStatus['state'], PlainKey> = {
  on_time: 'feedState_on_time',
  late: 'feedState_late',
  silent: 'feedState_silent',
  zero: 'feedState_zero',
}

/** Worst first: silent, then zero, then late; then the longest run of missing days. */
const severity: Record<FeedStatus['state'], number> = { silent: 0, zero: 1, late: 2, on_time: 3 }

export function FeedProblems({ span = 'full' }: { span?: 'full' | 'half' }) {
  const { t, lang, label, view } = useSession()
  // Asked again every minute: the page stays open on a screen for hours, and feeds change state as the day goes.
  const query = useQuery({ ...apiQuery<FeedList>(monitorApi.feeds(), readToken()), refetchInterval: 60_000 })
  const feeds: Loaded<FeedList> =
    query.status === 'success'
      ? { status: 'ready', data: query.data }
      : query.status === 'error'
        ? { status: 'error', error: query.error }
        : { status: 'loading' }
  const regions = view.filters.region
  const expected = (feeds.data?.feeds ?? []).filter(
    (feed) => feed.active && (regions.length === 0 || regions.includes(feed.region)),
  )
  const problems = expected
    .filter((feed) => feed.state !== 'on_time')
    .sort((a, b) => severity[a.state] - severity[b.state] || b.missingDays - a.missingDays)
  return (
    <Panel
      title={t('feedsTitle')}
      state={feeds}
      empty={problems.length === 0}
      emptyText={t('feedsAllOnTime', { total: expected.length })}
      option={null}
      tableOnly
      height={problems.length > 6 ? 320 : 200}
      span={span}
      footer={
        problems.length > 0 ? (
          <p className="note" data-feed-problems={problems.length}>
            {t('feedsSummary', { problems: problems.length, total: expected.length })}
          </p>
        ) : null
      }
      table={{
        columns: [t('feedSource'), t('channel'), t('region'), t('feedState'), t('feedSince'), t('feedMissing')],
        numeric: [5],
        rows: problems.map((feed) => [
          feed.source,
          label('channel', feed.channel),
          label('region', feed.region),
          <span key="state" className={`badge feed-${feed.state}`}>
            {t(feedStateKey[feed.state])}
          </span>,
          feed.since ? formatDay(lang, feed.since) : '–',
          String(feed.missingDays),
        ]),
      }}
    />
  )
}
