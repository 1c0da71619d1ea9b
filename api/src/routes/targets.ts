// Targets: analysts set them (metric, scope, value, due date); everyone with a token sees progress toward them.
import { randomUUID } from 'node:crypto'
import { Type } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { BadRequest, parseFilters, type QueryInput } from '../query/filters.ts'
import { requireRole } from '../query/guard.ts'
import { metricById, metricIds } from '../query/metrics.ts'
import { plan } from '../query/plan.ts'
import { progressWindow, targetProgress } from '../query/progress.ts'
import { runRows } from '../query/run.ts'
import { scopeFilters } from '../query/scope.ts'

interface TargetRow {
  id: string
  metric: string
  filters: string
  value: number
  due_date: string
  title_kk: string
  title_ru: string
  title_en: string
  created_by: string
  updated_at: string
}

const names = Type.Object({
  kk: Type.String({ minLength: 1 }),
  ru: Type.String({ minLength: 1 }),
  en: Type.String({ minLength: 1 }),
})
const targetBody = Type.Object(
  {
    metric: Type.String({ enum: metricIds }),
    filters: Type.Optional(
      Type.Record(Type.String(), Type.String(), { description: 'scope in the filter language, e.g. {"region": "75"}' }),
    ),
    value: Type.Number(),
    dueDate: Type.String({ format: 'date' }),
    title: names,
  },
  { additionalProperties: false },
)
type TargetBody = {
  metric: string
  filters?: Record<string, string>
  value: number
  dueDate: string
  title: { kk: string; ru: string; en: string }
}

const shape = (row: TargetRow) => ({
  id: row.id,
  metric: row.metric,
  filters: JSON.parse(row.filters) as Record<string, string>,
  value: Number(row.value),
  dueDate: row.due_date,
  title: { kk: row.title_kk, ru: row.title_ru, en: row.title_en },
  createdBy: row.created_by,
  updatedAt: row.updated_at,
})

export async function targetRoutes(app: FastifyInstance): Promise<void> {
  const load = async (id?: string) =>
    (
      await app.store.rows<TargetRow>(
        'targets:list',
        `SELECT * EXCEPT deleted FROM targets FINAL WHERE deleted = 0 ${id ? 'AND id = {id:String}' : ''} ORDER BY due_date, id`,
        { id },
      )
    ).map(shape)

  async function progressOf(request: FastifyRequest, target: ReturnType<typeof shape>) {
    const metric = metricById(target.metric)
    if (!metric) throw new BadRequest('metric', `unknown metric ${target.metric}`)
    const reference = await app.reference()
    const window = progressWindow(app.today())
    const { from: _from, to: _to, period: _period, interval: _interval, ...scope } = target.filters
    const filters = scopeFilters(
      request.principal,
      metric,
      parseFilters({ ...scope, ...window, interval: 'month' } as QueryInput, { reference, today: app.today() }),
      [],
    )
    const points = await runRows(
      app.store,
      plan({ metric, filters, by: [], series: true }, reference),
      `targets:${metric.id}`,
    )
    const series = points.map((point) => ({
      period: String(point.period),
      value: typeof point.value === 'number' ? point.value : null,
    }))
    return {
      series,
      ...targetProgress(series, {
        value: target.value,
        dueDate: target.dueDate,
        higherIsBetter: metric.higherIsBetter,
      }),
    }
  }

  async function validated(body: TargetBody) {
    const reference = await app.reference()
    parseFilters({ ...(body.filters ?? {}) } as QueryInput, { reference, today: app.today() })
    return body
  }

  const save = (request: FastifyRequest, id: string, body: TargetBody) =>
    app.store.command(
      'targets:save',
      `INSERT INTO targets (id, metric, filters, value, due_date, title_kk, title_ru, title_en, created_by)
       VALUES ({id:String}, {metric:String}, {filters:String}, {value:Float64}, {due:Date}, {kk:String}, {ru:String}, {en:String}, {by:String})`,
      {
        id,
        metric: body.metric,
        filters: JSON.stringify(body.filters ?? {}),
        value: body.value,
        due: body.dueDate,
        kk: body.title.kk,
        ru: body.title.ru,
        en: body.title.en,
        by: request.principal.tokenId ?? '',
      },
    )

  app.get(
    '/targets',
    {
      schema: {
        tags: ['targets'],
        summary: 'Targets with their progress',
        querystring: Type.Object({ progress: Type.Optional(Type.Boolean()) }),
      },
    },
    async (request) => {
      requireRole(request, ['analyst', 'regional'], 'read targets')
      const targets = await load()
      const withProgress = (request.query as { progress?: boolean }).progress !== false
      return {
        targets: await Promise.all(
          targets.map(async (target) =>
            withProgress ? { ...target, progress: await progressOf(request, target) } : target,
          ),
        ),
      }
    },
  )

  app.get(
    '/targets/:id',
    { schema: { tags: ['targets'], params: Type.Object({ id: Type.String() }) } },
    async (request, reply) => {
      requireRole(request, ['analyst', 'regional'], 'read targets')
      const [target] = await load((request.params as { id: string }).id)
      if (!target) return reply.code(404).send({ error: 'not_found', message: 'no such target' })
      return { ...target, progress: await progressOf(request, target) }
    },
  )

  app.post(
    '/targets',
    { schema: { tags: ['targets'], summary: 'Create a target (analysts)', body: targetBody } },
    async (request, reply) => {
      requireRole(request, ['analyst'], 'create targets')
      const body = await validated(request.body as TargetBody)
      const id = randomUUID()
      await save(request, id, body)
      const [target] = await load(id)
      return reply.code(201).send(target)
    },
  )

  app.put(
    '/targets/:id',
    {
      schema: {
        tags: ['targets'],
        summary: 'Edit a target (analysts)',
        params: Type.Object({ id: Type.String() }),
        body: targetBody,
      },
    },
    async (request, reply) => {
      requireRole(request, ['analyst'], 'edit targets')
      const { id } = request.params as { id: string }
      if ((await load(id)).length === 0) return reply.code(404).send({ error: 'not_found', message: 'no such target' })
      await save(request, id, await validated(request.body as TargetBody))
      return (await load(id))[0]
    },
  )

  app.delete(
    '/targets/:id',
    { schema: { tags: ['targets'], params: Type.Object({ id: Type.String() }) } },
    async (request, reply) => {
      requireRole(request, ['analyst'], 'delete targets')
      const { id } = request.params as { id: string }
      const [target] = await load(id)
      if (!target) return reply.code(404).send({ error: 'not_found', message: 'no such target' })
      await app.store.command(
        'targets:delete',
        `INSERT INTO targets (id, metric, filters, value, due_date, title_kk, title_ru, title_en, created_by, deleted)
       SELECT id, metric, filters, value, due_date, title_kk, title_ru, title_en, created_by, 1 FROM targets FINAL WHERE id = {id:String}`,
        { id },
      )
      return reply.code(204).send()
    },
  )
}
