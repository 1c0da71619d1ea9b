// Metric endpoints: the registry, a time series, a breakdown and a comparison, all through one filter parser.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { subYears } from 'date-fns'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { funnel, limitsAt } from '../analysis/funnel.ts'
import {
  Comparison,
  errorResponses,
  type Filters,
  FunnelAnswer,
  MetricList,
  MetricParams,
  MetricQuery,
  MetricTable,
} from '../contract/index.ts'
import { describeMetric, metrics, plan, requireMetric } from '../metrics/index.ts'
import { BadRequest } from '../query/errors.ts'
import { parseFilters } from '../query/filters.ts'
import { runRows } from '../query/run.ts'
import { scopeFilters } from '../query/scope.ts'
import { sendTable } from './respond.ts'

const iso = (date: Date) => date.toISOString().slice(0, 10)
const dayMs = 86_400_000

/** The same number of days just before, and the same dates a year earlier. */
function comparedRanges(filters: Filters): Filters[] {
  const days = Math.round((Date.parse(filters.to) - Date.parse(filters.from)) / dayMs) + 1
  const previousTo = new Date(Date.parse(filters.from) - dayMs)
  const previousFrom = new Date(previousTo.getTime() - (days - 1) * dayMs)
  const yearAgo = (date: string) => iso(subYears(new Date(`${date}T00:00:00Z`), 1))
  return [
    filters,
    { ...filters, from: iso(previousFrom), to: iso(previousTo) },
    { ...filters, from: yearAgo(filters.from), to: yearAgo(filters.to) },
  ]
}

const tabular = { 200: MetricTable, ...errorResponses(400, 401, 403, 503) }

export const metricRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const resolve = async (query: MetricQuery) =>
    parseFilters(query, { reference: await app.reference(), today: app.today() })

  /** A series (by period) or a breakdown (by one or two dimensions) of a metric, in the format asked for. */
  async function answerTable(
    request: FastifyRequest,
    reply: FastifyReply,
    asked: { metric: string; query: MetricQuery },
    series: boolean,
  ) {
    const { query } = asked
    const metric = requireMetric(asked.metric)
    const by = query.by ?? []
    if (!series && by.length === 0)
      throw new BadRequest('by', `name the dimension to break down by: one of ${metric.breakdowns.join(', ')}`)
    const filters = scopeFilters(request.principal, metric, await resolve(query), by)
    const today = app.today()
    const planned = plan({ metric, filters, by, series, today, withinDays: query.within_days }, await app.reference())
    return sendTable(
      request,
      reply,
      planned,
      query.format,
      { metric: metric.id, unit: metric.unit, filters, by, provisional: filters.to >= today },
      series ? `${metric.id}-series` : `${metric.id}-by-${by.join('-')}`,
    )
  }

  app.get(
    '/metrics',
    {
      schema: { tags: ['metrics'], summary: 'The metrics, their units and breakdowns', response: { 200: MetricList } },
    },
    async () => ({ metrics: metrics.map(describeMetric) }),
  )

  app.get(
    '/metrics/:metric/series',
    {
      schema: {
        tags: ['metrics'],
        summary: 'A metric over time, one row per period',
        params: MetricParams,
        querystring: MetricQuery,
        response: tabular,
      },
    },
    (request, reply) => answerTable(request, reply, { metric: request.params.metric, query: request.query }, true),
  )

  app.get(
    '/metrics/:metric/breakdown',
    {
      schema: {
        tags: ['metrics'],
        summary: 'A metric broken down by one or two dimensions',
        params: MetricParams,
        querystring: MetricQuery,
        response: tabular,
      },
    },
    (request, reply) => answerTable(request, reply, { metric: request.params.metric, query: request.query }, false),
  )

  app.get(
    '/metrics/:metric/compare',
    {
      schema: {
        tags: ['metrics'],
        summary: 'A metric against the previous period and the same period a year earlier',
        params: MetricParams,
        querystring: MetricQuery,
        response: { 200: Comparison, ...errorResponses(400, 401, 403, 503) },
      },
    },
    async (request) => {
      const metric = requireMetric(request.params.metric)
      if (request.query.by?.length) throw new BadRequest('by', 'a comparison has no breakdown; use /breakdown')
      if (request.query.format && request.query.format !== 'json')
        throw new BadRequest('format', 'a comparison is answered as JSON only')
      const filters = scopeFilters(request.principal, metric, await resolve(request.query), [])
      const reference = await app.reference()
      const answers = await Promise.all(
        comparedRanges(filters).map(async (range) => {
          const planned = plan(
            {
              metric,
              filters: range,
              by: [],
              series: false,
              today: app.today(),
              withinDays: request.query.within_days,
            },
            reference,
          )
          const [row] = await runRows(app.store, planned, `compare:${metric.id}`)
          const number = (value: unknown) => (typeof value === 'number' ? value : null)
          return {
            from: range.from,
            to: range.to,
            value: number(row?.value),
            ci_low: number(row?.ci_low),
            ci_high: number(row?.ci_high),
            transactions: number(row?.transactions) ?? 0,
            provisional: range.to >= app.today(),
          }
        }),
      )
      const [current, previous, previousYear] = answers as [
        Comparison['current'],
        Comparison['current'],
        Comparison['current'],
      ]
      const change = (base: Comparison['current']) =>
        current.value !== null && base.value !== null
          ? {
              absolute: current.value - base.value,
              relative: base.value === 0 ? null : (current.value - base.value) / Math.abs(base.value),
            }
          : null
      return {
        metric: metric.id,
        unit: metric.unit,
        filters,
        current,
        previous,
        previousYear,
        change: { previous: change(previous), previousYear: change(previousYear) },
      }
    },
  )
  app.get(
    '/metrics/:metric/funnel',
    {
      schema: {
        tags: ['metrics'],
        summary: 'A share compared fairly across regions (or another dimension): a funnel plot with control limits',
        params: MetricParams,
        querystring: MetricQuery,
        response: { 200: FunnelAnswer, ...errorResponses(400, 401, 403, 503) },
      },
    },
    async (request) => {
      const metric = requireMetric(request.params.metric)
      const [dimension = 'region', ...more] = request.query.by ?? []
      if (more.length) throw new BadRequest('by', 'a funnel compares units of one dimension')
      const filters = scopeFilters(request.principal, metric, await resolve(request.query), [dimension])
      const rows = await runRows(
        app.store,
        plan(
          {
            metric,
            filters,
            by: [dimension],
            series: false,
            today: app.today(),
            withinDays: request.query.within_days,
          },
          await app.reference(),
        ),
        `funnel:${metric.id}`,
      )
      if (metric.unit !== 'share' || rows.some((row) => typeof row.denominator !== 'number')) {
        throw new BadRequest('metric', `${metric.id} is not a proportion with a base; a funnel compares shares`)
      }
      const result = funnel(
        rows.map((row) => ({
          key: String(row[dimension]),
          numerator: Number(row.numerator),
          denominator: Number(row.denominator),
        })),
      )
      const bases = result.units.map((unit) => unit.denominator)
      const low = Math.max(1, Math.min(...bases, Number.POSITIVE_INFINITY) / 2)
      const high = Math.max(...bases, 2) * 1.5
      const curve = Array.from({ length: 48 }, (_, i) => {
        const n = Math.exp(Math.log(low) + ((Math.log(high) - Math.log(low)) * i) / 47)
        return { n, ...limitsAt(result.target, n, result.tau2) }
      })
      return {
        metric: metric.id,
        filters,
        by: dimension,
        provisional: filters.to >= app.today(),
        ...result,
        curve: result.units.length ? curve : [],
      }
    },
  )
}
