// Published indicators: analysts define and publish; publishing freezes values as a version the public can read and download.
import { randomUUID } from 'node:crypto'
import { Type } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { publishIndicator, saveIndicator } from '../indicators.ts'
import { BadRequest, intervals, parseFilters, type QueryInput } from '../query/filters.ts'
import { requireRole } from '../query/guard.ts'
import { metricById, metricIds } from '../query/metrics.ts'
import { sendTable } from './respond.ts'

interface IndicatorRow {
  id: string
  metric: string
  filters: string
  interval: string
  title_kk: string
  title_ru: string
  title_en: string
  methodology_kk: string
  methodology_ru: string
  methodology_en: string
  created_by: string
  updated_at: string
}

interface VersionRow {
  indicator_id: string
  version: number
  published_at: string
  published_by: string
  definition: string
  note_kk: string
  note_ru: string
  note_en: string
  revised: string
}

const names = Type.Object({
  kk: Type.String({ minLength: 1 }),
  ru: Type.String({ minLength: 1 }),
  en: Type.String({ minLength: 1 }),
})
const indicatorBody = Type.Object(
  {
    metric: Type.String({ enum: metricIds }),
    filters: Type.Optional(Type.Record(Type.String(), Type.String())),
    interval: Type.String({ enum: [...intervals] }),
    title: names,
    methodology: names,
  },
  { additionalProperties: false },
)
type IndicatorBody = {
  metric: string
  filters?: Record<string, string>
  interval: string
  title: Record<'kk' | 'ru' | 'en', string>
  methodology: Record<'kk' | 'ru' | 'en', string>
}

const definitionOf = (row: IndicatorRow) => ({
  id: row.id,
  metric: row.metric,
  filters: JSON.parse(row.filters) as Record<string, string>,
  interval: row.interval,
  title: { kk: row.title_kk, ru: row.title_ru, en: row.title_en },
  methodology: { kk: row.methodology_kk, ru: row.methodology_ru, en: row.methodology_en },
})

const versionOf = (row: VersionRow) => ({
  version: Number(row.version),
  publishedAt: row.published_at,
  note: { kk: row.note_kk, ru: row.note_ru, en: row.note_en },
  revisedPeriods: Number(row.revised),
})

