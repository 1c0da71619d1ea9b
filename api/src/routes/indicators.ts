// Published indicators: analysts define and publish; publishing freezes values as a version the public can read and download.
import { randomUUID } from 'node:crypto'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  errorResponses,
  type Indicator,
  IndicatorBody,
  IndicatorDetail,
  IndicatorList,
  IndicatorParams,
  Indicator as IndicatorSchema,
  IndicatorValues,
  IndicatorValuesQuery,
  PublishBody,
  Published,
  type PublishedIndicator,
} from '../contract/index.ts'
import { loadDrafts, publishIndicator, saveIndicator } from '../indicators.ts'
import { requireMetric } from '../metrics/index.ts'
import { NotFound } from '../query/errors.ts'
import { parseFilters } from '../query/filters.ts'
import { requireRole } from '../query/guard.ts'
import type { Row } from '../query/run.ts'
import { sendTable } from './respond.ts'

interface VersionRow {
  indicator_id: string
  version: number
  published_at: string
  definition: string
  note_kk: string
  note_ru: string
  note_en: string
  revised: string
}

const valuesSql =
  'SELECT toString(period) AS period, value, ci_low, ci_high, if(suppressed = 1, NULL, transactions) AS transactions, suppressed = 1 AS suppressed, provisional = 1 AS provisional FROM indicator_values FINAL WHERE indicator_id = {id:String} AND version = {version:UInt32} ORDER BY period'

/** The frozen definition of a version, as it was published (older versions stored `filters` as strings). */
function definitionOf(row: VersionRow): Indicator {
  const stored = JSON.parse(row.definition) as Indicator & { filters?: Record<string, unknown> }
  const filters = Object.fromEntries(
    Object.entries(stored.filters ?? {})
      .filter(([name]) =>
        ['region', 'channel', 'service', 'category', 'age_band', 'gender', 'assisted_by'].includes(name),
      )
      .map(([name, value]) => [name, Array.isArray(value) ? value : String(value).split(',')]),
  )
  const { id, metric, interval, from, to, title, methodology } = stored
  return { id, metric, interval, filters, title, methodology, ...(from ? { from } : {}), ...(to ? { to } : {}) }
}

const numbers = (rows: Row[]) =>
  rows.map((row) => ({
    period: String(row.period),
    value: typeof row.value === 'number' ? row.value : null,
    ci_low: typeof row.ci_low === 'number' ? row.ci_low : null,
    ci_high: typeof row.ci_high === 'number' ? row.ci_high : null,
    transactions: typeof row.transactions === 'number' ? row.transactions : null,
    suppressed: Boolean(row.suppressed),
    provisional: Boolean(row.provisional),
  }))

