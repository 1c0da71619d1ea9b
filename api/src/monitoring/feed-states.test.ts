// Feed states for hand-made histories: which feeds are expected, on time, late, silent or zero, and the days they
// leave incomplete until their rows arrive.
import { calendar, loadReference } from '@qyzmet/sql'
import { openTestStore, type TestStore } from '@qyzmet/sql/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Clock } from './clock.ts'
import { judgeFeeds, openGaps } from './feed-states.ts'
import { loadFeeds, seedFeeds } from './feeds.ts'
import { insertEvents, type MadeEvent } from './testing.ts'

const zone = 'Asia/Almaty'
/** Wednesday 18 November 2026, 11:00 in Almaty (UTC+5). */
const wednesday: Clock = { now: Date.parse('2026-11-18T06:00:00Z'), zone }
const history = calendar('2026-09-20', '2026-11-17')
/** Rows at noon in Almaty (07:00 UTC), loaded ten minutes later. */
const atNoon = (day: string, feed: Omit<MadeEvent, 'at'>, count = 6): MadeEvent[] =>
  Array.from({ length: count }, () => ({ ...feed, at: `${day}T07:00:00Z`, loadedAt: `${day}T07:10:00Z` }))

const portal = { channel: 'portal', region: '75', source: 'egov-portal' }
const mobile = { channel: 'mobile', region: '71', source: 'egov-mobile' }
const offices = { channel: 'tson', region: '75', source: 'tson-system' }
const banks = { channel: 'bank', region: '75', source: 'bank-api' }
const kiosks = { channel: 'kiosk', region: '75', source: 'kiosk' }
const bots = { channel: 'telegram', region: '75', source: 'messenger-bots' }
/** Two rows a day, every day: too few for an empty day to mean anything. */
const trickle = { channel: 'vk', region: '71', source: 'messenger-bots' }
/** Plenty of rows, but on four days in five only. */
const patchy = { channel: 'facebook', region: '75', source: 'messenger-bots' }
/** An expected feed whose last day brought two requests, neither completed yet. */
const quiet = { channel: 'portal', region: '71', source: 'egov-portal' }

let store: TestStore
beforeAll(async () => {
  store = await openTestStore()
  await loadReference(store)
  const events: MadeEvent[] = []
  for (const { date, weekday, holiday } of history) {
    events.push(...atNoon(date, portal))
    if (date <= '2026-11-14') events.push(...atNoon(date, mobile))
    if (date !== '2026-11-17') events.push(...atNoon(date, offices))
    events.push(...atNoon(date, { ...banks, status: date === '2026-11-17' ? 'rejected' : 'completed' }))
    if (!holiday && weekday >= 1 && weekday <= 5) events.push(...atNoon(date, kiosks))
  }
  // Ten days of a bot: too few to be expected.
  for (const { date } of history.slice(-10)) events.push(...atNoon(date, bots))
  for (const [index, { date }] of history.entries()) {
    events.push(...atNoon(date, trickle, 2))
    if (index % 5 !== 0) events.push(...atNoon(date, patchy))
    events.push(...(date === '2026-11-17' ? atNoon(date, { ...quiet, status: 'in_progress' }, 2) : atNoon(date, quiet)))
  }
  await insertEvents(store, events)
  await seedFeeds(store, wednesday)
})
afterAll(() => store.close())

const stateOf = async (clock: Clock, feed: { channel: string; region: string }) =>
  (await judgeFeeds(store, clock)).find((each) => each.channel === feed.channel && each.region === feed.region)

