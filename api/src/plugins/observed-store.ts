// Test support: the real store, with every named query counted and, on demand, held back until released.
import type { Store } from '@qyzmet/sql'

export interface ObservedStore extends Store {
  /** Names of the queries asked for so far, in order (held ones included). */
  readonly queries: string[]
  /** From now on queries (those `which` picks, or all) wait before they reach the engine, as if it stopped answering. */
  hold(which?: (name: string) => boolean): void
  /** Lets the held queries (and later ones) through to the engine. */
  release(): void
}

export function observe(store: Store): ObservedStore {
  const queries: string[] = []
  let gate: Promise<void> | null = null
  let held: (name: string) => boolean = () => true
  let open = () => {}
  const pass = async (name: string) => {
    queries.push(name)
    if (gate && held(name)) await gate
  }
  return {
    ...store,
    queries,
    async rows<T>(...args: Parameters<Store['rows']>): Promise<T[]> {
      await pass(args[0])
      return store.rows<T>(...args)
    },
    async command(...args: Parameters<Store['command']>): Promise<void> {
      await pass(args[0])
      return store.command(...args)
    },
    hold(which = () => true) {
      held = which
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
