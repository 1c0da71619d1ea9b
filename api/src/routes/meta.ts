// What the API can be asked and what the data covers: dimensions with kk/ru/en labels, metrics, date range, freshness.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  ageBands,
  assistance,
  errorResponses,
  genders,
  intervals,
  Meta,
  type Names,
  presets,
  WhoAmI,
} from '../contract/index.ts'
import { describeMetric, metrics } from '../metrics/index.ts'

export const dimensionLabels: Record<'age_band' | 'gender' | 'assisted_by', Record<string, Names>> = {
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
}

const coded = (dimension: keyof typeof dimensionLabels, codes: readonly string[]) =>
  codes.map((code) => ({ code, names: dimensionLabels[dimension][code] as Names }))

interface Freshness {
  last_event: string | null
  last_ingested_at: string | null
  events: string
}

export const metaRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/meta',
    {
      schema: {
        tags: ['meta'],
        summary: 'Dimensions, metrics, the data range and its freshness',
        response: { 200: Meta, ...errorResponses(401, 503) },
      },
    },
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
        dataset: reference.dataset
          ? {
              kind: reference.dataset.kind,
              rows: reference.dataset.rows,
              nationalTransactions: reference.dataset.nationalTransactions,
              samplingFraction: reference.dataset.samplingFraction,
              oneIn: reference.dataset.oneIn,
              from: reference.dataset.from,
              until: reference.dataset.until,
            }
          : null,
        today: app.today(),
        firstDay: reference.firstDay,
        lastDay: reference.lastDay,
        events: Number(freshness?.events ?? 0),
        lastEvent: freshness?.last_event ?? null,
        lastIngestedAt: freshness?.last_ingested_at ?? null,
        intervals: [...intervals],
        presets: [...presets],
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
          age_band: coded('age_band', ageBands),
          gender: coded('gender', genders),
          assisted_by: coded('assisted_by', assistance),
        },
      }
    },
  )

  app.get(
    '/whoami',
    {
      schema: {
        tags: ['meta'],
        summary: "The request's role and region scope (the public without a token)",
        response: { 200: WhoAmI, ...errorResponses(401) },
      },
    },
    async (request) => ({
      role: request.principal.role,
      regions: request.principal.regions,
      name: request.principal.name ?? null,
    }),
  )
}
