// The detector over the demo: it finds every planted incident (a silent regional feed, a channel outage, a spike),
// flags no public holiday, and keeps what it found in the store.
import { generateDemo, type PlantedIncidents } from '@qyzmet/fixtures'
import { loadReference } from '@qyzmet/sql'
import { openTestStore, type TestStore } from '@qyzmet/sql/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadReferenceData, type Reference } from '../reference.ts'
import { lockdown } from './annotations.ts'
import { type Anomaly, AnomalyDetector, type Detection, loadAnomalies, recordAnomalies } from './anomalies.ts'
import { judgeSeries } from './detect.ts'
import { emptyDailyData, fillDailySeries } from './series.ts'

/**
 * Kazakhstan's public days off from October 2025 to October 2026, written out here (not read from the code's
 * calendar): Republic Day (25 Oct 2025, a Saturday, moved to Monday 27), Independence Day, New Year, Orthodox
 * Christmas, Women's Day (Sunday 8 March, moved to 9), Nauryz (21–23 March, the weekend days moved to 24 and 25),
 * Unity Day, Defender Day, Victory Day (Saturday 9 May, moved to 11), Kurban Ait, Capital Day, Constitution Day
 * (Sunday 30 August, moved to 31) and Republic Day 2026 (Sunday 25 October, moved to 26).
 */
const holidays = [
  '2025-10-25',
  '2025-10-27',
  '2025-12-16',
  '2026-01-01',
  '2026-01-02',
  '2026-01-07',
  '2026-03-08',
  '2026-03-09',
  '2026-03-21',
  '2026-03-22',
  '2026-03-23',
  '2026-03-24',
  '2026-03-25',
  '2026-05-01',
  '2026-05-07',
  '2026-05-09',
  '2026-05-11',
  '2026-05-27',
  '2026-07-06',
  '2026-08-30',
  '2026-08-31',
  '2026-10-25',
  '2026-10-26',
]
const until = '2026-10-31'
const clock = { now: Date.parse('2026-11-01T06:00:00Z'), zone: 'Asia/Almaty' }
const dayAfter = (day: string, days: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10)

let store: TestStore
let reference: Reference
let planted: PlantedIncidents
let detection: Detection
beforeAll(async () => {
  store = await openTestStore()
  await loadReference(store)
  const report = await generateDemo(store, { rows: 2_000_000, seed: 42, until, incidents: true })
  planted = report.incidents as PlantedIncidents
  reference = await loadReferenceData(store)
  detection = await new AnomalyDetector().detect(store, reference, clock, [lockdown], { from: '2025-10-01', to: until })
})
afterAll(() => store.close())

const requestsOn = async (day: string, where: string, params: Record<string, unknown>) => {
  const [row] = await store.rows<{ n: string }>(
    'test:requests',
    `SELECT count() AS n FROM events WHERE occurred_on = {day:Date} AND ${where}`,
    { day, ...params },
  )
  return Number(row?.n)
}

const find = (match: Partial<Anomaly>, from: string, to = from) =>
  detection.anomalies.filter(
    (anomaly) =>
      anomaly.day >= from &&
      anomaly.day <= to &&
      Object.entries(match).every(([key, value]) => anomaly[key as keyof Anomaly] === value),
  )

