// Leases in the store: processes sharing one database take turns, and one that dies lets go when its lease runs out.
import { randomUUID } from 'node:crypto'
import { hostname } from 'node:os'
import { EngineUnavailable } from './engine-errors.ts'
import type { Store } from './store.ts'

export interface LeaseOptions {
  /** How long a claim or renewal holds without another renewal. */
  leaseMs?: number
  /** How long to wait for another holder to finish; default QYZMET_WRITE_TIMEOUT. */
  waitMs?: number
}

interface LeaseRow {
  epoch: string
  kind: 'claim' | 'renew' | 'release'
  holder: string
  expires: string
  now: string
}

/** The newest epoch of a lease, and whether it is free: released by its holder, or not renewed in time. */
async function newest(store: Store, name: string): Promise<{ epoch: number; holder: string | null; free: boolean }> {
  const rows = await store.rows<LeaseRow>(
    'lock:state',
    `SELECT epoch, kind, holder, toUnixTimestamp64Milli(expires_at) AS expires, toUnixTimestamp64Milli(now64(3)) AS now
     FROM store_locks
     WHERE name = {name:String} AND epoch = (SELECT max(epoch) FROM store_locks WHERE name = {name:String})`,
    { name },
  )
  const claim = rows.find((row) => row.kind === 'claim')
  if (!claim) return { epoch: Number(rows[0]?.epoch ?? 0), holder: null, free: true }
  const own = rows.filter((row) => row.holder === claim.holder)
  const released = own.some((row) => row.kind === 'release')
  const expires = Math.max(...own.filter((row) => row.kind !== 'release').map((row) => Number(row.expires)))
  return { epoch: Number(claim.epoch), holder: claim.holder, free: released || Number(claim.now) > expires }
}

async function write(
  store: Store,
  name: string,
  epoch: number,
  kind: LeaseRow['kind'],
  holder: string,
  leaseMs: number,
) {
  // The claim's token names the epoch: of two claims of one epoch, the engine stores the first and drops the other.
  const token = kind === 'claim' ? `lock:${name}:${epoch}` : `lock:${name}:${epoch}:${kind}:${randomUUID()}`
  await store.command(
    `lock:${kind}`,
    `INSERT INTO store_locks (name, epoch, kind, holder, expires_at)
     SELECT {name:String}, {epoch:UInt64}, {kind:String}, {holder:String}, now64(3) + toIntervalMillisecond({lease:UInt32})`,
    { name, epoch, kind, holder, lease: kind === 'release' ? 0 : leaseMs },
    { settings: { insert_deduplicate: 1, insert_deduplication_token: token } },
  )
}

async function claimHolder(store: Store, name: string, epoch: number): Promise<string | null> {
  const [row] = await store.rows<{ holder: string }>(
    'lock:claimed',
    `SELECT holder FROM store_locks WHERE name = {name:String} AND epoch = {epoch:UInt64} AND kind = 'claim'
     ORDER BY written_at LIMIT 1`,
    { name, epoch },
  )
  return row?.holder ?? null
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms))

/**
 * Runs `run` while holding the lease `name` in this store's database, waiting for another holder to finish first.
 * The lease is renewed every third of its length; `lost` aborts if a renewal could not be made in time (the engine
 * was unreachable), so long work can stop between steps rather than run on without the lease.
 */
export async function withLease<T>(
  store: Store,
  name: string,
  run: (lost: AbortSignal) => Promise<T>,
  options: LeaseOptions = {},
): Promise<T> {
  const leaseMs = options.leaseMs ?? 30_000
  const waitMs = options.waitMs ?? store.config.writeTimeout * 1000
  const holder = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`
  const started = performance.now()
  let epoch = 0
  for (;;) {
    const state = await newest(store, name)
    if (state.free) {
      epoch = state.epoch + 1
      await write(store, name, epoch, 'claim', holder, leaseMs)
      if ((await claimHolder(store, name, epoch)) === holder) break
    }
    if (performance.now() - started > waitMs) {
      throw new EngineUnavailable(
        'overloaded',
        `lock:${name}`,
        `waited ${Math.round(waitMs / 1000)} s for ${state.holder}`,
      )
    }
    await sleep(100 + Math.random() * 200)
  }

  const lost = new AbortController()
  let heldUntil = performance.now() + leaseMs
  let renewing = false
  const renewal = setInterval(() => {
    if (performance.now() > heldUntil) lost.abort(new Error(`the lease ${name} ran out before it could be renewed`))
    // One renewal at a time: a slow engine must not pile them up.
    if (renewing) return
    renewing = true
    const asked = performance.now()
    write(store, name, epoch, 'renew', holder, leaseMs)
      .then(
        () => {
          heldUntil = asked + leaseMs
        },
        () => undefined,
      )
      .finally(() => {
        renewing = false
      })
  }, leaseMs / 3)
  try {
    return await run(lost.signal)
  } finally {
    clearInterval(renewal)
    await write(store, name, epoch, 'release', holder, leaseMs).catch(() => undefined)
  }
}
