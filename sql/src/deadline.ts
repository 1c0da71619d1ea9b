// Every engine call within a deadline: retried while the engine is busy or out of reach, never past the deadline.
import { classify, EngineUnavailable } from './engine-errors.ts'

export interface CallPolicy {
  /** The store operation's name, for errors and the engine's query log. */
  name: string
  /** Milliseconds the whole call may take, retries included. */
  deadlineMs: number
  /** False for calls that must not run twice (a consumed stream, an insert without a deduplication token). */
  retry: boolean
}

/** Tries at most this often; the deadline usually ends it sooner. */
const maxAttempts = 4
const firstDelayMs = 200
/** A retry needs at least this much of the deadline left to be worth starting. */
const minAttemptMs = 250

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms))

/**
 * Runs `attempt` until it succeeds, fails for good, or the deadline passes. Each attempt gets an abort signal that
 * fires at the deadline; a call still unanswered then (a hung engine, an embedded query that cannot be interrupted)
 * is abandoned and reported as EngineUnavailable('timeout'). Engine errors that mean the engine is lost, full or
 * overloaded become EngineUnavailable after the last try; the engine's refusals of the query pass unchanged.
 */
export async function withinDeadline<T>(policy: CallPolicy, attempt: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const deadline = performance.now() + policy.deadlineMs
  for (let tries = 1; ; tries++) {
    const controller = new AbortController()
    const remaining = Math.max(0, deadline - performance.now())
    let timer: NodeJS.Timeout | undefined
    const expired = new Promise<never>((_, fail) => {
      timer = setTimeout(() => {
        const error = new EngineUnavailable(
          'timeout',
          policy.name,
          `no answer within ${Math.round(policy.deadlineMs / 1000)} s`,
        )
        controller.abort(error)
        fail(error)
      }, remaining)
    })
    // The timer's rejection is read by the race below, or not at all (an attempt that threw at once).
    expired.catch(() => undefined)
    try {
      // An attempt that throws at once (a closed client) is a failed attempt like any other.
      const running = Promise.resolve().then(() => attempt(controller.signal))
      // An abandoned attempt may still settle later; its outcome no longer matters to anyone.
      running.catch(() => undefined)
      return await Promise.race([running, expired])
    } catch (error) {
      if (error instanceof EngineUnavailable) throw error
      const failure = classify(error)
      if (failure.kind === 'query') throw error
      const delay = firstDelayMs * 2 ** (tries - 1) * (0.75 + Math.random() / 2)
      const left = deadline - performance.now() - delay
      if (!policy.retry || !failure.retry || tries >= maxAttempts || left < minAttemptMs) {
        const detail = error instanceof Error ? error.message.split('\n')[0]?.slice(0, 300) : String(error)
        throw new EngineUnavailable(failure.reason, policy.name, detail ?? 'unknown error', { cause: error })
      }
      await sleep(delay)
    } finally {
      clearTimeout(timer)
    }
  }
}
