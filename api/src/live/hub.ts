// One reading of the live figures per scope and interval, shared by every listener of that scope.
import { EngineUnavailable } from '@qyzmet/sql'
import type { LiveSnapshot } from '../contract/index.ts'

export type LiveMessage =
  | { event: 'snapshot'; data: LiveSnapshot }
  | { event: 'unavailable'; data: { error: 'unavailable'; message: string } }

export type Listener = (message: LiveMessage) => void

interface Scope {
  regions: string[]
  listeners: Set<Listener>
  timer: NodeJS.Timeout | null
  /** The last snapshot and its figures without the time they were read, to send only what changed. */
  last: { snapshot: LiveSnapshot; figures: string } | null
  failing: boolean
  reading: Promise<void> | null
}

/** The scope's key: its regions sorted (empty: the country), so that 71,75 and 75,71 share a reading. */
export const scopeKey = (regions: readonly string[]) => [...regions].sort().join(',')

const figuresOf = (snapshot: LiveSnapshot) => JSON.stringify({ ...snapshot, asOf: '' })

/**
 * Reads each scope that has listeners every `intervalMs` (the next reading starts when the previous one ended, so
 * a slow engine is never asked twice at once) and tells its listeners when the figures changed. A scope nobody
 * listens to is not read.
 */
export class LiveHub {
  private readonly scopes = new Map<string, Scope>()
  private closed = false

  constructor(
    private readonly read: (regions: string[]) => Promise<LiveSnapshot>,
    private readonly intervalMs: number,
    /** Scopes read at once: each costs a reading per interval, so their number bounds the engine's load. */
    private readonly maxScopes = 50,
  ) {}

  /** Whether a listener of these regions can be taken: its scope is read already, or there is room for it. */
  accepts(regions: readonly string[]): boolean {
    return this.scopes.has(scopeKey(regions)) || this.scopes.size < this.maxScopes
  }

  /** Listens to a scope: the latest snapshot at once if there is one, then every change; returns the unsubscribe. */
  subscribe(regions: readonly string[], listener: Listener): () => void {
    const key = scopeKey(regions)
    let scope = this.scopes.get(key)
    if (!scope) {
      scope = { regions: [...regions], listeners: new Set(), timer: null, last: null, failing: false, reading: null }
      this.scopes.set(key, scope)
    }
    scope.listeners.add(listener)
    if (scope.last) listener({ event: 'snapshot', data: scope.last.snapshot })
    if (!scope.timer && !scope.reading) void this.tick(key, scope)
    const current = scope
    return () => {
      current.listeners.delete(listener)
      if (current.listeners.size > 0) return
      if (current.timer) clearTimeout(current.timer)
      current.timer = null
      if (this.scopes.get(key) === current) this.scopes.delete(key)
    }
  }

  /** A snapshot of the scope read within the interval, if a listener keeps it read; else null. */
  latest(regions: readonly string[]): LiveSnapshot | null {
    const last = this.scopes.get(scopeKey(regions))?.last
    if (!last || Date.now() - Date.parse(last.snapshot.asOf) > this.intervalMs) return null
    return last.snapshot
  }

  /** Scopes being read now (for the tests and /metrics). */
  get scopeCount(): number {
    return this.scopes.size
  }

  close(): void {
    this.closed = true
    for (const scope of this.scopes.values()) if (scope.timer) clearTimeout(scope.timer)
    this.scopes.clear()
  }

  private tick(key: string, scope: Scope): Promise<void> {
    scope.timer = null
    scope.reading = this.read(scope.regions)
      .then((snapshot) => {
        const figures = figuresOf(snapshot)
        const changed = scope.last?.figures !== figures || scope.failing
        scope.last = { snapshot, figures }
        scope.failing = false
        if (changed) this.tell(scope, { event: 'snapshot', data: snapshot })
      })
      .catch((error: unknown) => {
        // Said once per outage; the figures already shown stay, and the next reading may bring them back.
        if (scope.failing) return
        scope.failing = true
        const message =
          error instanceof EngineUnavailable
            ? 'the database is not answering; the figures will resume when it does'
            : 'the live figures could not be read; trying again'
        this.tell(scope, { event: 'unavailable', data: { error: 'unavailable', message } })
      })
      .finally(() => {
        scope.reading = null
        if (this.closed || this.scopes.get(key) !== scope || scope.listeners.size === 0) return
        scope.timer = setTimeout(() => void this.tick(key, scope), this.intervalMs)
      })
    return scope.reading
  }

  private tell(scope: Scope, message: LiveMessage): void {
    for (const listener of scope.listeners) listener(message)
  }
}