export async function indicatorRoutes(app: FastifyInstance, options: { suppressBelow: number }): Promise<void> {
  const drafts = (id?: string) =>
    app.store.rows<IndicatorRow>(
      'indicators:drafts',
      `SELECT * EXCEPT deleted FROM indicators FINAL WHERE deleted = 0 ${id ? 'AND id = {id:String}' : ''} ORDER BY id`,
      { id },
    )

  /** Versions with how many periods each changed against the one before it. */
  const versions = (id?: string) =>
    app.store.rows<VersionRow>(
      'indicators:versions',
      `SELECT v.*, toString(ifNull(r.revised, 0)) AS revised
       FROM indicator_versions AS v FINAL
       LEFT JOIN (
         SELECT a.indicator_id AS indicator_id, a.version AS version, countIf(NOT isNotDistinctFrom(a.value, b.value)) AS revised
         FROM (SELECT indicator_id, version, period, value FROM indicator_values FINAL) AS a
         LEFT JOIN (SELECT indicator_id, version + 1 AS version, period, value FROM indicator_values FINAL) AS b
           ON a.indicator_id = b.indicator_id AND a.version = b.version AND a.period = b.period
         WHERE a.version > 1
         GROUP BY a.indicator_id, a.version
       ) AS r ON r.indicator_id = v.indicator_id AND r.version = v.version
       ${id ? 'WHERE v.indicator_id = {id:String}' : ''} ORDER BY v.indicator_id, v.version`,
      { id },
    )

  async function checkedBody(body: IndicatorBody) {
    const metric = metricById(body.metric)
    if (!metric) throw new BadRequest('metric', `unknown metric ${body.metric}`)
    parseFilters({ ...(body.filters ?? {}), interval: body.interval } as QueryInput, {
      reference: await app.reference(),
      today: app.today(),
    })
    return body
  }

  const save = (request: FastifyRequest, id: string, body: IndicatorBody) =>
    saveIndicator(app.store, id, body, request.principal.tokenId ?? '')

  app.get(
    '/indicators',
    {
      schema: { tags: ['indicators'], summary: 'Published indicators (open to the public); analysts also see drafts' },
    },
    async (request) => {
      const all = await versions()
      const latest = new Map<string, VersionRow>()
      for (const version of all) latest.set(version.indicator_id, version)
      const published = [...latest.values()].map((version) => ({
        ...(JSON.parse(version.definition) as ReturnType<typeof definitionOf>),
        version: Number(version.version),
        publishedAt: version.published_at,
      }))
      if (request.principal.role !== 'analyst') return { indicators: published }
      return { indicators: published, drafts: (await drafts()).map(definitionOf) }
    },
  )

  app.get(
    '/indicators/:id',
    { schema: { tags: ['indicators'], params: Type.Object({ id: Type.String() }) } },
    async (request, reply) => {
      const { id } = request.params as { id: string }
      const history = await versions(id)
      const latest = history.at(-1)
      if (!latest) {
        const [draft] = request.principal.role === 'analyst' ? await drafts(id) : []
        if (draft) return { ...definitionOf(draft), versions: [], values: [] }
        return reply.code(404).send({ error: 'not_found', message: 'no published indicator with this id' })
      }
      const values = await app.store.rows<Record<string, unknown>>(
        'indicators:values',
        'SELECT period, value, ci_low, ci_high, transactions, suppressed FROM indicator_values FINAL WHERE indicator_id = {id:String} AND version = {version:UInt32} ORDER BY period',
        { id, version: latest.version },
      )
      return {
        ...JSON.parse(latest.definition),
        version: Number(latest.version),
        publishedAt: latest.published_at,
        versions: history.map(versionOf),
        values,
      }
    },
  )

  app.get(
    '/indicators/:id/values',
    {
      schema: {
        tags: ['indicators'],
        summary: 'Frozen values of a version (latest by default), as JSON, CSV, Arrow or Parquet',
        params: Type.Object({ id: Type.String() }),
        querystring: Type.Object({
          version: Type.Optional(Type.Integer({ minimum: 1 })),
          format: Type.Optional(Type.String()),
        }),
      },
    },
    async (request, reply) => {
      const { id } = request.params as { id: string }
      const history = await versions(id)
      const asked = (request.query as { version?: number }).version
      const version = asked ?? history.at(-1)?.version
      if (!version || !history.some((row) => Number(row.version) === Number(version))) {
        return reply.code(404).send({
          error: 'not_found',
          message: asked ? `indicator ${id} has no version ${asked}` : 'no published indicator with this id',
        })
      }
      const frozen = {
        sql: 'SELECT period, value, ci_low, ci_high, transactions, suppressed FROM indicator_values FINAL WHERE indicator_id = {id:String} AND version = {version:UInt32} ORDER BY period',
        params: { id, version },
        source: 'indicator_values',
      }
      return sendTable(request, reply, frozen, { indicator: id, version: Number(version) }, `${id}-v${version}`)
    },
  )

  app.post(
    '/indicators',
    {
      schema: {
        tags: ['indicators'],
        summary: 'Define an indicator (analysts); it stays a draft until published',
        body: indicatorBody,
      },
    },
    async (request, reply) => {
      requireRole(request, ['analyst'], 'define indicators')
      const body = await checkedBody(request.body as IndicatorBody)
      const id = randomUUID().slice(0, 8)
      await save(request, id, body)
      return reply.code(201).send(definitionOf((await drafts(id))[0] as IndicatorRow))
    },
  )

  app.put(
    '/indicators/:id',
    { schema: { tags: ['indicators'], params: Type.Object({ id: Type.String() }), body: indicatorBody } },
    async (request, reply) => {
      requireRole(request, ['analyst'], 'edit indicators')
      const { id } = request.params as { id: string }
      if ((await drafts(id)).length === 0)
        return reply.code(404).send({ error: 'not_found', message: 'no such indicator' })
      await save(request, id, await checkedBody(request.body as IndicatorBody))
      return definitionOf((await drafts(id))[0] as IndicatorRow)
    },
  )

  app.post(
    '/indicators/:id/publish',
    {
      schema: {
        tags: ['indicators'],
        summary: 'Freeze the current definition and values as a new version',
        params: Type.Object({ id: Type.String() }),
        body: Type.Object({ note: names }),
      },
    },
    async (request, reply) => {
      requireRole(request, ['analyst'], 'publish indicators')
      const { id } = request.params as { id: string }
      const [draft] = await drafts(id)
      if (!draft) return reply.code(404).send({ error: 'not_found', message: 'no such indicator' })
      const note = (request.body as { note: Record<'kk' | 'ru' | 'en', string> }).note
      const context = { reference: await app.reference(), today: app.today(), suppressBelow: options.suppressBelow }
      const published = await publishIndicator(
        app.store,
        context,
        id,
        definitionOf(draft),
        note,
        request.principal.tokenId ?? '',
      )
      return reply.code(201).send({ id, ...published })
    },
  )
}
