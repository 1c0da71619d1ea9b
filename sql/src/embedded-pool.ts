// Several connections to the one embedded engine, so that statements run side by side instead of one at a time.
//
// A chdb connection runs its statements one after another (two `SELECT sleep(1)` on one connection take 2 s, on two
// connections 1 s), so a single connection makes every dashboard read wait behind whatever runs: a load's bucket,
// a monitor round's read. The pool hands each statement to the first idle connection; when all are busy it waits
// in one queue, interactive statements before background ones (the load, the monitor), each kind first come first
// served. A statement waits for a connection, never behind a particular one.
import { AsyncLocalStorage } from 'node:async_hooks'

type Method = 'query' | 'exec' | 'command' | 'insert'

/** What the pool needs of a connection (the client's Connection contract, whichever copy of its types). */
interface EmbeddedConnection {
  query(params: never): Promise<unknown>
  exec(params: never): Promise<unknown>
  command(params: never): Promise<unknown>
  insert(params: never): Promise<unknown>
  ping(params: never): Promise<unknown>
  close(): Promise<void>
}

export type Priority = 'interactive' | 'background'

const priorityOfWork = new AsyncLocalStorage<Priority>()

/**
 * Runs `work` with every statement it sends marked as background: on the embedded engine, statements queued for a
 * connection let interactive ones go first. On a server it changes nothing.
 */
export function inBackground<T>(work: () => Promise<T>): Promise<T> {
  return priorityOfWork.run('background', work)
}

/** The priority of the work in progress: interactive unless it runs inside inBackground(). */
export const currentPriority = (): Priority => priorityOfWork.getStore() ?? 'interactive'

interface Waiting<C> {
  start: (connection: C) => void
  priority: Priority
}

/** Statements running now and waiting for a connection, for benchmarks and tests. */
export type PoolLoad = { readonly load: { running: number; waiting: number } }

/**
 * One connection over `connections`. `width()` says how many of them may run at once (read per statement, so a
 * benchmark can compare one at a time with side by side in one process); it is at least 1.
 */
export function connectionPool<C extends EmbeddedConnection>(connections: C[], width: () => number): C & PoolLoad {
  const first = connections[0]
  if (!first) throw new Error('a pool needs a connection')
  const idle = [...connections]
  let running = 0
  const waiting: Waiting<C>[] = []

  const capacity = () => Math.max(1, Math.min(connections.length, Math.floor(width())))

  function release(connection: C): void {
    running--
    idle.unshift(connection)
    dispatch()
  }

  function dispatch(): void {
    while (waiting.length > 0 && running < capacity()) {
      const connection = idle.shift()
      if (!connection) return
      const next = waiting.findIndex((item) => item.priority === 'interactive')
      const [item] = waiting.splice(next === -1 ? 0 : next, 1)
      running++
      item?.start(connection)
    }
  }

  function run(method: Method, params: { abort_signal?: AbortSignal }): Promise<unknown> {
    const signal = params.abort_signal
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        const at = waiting.indexOf(item)
        if (at === -1) return
        waiting.splice(at, 1)
        reject(signal?.reason ?? new Error('aborted while waiting for a connection'))
      }
      const item: Waiting<C> = {
        priority: currentPriority(),
        start: (connection) => {
          signal?.removeEventListener('abort', onAbort)
          const call = connection[method] as (p: unknown) => Promise<unknown>
          // The connection is free again once its statement settles (an aborted one may still run inside the
          // engine: the next statement on that connection then waits for it there, as it always did).
          Promise.resolve()
            .then(() => call.call(connection, params))
            .then(resolve, reject)
            .finally(() => release(connection))
        },
      }
      if (signal?.aborted) return reject(signal.reason)
      signal?.addEventListener('abort', onAbort, { once: true })
      waiting.push(item)
      dispatch()
    })
  }

  const pool = {
    get load() {
      return { running, waiting: waiting.length }
    },
    query: (params: { abort_signal?: AbortSignal }) => run('query', params),
    exec: (params: { abort_signal?: AbortSignal }) => run('exec', params),
    command: (params: { abort_signal?: AbortSignal }) => run('command', params),
    insert: (params: { abort_signal?: AbortSignal }) => run('insert', params),
    ping: (params: never) => first.ping(params),
    close: async () => {
      // Every connection is closed even if one fails; the first failure is reported.
      const results = await Promise.allSettled(connections.map((connection) => connection.close()))
      const failed = results.find((result) => result.status === 'rejected')
      if (failed) throw failed.reason
    },
  }
  // Each method passes its caller's parameters and answer through unchanged, so the pool is the connection's type.
  return pool as unknown as C & PoolLoad
}
