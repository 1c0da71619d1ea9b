// The day-boundary approximation: events are dated in one zone, while Kazakhstan had two until 1 March 2024.

/**
 * Each region's IANA zone (the regions not listed kept Asia/Almaty's time). The zones carry their history: the west
 * at UTC+5 throughout, Kyzylorda moved from +6 to +5 on 21 December 2018, and Asia/Almaty and Asia/Qostanay from +6
 * to +5 on 1 March 2024, when the whole country came to one zone.
 */
export const regionZones: Readonly<Record<string, string>> = {
  '15': 'Asia/Aqtobe',
  '23': 'Asia/Atyrau',
  '27': 'Asia/Oral',
  '39': 'Asia/Qostanay',
  '43': 'Asia/Qyzylorda',
  '47': 'Asia/Aqtau',
}
export const defaultZone = 'Asia/Almaty'

/** One zone for the whole country from this day (the deployment's days are the regions' days from then on). */
export const oneZoneSince = '2024-03-01'

export interface BoundaryRow {
  region: string
  zone: string
  events: number
  /** Events whose day in the region's zone of the time is not the stored day (`occurred_on`). */
  otherDay: number
  /** Events in the last hour (23:00–24:00) of the stored day: what moves when a region's clock is an hour behind. */
  lastHour: number
}

/** SQL over events: per region, before `oneZoneSince`, how many events the one-zone day dates differently. */
export function dayBoundarySql(): string {
  const byZone = (of: (zone: string) => string) =>
    `multiIf(${Object.entries(regionZones)
      .map(([region, zone]) => `region = '${region}', ${of(zone)}`)
      .join(', ')}, ${of(defaultZone)})`
  return `
    SELECT region,
           ${byZone((zone) => `'${zone}'`)} AS zone,
           count() AS events,
           countIf(${byZone((zone) => `toDate(occurred_at, '${zone}')`)} != occurred_on) AS otherDay,
           countIf(toHour(occurred_at, {timezone:String}) = 23) AS lastHour
    FROM events
    WHERE occurred_on < '${oneZoneSince}'
    GROUP BY region ORDER BY region`
}