describe('expected feeds', () => {
  // Eight weeks end yesterday: 23 September to 17 November.
  it('expects the feeds that reported on most days of eight weeks, working days only where that is all they did', async () => {
    const feeds = await loadFeeds(store)
    // Not the bot of ten days, not the trickle of two rows a day, not the feed that missed one day in five.
    expect(feeds.map((feed) => `${feed.channel}/${feed.region}`).sort()).toEqual(
      ['bank/75', 'kiosk/75', 'mobile/71', 'portal/71', 'portal/75', 'tson/75'].sort(),
    )
    expect(feeds.find((feed) => feed.channel === 'kiosk')?.cadence).toBe('working_days')
    expect(feeds.find((feed) => feed.channel === 'portal')?.cadence).toBe('daily')
    // Rows of a day all arrive by its noon: an hour's delay is the least a feed gets.
    for (const feed of feeds) expect(feed.delayMinutes).toBe(60)
    expect(feeds.every((feed) => feed.expectedFrom === '2026-09-23' && feed.origin === 'seeded')).toBe(true)
  })

  it('judges each on its latest due day: on time, late after one missed day, silent after more, zero', async () => {
    const states = await judgeFeeds(store, wednesday)
    const by = (channel: string) => states.find((state) => state.channel === channel)
    expect(states.find((state) => state.channel === 'portal' && state.region === '75')).toMatchObject({
      state: 'on_time',
      judgedDay: '2026-11-17',
      missingDays: 0,
      rows: 6,
    })
    // Two requests of yesterday not yet completed: too few to call the feed broken.
    expect(states.find((state) => state.channel === 'portal' && state.region === '71')).toMatchObject({
      state: 'on_time',
      rows: 2,
    })
    expect(by('mobile')).toMatchObject({
      state: 'silent',
      judgedDay: '2026-11-17',
      since: '2026-11-15',
      missingDays: 3,
    })
    expect(by('tson')).toMatchObject({ state: 'late', since: '2026-11-17', missingDays: 1 })
    expect(by('bank')).toMatchObject({ state: 'zero', since: '2026-11-17', rows: 6 })
    expect(by('kiosk')).toMatchObject({ state: 'on_time', judgedDay: '2026-11-17' })
    expect(by('mobile')?.lastEventAt).toBe('2026-11-14 07:00:00.000')
  })

  it('does not judge a day before its deadline, nor a working-days feed on a weekend', async () => {
    // 00:30 in Almaty on the 18th: the 17th's rows are due at 01:00.
    const justAfterMidnight: Clock = { now: Date.parse('2026-11-17T19:30:00Z'), zone }
    expect(await stateOf(justAfterMidnight, portal)).toMatchObject({ judgedDay: '2026-11-16', state: 'on_time' })
    // Monday morning: the daily feed is judged on Sunday, the working-days one on Friday.
    const monday: Clock = { now: Date.parse('2026-11-16T06:00:00Z'), zone }
    expect(await stateOf(monday, portal)).toMatchObject({ judgedDay: '2026-11-15', state: 'on_time' })
    expect(await stateOf(monday, kiosks)).toMatchObject({ judgedDay: '2026-11-13', state: 'on_time' })
  })

  it('records the days left incomplete, and makes them good when their rows arrive late', async () => {
    await judgeFeeds(store, wednesday)
    const gaps = (await openGaps(store)).map((gap) => `${gap.channel}/${gap.day}/${gap.state}`)
    expect(gaps.sort()).toEqual(
      [
        'bank/2026-11-17/zero',
        'mobile/2026-11-15/silent',
        'mobile/2026-11-16/silent',
        'mobile/2026-11-17/silent',
        'tson/2026-11-17/late',
      ].sort(),
    )
    // The one-stop-shops' rows of the 17th arrive at 12:00 on the 18th.
    await insertEvents(
      store,
      atNoon('2026-11-17', offices).map((event) => ({ ...event, loadedAt: '2026-11-18T07:00:00Z' })),
    )
    const later: Clock = { now: Date.parse('2026-11-18T08:00:00Z'), zone }
    expect(await stateOf(later, offices)).toMatchObject({ state: 'on_time', missingDays: 0 })
    expect((await openGaps(store)).some((gap) => gap.channel === 'tson')).toBe(false)
    // What had not arrived by the clock's now does not count: judged at 11:00, the same feed is still late.
    expect(await stateOf(wednesday, offices)).toMatchObject({ state: 'late' })
  })
})
