// The live view's stream in the browser: server-sent events read through fetch (EventSource cannot send the token),
// reconnected after the server's `retry`, with the latest snapshot and the connection's state.
import type { LiveSnapshot } from '@qyzmet/api/contract'
import { useEffect, useState } from 'react'
import { readToken } from './api.ts'

export interface SseEvent {
  event: string
  data: string
}

/** Splits SSE text into whole events; returns them and the unfinished rest. Comments (heartbeats) are skipped. */
export function parseEvents(text: string): { events: SseEvent[]; rest: string; retry: number | null } {
  const normalised = text.replace(/\r\n?/g, '\n')
  const blocks = normalised.split('\n\n')
  const rest = blocks.pop() ?? ''
  const events: SseEvent[] = []
  let retry: number | null = null
  for (const block of blocks) {
    let event = 'message'
    const data: string[] = []
    for (const line of block.split('\n')) {
      if (line === '' || line.startsWith(':')) continue
      const colon = line.indexOf(':')
      const field = colon < 0 ? line : line.slice(0, colon)
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '')
      if (field === 'event') event = value
      else if (field === 'data') data.push(value)
      else if (field === 'retry' && /^\d+$/.test(value)) retry = Number(value)
    }
    if (data.length > 0) events.push({ event, data: data.join('\n') })
  }
  return { events, rest, retry }
}

export type LiveStatus = 'connecting' | 'live' | 'unavailable' | 'refused' | 'reconnecting'

export interface LiveState {
  status: LiveStatus
  snapshot: LiveSnapshot | null
  /** When the last snapshot arrived (ms), to say how fresh the screen is. */
  receivedAt: number | null
  /** The HTTP status of a refusal (401, 403, 429 …). */
  refusedWith?: number
}

/** Longest wait between reconnections, whatever the server asked. */
const maxRetryMs = 60_000

/** Today's live figures for the regions (none: all the token sees), kept current over server-sent events. */
export function useLiveStream(regions: readonly string[]): LiveState {
  const [state, setState] = useState<LiveState>({ status: 'connecting', snapshot: null, receivedAt: null })
  const key = regions.join(',')
  useEffect(() => {
    const stop = new AbortController()
    let retryMs = 5000
    let failures = 0
    let timer: ReturnType<typeof setTimeout> | undefined
    let farewell = false
    const again = () => {
      if (stop.signal.aborted) return
      // A stream the server ended with `bye` (its lifetime, a restart) is no trouble to report: the figures stay live.
      if (!farewell) setState((previous) => ({ ...previous, status: 'reconnecting' }))
      farewell = false
      // After each failed attempt in a row the wait doubles, up to a minute: a restarting server is not stormed.
      timer = setTimeout(connect, Math.min(maxRetryMs, retryMs * 2 ** Math.min(failures, 4)))
      failures++
    }
    async function connect() {
      const token = readToken()
      try {
        const response = await fetch(`/api/v1/live/stream${key ? `?region=${key}` : ''}`, {
          headers: { accept: 'text/event-stream', ...(token ? { authorization: `Bearer ${token}` } : {}) },
          signal: stop.signal,
        })
        if (!response.ok || !response.body) {
          // A refusal for this token or scope does not heal by retrying; a busy server (503) does.
          if (response.status === 503) return again()
          setState((previous) => ({ ...previous, status: 'refused', refusedWith: response.status }))
          return
        }
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader()
        let buffer = ''
        for (;;) {
          const { value, done } = await reader.read()
          if (done) break
          const parsed = parseEvents(buffer + value)
          buffer = parsed.rest
          if (parsed.retry !== null) retryMs = parsed.retry
          for (const message of parsed.events) {
            if (message.event === 'snapshot') {
              failures = 0
              const snapshot = JSON.parse(message.data) as LiveSnapshot
              setState({ status: 'live', snapshot, receivedAt: Date.now() })
            } else if (message.event === 'bye') {
              farewell = true
            } else if (message.event === 'unavailable') {
              setState((previous) => ({ ...previous, status: 'unavailable' }))
            }
          }
        }
      } catch {
        // A lost connection, or the view went away (then the signal says so and nothing more happens).
      }
      again()
    }
    void connect()
    return () => {
      stop.abort()
      clearTimeout(timer)
    }
  }, [key])
  return state
}
