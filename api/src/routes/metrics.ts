// Metric endpoints: the registry, a time series, a breakdown and a comparison, all through one filter parser.
import { Type } from '@fastify/type-provider-typebox'
import { subYears } from 'date-fns'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { BadRequest, type Filters, parseFilters, type QueryInput } from '../query/filters.ts'
import { type ApiDimension, describeMetric, dimensions, metricById, metrics } from '../query/metrics.ts'
import { plan } from '../query/plan.ts'
import { runRows } from '../query/run.ts'
import { scopeFilters } from '../query/scope.ts'
import { sendTable } from './respond.ts'
import { filterQuerySchema } from './schemas.ts'

function metricOf(request: FastifyRequest) {
  const id = (request.params as { metric: string }).metric
  const metric = metricById(id)
  if (!metric) throw new BadRequest('metric', `unknown metric "${id}": one of ${metrics.map((m) => m.id).join(', ')}`)
  return metric
}

function breakdown(query: QueryInput): ApiDimension[] {
  const raw = query.by
  const values = (Array.isArray(raw) ? raw.join(',') : (raw ?? ''))
    .split(',')
    .map((value) => value.trim())
    .filter(Boolean)
  for (const value of values) {
    if (!dimensions.includes(value as ApiDimension)) {
      throw new BadRequest('by', `unknown dimension "${value}": one of ${dimensions.join(', ')}`)
    }
  }
  return values as ApiDimension[]
}

function withinDays(query: QueryInput): number {
  const raw = query.within_days
  if (raw === undefined) return 90
  const days = Number(raw)
  if (!Number.isInteger(days) || days < 1 || days > 365)
    throw new BadRequest('within_days', `"${raw}" is not a whole number of days from 1 to 365`)
  return days
}

const shift = (filters: Filters, from: string, to: string): Filters => ({ ...filters, from, to })

export async function metricRoutes(app: FastifyInstance): Promise<void> {
  const context = async () => ({ reference: await app.reference(), today: app.today() })

  app.get(
    '/metrics',
    { schema: { tags: ['metrics'], summary: 'The metrics, their units and breakdowns' } },
    async () => ({
      metrics: metrics.map(describeMetric),
    }),
  )

  const series = { tags: ['metrics'], params: Type.Object({ metric: Type.String() }), querystring: filterQuerySchema }

  app.get(
    '/metrics/:metric/series',
    { schema: { ...series, summary: 'A metric over time, one row per period' } },
    async (request, reply) => {
      const metric = metricOf(request)
      const query = request.query as QueryInput
      const by = breakdown(query)
      const filters = scopeFilters(request.principal, metric, parseFilters(query, await context()), by)
      const planned = plan({ metric, filters, by, series: true, withinDays: withinDays(query) }, await app.reference())
      return sendTable(
        request,
        reply,
        planned,
        { metric: metric.id, unit: metric.unit, filters, by },
        `${metric.id}-series`,
      )
    },
  )

  app.get(
    '/metrics/:metric/breakdown',
    { schema: { ...series, summary: 'A metric broken down by one or two dimensions' } },
    async (request, reply) => {
      const metric = metricOf(request)
      const query = request.query as QueryInput
      const by = breakdown(query)
      if (by.length === 0)
        throw new BadRequest('by', `name the dimension to break down by: one of ${metric.breakdowns.join(', ')}`)
      const filters = scopeFilters(request.principal, metric, parseFilters(query, await context()), by)
      const planned = plan({ metric, filters, by, series: false, withinDays: withinDays(query) }, await app.reference())
      return sendTable(
        request,
        reply,
        planned,
        { metric: metric.id, unit: metric.unit, filters, by },
        `${metric.id}-by-${by.join('-')}`,
      )
    },
  )

  app.get(
    '/metrics/:metric/compare',
    { schema: { ...series, summary: 'A metric against the previous period and the same period a year earlier' } },
    async (request) => {
      const metric = metricOf(request)
      const query = request.query as QueryInput
      const filters = scopeFilters(request.principal, metric, parseFilters(query, await context()), [])
      const reference = await app.reference()
      const days = Math.round((Date.parse(filters.to) - Date.parse(filters.from)) / 86_400_000) + 1
      const previousTo = new Date(Date.parse(filters.from) - 86_400_000)
      const previousFrom = new Date(previousTo.getTime() - (days - 1) * 86_400_000)
      const iso = (date: Date) => date.toISOString().slice(0, 10)
      const yearAgo = (date: string) => iso(subYears(new Date(`${date}T00:00:00Z`), 1))
      const ranges = {
        current: filters,
        previous: shift(filters, iso(previousFrom), iso(previousTo)),
        previousYear: shift(filters, yearAgo(filters.from), yearAgo(filters.to)),
      }
      const answers = await Promise.all(
        Object.values(ranges).map(async (range) => {
          const [row] = await runRows(
            app.store,
            plan({ metric, filters: range, by: [], series: false, withinDays: withinDays(query) }, reference),
            `compare:${metric.id}`,
          )
          return {
            from: range.from,
            to: range.to,
            value: row?.value ?? null,
            ci_low: row?.ci_low ?? null,
            ci_high: row?.ci_high ?? null,
            transactions: row?.transactions ?? 0,
          }
        }),
      )
      const [current, previous, previousYear] = answers as [
        (typeof answers)[0],
        (typeof answers)[0],
        (typeof answers)[0],
      ]
      const change = (base: typeof current) =>
        typeof current.value === 'number' && typeof base.value === 'number'
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
}
