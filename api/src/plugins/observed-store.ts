// Test support: the real store, with every named query counted and, on demand, held back until released.
import type { Store } from '@qyzmet/sql'

export interface ObservedStore extends Store {
  /** Names of the queries asked for so far, in order (held ones included). */
  readonly queries: string[]
  /** From now on every query waits before it reaches the engine, as with an engine that stopped answering. */
  hold(): void
  /** Lets the held queries (and later ones) through to the engine. */
  release(): void
}

export function observe(store: Store): ObservedStore {
  const queries: string[] = []
  let gate: Promise<void> | null = null
  let open = () => {}
  return {
    ...store,
    queries,
    async rows<T>(...args: Parameters<Store['rows']>): Promise<T[]> {
      queries.push(args[0])
      if (gate) await gate
      return store.rows<T>(...args)
    },
    async command(...args: Parameters<Store['command']>): Promise<void> {
      queries.push(args[0])
      if (gate) await gate
      return store.command(...args)
    },
    hold() {
      gate ??= new Promise((resolve) => {
        open = resolve
      })
    },
    release() {
      open()
      gate = null
    },
  }
}

/** The inject answer, or a failure naming the request when it takes longer than `ms` (a hang, not a slow test). */
export async function within<T>(ms: number, what: string, answer: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms)
  })
  try {
    return await Promise.race([answer, late])
  } finally {
    clearTimeout(timer)
  }
}
