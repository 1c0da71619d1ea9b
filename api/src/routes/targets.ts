// Targets: analysts set them (metric, scope, value, due date); everyone with a token sees progress toward those they may see.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { differenceInCalendarMonths, parseISO } from 'date-fns'
import type { FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import {
  type ApiDimension,
  earliestDay,
  errorResponses,
  latestDay,
  type Target,
  TargetBody,
  TargetList,
  TargetParams,
  TargetRegions,
  Target as TargetSchema,
  TargetsQuery,
} from '../contract/index.ts'
import { plan, requireMetric } from '../metrics/index.ts'
import { BadRequest, Forbidden, NotFound } from '../query/errors.ts'
import { checkScope, parseFilters } from '../query/filters.ts'
import { requireRole } from '../query/guard.ts'
import { type Row, runRows } from '../query/run.ts'
import { scopeFilters } from '../query/scope.ts'
import { evaluateTarget } from '../targets/evaluation.ts'
import { deleteTarget, loadTargets, saveTarget } from '../targets/store.ts'

/** The largest value a count, a time or a rate per 1,000 may be set to: beyond it a target means nothing. */
const largestValue = 1e12

export const targetRoutes: FastifyPluginAsyncTypebox = async (app) => {
  /** The filters of a target's monthly series as this token may run them; null when it may not see the target. */
  async function seriesFilters(request: FastifyRequest, target: Target, by: ApiDimension[]) {
    const metric = requireMetric(target.metric)
    const reference = await app.reference()
    const today = app.today()
    const range = { from: reference.firstDay.slice(0, 8).concat('01'), to: today, interval: 'month' as const }
    try {
      const filters = scopeFilters(
        request.principal,
        metric,
        parseFilters({ ...target.filters, ...range }, { reference, today }),
        by,
      )
      return { metric, reference, today, filters }
    } catch (error) {
      // A target over detail of a region this token sees only as totals is not listed for it.
      if (error instanceof Forbidden) return null
      throw error
    }
  }

  const specOf = (target: Target, share: boolean) => ({
    value: target.value,
    dueDate: target.dueDate,
    higherIsBetter: requireMetric(target.metric).higherIsBetter,
    share,
    baseline: target.baseline,
  })

  const pointsOf = (rows: Row[]) =>
    rows.map((row) => ({
      period: String(row.period),
      value: typeof row.value === 'number' ? row.value : null,
      provisional: Boolean(row.provisional),
    }))

  /** The target as this token may see it, judged on its monthly series, or null if it may not see it. */
  async function evaluated(request: FastifyRequest, target: Target, withProgress: boolean): Promise<Target | null> {
    const scoped = await seriesFilters(request, target, [])
    if (!scoped) return null
    const { metric, reference, today, filters } = scoped
    const rescoped = filters.regions.join(',') !== (target.filters.region ?? []).join(',')
    if (!withProgress) return { ...target, ...(rescoped ? { rescoped } : {}) }
    const rows = await runRows(
      app.store,
      plan({ metric, filters, by: [], series: true, today }, reference),
      `targets:${metric.id}`,
    )
    const series = pointsOf(rows)
    return {
      ...target,
      ...(rescoped ? { rescoped } : {}),
      progress: { series, ...evaluateTarget(series, specOf(target, metric.unit === 'share'), today) },
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

  app.get(
    '/targets/:id/regions',
    {
      schema: {
        tags: ['targets'],
        summary: 'A target judged in each region, ranked by months to the target',
        params: TargetParams,
        response: { 200: TargetRegions, ...errorResponses(400, 401, 403, 404, 503) },
      },
    },
    async (request) => {
      requireRole(request, ['analyst', 'regional'], 'read targets')
      const target = await one(request.params.id)
      const { region: _region, ...national } = target.filters
      const scoped = await seriesFilters(request, { ...target, filters: national }, ['region'])
      if (!scoped) throw new NotFound(`no target ${request.params.id}`)
      const { metric, reference, today, filters } = scoped
      const rows = await runRows(
        app.store,
        plan({ metric, filters, by: ['region'], series: true, today }, reference),
        `targets:regions:${metric.id}`,
      )
      const byRegion = new Map<string, Row[]>()
      for (const row of rows) byRegion.set(String(row.region), [...(byRegion.get(String(row.region)) ?? []), row])
      const spec = specOf(target, metric.unit === 'share')
      const regions = [...byRegion].map(([region, regionRows]) => {
        const judged = evaluateTarget(pointsOf(regionRows), spec, today)
        const met = judged.status === 'reached'
        const monthsToTarget =
          met || judged.currentPeriod === null
            ? met
              ? 0
              : null
            : judged.projectedDate
              ? differenceInCalendarMonths(parseISO(judged.projectedDate), parseISO(judged.currentPeriod))
              : null
        return {
          region,
          status: judged.status,
          current: judged.current,
          currentPeriod: judged.currentPeriod,
          reachedOn: judged.reachedOn,
          projectedDate: judged.projectedDate,
          monthsToTarget,
          progressRatio: judged.progressRatio,
        }
      })
      regions.sort(
        (a, b) =>
          (a.monthsToTarget ?? Number.POSITIVE_INFINITY) - (b.monthsToTarget ?? Number.POSITIVE_INFINITY) ||
          (b.current ?? 0) - (a.current ?? 0) ||
          a.region.localeCompare(b.region),
      )
      return { target, regions }
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