export const indicatorRoutes: FastifyPluginAsyncTypebox<{ suppressBelow: number }> = async (app, options) => {
  /** Versions with how many periods each changed against the one before it. */
  const versions = (id?: string) =>
    app.store.rows<VersionRow>(
      'indicators:versions',
      `SELECT v.indicator_id AS indicator_id, v.version AS version, toString(v.published_at) AS published_at,
              v.definition AS definition, v.note_kk AS note_kk, v.note_ru AS note_ru, v.note_en AS note_en,
              toString(ifNull(r.revised, 0)) AS revised
       FROM indicator_versions AS v FINAL
       LEFT JOIN (
         SELECT a.indicator_id AS indicator_id, a.version AS version, countIf(NOT isNotDistinctFrom(a.value, b.value)) AS revised
         FROM (SELECT indicator_id, version, period, value FROM indicator_values FINAL) AS a
         LEFT JOIN (SELECT indicator_id, version + 1 AS version, period, value FROM indicator_values FINAL) AS b
           ON a.indicator_id = b.indicator_id AND a.version = b.version AND a.period = b.period
         WHERE a.version > 1
         GROUP BY a.indicator_id, a.version
       ) AS r ON r.indicator_id = v.indicator_id AND r.version = v.version
       ${id === undefined ? '' : 'WHERE v.indicator_id = {id:String}'} ORDER BY v.indicator_id, v.version`,
      { id },
    )

  async function checked(body: IndicatorBody): Promise<IndicatorBody> {
    requireMetric(body.metric)
    const reference = await app.reference()
    const range = { from: body.from ?? reference.firstDay, ...(body.to ? { to: body.to } : {}) }
    parseFilters({ ...(body.filters ?? {}), ...range, interval: body.interval }, { reference, today: app.today() })
    return body
  }

  const draft = async (id: string) => {
    const [found] = await loadDrafts(app.store, id)
    if (!found) throw new NotFound(`no indicator ${id}`)
    return found
  }

  app.get(
    '/indicators',
    {
      schema: {
        tags: ['indicators'],
        summary: 'Published indicators (open to the public); analysts also see drafts',
        response: { 200: IndicatorList, ...errorResponses(401, 503) },
      },
    },
    async (request) => {
      const latest = new Map<string, VersionRow>()
      for (const version of await versions()) latest.set(version.indicator_id, version)
      const published: PublishedIndicator[] = [...latest.values()].map((version) => ({
        ...definitionOf(version),
        version: Number(version.version),
        publishedAt: version.published_at,
      }))
      if (request.principal.role !== 'analyst') return { indicators: published }
      return { indicators: published, drafts: await loadDrafts(app.store) }
    },
  )

  app.get(
    '/indicators/:id',
    {
      schema: {
        tags: ['indicators'],
        summary: 'An indicator: its latest version, values and version history',
        params: IndicatorParams,
        response: { 200: IndicatorDetail, ...errorResponses(400, 401, 404, 503) },
      },
    },
    async (request) => {
      const { id } = request.params
      const history = await versions(id)
      const latest = history.at(-1)
      if (!latest) {
        const [unpublished] = request.principal.role === 'analyst' ? await loadDrafts(app.store, id) : []
        if (unpublished) return { ...unpublished, version: null, publishedAt: null, versions: [], values: [] }
        throw new NotFound('no published indicator with this id')
      }
      const values = await app.store.rows<Row>('indicators:values', valuesSql, { id, version: latest.version })
      return {
        ...definitionOf(latest),
        version: Number(latest.version),
        publishedAt: latest.published_at,
        versions: history.map((row) => ({
          version: Number(row.version),
          publishedAt: row.published_at,
          note: { kk: row.note_kk, ru: row.note_ru, en: row.note_en },
          revisedPeriods: Number(row.revised),
        })),
        values: numbers(values.map((row) => ({ ...row, transactions: Number(row.transactions) }))),
      }
    },
  )

  app.get(
    '/indicators/:id/values',
    {
      schema: {
        tags: ['indicators'],
        summary: 'Frozen values of a version (latest by default), as JSON, CSV, Arrow or Parquet',
        params: IndicatorParams,
        querystring: IndicatorValuesQuery,
        response: { 200: IndicatorValues, ...errorResponses(400, 401, 404, 503) },
      },
    },
    async (request, reply) => {
      const { id } = request.params
      const history = await versions(id)
      const asked = request.query.version
      const version = asked ?? history.at(-1)?.version
      if (!version || !history.some((row) => Number(row.version) === Number(version))) {
        throw new NotFound(asked ? `indicator ${id} has no version ${asked}` : 'no published indicator with this id')
      }
      const frozen = { sql: valuesSql, params: { id, version }, source: 'indicator_values' }
      return sendTable(
        request,
        reply,
        frozen,
        request.query.format,
        { indicator: id, version: Number(version) },
        `${id}-v${version}`,
        numbers,
      )
    },
  )

  app.post(
    '/indicators',
    {
      schema: {
        tags: ['indicators'],
        summary: 'Define an indicator (analysts); it stays a draft until published',
        body: IndicatorBody,
        response: { 201: IndicatorSchema, ...errorResponses(400, 401, 403, 503) },
      },
    },
    async (request, reply) => {
      requireRole(request, ['analyst'], 'define indicators')
      const id = randomUUID().slice(0, 8)
      await saveIndicator(app.store, id, await checked(request.body), request.principal.tokenId ?? '')
      return reply.code(201).send(await draft(id))
    },
  )

  app.put(
    '/indicators/:id',
    {
      schema: {
        tags: ['indicators'],
        summary: 'Edit an indicator (analysts); published versions stay as they were',
        params: IndicatorParams,
        body: IndicatorBody,
        response: { 200: IndicatorSchema, ...errorResponses(400, 401, 403, 404, 503) },
      },
    },
    async (request) => {
      requireRole(request, ['analyst'], 'edit indicators')
      await draft(request.params.id)
      await saveIndicator(app.store, request.params.id, await checked(request.body), request.principal.tokenId ?? '')
      return draft(request.params.id)
    },
  )

  app.post(
    '/indicators/:id/publish',
    {
      schema: {
        tags: ['indicators'],
        summary: 'Freeze the current definition and values as a new version',
        params: IndicatorParams,
        body: PublishBody,
        response: { 201: Published, ...errorResponses(400, 401, 403, 404, 503) },
      },
    },
    async (request, reply) => {
      requireRole(request, ['analyst'], 'publish indicators')
      const definition = await draft(request.params.id)
      const context = { reference: await app.reference(), today: app.today(), suppressBelow: options.suppressBelow }
      const published = await publishIndicator(
        app.store,
        context,
        definition,
        request.body.note,
        request.principal.tokenId ?? '',
      )
      return reply.code(201).send({ id: definition.id, ...published })
    },
  )
}
