// Sheds load: reads that reach the engine run a few at a time behind a short queue; past it, 503 with Retry-After.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { Counter, Gauge } from 'prom-client'

export interface OverloadOptions {
  /** Reads running at once (default 8). */
  maxActive?: number
  /** Reads waiting for a turn (default 32); more are shed at once. */
  maxQueued?: number
  /** How long a read may wait for its turn before it is shed (default 2 s): a client is better told to come back. */
  maxWaitMs?: number
  /** Seconds a shed client is told to wait (default 2). */
  retryAfter?: number
}

interface Waiter {
  admit: (admitted: boolean) => void
}

/** Slots for work, first come first served, with a bounded queue and a bounded wait in it. */
export class Admission {
  private running = 0
  private readonly waiting = new Set<Waiter>()

  constructor(private readonly limits: { maxActive: number; maxQueued: number; maxWaitMs: number }) {}

  get active(): number {
    return this.running
  }

  get queued(): number {
    return this.waiting.size
  }

  /** True once the caller holds a slot (it must call leave()); false when it is shed: queue full, wait over, gone. */
  enter(gone?: AbortSignal): Promise<boolean> {
    if (this.running < this.limits.maxActive && this.waiting.size === 0) {
      this.running++
      return Promise.resolve(true)
    }
    if (this.waiting.size >= this.limits.maxQueued || gone?.aborted) return Promise.resolve(false)
    return new Promise((resolve) => {
      const giveUp = () => waiter.admit(false)
      const timer = setTimeout(giveUp, this.limits.maxWaitMs)
      const waiter: Waiter = {
        admit: (admitted) => {
          clearTimeout(timer)
          gone?.removeEventListener('abort', giveUp)
          this.waiting.delete(waiter)
          resolve(admitted)
        },
      }
      gone?.addEventListener('abort', giveUp, { once: true })
      this.waiting.add(waiter)
    })
  }

  leave(): void {
    // The slot passes straight to the first in line, so a newcomer cannot overtake the queue.
    const next = this.waiting.values().next().value
    if (next) next.admit(true)
    else this.running--
  }
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A long-lived answer (server-sent events): it holds no read slot while it lasts, and the cache keeps nothing. */
    longLived?: boolean
    /** An answer about the present moment (the live snapshot): never served from the cache, which keys on data only. */
    uncached?: boolean
  }
}

/** Reads of the API, which may reach the engine; writes are few, authenticated, and have their own queues. */
const engineBound = (request: FastifyRequest) =>
  (request.method === 'GET' || request.method === 'HEAD') &&
  request.url.startsWith('/api/v1/') &&
  request.routeOptions.config.longLived !== true

export const overload = fp(async (app: FastifyInstance, options: OverloadOptions) => {
  const admission = new Admission({
    maxActive: options.maxActive ?? 8,
    maxQueued: options.maxQueued ?? 32,
    maxWaitMs: options.maxWaitMs ?? 2000,
  })
  const retryAfter = String(options.retryAfter ?? 2)
  const leaving = new WeakMap<FastifyRequest, () => void>()
  const shed = new Counter({
    name: 'qyzmet_http_shed_total',
    help: 'Reads refused with 503: too many running and waiting, or the client left while waiting',
    registers: [app.prometheus],
  })
  new Gauge({
    name: 'qyzmet_http_reads',
    help: 'Engine-bound reads running and waiting for a turn',
    labelNames: ['state'],
    registers: [app.prometheus],
    collect() {
      this.set({ state: 'active' }, admission.active)
      this.set({ state: 'queued' }, admission.queued)
    },
  })

  // Registered after the cache: cached answers and requests that share an identical one never wait here.
  app.addHook('preHandler', async (request, reply) => {
    if (!engineBound(request)) return
    const gone = new AbortController()
    let holding = false
    const leave = () => {
      if (!holding) return
      holding = false
      admission.leave()
    }
    // One listener for both phases: a client that goes away while waiting gives up its place, one that goes away
    // while its answer is computed gives back its turn (the answer will never be sent, so onResponse never runs).
    reply.raw.once('close', () => {
      gone.abort()
      leave()
    })
    // Gone before this hook ran (while the cache looked for an answer): 'close' has been and will not come again.
    if (reply.raw.destroyed || request.raw.socket?.destroyed === true) gone.abort()
    const admitted = await admission.enter(gone.signal)
    if (admitted) {
      holding = true
      leaving.set(request, leave)
      // The client may have left between being granted the turn and this line: give it on at once.
      if (!gone.signal.aborted) return
      leave()
    }
    shed.inc()
    return reply
      .code(503)
      .header('retry-after', retryAfter)
      .send({ error: 'overloaded', message: `the server is busy; retry in ${retryAfter} s` })
  })

  app.addHook('onResponse', async (request) => {
    leaving.get(request)?.()
  })
})
