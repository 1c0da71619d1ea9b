// The store's health: a row written to store_probe and read back from storage, within a short deadline.
import { randomUUID } from 'node:crypto'
import { hostname } from 'node:os'
import { EngineUnavailable } from './engine-errors.ts'
import type { ProbeReport, Store } from './store.ts'

/** Seconds each half (write, read) may take: a health check must answer quickly or say the store is unwell. */
export const probeSeconds = 2
/** A probe's answer is reused this long, so that a flood of health checks costs one write a second. */
const reuseMs = 1_000

const writer = `${hostname()}:${process.pid}`

async function probeOnce(store: Store): Promise<ProbeReport> {
  const started = performance.now()
  const nonce = randomUUID()
  const limits = { max_execution_time: probeSeconds }
  try {
    await store.command(
      'store:probe-write',
      'INSERT INTO store_probe (writer, nonce) VALUES ({writer:String}, {nonce:String})',
      { writer, nonce },
      { settings: limits, retry: false },
    )
    // Filtering on the nonce reads the column from storage, not only the parts' row counts.
    const [row] = await store.rows<{ n: string }>(
      'store:probe-read',
      'SELECT count() AS n FROM store_probe WHERE writer = {writer:String} AND nonce = {nonce:String}',
      { writer, nonce },
      limits,
    )
    const ms = Math.round(performance.now() - started)
    if (Number(row?.n ?? 0) !== 1)
      return { ok: false, ms, reason: 'storage', message: 'a row written was not read back' }
    return { ok: true, ms }
  } catch (error) {
    const ms = Math.round(performance.now() - started)
    if (error instanceof EngineUnavailable) return { ok: false, ms, reason: error.reason, message: error.message }
    // The engine answered but refused (no store_probe table before migrations, a user without the grant).
    return { ok: false, ms, message: error instanceof Error ? error.message.split('\n')[0] : String(error) }
  }
}

/** One probe at a time per store, its answer shared by every caller until a second after it came. */
export function createProbe(): (store: Store) => Promise<ProbeReport> {
  let last: { settledAt: number | null; report: Promise<ProbeReport> } | null = null
  return (store) => {
    if (last && (last.settledAt === null || performance.now() - last.settledAt < reuseMs)) return last.report
    const current: { settledAt: number | null; report: Promise<ProbeReport> } = {
      settledAt: null,
      report: probeOnce(store),
    }
    current.report.then(() => {
      current.settledAt = performance.now()
    })
    last = current
    return current.report
  }
}
