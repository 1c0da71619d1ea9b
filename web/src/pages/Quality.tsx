// Data quality: freshness per source, region and channel (stale feeds flagged), quarantine by reason, recent batches.
import { useMemo } from 'react'
import { api, type IngestBatch, type IngestQuality } from '../api.ts'
import { barsOption } from '../charts/bars.ts'
import { feedLags, freshnessOption, instant, sourceLags, staleAfterDays } from '../charts/quality.ts'
import { Panel } from '../components/Panel.tsx'
import { formatNumber, type PlainKey } from '../i18n.ts'
import { useApi } from '../queries.ts'
import { useSession } from '../session.tsx'

/** Engine and ledger times are UTC; minutes are as precise as anyone watching feeds needs. */
const atMinute = (text: string | null) => (text ? `${text.replace('T', ' ').slice(0, 16)} UTC` : '–')

export function Quality() {
  const { t, lang, label } = useSession()
  const qualityUrl = api.ingestQuality()
  const batchesUrl = api.ingestBatches()
  const quality = useApi<IngestQuality>(qualityUrl)
  const batches = useApi<{ batches: IngestBatch[] }>(batchesUrl)
  const days = (value: number) => t('days', { value: formatNumber(lang, value, 1) })
  const count = (value: number) => formatNumber(lang, value)

  const lags = useMemo(() => feedLags(quality.data?.freshness ?? []), [quality.data])
  const sources = useMemo(() => sourceLags(lags), [lags])
  const freshness = useMemo(
    () => (sources.length ? freshnessOption({ sources, formatDays: days, staleLabel: t('staleLine') }) : null),
    [sources, lang],
  )
  const reasons = quality.data?.quarantine ?? []
  const quarantine = useMemo(
    () =>
      reasons.length
        ? barsOption({
            bars: reasons.map((row) => ({ name: row.reason, value: row.rows })),
            formatValue: count,
            horizontal: true,
            labelWidth: 200,
            wholeNumbers: true,
          })
        : null,
    [reasons, lang],
  )
  const stale = lags.filter((lag) => lag.stale).length
  const newest = Math.max(...lags.map((lag) => instant(lag.lastLoadedAt)))
  const idleDays = Math.floor((Date.now() - newest) / 86_400_000)
  const batchRows = batches.data?.batches ?? []

  return (
    <div className="page-grid">
      {lags.length > 0 && (
        <p className={`summary span-full ${stale ? 'warn' : ''}`} role="status">
          {t('staleSummary', { stale, total: lags.length, days: staleAfterDays })}
          {idleDays > 1 && ` ${t('noLoadFor', { days: idleDays })}`}
        </p>
      )}
      <Panel
        title={t('freshnessTitle')}
        state={quality}
        empty={sources.length === 0}
        option={freshness}
        height={320}
        table={{
          columns: [t('source'), t('lagDays'), t('stale')],
          numeric: [1, 2],
          rows: sources.map((item) => [item.source, days(item.lagDays), `${item.stale} / ${item.feeds}`]),
        }}
      />
      <Panel
        title={t('quarantineTitle')}
        state={quality}
        empty={reasons.length === 0}
        emptyText={t('noQuarantine')}
        option={quarantine}
        height={320}
        table={{
          columns: [t('reason'), t('rows'), t('batchesColumn'), t('lastAt')],
          numeric: [1, 2],
          rows: reasons.map((row) => [row.reason, count(row.rows), count(row.batches), atMinute(row.last_at)]),
        }}
      />
      <Panel
        title={t('batchesTitle')}
        state={batches}
        empty={batchRows.length === 0}
        emptyText={t('noBatches')}
        option={null}
        tableOnly
        span="full"
        height={Math.min(420, 80 + 36 * batchRows.length)}
        table={{
          columns: [
            t('started'),
            t('source'),
            t('file'),
            t('batchState'),
            t('rows'),
            t('loaded'),
            t('duplicates'),
            t('quarantined'),
            t('finished'),
          ],
          numeric: [4, 5, 6, 7],
          rows: batchRows.map((batch) => [
            atMinute(batch.started_at),
            batch.source,
            batch.file,
            t(`batch_${batch.state}` as PlainKey) + (batch.error ? `: ${batch.error}` : ''),
            count(batch.rows),
            count(batch.loaded),
            count(batch.duplicates_in_batch + batch.duplicates_existing),
            count(batch.quarantined),
            atMinute(batch.finished_at),
          ]),
        }}
      />
      <Panel
        title={t('freshnessTable')}
        state={quality}
        empty={lags.length === 0}
        option={null}
        tableOnly
        span="full"
        height={420}
        table={{
          columns: [t('status'), t('source'), t('region'), t('channel'), t('lastEvent'), t('lastLoad'), t('lagDays')],
          numeric: [6],
          rows: lags.map((lag) => [
            lag.stale ? `⚠ ${t('stale')}` : t('fresh'),
            lag.source,
            label('region', lag.region),
            label('channel', lag.channel),
            atMinute(lag.lastEventAt),
            atMinute(lag.lastLoadedAt),
            days(lag.lagDays),
          ]),
        }}
      />
    </div>
  )
}
