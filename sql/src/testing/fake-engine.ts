// A ClickHouse endpoint that misbehaves on demand, for fault tests: it answers nothing, or resets every connection.
import { connect, createServer, type Socket } from 'node:net'

/**
 * forward: passes everything to a real server (set `forwardTo`).
 * silent: accepts connections and never answers (a hung server, a black-holed network); bytes of connections
 *   already forwarding are dropped from then on.
 * ping-only: answers GET /ping with "Ok." and nothing else (a server whose queries hang).
 * reset: resets every connection, new and already open (a server that crashes on each request).
 */
export type FakeEngineMode = 'forward' | 'silent' | 'ping-only' | 'reset'

export interface FakeEngine {
  url: string
  port: number
  /** What it does from now on; may be changed while clients are connected. */
  mode: FakeEngineMode
  /** Connections accepted so far. */
  readonly connections: number
  close(): Promise<void>
}

function answerPings(socket: Socket): void {
  let head = ''
  socket.on('data', (chunk) => {
    head += chunk.toString('latin1')
    if (/^GET \/ping[ ?]/.test(head) && head.includes('\r\n\r\n')) {
      socket.write('HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=UTF-8\r\nContent-Length: 4\r\n\r\nOk.\n')
      head = ''
    }
  })
}

/** Starts the fake on a free local port; with `forwardTo` (host:port of a real server) it can also forward. */
export async function startFakeEngine(mode: FakeEngineMode, forwardTo?: string): Promise<FakeEngine> {
  const sockets = new Set<Socket>()
  let connections = 0
  const fake = { mode }
  const target = forwardTo ? new URL(forwardTo) : null

  const server = createServer((socket) => {
    connections++
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => undefined)
    if (fake.mode === 'reset') return void socket.resetAndDestroy()
    if (fake.mode === 'ping-only') return answerPings(socket)
    if (fake.mode === 'silent' || !target) return
    const upstream = connect(Number(target.port), target.hostname)
    sockets.add(upstream)
    upstream.on('close', () => {
      sockets.delete(upstream)
      socket.destroy()
    })
    upstream.on('error', () => socket.destroy())
    socket.on('close', () => upstream.destroy())
    socket.on('data', (chunk) => {
      if (fake.mode === 'forward') upstream.write(chunk)
    })
    upstream.on('data', (chunk) => {
      if (fake.mode === 'forward') socket.write(chunk)
    })
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get mode() {
      return fake.mode
    },
    set mode(next: FakeEngineMode) {
      fake.mode = next
      if (next === 'reset') for (const socket of sockets) socket.resetAndDestroy()
    },
    get connections() {
      return connections
    },
    close: async () => {
      for (const socket of sockets) socket.destroy()
      await new Promise((done) => server.close(done))
    },
  }
}
