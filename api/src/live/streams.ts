// Open server-sent-event streams of the live view: bounded in number, kept alive by heartbeats, ended cleanly.
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { LiveHub, LiveMessage } from './hub.ts'

export interface LiveStreamLimits {
  /** Streams open at once on this server; more get 503 with Retry-After. */
  maxStreams: number
  /** Streams one token may hold (a wall screen and a few tabs); more get 429. */
  maxStreamsPerToken: number
  /** A comment line this often keeps proxies and browsers from closing a quiet stream. */
  heartbeatMs: number
  /** How long a browser waits before reconnecting (the stream's `retry:`). */
  retryMs: number
  /**
   * How long one stream lasts before it says `bye` and the browser reconnects: the token is checked again then (a
   * revoked token stops receiving), and streams spread again over the servers behind a balancer.
   */
  lifetimeMs: number
}

interface Stream {
  token: string
  end: (goodbye: boolean) => void
}

/** A client that stopped reading (its buffer past this) is dropped rather than buffered for without end. */
const maxBuffered = 1 << 20

const frame = (message: LiveMessage | { event: 'bye'; data: object }) =>
  `event: ${message.event}\ndata: ${JSON.stringify(message.data)}\n\n`

export class LiveStreams {
  private readonly open_ = new Set<Stream>()

  constructor(
    private readonly hub: LiveHub,
    private readonly limits: LiveStreamLimits,
  ) {}

  get count(): number {
    return this.open_.size
  }

  /** Answers the request with a stream of the scope's figures, or refuses it when the limits are reached. */
  open(request: FastifyRequest, reply: FastifyReply, regions: string[]): FastifyReply {
    const token = request.principal.tokenId ?? 'public'
    const held = [...this.open_].filter((stream) => stream.token === token).length
    if (held >= this.limits.maxStreamsPerToken) {
      return reply.code(429).send({
        error: 'too_many_requests',
        message: `this token already holds ${held} live streams (at most ${this.limits.maxStreamsPerToken}); close one`,
      })
    }
    if (this.open_.size >= this.limits.maxStreams || !this.hub.accepts(regions)) {
      const after = Math.ceil(this.limits.retryMs / 1000) * 6
      return reply
        .code(503)
        .header('retry-after', String(after))
        .send({ error: 'busy', message: `this server follows as many live views as it can now; retry in ${after} s` })
    }
    // From here on the answer is written by hand: hooks that wait for a whole body (compression, the cache) stay out.
    reply.hijack()
    const raw = reply.raw
    raw.writeHead(200, {
      ...(reply.getHeaders() as Record<string, string>),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      // nginx would otherwise hold events back in its buffer.
      'x-accel-buffering': 'no',
    })
    raw.write(`retry: ${this.limits.retryMs}\n\n`)

    const streams = this.open_
    let ended = false
    let unsubscribe = () => {}
    const end = (goodbye: boolean) => {
      if (ended) return
      if (goodbye && !raw.destroyed) raw.write(frame({ event: 'bye', data: {} }))
      ended = true
      clearInterval(heartbeat)
      clearTimeout(lifetime)
      unsubscribe()
      streams.delete(stream)
      raw.end()
    }
    const send = (text: string) => {
      if (ended) return
      if (raw.writableLength > maxBuffered) return end(false)
      raw.write(text)
    }
    const stream: Stream = { token, end }
    streams.add(stream)
    const heartbeat = setInterval(() => send(': heartbeat\n\n'), this.limits.heartbeatMs)
    const lifetime = setTimeout(() => end(true), this.limits.lifetimeMs)
    unsubscribe = this.hub.subscribe(regions, (message) => send(frame(message)))
    raw.once('close', () => end(false))
    return reply
  }

  /** Ends every stream with a `bye` (the server is stopping; browsers reconnect after `retry`). */
  closeAll(): void {
    for (const stream of [...this.open_]) stream.end(true)
  }
}
