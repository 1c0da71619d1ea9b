// Targets: analysts set them (metric, scope, value, due date); everyone with a token sees progress toward those they may see.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import {
  earliestDay,
  errorResponses,
  latestDay,
  type Target,
  TargetBody,
  TargetList,
  TargetParams,
  Target as TargetSchema,
  TargetsQuery,
} from '../contract/index.ts'
import { plan, requireMetric } from '../metrics/index.ts'
import { BadRequest, Forbidden, NotFound } from '../query/errors.ts'
import { checkScope, parseFilters } from '../query/filters.ts'
import { requireRole } from '../query/guard.ts'
import { progressWindow, targetProgress } from '../query/progress.ts'
import { runRows } from '../query/run.ts'
import { scopeFilters } from '../query/scope.ts'
import { deleteTarget, loadTargets, saveTarget } from '../targets.ts'

/** The largest value a count, a time or a rate per 1,000 may be set to: beyond it a target means nothing. */
const largestValue = 1e12

export const targetRoutes: FastifyPluginAsyncTypebox = async (app) => {
  /** The target as this token may see it: its progress over the filters the token may run, or null if none. */
  async function evaluated(request: FastifyRequest, target: Target, withProgress: boolean): Promise<Target | null> {
    const metric = requireMetric(target.metric)
    const reference = await app.reference()
    const window = progressWindow(app.today())
    const scoped = { ...target.filters, ...window, interval: 'month' as const }
    let filters: ReturnType<typeof parseFilters>
    try {
      filters = scopeFilters(request.principal, metric, parseFilters(scoped, { reference, today: app.today() }), [])
    } catch (error) {
      // A target over detail of a region this token sees only as totals is not listed for it.
      if (error instanceof Forbidden) return null
      throw error
    }
    const rescoped = filters.regions.join(',') !== (target.filters.region ?? []).join(',')
    if (!withProgress) return { ...target, ...(rescoped ? { rescoped } : {}) }
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
      ...target,
      ...(rescoped ? { rescoped } : {}),
      progress: {
        series,
        ...targetProgress(series, {
          value: target.value,
          dueDate: target.dueDate,
          higherIsBetter: metric.higherIsBetter,
        }),
      },
    }
  }

  async function validated(body: TargetBody): Promise<TargetBody> {
    const metric = requireMetric(body.metric)
    const reference = await app.reference()
    const scope = checkScope(body.filters ?? {}, reference)
    const refusal = metric.refuses?.({ from: earliestDay, to: earliestDay, interval: 'month', ...scope })
    if (refusal) throw new BadRequest(`filters.${refusal.parameter}`, refusal.reason)
    const [low, high] = metric.unit === 'share' ? [0, 1] : [0, largestValue]
    if (!Number.isFinite(body.value) || body.value < low || body.value > high) {
      throw new BadRequest(
        'value',
        `${body.value} is not from ${low} to ${high}${metric.unit === 'share' ? ' (shares are written as 0–1)' : ''}`,
      )
    }
    if (body.dueDate < earliestDay || body.dueDate > latestDay) {
      throw new BadRequest('dueDate', `${body.dueDate} is outside ${earliestDay} … ${latestDay}`)
    }
    return body
  }

  const one = async (id: string) => {
    const [target] = await loadTargets(app.store, id)
    if (!target) throw new NotFound(`no target ${id}`)
    return target
  }

  app.get(
    '/targets',
    {
      schema: {
        tags: ['targets'],
        summary: 'The targets this token may see, with their progress',
        querystring: TargetsQuery,
        response: { 200: TargetList, ...errorResponses(400, 401, 403, 503) },
      },
    },
    async (request) => {
      requireRole(request, ['analyst', 'regional'], 'read targets')
      const withProgress = request.query.progress !== false
      const targets = await Promise.all(
        (await loadTargets(app.store)).map((target) => evaluated(request, target, withProgress)),
      )
      return { targets: targets.filter((target): target is Target => target !== null) }
    },
  )

  app.get(
    '/targets/:id',
    {
      schema: {
        tags: ['targets'],
        summary: 'One target with its progress',
        params: TargetParams,
        response: { 200: TargetSchema, ...errorResponses(400, 401, 403, 404, 503) },
      },
    },
    async (request) => {
      requireRole(request, ['analyst', 'regional'], 'read targets')
      const target = await evaluated(request, await one(request.params.id), true)
      if (!target) throw new NotFound(`no target ${request.params.id}`)
      return target
    },
  )

  app.post(
    '/targets',
    {
      schema: {
        tags: ['targets'],
        summary: 'Create a target (analysts)',
        body: TargetBody,
        response: { 201: TargetSchema, ...errorResponses(400, 401, 403, 503) },
      },
    },
    async (request, reply) => {
      requireRole(request, ['analyst'], 'create targets')
      const id = await saveTarget(app.store, await validated(request.body), request.principal.tokenId ?? '')
      return reply.code(201).send(await one(id))
    },
  )

  app.put(
    '/targets/:id',
    {
      schema: {
        tags: ['targets'],
        summary: 'Edit a target (analysts)',
        params: TargetParams,
        body: TargetBody,
        response: { 200: TargetSchema, ...errorResponses(400, 401, 403, 404, 503) },
      },
    },
    async (request) => {
      requireRole(request, ['analyst'], 'edit targets')
      await one(request.params.id)
      await saveTarget(app.store, await validated(request.body), request.principal.tokenId ?? '', request.params.id)
      return one(request.params.id)
    },
  )

  app.delete(
    '/targets/:id',
    {
      schema: {
        tags: ['targets'],
        summary: 'Delete a target (analysts)',
        params: TargetParams,
        response: { 204: Type.Null(), ...errorResponses(401, 403, 404, 503) },
      },
    },
    async (request, reply) => {
      requireRole(request, ['analyst'], 'delete targets')
      await one(request.params.id)
      await deleteTarget(app.store, request.params.id)
      return reply.code(204).send(null)
    },
  )
}
