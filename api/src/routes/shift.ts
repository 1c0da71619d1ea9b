// Channel-shift endpoints: a share's change decomposed, cohorts of citizens, channel costs, and where to push.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  CohortQuery,
  Cohorts,
  CostQuery,
  Costs,
  cohortWindows,
  DecomposeQuery,
  Decomposition,
  errorResponses,
  type FilterQuery,
  MetricParams,
  WhereToPush,
  WhereToPushQuery,
} from '../contract/index.ts'
import { channelMigration } from '../metrics/channel-migration.ts'
import { requireMetric } from '../metrics/index.ts'
import { onlineShareSelf } from '../metrics/online-share-self.ts'
import { volume } from '../metrics/volume.ts'
import { BadRequest } from '../query/errors.ts'
import { parseFilters } from '../query/filters.ts'
import { scopeFilters } from '../query/scope.ts'
import { sendComputed } from '../shift/answer.ts'
import { cohortRows } from '../shift/cohorts.ts'
import { costAnswer, loadUnitCosts } from '../shift/costs.ts'
import { cellCounts, contributionColumns, decompositionAnswer, requireDecomposable } from '../shift/decompose.ts'
import { baseRange } from '../shift/periods.ts'
import { whereToPushAnswer } from '../shift/where-to-push.ts'

const answers = <T>(schema: T) => ({ 200: schema, ...errorResponses(400, 401, 403, 503) })

/** A dimension list with no repeats: `by=service,service` is a mistake worth naming. */
function distinct<T extends string>(by: T[]): T[] {
  if (new Set(by).size !== by.length) throw new BadRequest('by', `name each dimension once (${by.join(', ')})`)
  return by
}

export const shiftRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const resolve = async (query: FilterQuery) =>
    parseFilters(query, { reference: await app.reference(), today: app.today() })

  app.get(
    '/metrics/:metric/decompose',
    {
      schema: {
        tags: ['shift'],
        summary: "A share's change since a base period split into mix, within and interaction effects",
        params: MetricParams,
        querystring: DecomposeQuery,
        response: answers(Decomposition),
      },
    },
    async (request, reply) => {
      const metric = requireMetric(request.params.metric)
      requireDecomposable(metric)
      const { query } = request
      const by = distinct(query.by ?? ['service'])
      const current = scopeFilters(request.principal, metric, await resolve(query), by)
      const base = { ...current, ...baseRange(current, query) }
      const reference = await app.reference()
      const today = app.today()
      const cells = await cellCounts(app.store, reference, metric, { base, current }, by, today)
      const weights = query.weights ?? 'base'
      const answer = decompositionAnswer(metric, { base, current }, by, weights, cells, query.top ?? 10, today)
      return sendComputed(
        request,
        reply,
        query.format,
        answer,
        { columns: contributionColumns(by), rows: answer.rows },
        `${metric.id}-decomposed-by-${by.join('-')}`,
      )
    },
  )

  app.get(
    '/shift/cohorts',
    {
      schema: {
        tags: ['shift'],
        summary: 'Citizens by the month of their start, and the share who later self-serve online or fall back',
        querystring: CohortQuery,
        response: answers(Cohorts),
      },
    },
    async (request, reply) => {
      const { query } = request
      const start = query.start ?? 'assisted'
      const by = query.by ?? []
      if (start === 'assisted' && query.assisted_by?.includes('self')) {
        throw new BadRequest('assisted_by', 'cohorts that start with assistance start with staff or a volunteer')
      }
      // Cohorts follow citizens, as channel migration does: the same rule (a regional token sees its regions).
      const filters = scopeFilters(request.principal, channelMigration, await resolve(query), by)
      const reference = await app.reference()
      const observedUntil = [filters.to, reference.lastDay].sort()[0] ?? filters.to
      const months = query.months ?? 12
      const rows = await cohortRows(app.store, reference, { filters, start, by, months, observedUntil })
      const provisional = filters.to >= app.today()
      const answer = {
        start,
        by,
        filters,
        provisional,
        observed_until: observedUntil,
        windows: [...cohortWindows],
        months,
        rows,
      }
      const columns = ['cohort', ...by, 'citizens', 'horizon', 'after', 'known', 'moved', 'moved_share', 'fell_back']
      return sendComputed(
        request,
        reply,
        query.format,
        answer,
        { columns: [...columns, 'fell_back_share'], rows },
        `cohorts-${start}`,
      )
    },
  )

  app.get(
    '/shift/costs',
    {
      schema: {
        tags: ['shift'],
        summary: "The cost of each period's channel mix, and what the shift since a base period saved",
        querystring: CostQuery,
        response: answers(Costs),
      },
    },
    async (request, reply) => {
      const { query } = request
      const by = query.by ?? []
      const current = scopeFilters(request.principal, volume, await resolve(query), ['channel', 'assisted_by', ...by])
      const base = { ...current, ...baseRange(current, query) }
      const answer = await costAnswer(
        app.store,
        await app.reference(),
        { base, current },
        by,
        await loadUnitCosts(app.store),
        app.today(),
      )
      const figures = ['completed', 'costed', 'cost', 'cost_per_transaction']
      const table = by.length
        ? { columns: [...by, ...figures, 'base_cost_per_transaction', 'saved'], rows: answer.rows }
        : { columns: ['period', ...figures, 'provisional'], rows: answer.periods }
      return sendComputed(request, reply, query.format, answer, table, `costs${by.length ? `-by-${by[0]}` : ''}`)
    },
  )

  app.get(
    '/shift/where-to-push',
    {
      schema: {
        tags: ['shift'],
        summary: 'Where to push in a region: the most transactions still to move to self-service, with benchmarks',
        querystring: WhereToPushQuery,
        response: answers(WhereToPush),
      },
    },
    async (request, reply) => {
      const { query } = request
      const by = query.by?.[0] ?? 'service'
      const filters = scopeFilters(request.principal, onlineShareSelf, await resolve(query), [by])
      if (filters.regions.length === 0) throw new BadRequest('region', 'name the region (or regions) to push in')
      const answer = await whereToPushAnswer(
        app.store,
        await app.reference(),
        filters,
        by,
        request.principal.role === 'analyst',
        app.today(),
      )
      const columns = [by, 'completed', 'self_service', 'share', 'to_move', 'national_share', 'best_share']
      return sendComputed(
        request,
        reply,
        query.format,
        answer,
        { columns: [...columns, 'best_region', 'gain_at_national', 'gain_at_best'], rows: answer.rows },
        `where-to-push-by-${by}`,
      )
    },
  )
}
