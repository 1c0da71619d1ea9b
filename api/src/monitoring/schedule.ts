// Evaluation on a schedule, in the API server or the monitor worker: one round at a time across every process that
// shares the store (a lease), and no second round within an interval of the last, whichever process ran it.
import { hostname } from 'node:os'
import { EngineUnavailable, inBackground, type Store, withLease } from '@qyzmet/sql'
import { loadReferenceData, type Reference } from '../reference.ts'
import { AnomalyDetector } from './anomalies.ts'
import type { Clock } from './clock.ts'
import type { MonitorConfig } from './config.ts'
import { type RoundMemo, type RoundReport, runRound } from './round.ts'

export interface MonitorOptions {
  config: MonitorConfig
  /** Where the monitor says what it did (a line per round that changed something, and every failure). */
  say: (line: string) => void
  clock?: () => Clock
}

export interface Monitor {
  /** One round now, unless another process holds the lease or ran one within the interval; null then. */
  tick(): Promise<RoundReport | null>
  stop(): Promise<void>
}

/** Days the detector judges on a process's first round (so that the last quarter's incidents are on record). */
export const firstRoundDays = 92
/** Days judged on later rounds: late rows change the last days, and runs reach three days back. */
export const laterRoundDays = 3
/** The reference (names, codes) is read again after this long. */
const referenceMs = 10 * 60_000

/** When the last round, by any process, started (ms), or null. */
async function lastRoundAt(store: Store): Promise<number | null> {
  const [row] = await store.rows<{ at: string | null }>(
    'monitor:last-round',
    'SELECT if(count() = 0, NULL, toString(toUnixTimestamp64Milli(max(started_at)))) AS at FROM monitor_rounds',
  )
  return row?.at ? Number(row.at) : null
}

export function startMonitor(store: Store, options: MonitorOptions): Monitor {
  const { config, say } = options
  const clock = options.clock ?? (() => ({ now: Date.now(), zone: store.config.timezone }))
  const detector = new AnomalyDetector()
  const memo: RoundMemo = {}
  let reference: { value: Reference; at: number } | null = null
  let rounds = 0
  let running: Promise<RoundReport | null> | null = null
  let stopped = false

  async function round(): Promise<RoundReport | null> {
    try {
      return await withLease(
        store,
        'monitor:round',
        async (lost) => {
          const now = clock()
          const last = await lastRoundAt(store)
          // Another process evaluated a moment ago: its round stands for this one (a margin for timers' drift).
          if (last !== null && now.now - last < config.intervalSeconds * 900) return null
          if (!reference || now.now - reference.at > referenceMs) {
            reference = { value: await loadReferenceData(store), at: now.now }
          }
          if (lost.aborted) return null
          const report = await runRound({
            store,
            reference: reference.value,
            clock: now,
            config,
            detector,
            judgeDays: rounds === 0 ? firstRoundDays : laterRoundDays,
            memo,
          })
          rounds++
          if (report.fired + report.resolved + report.errors.length > 0 || rounds === 1) {
            say(
              `monitor: ${report.rules} rules, ${report.firing} firing (${report.fired} new, ${report.resolved} resolved), ` +
                `${report.notices.length} notifications, ${report.milliseconds} ms${report.errors.length ? `; errors: ${report.errors.join('; ')}` : ''}`,
            )
          }
          return report
        },
        { waitMs: 0, leaseMs: 60_000 },
      )
    } catch (error) {
      // Another process holds the lease: it is evaluating, which is all that is needed.
      if (
        error instanceof EngineUnavailable &&
        error.reason === 'overloaded' &&
        error.operation === 'lock:monitor:round'
      ) {
        return null
      }
      say(`monitor: round failed on ${hostname()}: ${error instanceof Error ? error.message : String(error)}`)
      return null
    }
  }

  const tick = () => {
    // Background work: on the embedded engine, dashboard reads waiting for a connection go before the round's.
    if (!running) running = inBackground(round).finally(() => (running = null))
    return running
  }
  const timer = setInterval(() => {
    if (!stopped) void tick()
  }, config.intervalSeconds * 1000)
  timer.unref()
  // The first round soon after start, not a whole interval later; after the server is listening.
  const first = setTimeout(() => void tick(), 5_000)
  first.unref()
  return {
    tick,
    stop: async () => {
      stopped = true
      clearInterval(timer)
      clearTimeout(first)
      await running
    },
  }
}
