// Monitoring: expected feeds and the days they left incomplete, anomalies and incidents, annotations of charts, and
// the monitor's last round — each in the scope of the asking token (monitoring/visibility.ts).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import {
  AnnotationBody,
  AnnotationList,
  Annotation as AnnotationSchema,
  AnnotationsQuery,
  Anomalies,
  AnomaliesQuery,
  errorResponses,
  FeedBody,
  FeedChange,
  FeedDays,
  FeedDaysQuery,
  FeedList,
  FeedParams,
  FeedStatus as FeedStatusSchema,
  IdParams,
  Incidents,
  MonitorStatus,
  type Scope,
} from '../contract/index.ts'
import { stamp } from '../monitoring/alerts.ts'
import { deleteAnnotation, loadAnnotations, saveAnnotation } from '../monitoring/annotations.ts'
import { loadAnomalies } from '../monitoring/anomalies.ts'
import { type Clock, shiftDay, today, yesterday } from '../monitoring/clock.ts'
import type { MonitorConfig } from '../monitoring/config.ts'
import { judgeFeeds, openGaps } from '../monitoring/feed-states.ts'
import { feedKey, loadFeeds, saveFeeds } from '../monitoring/feeds.ts'
import { anomalyOf, groupIncidents, incidentAnnotation } from '../monitoring/incidents.ts'
import { seesAnnotation, seesFeed, seesSeries } from '../monitoring/visibility.ts'
import { BadRequest, Forbidden, NotFound } from '../query/errors.ts'
import { checkScope } from '../query/filters.ts'
import { requireRole } from '../query/guard.ts'

export interface MonitoringRouteOptions {
  monitor: MonitorConfig
}

/** The longest range one request may ask about. */
const longestRangeDays = 731

