// Feeds that begin to report after the registry was first seeded join it once they have reported for eight weeks,
// expected from the day they joined; a feed an analyst deactivated stays so.
import { calendar, loadReference } from '@qyzmet/sql'
import { openTestStore, type TestStore } from '@qyzmet/sql/testing'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { loadReferenceData, type Reference } from '../reference.ts'
import { AnomalyDetector } from './anomalies.ts'
import type { MonitorConfig } from './config.ts'
import { feedKey, loadFeeds, saveFeeds } from './feeds.ts'
import { type RoundMemo, runRound } from './round.ts'
import { insertEvents, type MadeEvent } from './testing.ts'

const portal = { channel: 'portal', region: '75', source: 'egov-portal' }
/** A bank begins to send its rows on 1 October 2026. */
const bank = { channel: 'bank', region: '75', source: 'bank-api' }
const config: MonitorConfig = { mode: 'off', intervalSeconds: 60, smtpUrl: null, mailFrom: '', publicUrl: null }
/** 11:00 in Almaty (UTC+5) on a day. */
const at = (day: string) => Date.parse(`${day}T06:00:00Z`)

let store: TestStore
let reference: Reference
beforeAll(async () => {
  store = await openTestStore()
  await loadReference(store)
  reference = await loadReferenceData(store)
  const events: MadeEvent[] = []
  for (const { date } of calendar('2026-08-01', '2026-12-31')) {
    const noon = { at: `${date}T07:00:00Z`, loadedAt: `${date}T07:10:00Z` }
    for (let row = 0; row < 6; row++) {
      events.push({ ...portal, ...noon })
      if (date >= '2026-10-01') events.push({ ...bank, ...noon })
    }
  }
  await insertEvents(store, events)
})
afterAll(() => store.close())

it('takes in a feed once it has reported on most days of eight weeks, expected from that day on', async () => {
  const memo: RoundMemo = {}
  const round = (day: string) =>
    runRound({
      store,
      reference,
      clock: { now: at(day), zone: 'Asia/Almaty' },
      config,
      detector: new AnomalyDetector(),
      judgeDays: 3,
      memo,
    })
  const keys = async () => (await loadFeeds(store)).map(feedKey).sort()
  // 20 October: the registry's first seed; the bank has reported for 19 days of the 56 looked at.
  await round('2026-10-20')
  expect(await keys()).toEqual(['egov-portal/portal/75'])
  expect((await loadFeeds(store))[0]?.expectedFrom).toBe('2026-08-25')
  // An analyst stops expecting the portal.
  const [first] = await loadFeeds(store)
  if (!first) throw new Error('no feed')
  await saveFeeds(store, [{ ...first, active: false, origin: 'analyst', updatedBy: 'analyst' }])
  // 20 November: 50 of the 56 days (89 %) — not yet most days.
  await round('2026-11-20')
  expect(await keys()).toEqual(['egov-portal/portal/75'])
  // 27 November: 56 of 56 days — it joins, expected from that day; the portal stays deactivated.
  await round('2026-11-27')
  const feeds = await loadFeeds(store)
  expect(feeds.map(feedKey).sort()).toEqual(['bank-api/bank/75', 'egov-portal/portal/75'])
  expect(feeds.find((feed) => feed.channel === 'bank')).toMatchObject({ expectedFrom: '2026-11-27', active: true })
  expect(feeds.find((feed) => feed.channel === 'portal')).toMatchObject({ active: false, origin: 'analyst' })
})
