// Metric endpoints: the registry, a time series, a breakdown and a comparison, all through one filter parser.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { breakdownDispersion, type Dispersion } from '../analysis/dispersion.ts'
import { funnel, funnelLimitsAt } from '../analysis/funnel.ts'
import { funnelCsv } from '../analysis/funnel-csv.ts'
import {
  CompareQuery,
  Comparison,
  errorResponses,
  FunnelAnswer,
  FunnelQuery,
  MetricList,
  MetricParams,
  MetricQuery,
  MetricTable,
} from '../contract/index.ts'
import { boundariesNote, checkBoundaries } from '../metrics/boundaries-note.ts'
import { describeMetric, metrics, plan, requireMetric } from '../metrics/index.ts'
import { planTogether } from '../metrics/together.ts'
import { comparedRanges } from '../query/compare.ts'
import { BadRequest } from '../query/errors.ts'
import { parseFilters } from '../query/filters.ts'
import { runRows } from '../query/run.ts'
import { scopeFilters } from '../query/scope.ts'
import { requestedFormat, sendTable } from './respond.ts'

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
    const reference = await app.reference()
    const boundaries = checkBoundaries(metric, query.boundaries)
    const spec = { metric, filters, by, series, today, withinDays: query.within_days, boundaries }
    // A share by region: the regions' own spread (over-dispersion) widens each region's interval, as in the funnel.
    let dispersion: Dispersion | null = null
    if (!series && metric.unit === 'share' && metric.kind !== 'services' && by.length === 1 && by[0] === 'region')
      dispersion = breakdownDispersion(
        await runRows(app.store, plan(spec, reference), `dispersion:${metric.id}`),
        'region',
      )
    const planned = plan(dispersion?.applied ? { ...spec, dispersion: dispersion.phi } : spec, reference)
    return sendTable(
      request,
      reply,
      planned,
      query.format,
      {
        metric: metric.id,
        unit: metric.unit,
        filters,
        by,
        provisional: filters.to >= today,
        ...(dispersion ? { dispersion } : {}),
        ...(boundaries === '2024' ? { boundaries: await boundariesNote(app.store, spec, reference) } : {}),
      },
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
        querystring: CompareQuery,
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
      const boundaries = checkBoundaries(metric, request.query.boundaries)
      const alignment = request.query.compare ?? 'calendar'
      const ranges = comparedRanges(filters, alignment)
      const planned = ranges.map((range) =>
        plan(
          {
            metric,
            filters: { ...filters, from: range.from, to: range.to },
            by: [],
            series: false,
            today: app.today(),
            withinDays: request.query.within_days,
            boundaries,
          },
          reference,
        ),
      )
      // The three ranges in one query: one round trip and one fixed cost instead of three.
      const rows = await runRows(app.store, planTogether(planned), `compare:${metric.id}`)
      const number = (value: unknown) => (typeof value === 'number' ? value : null)
      const answers = ranges.map((range, index) => {
        const row = rows.find((candidate) => Number(candidate.part) === index)
        return {
          from: range.from,
          to: range.to,
          shiftDays: range.shiftDays,
          holidays: range.holidays,
          value: number(row?.value),
          ci_low: number(row?.ci_low),
          ci_high: number(row?.ci_high),
          transactions: number(row?.transactions) ?? 0,
          provisional: range.to >= app.today(),
        }
      })
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
        alignment,
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
        querystring: FunnelQuery,
        response: { 200: FunnelAnswer, ...errorResponses(400, 401, 403, 503) },
      },
    },
    async (request, reply) => {
      const metric = requireMetric(request.params.metric)
      const format = requestedFormat(request, request.query.format)
      if (format !== 'json' && format !== 'csv') throw new BadRequest('format', 'a funnel is answered as JSON or CSV')
      const [dimension = 'region', ...more] = request.query.by ?? []
      if (more.length) throw new BadRequest('by', 'a funnel compares units of one dimension')
      const filters = scopeFilters(request.principal, metric, await resolve(request.query), [dimension])
      const boundaries = checkBoundaries(metric, request.query.boundaries)
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
            boundaries,
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
        request.query.model ?? 'additive',
      )
      const bases = result.units.map((unit) => unit.denominator)
      const low = Math.max(1, Math.min(...bases, Number.POSITIVE_INFINITY) / 2)
      const high = Math.max(...bases, 2) * 1.5
      const curve = Array.from({ length: 48 }, (_, i) => {
        const n = Math.exp(Math.log(low) + ((Math.log(high) - Math.log(low)) * i) / 47)
        return { n, ...funnelLimitsAt(result, n) }
      })
      const answer = {
        metric: metric.id,
        filters,
        by: dimension,
        provisional: filters.to >= app.today(),
        ...result,
        curve: result.units.length ? curve : [],
      }
      if (format === 'json') return answer
      // A file answer: the route's typed reply takes the JSON body only.
      return (reply as FastifyReply)
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${metric.id}-funnel-by-${dimension}.csv"`)
        .send(funnelCsv(answer))
    },
  )
}
