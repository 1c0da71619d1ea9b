// Alert rules and their alerts: analysts and regional managers keep rules in their own scope, read the firing and
// resolved alerts of the rules they may see, acknowledge, resolve or silence them, and send a test notification.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import {
  AlertList,
  Alert as AlertSchema,
  AlertsQuery,
  Deliveries,
  detectedMetrics,
  earliestDay,
  errorResponses,
  IdParams,
  type Rule,
  RuleBody,
  RuleList,
  Rule as RuleSchema,
  SilenceBody,
} from '../contract/index.ts'
import { requireMetric } from '../metrics/index.ts'
import { type Alert, type AlertAction, loadAlerts, recordAction } from '../monitoring/alerts.ts'
import type { MonitorConfig } from '../monitoring/config.ts'
import { deliver } from '../monitoring/notify.ts'
import { loadRules, newRuleId, ruleOf, saveRule } from '../monitoring/rules.ts'
import { seesRule } from '../monitoring/visibility.ts'
import { BadRequest, Forbidden, NotFound } from '../query/errors.ts'
import { checkScope } from '../query/filters.ts'
import { requireRole } from '../query/guard.ts'
import { scopeFilters } from '../query/scope.ts'

export interface AlertingRouteOptions {
  monitor: MonitorConfig
}

/** Rules one token may own: enough for a ministry's duty desk, few enough that a round stays short. */
const rulesPerOwner = 200

