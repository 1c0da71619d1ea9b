// Runs the detector over every watched series, and keeps what it found in the store (cleared when late rows undo it).
import type { Store } from '@qyzmet/sql'
import type { Reference } from '../reference.ts'
import { type Clock, shiftDay, today, yesterday } from './clock.ts'
import { type Break, type DetectorOptions, defaultDetector, type Judgement, judgeSeries } from './detect.ts'
import { clearDays, type DailyData, emptyDailyData, fillDailySeries, type SeriesKey } from './series.ts'

export interface Anomaly extends Judgement, SeriesKey {}

export interface Detection {
  anomalies: Anomaly[]
  /** Series × days judged (not all days are: too little history, too small a cell). */
  judged: number
  from: string
  to: string
}

/**
 * The detector with its history: days older than the baseline window do not change within a day, so they are read
 * once a day; the recent ones (where late rows land) every time.
 */
export class AnomalyDetector {
  private cache: { today: string; data: DailyData } | null = null

  constructor(private readonly options: DetectorOptions = defaultDetector) {}

  /** Judges the last `judgeDays` complete days (or [from, to] when given) of every series. */
  async detect(
    store: Store,
    reference: Reference,
    clock: Clock,
    breaks: readonly Break[],
    range: { judgeDays?: number; from?: string; to?: string } = {},
  ): Promise<Detection> {
    const to = range.to ?? yesterday(clock)
    const from = range.from ?? shiftDay(to, -((range.judgeDays ?? 7) - 1))
    const historyFrom = shiftDay(from, -(this.options.holidayLookbackDays + this.options.windowDays))
    const recentFrom = shiftDay(from, -(this.options.windowDays + this.options.runDays))
    const data = await this.history(store, reference, clock, historyFrom, recentFrom, to)
    const start = data.position.get(from) ?? data.days.length
    const anomalies: Anomaly[] = []
    let judged = 0
    let sinceYield = performance.now()
    for (const { key, data: series } of data.series.values()) {
      // Judging thousands of series is work on the event loop: requests of the same process get a turn between them.
      if (performance.now() - sinceYield > 20) {
        await new Promise((resume) => setImmediate(resume))
        sinceYield = performance.now()
      }
      const judgements = judgeSeries(series, data.days, start, breaks, this.options)
      judged += judgements.filter((judgement) => judgement.days === 1).length
      for (const judgement of judgements) if (judgement.anomalous) anomalies.push({ ...key, ...judgement })
    }
    return { anomalies, judged, from, to }
  }

  private async history(
    store: Store,
    reference: Reference,
    clock: Clock,
    from: string,
    recentFrom: string,
    to: string,
  ): Promise<DailyData> {
    const day = today(clock)
    const cached = this.cache
    // History read for a longer judgement (a process's first round) serves the shorter ones after it.
    const first = cached?.data.days[0]?.date
    if (
      cached &&
      cached.today === day &&
      first !== undefined &&
      first <= from &&
      cached.data.days.at(-1)?.date === to
    ) {
      clearDays(cached.data, recentFrom, to)
      await fillDailySeries(store, reference, cached.data, recentFrom, to, day)
      return cached.data
    }
    const data = emptyDailyData(from, to)
    await fillDailySeries(store, reference, data, from, to, day)
    this.cache = { today: day, data }
    return data
  }
}

interface AnomalyRow {
  metric: Anomaly['metric']
  region: string
  channel: string
  service: string
  on_day: string
  days: number
  value: number
  expected: number
  low: number
  high: number
  score: number
  base: number
}

const keyOf = (row: Pick<Anomaly, 'day' | 'metric' | 'region' | 'channel' | 'service' | 'days'>) =>
  [row.day, row.metric, row.region, row.channel, row.service, row.days].join('|')

/** The anomalies stored for days [from, to] and not cleared since. */
export async function loadAnomalies(store: Store, from: string, to: string): Promise<Anomaly[]> {
  const rows = await store.rows<AnomalyRow>(
    'monitor:anomalies',
    `SELECT toString(metric) AS metric, region, channel, service, toString(day) AS on_day, days, value, expected, low,
            high, score, base
     FROM monitor_anomalies FINAL
     WHERE day BETWEEN {from:Date} AND {to:Date} AND cleared = 0
     ORDER BY day, metric, region, channel, service, days`,
    { from, to },
  )
  return rows.map(({ on_day, ...row }) => ({
    ...row,
    day: on_day,
    days: Number(row.days),
    holiday: false,
    anomalous: true,
  }))
}

/** Stores what a detection found, and clears what it no longer finds among the days it judged. */
export async function recordAnomalies(store: Store, detection: Detection): Promise<{ added: Anomaly[] }> {
  const stored = new Map((await loadAnomalies(store, detection.from, detection.to)).map((row) => [keyOf(row), row]))
  const added = detection.anomalies.filter((anomaly) => !stored.has(keyOf(anomaly)))
  const changed = detection.anomalies.filter((anomaly) => {
    const before = stored.get(keyOf(anomaly))
    return before !== undefined && Math.abs(before.value - anomaly.value) > 1e-9
  })
  const found = new Set(detection.anomalies.map(keyOf))
  const cleared = [...stored.values()].filter((row) => !found.has(keyOf(row)))
  const row = (anomaly: Anomaly, clear: boolean) => ({
    metric: anomaly.metric,
    region: anomaly.region,
    channel: anomaly.channel,
    service: anomaly.service,
    day: anomaly.day,
    days: anomaly.days,
    value: anomaly.value,
    expected: anomaly.expected,
    low: anomaly.low,
    high: anomaly.high,
    score: anomaly.score,
    base: anomaly.base,
    cleared: clear ? 1 : 0,
  })
  const writes = [
    ...added.map((a) => row(a, false)),
    ...changed.map((a) => row(a, false)),
    ...cleared.map((a) => row(a, true)),
  ]
  if (writes.length > 0) await store.insert('monitor:anomalies:save', 'monitor_anomalies', writes)
  return { added }
}

export { defaultDetector }
