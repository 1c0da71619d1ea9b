// Channel migration: of citizens first assisted in the period (never before the range), the share who self-serve
// online within N days, counting only citizens whose N days have passed.
import { onlineChannels } from '@qyzmet/sql'
import type { Reference } from '../reference.ts'
import { asOfConditions, dimensionConditions, dispersionOf, periodOf, suppress, wilson } from './sql.ts'
import type { Metric, Plan, QuerySpec } from './types.ts'

function planMigration(spec: QuerySpec, reference: Reference): Plan {
  const { filters, by, series } = spec
  // Right-censoring: a citizen counts once their whole window has passed by the data's day (today, or a release's
  // cut-off), so that recent cohorts are not read as not having moved yet.
  const observedUntil = spec.asOf && spec.asOf.slice(0, 10) < spec.today ? spec.asOf.slice(0, 10) : spec.today
  const params: Record<string, unknown> = {
    from: filters.from,
    to: filters.to,
    within_days: spec.withinDays ?? 90,
    observed_until: observedUntil,
  }
  const conditions = dimensionConditions({ ...filters, assistedBy: [] }, reference, params)
  const asOf = asOfConditions(spec, params)
  params.f_assisted = filters.assistedBy.length ? filters.assistedBy : ['staff', 'volunteer']
  const keys = [...(series ? ['period'] : []), ...by]
  const [low, high] = wilson('numerator', 'denominator', dispersionOf(spec, params))
  const sql = `
    SELECT ${[
      ...(series ? [`${periodOf(filters.interval, 'assisted_on')} AS period`] : []),
      ...by,
      'countIf(moved) AS numerator',
      'count() AS denominator',
      'count() AS base',
      'numerator / nullIf(denominator, 0) AS value',
      `${low} AS ci_low`,
      `${high} AS ci_high`,
      'count() AS transactions',
    ].join(', ')}
    FROM (
      SELECT a.assisted_on AS assisted_on, a.first_region AS region, a.first_age_band AS age_band,
             a.first_gender AS gender, a.first_assisted_by AS assisted_by,
             arrayExists(t -> t > a.first_assisted AND t <= a.first_assisted + toIntervalDay({within_days:UInt16}), s.self_times) AS moved
      FROM (
        -- Each citizen once, at their first assisted transaction in the range; names differ from the columns
        -- so that WHERE reads the columns.
        SELECT applicant_key, min(occurred_at) AS first_assisted, min(occurred_on) AS assisted_on,
               argMin(region, occurred_at) AS first_region, argMin(toString(age_band), occurred_at) AS first_age_band,
               argMin(toString(gender), occurred_at) AS first_gender, argMin(toString(assisted_by), occurred_at) AS first_assisted_by
        FROM events
        WHERE occurred_on BETWEEN {from:Date} AND {to:Date} AND toString(assisted_by) IN {f_assisted:Array(String)}
              ${[...conditions, ...asOf].map((condition) => `AND ${condition}`).join(' ')}
        GROUP BY applicant_key
        -- Whole window observed: the window's last day is before the day the data reaches (it is still going on).
        HAVING assisted_on + {within_days:UInt16} < toDate({observed_until:String})
      ) AS a
      -- First assisted in the range: a citizen assisted before it (anywhere, by staff or a volunteer) is not new.
      LEFT ANTI JOIN (
        SELECT DISTINCT applicant_key FROM events
        WHERE occurred_on < {from:Date} AND assisted_by != 'self'
              ${asOf.map((condition) => `AND ${condition}`).join(' ')}
      ) AS earlier ON earlier.applicant_key = a.applicant_key
      LEFT JOIN (
        WITH ${onlineChannels}
        SELECT applicant_key, groupArray(occurred_at) AS self_times
        FROM events
        WHERE occurred_on BETWEEN {from:Date} AND {to:Date} + {within_days:UInt16}
              AND assisted_by = 'self' AND status = 'completed' AND has(online_channels, channel)
              ${asOf.map((condition) => `AND ${condition}`).join(' ')}
        GROUP BY applicant_key
      ) AS s ON s.applicant_key = a.applicant_key
    )
    ${keys.length ? `GROUP BY ${keys.join(', ')} ORDER BY ${keys.join(', ')}` : ''}`
  return { sql: suppress(sql, spec, params, true), params, source: 'events' }
}

export const channelMigration: Metric = {
  id: 'channel_migration',
  kind: 'citizens',
  names: { kk: 'Арналық көші-қон', ru: 'Переход в онлайн', en: 'Channel migration' },
  definition: {
    kk: 'Кезеңде алғаш көмек алған (бұрын алмаған) азаматтардың N күн ішінде өздері онлайн қызмет алғандарының үлесі; N күні әлі өтпегендер есепке алынбайды.',
    ru: 'Доля граждан, впервые получивших помощь в периоде (и не раньше), которые в течение N дней сами получили услугу онлайн; граждане, чьи N дней ещё не прошли, не учитываются.',
    en: 'Of citizens first assisted in the period (and not before), the share who complete a service online by themselves within N days; citizens whose N days have not yet passed are left out.',
  },
  unit: 'share',
  higherIsBetter: true,
  breakdowns: ['region', 'age_band', 'gender', 'assisted_by'],
  // It follows assisted citizens: "self" is the outcome it measures, not a group one can choose.
  refuses: (filters) =>
    filters.assistedBy.includes('self')
      ? {
          parameter: 'assisted_by',
          reason: 'channel_migration follows citizens assisted by staff or volunteers; choose staff or volunteer',
        }
      : null,
  plan: planMigration,
}
