// Published indicators: analysts define and publish; publishing freezes values as a version the public can read and download.
import { randomUUID } from 'node:crypto'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  errorResponses,
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
import {
  definitionOf,
  loadDrafts,
  loadVersions,
  publishIndicator,
  saveIndicator,
  type VersionRow,
} from '../indicators.ts'
import { requireMetric } from '../metrics/index.ts'
import { BadRequest, NotFound } from '../query/errors.ts'
import { parseFilters } from '../query/filters.ts'
import { requireRole } from '../query/guard.ts'
import type { Row } from '../query/run.ts'
import { releaseRoutes } from './releases.ts'
import { sendTable } from './respond.ts'

const valuesSql =
  'SELECT toString(period) AS period, value, ci_low, ci_high, if(suppressed = 1, NULL, transactions) AS transactions, suppressed = 1 AS suppressed, provisional = 1 AS provisional FROM indicator_values FINAL WHERE indicator_id = {id:String} AND version = {version:UInt32} ORDER BY period'

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
  // Every publication is a release: its own routes, beside the indicators they publish.
  await app.register(releaseRoutes)
  const versions = (id?: string) => loadVersions(app.store, id)

  async function checked(body: IndicatorBody): Promise<IndicatorBody> {
    const metric = requireMetric(body.metric)
    for (const dimension of body.breakdowns ?? []) {
      if (!metric.breakdowns.includes(dimension)) {
        throw new BadRequest(
          'breakdowns',
          `${metric.id} cannot be broken down by ${dimension}: use ${metric.breakdowns.join(', ')}`,
        )
      }
    }
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
