// The live hub reads each scope once per interval for all its listeners, tells only changes, and stops unwatched.
import { describe, expect, it } from 'vitest'
import type { LiveSnapshot } from '../contract/index.ts'
import { LiveHub, type LiveMessage, scopeKey } from './hub.ts'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** A reader that counts its calls per scope and returns the figures set for the scope (no engine: the hub's logic). */
function counter() {
  const calls = new Map<string, number>()
  const figures = new Map<string, number>()
  let failing = false
  const read = async (regions: string[]): Promise<LiveSnapshot> => {
    const key = scopeKey(regions)
    calls.set(key, (calls.get(key) ?? 0) + 1)
    if (failing) throw new Error('engine lost')
    return {
      day: '2026-11-29',
      timezone: 'Asia/Almaty',
      asOf: new Date().toISOString(),
      regions,
      provisional: true,
      transactions: figures.get(key) ?? 0,
      completed: 0,
      hours: [],
      minutes: [],
      lastEvent: null,
      lastReceived: null,
    }
  }
  return { read, calls, figures, fail: (on: boolean) => (failing = on) }
}

describe('live hub', () => {
  it('reads a scope once per interval however many listen, and each scope apart', async () => {
    const source = counter()
    const hub = new LiveHub(source.read, 50)
    const heard: LiveMessage[][] = [[], [], []]
    const stops = [
      hub.subscribe(['75'], (message) => heard[0]?.push(message)),
      hub.subscribe(['75'], (message) => heard[1]?.push(message)),
      hub.subscribe([], (message) => heard[2]?.push(message)),
    ]
    await sleep(520)
    const ofRegion = source.calls.get('75') ?? 0
    const ofCountry = source.calls.get('') ?? 0
    // About ten intervals: two listeners of region 75 did not double its readings.
    expect(ofRegion).toBeGreaterThanOrEqual(2)
    expect(ofRegion).toBeLessThanOrEqual(12)
    expect(ofCountry).toBeGreaterThanOrEqual(2)
    expect(hub.scopeCount).toBe(2)
    // Unchanged figures are told once.
    expect(heard[0]?.map((message) => message.event)).toEqual(['snapshot'])
    expect(heard[1]).toHaveLength(1)
    for (const stop of stops) stop()
    expect(hub.scopeCount).toBe(0)
    const after = source.calls.get('75')
    await sleep(200)
    expect(source.calls.get('75')).toBe(after)
    hub.close()
  })

  it('tells a change, an outage once, and the figures again when the engine is back', async () => {
    const source = counter()
    const hub = new LiveHub(source.read, 30)
    const heard: LiveMessage[] = []
    const stop = hub.subscribe(['71', '75'], (message) => heard.push(message))
    await sleep(100)
    source.figures.set('71,75', 12)
    await sleep(100)
    source.fail(true)
    await sleep(150)
    source.fail(false)
    await sleep(100)
    stop()
    hub.close()
    expect(heard.map((message) => message.event)).toEqual(['snapshot', 'snapshot', 'unavailable', 'snapshot'])
    const counts = heard.map((message) => (message.event === 'snapshot' ? message.data.transactions : null))
    expect(counts).toEqual([0, 12, null, 12])
  })

  it('gives a late listener the latest snapshot at once, and latest() only while it is fresh', async () => {
    const source = counter()
    const hub = new LiveHub(source.read, 40)
    const stop = hub.subscribe([], () => {})
    await sleep(60)
    const heard: LiveMessage[] = []
    const stopLate = hub.subscribe([], (message) => heard.push(message))
    expect(heard.map((message) => message.event)).toEqual(['snapshot'])
    expect(hub.latest([])).not.toBeNull()
    expect(hub.latest(['75'])).toBeNull()
    stop()
    stopLate()
    hub.close()
  })

  it('takes listeners of scopes already read, and new scopes only while there is room', () => {
    const hub = new LiveHub(counter().read, 1000, 2)
    const stops = [hub.subscribe(['75'], () => {}), hub.subscribe(['71'], () => {})]
    expect(hub.accepts(['75'])).toBe(true)
    expect(hub.accepts(['79'])).toBe(false)
    stops[0]?.()
    expect(hub.accepts(['79'])).toBe(true)
    stops[1]?.()
    hub.close()
  })
})