describe('anomalies in the demo', () => {
  it('finds the regional feed that was silent for three days, as a run of its requests', () => {
    const { region, from, until: last } = planted.silentFeed
    const found = find({ metric: 'requests', region, channel: 'tson', service: '' }, from, last)
    expect(found.length).toBeGreaterThan(0)
    for (const anomaly of found) {
      expect(anomaly.value).toBe(0)
      expect(anomaly.value).toBeLessThan(anomaly.low)
    }
  })

  it('finds the channel outage nationally, with the count read from events', async () => {
    const { day, channel, fallback } = planted.outage
    const [down] = find({ metric: 'requests', region: '', channel, service: '' }, day)
    expect(down?.value).toBe(await requestsOn(day, 'channel = {channel:String}', { channel }))
    expect(down?.value).toBe(0)
    expect(down?.score).toBeLessThan(-4)
    const [up] = find({ metric: 'requests', region: '', channel: fallback, service: '' }, day)
    expect(up?.value).toBe(await requestsOn(day, 'channel = {channel:String}', { channel: fallback }))
    expect(up?.value).toBeGreaterThan(up?.high ?? Number.POSITIVE_INFINITY)
  })

  it('finds the spike in its region and its service, each with its expected value and range', async () => {
    const { day, region, service } = planted.spike
    const [inRegion] = find({ metric: 'requests', region, channel: '', service: '', days: 1 }, day)
    expect(inRegion?.value).toBe(await requestsOn(day, 'region = {region:String}', { region }))
    expect(inRegion?.value).toBeGreaterThan(inRegion?.high ?? Number.POSITIVE_INFINITY)
    const [ofService] = find({ metric: 'requests', region: '', channel: '', service, days: 1 }, day)
    expect(ofService?.value).toBe(await requestsOn(day, 'service_code = {service:String}', { service }))
    // The spike's rows are more than the service's usual day: it at least doubles.
    expect(ofService?.value).toBeGreaterThan(2 * (ofService?.expected ?? 0))
    expect(ofService?.low).toBeLessThan(ofService?.expected ?? 0)
  })

  it('flags no public holiday, though it judges them', async () => {
    const flagged = detection.anomalies.filter((anomaly) =>
      holidays.some((holiday) => holiday <= anomaly.day && holiday > dayAfter(anomaly.day, -anomaly.days)),
    )
    expect(flagged).toEqual([])
    // Not by leaving them out: the national requests are judged on (nearly) every holiday, near their value.
    const data = emptyDailyData('2023-06-01', until)
    await fillDailySeries(store, reference, data, '2023-06-01', until, '2026-11-01')
    const national = data.series.get('requests|||')
    expect(national).toBeDefined()
    const judged = judgeSeries(
      national?.data ?? { metric: 'requests', numerator: [], denominator: [] },
      data.days,
      data.position.get('2025-10-01') ?? 0,
      [lockdown],
    )
    const onHolidays = judged.filter((judgement) => judgement.days === 1 && holidays.includes(judgement.day))
    expect(onHolidays.length).toBeGreaterThanOrEqual(holidays.length - 2)
    for (const judgement of onHolidays) expect(judgement.value).toBeLessThan(judgement.high)
  })

  it('raises few false alarms: outside the incidents, under one in a thousand judgements', () => {
    const incidentDays = new Set([
      planted.silentFeed.from,
      dayAfter(planted.silentFeed.from, 1),
      planted.silentFeed.until,
      planted.outage.day,
      planted.spike.day,
    ])
    // An anomaly is about its day, or the run of days ending on it.
    const touches = (anomaly: Anomaly) =>
      [...incidentDays].some((day) => day <= anomaly.day && day > dayAfter(anomaly.day, -anomaly.days))
    const other = detection.anomalies.filter((anomaly) => !touches(anomaly))
    expect(detection.judged).toBeGreaterThan(100_000)
    expect(other.length / detection.judged).toBeLessThan(0.001)
  })

  it('keeps what it found, and clears what a later judgement no longer finds', async () => {
    await recordAnomalies(store, detection)
    const stored = await loadAnomalies(store, detection.from, detection.to)
    expect(stored.length).toBe(detection.anomalies.length)
    const [first, ...rest] = detection.anomalies
    await recordAnomalies(store, { ...detection, anomalies: rest })
    const after = await loadAnomalies(store, detection.from, detection.to)
    expect(after.length).toBe(rest.length)
    expect(
      after.some(
        (anomaly) =>
          anomaly.day === first?.day &&
          anomaly.region === first?.region &&
          anomaly.channel === first?.channel &&
          anomaly.service === first?.service &&
          anomaly.metric === first?.metric &&
          anomaly.days === first?.days,
      ),
    ).toBe(false)
  })
})