export const monitoringRoutes: FastifyPluginAsyncTypebox<MonitoringRouteOptions> = async (app, options) => {
  const clock = (): Clock => ({ now: Date.now(), zone: app.store.config.timezone })
  const read = (request: FastifyRequest, what: string) => requireRole(request, ['analyst', 'regional'], what)

  /** A range [from, to] from a query, 30 days to today by default, checked. */
  function range(query: { from?: string; to?: string }) {
    const to = query.to ?? today(clock())
    const from = query.from ?? shiftDay(to, -30)
    if (from > to) throw new BadRequest('from', `${from} is after to (${to})`)
    if (shiftDay(from, longestRangeDays) < to) {
      throw new BadRequest('from', `the range is longer than ${longestRangeDays} days; narrow it`)
    }
    return { from, to }
  }

  /** The region, channel and service filters of a query, checked against the reference. */
  async function codes(query: Scope) {
    const scope = checkScope(
      { region: query.region, channel: query.channel, service: query.service },
      await app.reference(),
    )
    const within = (values: string[], value: string) => values.length === 0 || values.includes(value)
    return (item: { region: string; channel?: string; service?: string }) =>
      within(scope.regions, item.region) &&
      within(scope.channels, item.channel ?? '') &&
      within(scope.services, item.service ?? '')
  }

  async function anomaliesIn(request: FastifyRequest, query: AnomaliesQuery) {
    const { from, to } = range(query)
    const matches = await codes(query)
    const lastDay = yesterday(clock())
    const anomalies = (await loadAnomalies(app.store, from, to))
      .filter((found) => (query.metric ? found.metric === query.metric : true))
      .filter((found) => matches(found) && seesSeries(request.principal, found))
      .map((found) => anomalyOf(found, lastDay))
      .filter((anomaly) => (query.open ? anomaly.open : true))
    return { from, to, anomalies }
  }

  const visibleFeeds = async (request: FastifyRequest) =>
    (await judgeFeeds(app.store, clock(), 8, { record: false })).filter((feed) => seesFeed(request.principal, feed))

  app.get(
    '/monitor/feeds',
    {
      schema: {
        tags: ['monitoring'],
        summary: 'Expected feeds (source × channel × region) with their state now',
        response: { 200: FeedList, ...errorResponses(401, 403, 503) },
      },
    },
    async (request) => {
      read(request, 'read feeds')
      const checkedAt = stamp(Date.now())
      // Deactivated feeds are listed too (state of their last judgement unknown: on time), so they can be reactivated.
      const judged = new Map((await visibleFeeds(request)).map((feed) => [feedKey(feed), feed]))
      const inactive = (await loadFeeds(app.store))
        .filter((feed) => !feed.active && seesFeed(request.principal, feed))
        .map((feed) => ({ ...feed, state: 'on_time' as const, judgedDay: null, since: null, missingDays: 0, rows: 0 }))
      const feeds = [
        ...judged.values(),
        ...inactive.map((feed) => ({ ...feed, lastEventAt: null, lastLoadedAt: null })),
      ]
      return { feeds, checkedAt }
    },
  )

  async function checkedFeed(source: string, channel: string, region: string) {
    checkScope({ region: [region], channel: [channel] }, await app.reference())
    return loadFeeds(app.store).then((feeds) =>
      feeds.find((feed) => feedKey(feed) === feedKey({ source, channel, region })),
    )
  }

  const statusOf = async (request: FastifyRequest, key: string) => {
    const feed = (await visibleFeeds(request)).find((each) => feedKey(each) === key)
    const stored = (await loadFeeds(app.store)).find((each) => feedKey(each) === key)
    if (feed) return feed
    if (!stored) throw new NotFound(`no expected feed ${key}`)
    return {
      ...stored,
      state: 'on_time' as const,
      judgedDay: null,
      since: null,
      missingDays: 0,
      rows: 0,
      lastEventAt: null,
      lastLoadedAt: null,
    }
  }

  app.post(
    '/monitor/feeds',
    {
      schema: {
        tags: ['monitoring'],
        summary: 'Expect a feed (analysts)',
        body: FeedBody,
        response: { 201: FeedStatusSchema, ...errorResponses(400, 401, 403, 503) },
      },
    },
    async (request, reply) => {
      requireRole(request, ['analyst'], 'edit expected feeds')
      const { source, channel, region } = request.body
      if (await checkedFeed(source, channel, region)) {
        throw new BadRequest('source', `${feedKey(request.body)} is already expected; change it with PATCH`)
      }
      await saveFeeds(app.store, [
        {
          ...request.body,
          expectedFrom: request.body.expectedFrom ?? today(clock()),
          origin: 'analyst',
          updatedBy: request.principal.tokenId ?? '',
        },
      ])
      return reply.code(201).send(await statusOf(request, feedKey(request.body)))
    },
  )

  app.patch(
    '/monitor/feeds/:source/:channel/:region',
    {
      schema: {
        tags: ['monitoring'],
        summary: 'Change an expected feed: cadence, delay, first day, or deactivate it (analysts)',
        params: FeedParams,
        body: FeedChange,
        response: { 200: FeedStatusSchema, ...errorResponses(400, 401, 403, 404, 503) },
      },
    },
    async (request) => {
      requireRole(request, ['analyst'], 'edit expected feeds')
      const { source, channel, region } = request.params
      const feed = await checkedFeed(source, channel, region)
      if (!feed) throw new NotFound(`no expected feed ${feedKey(request.params)}`)
      const { updatedAt: _updatedAt, ...kept } = feed
      await saveFeeds(app.store, [
        { ...kept, ...request.body, origin: 'analyst', updatedBy: request.principal.tokenId ?? '' },
      ])
      return statusOf(request, feedKey(feed))
    },
  )

  app.get(
    '/monitor/feed-days',
    {
      schema: {
        tags: ['monitoring'],
        summary: 'Days expected feeds left incomplete (no rows, or none completed, by their deadline)',
        querystring: FeedDaysQuery,
        response: { 200: FeedDays, ...errorResponses(400, 401, 403, 503) },
      },
    },
    async (request) => {
      read(request, 'read feed days')
      const { from, to } = range(request.query)
      const matches = await codes(request.query)
      const days = (await openGaps(app.store, from, to)).filter(
        (gap) => matches(gap) && seesFeed(request.principal, gap),
      )
      return { from, to, days }
    },
  )

  app.get(
    '/monitor/anomalies',
    {
      schema: {
        tags: ['monitoring'],
        summary: 'Anomalies found in daily requests and the online share (METHODOLOGY.md, "Monitoring")',
        querystring: AnomaliesQuery,
        response: { 200: Anomalies, ...errorResponses(400, 401, 403, 503) },
      },
    },
    async (request) => {
      read(request, 'read anomalies')
      return anomaliesIn(request, request.query)
    },
  )

  app.get(
    '/monitor/incidents',
    {
      schema: {
        tags: ['monitoring'],
        summary: 'Incidents (anomalies of a series on touching days), feeds not on time, incomplete days, annotations',
        querystring: AnomaliesQuery,
        response: { 200: Incidents, ...errorResponses(400, 401, 403, 503) },
      },
    },
    async (request) => {
      read(request, 'read incidents')
      const { from, to, anomalies } = await anomaliesIn(request, request.query)
      const matches = await codes(request.query)
      const feeds = (await visibleFeeds(request)).filter((feed) => feed.state !== 'on_time' && matches(feed))
      const gaps = (await openGaps(app.store, from, to)).filter(
        (gap) => matches(gap) && seesFeed(request.principal, gap),
      )
      const annotations = (await loadAnnotations(app.store, from, to)).filter((each) =>
        seesAnnotation(request.principal, each),
      )
      return { from, to, incidents: groupIncidents(anomalies), feeds, gaps, annotations }
    },
  )

  app.get(
    '/monitor/annotations',
    {
      schema: {
        tags: ['monitoring'],
        summary: 'Annotations of charts over a range: built-in, analysts’, and the incidents found',
        querystring: AnnotationsQuery,
        response: { 200: AnnotationList, ...errorResponses(400, 401, 403, 503) },
      },
    },
    async (request) => {
      read(request, 'read annotations')
      const { from, to } = range(request.query)
      const reference = await app.reference()
      const scope = checkScope(
        { region: request.query.region, channel: request.query.channel, service: request.query.service },
        reference,
      )
      // An annotation concerns a chart when each of its dimensions is unset or shares a value with the chart's.
      const concerns = (annotation: { scope: Scope }) =>
        (['region', 'channel', 'service'] as const).every((name, i) => {
          const chart = [scope.regions, scope.channels, scope.services][i] as string[]
          const own = annotation.scope[name] ?? []
          return own.length === 0 || chart.length === 0 || own.some((code) => chart.includes(code))
        })
      const stored = (await loadAnnotations(app.store, from, to)).filter(
        (each) => seesAnnotation(request.principal, each) && concerns(each),
      )
      if (request.query.incidents === false) return { annotations: stored }
      const found = groupIncidents((await anomaliesIn(request, { from, to })).anomalies)
        .map((incident) => incidentAnnotation(incident, reference))
        .filter(concerns)
      return { annotations: [...stored, ...found] }
    },
  )

  app.post(
    '/monitor/annotations',
    {
      schema: {
        tags: ['monitoring'],
        summary: 'Annotate charts: a reform, an outage, a campaign (analysts)',
        body: AnnotationBody,
        response: { 201: AnnotationSchema, ...errorResponses(400, 401, 403, 503) },
      },
    },
    async (request, reply) => {
      requireRole(request, ['analyst'], 'annotate charts')
      const body = request.body
      if (body.from > body.to) throw new BadRequest('from', `${body.from} is after to (${body.to})`)
      const scope = body.scope ?? {}
      checkScope(scope, await app.reference())
      const input = {
        from: body.from,
        to: body.to,
        kind: body.kind,
        isBreak: body.isBreak ?? false,
        scope,
        title: body.title,
      }
      const id = await saveAnnotation(app.store, input, request.principal.tokenId ?? '')
      return reply.code(201).send({ ...input, id, createdBy: request.principal.tokenId ?? '', origin: 'analyst' })
    },
  )

  app.delete(
    '/monitor/annotations/:id',
    {
      schema: {
        tags: ['monitoring'],
        summary: 'Delete an annotation of one’s own (analysts)',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404, 503) },
      },
    },
    async (request, reply) => {
      requireRole(request, ['analyst'], 'delete annotations')
      const annotation = (await loadAnnotations(app.store)).find((each) => each.id === request.params.id)
      if (!annotation) throw new NotFound(`no annotation ${request.params.id}`)
      if (annotation.origin !== 'analyst') throw new Forbidden(403, 'a built-in annotation cannot be deleted')
      if (annotation.createdBy !== request.principal.tokenId) {
        throw new Forbidden(403, 'an annotation can be deleted only by the token that added it')
      }
      await deleteAnnotation(app.store, annotation)
      return reply.code(204).send(null)
    },
  )

  app.get(
    '/monitor/status',
    {
      schema: {
        tags: ['monitoring'],
        summary: 'The monitor’s last evaluation round',
        response: { 200: MonitorStatus, ...errorResponses(401, 403, 503) },
      },
    },
    async (request) => {
      read(request, 'read the monitor’s status')
      const [row] = await app.store.rows<{
        started_at: string
        milliseconds: number
        rules: number
        firing: number
        fired: number
        resolved: number
        errors: string[]
      }>(
        'monitor:status',
        `SELECT toString(started_at) AS started_at, milliseconds, rules, firing, fired, resolved, errors
         FROM monitor_rounds ORDER BY started_at DESC LIMIT 1`,
      )
      const intervalSeconds = options.monitor.mode === 'server' ? options.monitor.intervalSeconds : 0
      if (!row) return { lastRound: null, intervalSeconds }
      // Errors name rules (and so other owners' rule names): a regional token sees only how many there were.
      const errors = request.principal.role === 'analyst' ? row.errors : row.errors.map(() => 'a rule failed')
      return {
        lastRound: {
          startedAt: row.started_at,
          milliseconds: Number(row.milliseconds),
          rules: Number(row.rules),
          firing: Number(row.firing),
          fired: Number(row.fired),
          resolved: Number(row.resolved),
          errors,
        },
        intervalSeconds,
      }
    },
  )
}
