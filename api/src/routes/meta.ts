// What the API can be asked and what the data covers: dimensions with kk/ru/en labels, metrics, date range, freshness.
import type { FastifyInstance } from 'fastify'
import { ageBands, assistance, genders, intervals, presets } from '../query/filters.ts'
import { describeMetric, metrics } from '../query/metrics.ts'

const labels = {
  age_band: {
    '<18': { kk: '18-ге дейін', ru: 'до 18', en: 'under 18' },
    '18-29': { kk: '18–29', ru: '18–29', en: '18–29' },
    '30-49': { kk: '30–49', ru: '30–49', en: '30–49' },
    '50-64': { kk: '50–64', ru: '50–64', en: '50–64' },
    '65+': { kk: '65 және одан жоғары', ru: '65 и старше', en: '65 and over' },
    unknown: { kk: 'белгісіз', ru: 'не указан', en: 'unknown' },
  },
  gender: {
    f: { kk: 'әйел', ru: 'женщины', en: 'women' },
    m: { kk: 'ер', ru: 'мужчины', en: 'men' },
    unknown: { kk: 'белгісіз', ru: 'не указан', en: 'unknown' },
  },
  assisted_by: {
    self: { kk: 'өз бетінше', ru: 'самостоятельно', en: 'by themselves' },
    staff: { kk: 'қызметкердің көмегімен', ru: 'с помощью сотрудника', en: 'helped by staff' },
    volunteer: { kk: 'еріктінің көмегімен', ru: 'с помощью волонтёра', en: 'helped by a volunteer' },
  },
} as const

interface Freshness {
  last_event: string | null
  last_ingested_at: string | null
  events: string
}

export async function metaRoutes(app: FastifyInstance): Promise<void> {
  app.get(
    '/meta',
    { schema: { tags: ['meta'], summary: 'Dimensions, metrics, the data range and its freshness' } },
    async () => {
      const reference = await app.reference()
      const [freshness] = await app.store.rows<Freshness>(
        'meta:freshness',
        `SELECT (SELECT toString(sum(transactions)) FROM rollup_monthly) AS events,
              (SELECT if(count() = 0, NULL, toString(max(ingested_at))) FROM events WHERE occurred_on >= {since:Date}) AS last_ingested_at,
              (SELECT if(count() = 0, NULL, toString(max(occurred_at))) FROM events WHERE occurred_on >= {since:Date}) AS last_event`,
        { since: reference.lastDay },
      )
      return {
        timezone: app.store.config.timezone,
        today: app.today(),
        firstDay: reference.firstDay,
        lastDay: reference.lastDay,
        events: Number(freshness?.events ?? 0),
        lastEvent: freshness?.last_event ?? null,
        lastIngestedAt: freshness?.last_ingested_at ?? null,
        intervals,
        presets,
        metrics: metrics.map(describeMetric),
        dimensions: {
          region: reference.regions.map(({ code, names, kind, population, validFrom, splitFrom }) => ({
            code,
            names,
            kind,
            population,
            validFrom,
            splitFrom: splitFrom || null,
          })),
          channel: reference.channels.map(({ code, names, kind }) => ({ code, names, kind })),
          service: reference.services.map(({ code, names, category, agency, onlineSince }) => ({
            code,
            names,
            category,
            agency,
            onlineSince,
          })),
          category: reference.categories,
          agency: reference.agencies,
          age_band: ageBands.map((code) => ({ code, names: labels.age_band[code] })),
          gender: genders.map((code) => ({ code, names: labels.gender[code] })),
          assisted_by: assistance.map((code) => ({ code, names: labels.assisted_by[code] })),
        },
      }
    },
  )
}