export const alertingRoutes: FastifyPluginAsyncTypebox<AlertingRouteOptions> = async (app, options) => {
  const keep = (request: FastifyRequest, what: string) => requireRole(request, ['analyst', 'regional'], what)

  /** A body checked as a rule its token may own: codes known, the metric able to take the filters, in its scope. */
  async function validated(request: FastifyRequest, body: RuleBody): Promise<RuleBody> {
    const reference = await app.reference()
    const scope = checkScope(body.filters ?? {}, reference)
    const principal = request.principal
    if (principal.role === 'regional') {
      const outside = scope.regions.filter((region) => !principal.regions.includes(region))
      if (outside.length > 0) {
        throw new Forbidden(
          403,
          `this token keeps rules only in regions ${principal.regions.join(', ')}, not ${outside.join(', ')}`,
        )
      }
    }
    const filters = { from: earliestDay, to: earliestDay, interval: 'day' as const, ...scope }
    if (body.kind === 'threshold' || body.kind === 'change') {
      if (!body.metric) throw new BadRequest('metric', `a ${body.kind} rule needs a metric`)
      const metric = requireMetric(body.metric)
      const refusal = metric.refuses?.(filters)
      if (refusal) throw new BadRequest(`filters.${refusal.parameter}`, refusal.reason)
      if (body.value === undefined) throw new BadRequest('value', `a ${body.kind} rule needs a value`)
      if (body.kind === 'threshold' && metric.unit === 'share' && (body.value < 0 || body.value > 1)) {
        throw new BadRequest('value', `${body.value} is not a share from 0 to 1`)
      }
      if (body.kind === 'change' && body.value < 0) {
        throw new BadRequest('value', 'a change is sized without its sign (the operator gives the direction)')
      }
      if (body.compareTo === 'year' && (body.windowDays ?? 7) > 366) {
        throw new BadRequest('windowDays', 'at most 366 days against a year earlier')
      }
      // Its owner must be able to run it: a regional token's detail only in its regions (scope.ts).
      scopeFilters(principal, metric, filters, [])
    } else {
      if (body.kind === 'anomaly' && body.metric && !(detectedMetrics as readonly string[]).includes(body.metric)) {
        throw new BadRequest('metric', `anomaly rules watch ${detectedMetrics.join(' or ')}, not ${body.metric}`)
      }
      if (body.kind === 'feed' && body.metric) throw new BadRequest('metric', 'a feed rule takes no metric')
      for (const name of ['service', 'category', 'age_band', 'gender', 'assisted_by'] as const) {
        if (body.kind === 'feed' && body.filters?.[name]?.length) {
          throw new BadRequest(`filters.${name}`, 'feeds are watched by region and channel only')
        }
      }
      for (const name of ['category', 'age_band', 'gender', 'assisted_by'] as const) {
        if (body.kind === 'anomaly' && body.filters?.[name]?.length) {
          throw new BadRequest(`filters.${name}`, 'anomalies are found by region, channel and service only')
        }
      }
    }
    if (body.feedStates && body.kind !== 'feed') throw new BadRequest('feedStates', 'only feed rules take feed states')
    return body
  }

  /** A rule this token may see, or 404 (a rule of another owner is not told to exist). */
  async function visibleRule(request: FastifyRequest, id: string): Promise<Rule> {
    const [rule] = await loadRules(app.store, id)
    if (!rule || !seesRule(request.principal, rule)) throw new NotFound(`no rule ${id}`)
    return rule
  }

  const firingCounts = async () => {
    const counts = new Map<string, number>()
    for (const alert of await loadAlerts(app.store, { state: 'firing' })) {
      counts.set(alert.ruleId, (counts.get(alert.ruleId) ?? 0) + 1)
    }
    return counts
  }

  const withFiring = async (rule: Rule) => ({ ...rule, firing: (await firingCounts()).get(rule.id) ?? 0 })

  app.get(
    '/monitor/rules',
    {
      schema: {
        tags: ['alerts'],
        summary: 'Alert rules: every rule for analysts, a regional token’s own',
        response: { 200: RuleList, ...errorResponses(401, 403, 503) },
      },
    },
    async (request) => {
      keep(request, 'read alert rules')
      const counts = await firingCounts()
      const rules = (await loadRules(app.store)).filter((rule) => seesRule(request.principal, rule))
      return { rules: rules.map((rule) => ({ ...rule, firing: counts.get(rule.id) ?? 0 })) }
    },
  )

  app.get(
    '/monitor/rules/:id',
    {
      schema: {
        tags: ['alerts'],
        summary: 'One alert rule',
        params: IdParams,
        response: { 200: RuleSchema, ...errorResponses(400, 401, 403, 404, 503) },
      },
    },
    async (request) => {
      keep(request, 'read alert rules')
      return withFiring(await visibleRule(request, request.params.id))
    },
  )

  app.post(
    '/monitor/rules',
    {
      schema: {
        tags: ['alerts'],
        summary: 'Create an alert rule, evaluated in the creating token’s scope',
        body: RuleBody,
        response: { 201: RuleSchema, ...errorResponses(400, 401, 403, 503) },
      },
    },
    async (request, reply) => {
      keep(request, 'create alert rules')
      const body = await validated(request, request.body)
      const owner = request.principal.tokenId ?? ''
      const owned = (await loadRules(app.store)).filter((rule) => rule.owner === owner).length
      if (owned >= rulesPerOwner) throw new BadRequest('name', `this token already keeps ${rulesPerOwner} rules`)
      const id = newRuleId()
      await saveRule(app.store, ruleOf(body, owner, id))
      return reply.code(201).send(await withFiring(await visibleRule(request, id)))
    },
  )

  app.put(
    '/monitor/rules/:id',
    {
      schema: {
        tags: ['alerts'],
        summary: 'Change an alert rule (its owner only: it is evaluated in the owner’s scope)',
        params: IdParams,
        body: RuleBody,
        response: { 200: RuleSchema, ...errorResponses(400, 401, 403, 404, 503) },
      },
    },
    async (request) => {
      keep(request, 'change alert rules')
      const rule = await visibleRule(request, request.params.id)
      // Checked against the asking token's scope, so only the owner may change it (others may delete it).
      if (rule.owner !== request.principal.tokenId) {
        throw new Forbidden(403, 'a rule is changed only by the token that owns it (its scope is the owner’s)')
      }
      const body = await validated(request, request.body)
      await saveRule(app.store, ruleOf(body, rule.owner, rule.id, rule.createdAt))
      return withFiring(await visibleRule(request, rule.id))
    },
  )

  app.delete(
    '/monitor/rules/:id',
    {
      schema: {
        tags: ['alerts'],
        summary: 'Delete an alert rule (its owner, or an analyst); its alerts stay in the history',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404, 503) },
      },
    },
    async (request, reply) => {
      keep(request, 'delete alert rules')
      const { updatedAt: _updatedAt, ...rule } = await visibleRule(request, request.params.id)
      await saveRule(app.store, rule, true)
      return reply.code(204).send(null)
    },
  )

  app.post(
    '/monitor/rules/:id/test',
    {
      schema: {
        tags: ['alerts'],
        summary: 'Send a test notification to the rule’s webhooks and addresses, and say what each delivery did',
        params: IdParams,
        response: { 200: Deliveries, ...errorResponses(400, 401, 403, 404, 503) },
      },
    },
    async (request) => {
      keep(request, 'test alert rules')
      const rule = await visibleRule(request, request.params.id)
      if (rule.webhooks.length + rule.emails.length === 0) {
        throw new BadRequest('id', 'the rule has neither webhooks nor email addresses to notify')
      }
      const deliveries = await deliver(
        app.store,
        { rule, kind: 'test', lines: [] },
        await app.reference(),
        options.monitor,
      )
      return { deliveries }
    },
  )

  /** The alerts of the rules this token may see, with their rule's name. */
  async function visibleAlerts(request: FastifyRequest, query: AlertsQuery & { id?: string }): Promise<Alert[]> {
    const rules = (await loadRules(app.store)).filter((rule) => seesRule(request.principal, rule))
    const names = new Map(rules.map((rule) => [rule.id, rule.name]))
    if (query.rule && !names.has(query.rule)) throw new NotFound(`no rule ${query.rule}`)
    // Alerts of deleted rules stay readable to analysts (the history); others see those of their rules.
    const ruleIds = query.rule ? [query.rule] : request.principal.role === 'analyst' ? undefined : [...names.keys()]
    if (ruleIds?.length === 0) return []
    const alerts = await loadAlerts(app.store, {
      ruleIds,
      state: query.state === 'all' ? undefined : query.state,
      id: query.id,
      limit: query.limit ?? 200,
    })
    return alerts.map((alert) => ({ ...alert, ruleName: names.get(alert.ruleId) ?? '' }))
  }

  app.get(
    '/monitor/alerts',
    {
      schema: {
        tags: ['alerts'],
        summary: 'Alerts, newest first: firing, resolved, or all (default all, 200 at most)',
        querystring: AlertsQuery,
        response: { 200: AlertList, ...errorResponses(400, 401, 403, 404, 503) },
      },
    },
    async (request) => {
      keep(request, 'read alerts')
      return { alerts: await visibleAlerts(request, request.query) }
    },
  )

  /**
   * Records a person's action on one alert this token may see (in its own table, so that a monitor round writing
   * the alert meanwhile cannot undo it) and answers the alert as it now reads.
   */
  async function act(request: FastifyRequest, id: string, action: (alert: Alert) => AlertAction): Promise<Alert> {
    const [alert] = await visibleAlerts(request, { id, state: 'all' })
    if (!alert) throw new NotFound(`no alert ${id}`)
    await recordAction(app.store, id, action(alert))
    const [now] = await visibleAlerts(request, { id, state: 'all' })
    return now ?? alert
  }

  const by = (request: FastifyRequest) => request.principal.tokenId ?? ''
  const action = (path: string, summary: string, check: (alert: Alert) => void = () => {}) =>
    app.post(
      `/monitor/alerts/:id/${path}`,
      {
        schema: {
          tags: ['alerts'],
          summary,
          params: IdParams,
          response: { 200: AlertSchema, ...errorResponses(400, 401, 403, 404, 503) },
        },
      },
      async (request) => {
        keep(request, `${path} alerts`)
        return act(request, request.params.id, (alert) => {
          check(alert)
          return { action: path as 'acknowledge' | 'resolve', by: by(request), at: Date.now() }
        })
      },
    )

  action('acknowledge', 'Acknowledge an alert: no repeated notifications while it fires')

  action(
    'resolve',
    'Resolve an alert by hand (if its condition still holds at the next round, a new alert starts)',
    (alert) => {
      if (alert.state === 'resolved') throw new BadRequest('id', 'the alert is already resolved')
    },
  )

  app.post(
    '/monitor/alerts/:id/silence',
    {
      schema: {
        tags: ['alerts'],
        summary: 'Silence an alert until a moment: no notifications about it before then',
        params: IdParams,
        body: SilenceBody,
        response: { 200: AlertSchema, ...errorResponses(400, 401, 403, 404, 503) },
      },
    },
    async (request) => {
      keep(request, 'silence alerts')
      const until = Date.parse(request.body.until)
      if (Number.isNaN(until)) throw new BadRequest('until', `${request.body.until} is not a moment`)
      if (until > Date.now() + 366 * 86_400_000) throw new BadRequest('until', 'at most a year ahead')
      return act(request, request.params.id, () => ({ action: 'silence', by: by(request), at: Date.now(), until }))
    },
  )
}
