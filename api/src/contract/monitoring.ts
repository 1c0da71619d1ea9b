// Monitoring: expected feeds and their states, anomalies, incidents, annotations, alert rules and alerts.
import { type Static, Type } from 'typebox'
import { Day, Names, Nullable } from './common.ts'
import { Scope } from './filters.ts'

const Code = (description: string) => Type.String({ pattern: '^[A-Za-z0-9_.-]{1,64}$', description })
const Instant = (description: string) => Type.String({ description: `${description} (UTC, YYYY-MM-DD hh:mm:ss)` })

export const feedStates = ['on_time', 'late', 'silent', 'zero'] as const
export const cadences = ['daily', 'working_days'] as const

export const FeedStatus = Type.Object({
  source: Type.String(),
  channel: Type.String(),
  region: Type.String(),
  cadence: Type.Enum(cadences),
  delayMinutes: Type.Integer({ description: 'how long after the end of a day its rows are expected to have arrived' }),
  active: Type.Boolean(),
  expectedFrom: Day('the first day the feed is expected to report'),
  origin: Type.Enum(['seeded', 'analyst'] as const),
  state: Type.Enum(feedStates, {
    description:
      'of the latest due day: on_time (rows, some completed), zero (rows, none completed), late (no rows, but the day before had), silent (no rows for two or more due days)',
  }),
  judgedDay: Nullable(Day('the latest day whose rows were due')),
  since: Nullable(Day('first day of the current run of due days without rows (or without a completed one)')),
  missingDays: Type.Integer(),
  rows: Type.Integer({ description: 'rows of the judged day that had arrived' }),
  lastEventAt: Nullable(Instant('the newest event of the last days')),
  lastLoadedAt: Nullable(Instant('when the newest of them was loaded')),
})
export type FeedStatus = Static<typeof FeedStatus>

export const FeedList = Type.Object({
  feeds: Type.Array(FeedStatus),
  checkedAt: Instant('when the states were judged'),
})
export type FeedList = Static<typeof FeedList>

export const FeedBody = Type.Object(
  {
    source: Code('the source (lineage) code'),
    channel: Code('a channel code'),
    region: Code('a region KATO code'),
    cadence: Type.Enum(cadences),
    delayMinutes: Type.Integer({ minimum: 0, maximum: 10_080 }),
    active: Type.Boolean(),
    expectedFrom: Type.Optional(Day('the first day it is expected (default today)')),
  },
  { additionalProperties: false },
)
export type FeedBody = Static<typeof FeedBody>

export const FeedParams = Type.Object({
  source: Code('the source (lineage) code'),
  channel: Code('a channel code'),
  region: Code('a region KATO code'),
})

export const FeedChange = Type.Object(
  {
    cadence: Type.Optional(Type.Enum(cadences)),
    delayMinutes: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_080 })),
    active: Type.Optional(Type.Boolean({ description: 'false: no longer expected (judged on no day)' })),
    expectedFrom: Type.Optional(Day('the first day it is expected')),
  },
  { additionalProperties: false, minProperties: 1 },
)
export type FeedChange = Static<typeof FeedChange>

/** A day an expected feed left incomplete (no rows, or none completed, by its deadline). */
export const FeedGap = Type.Object({
  day: Day(),
  source: Type.String(),
  channel: Type.String(),
  region: Type.String(),
  state: Type.Enum(feedStates),
})
export type FeedGap = Static<typeof FeedGap>

export const FeedDaysQuery = Type.Object(
  {
    from: Type.Optional(Day('first day (default: 30 days before today)')),
    to: Type.Optional(Day('last day (default today)')),
    region: Scope.properties.region,
    channel: Scope.properties.channel,
  },
  { additionalProperties: false },
)
export const FeedDays = Type.Object({
  from: Day(),
  to: Day(),
  days: Type.Array(FeedGap, { description: 'feed days judged incomplete and not made good since' }),
})
export type FeedDays = Static<typeof FeedDays>

export const detectedMetrics = ['requests', 'online_request_share'] as const

export const Anomaly = Type.Object({
  metric: Type.Enum(detectedMetrics, {
    description: 'requests recorded (any status), or the share of them made through online channels',
  }),
  region: Type.String({ description: 'empty: every region' }),
  channel: Type.String({ description: 'empty: every channel' }),
  service: Type.String({ description: 'empty: every service' }),
  day: Day('the day judged, or the last day of a run of days judged together'),
  days: Type.Integer({ description: '1, or the length of the run' }),
  value: Type.Number({ description: 'the count (a run: the sum) or the share (a run: pooled)' }),
  expected: Type.Number(),
  low: Type.Number({ description: 'the normal range: expected ± threshold × the robust spread' }),
  high: Type.Number(),
  score: Type.Number({ description: '(value − expected) ÷ the spread; anomalous at |score| ≥ 4' }),
  base: Type.Number({
    description: 'shares: requests recorded on the day (the run: its days); counts: the expected count',
  }),
  deviation: Type.Number({ description: 'value − expected (a count, or a share in points as 0–1)' }),
  open: Type.Boolean({ description: 'its day is the last complete day: as far as is known, it goes on' }),
})
export type Anomaly = Static<typeof Anomaly>

export const AnomaliesQuery = Type.Object(
  {
    from: Type.Optional(Day('first day (default: 30 days before today)')),
    to: Type.Optional(Day('last day (default today)')),
    metric: Type.Optional(Type.Enum(detectedMetrics)),
    region: Scope.properties.region,
    channel: Scope.properties.channel,
    service: Scope.properties.service,
    open: Type.Optional(Type.Boolean({ description: 'true: only those still open' })),
  },
  { additionalProperties: false },
)
export type AnomaliesQuery = Static<typeof AnomaliesQuery>

export const Anomalies = Type.Object({ from: Day(), to: Day(), anomalies: Type.Array(Anomaly) })
export type Anomalies = Static<typeof Anomalies>

export const annotationKinds = ['reform', 'outage', 'campaign', 'other'] as const

export const Annotation = Type.Object({
  id: Type.String(),
  from: Day(),
  to: Day(),
  kind: Type.Enum(annotationKinds),
  isBreak: Type.Boolean({ description: 'a structural break: anomaly baselines do not reach across it' }),
  scope: Scope,
  title: Names,
  createdBy: Type.String(),
  origin: Type.Enum(['builtin', 'analyst', 'incident'] as const, {
    description: 'builtin (the lockdown), an analyst’s, or an incident the detector found (not stored: derived)',
  }),
})
export type Annotation = Static<typeof Annotation>

export const AnnotationBody = Type.Object(
  {
    from: Day(),
    to: Day(),
    kind: Type.Enum(annotationKinds),
    isBreak: Type.Optional(Type.Boolean()),
    scope: Type.Optional(Scope),
    title: Names,
  },
  { additionalProperties: false },
)
export type AnnotationBody = Static<typeof AnnotationBody>

export const AnnotationList = Type.Object({ annotations: Type.Array(Annotation) })
export const AnnotationsQuery = Type.Object(
  {
    from: Type.Optional(Day('first day (default: 30 days before today)')),
    to: Type.Optional(Day('last day (default today)')),
    region: Scope.properties.region,
    channel: Scope.properties.channel,
    service: Scope.properties.service,
    incidents: Type.Optional(Type.Boolean({ description: 'false: without the incidents found (default true)' })),
  },
  { additionalProperties: false },
)
export type AnnotationsQuery = Static<typeof AnnotationsQuery>
export const IdParams = Type.Object({ id: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }) })

/** Anomalies of one series on consecutive days (runs included), one incident. */
export const Incident = Type.Object({
  metric: Type.Enum(detectedMetrics),
  region: Type.String(),
  channel: Type.String(),
  service: Type.String(),
  from: Day('its first anomalous day'),
  to: Day('its last anomalous day'),
  direction: Type.Enum(['up', 'down'] as const),
  open: Type.Boolean({ description: 'it reaches the last complete day' }),
  worst: Anomaly,
  anomalies: Type.Array(Anomaly),
})
export type Incident = Static<typeof Incident>

export const Incidents = Type.Object({
  from: Day(),
  to: Day(),
  incidents: Type.Array(Incident),
  /** Expected feeds not on time now. */
  feeds: Type.Array(FeedStatus),
  /** Days feeds left incomplete in the range. */
  gaps: Type.Array(FeedGap),
  annotations: Type.Array(Annotation),
})
export type Incidents = Static<typeof Incidents>

export const ruleKinds = ['threshold', 'change', 'anomaly', 'feed'] as const
export const operators = ['above', 'below', 'either'] as const
export const digests = ['none', 'hourly', 'daily'] as const

export const RuleBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    kind: Type.Enum(ruleKinds, {
      description:
        'threshold: the metric over the window against a value; change: against the period before or a year earlier; anomaly: the detector found one in the scope; feed: an expected feed in the scope is late, silent or zero',
    }),
    metric: Type.Optional(
      Type.String({
        description: 'threshold and change: a metric id; anomaly: requests or online_request_share (default both)',
      }),
    ),
    filters: Type.Optional(Scope),
    windowDays: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 366, description: 'complete days ending yesterday (default 7)' }),
    ),
    compareTo: Type.Optional(Type.Enum(['previous', 'year'] as const)),
    operator: Type.Optional(
      Type.Enum(operators, {
        description: 'threshold: above or below; change and anomaly: the direction (default either)',
      }),
    ),
    value: Type.Optional(
      Type.Number({
        description:
          'threshold: the level (shares as 0–1); change: its size, relative for counts (0.2 = 20 %), absolute for shares (0.02 = 2 pp)',
      }),
    ),
    feedStates: Type.Optional(Type.Array(Type.Enum(['late', 'silent', 'zero'] as const), { minItems: 1, maxItems: 3 })),
    webhooks: Type.Optional(
      Type.Array(Type.String({ format: 'uri', pattern: '^https?://', maxLength: 2000 }), { maxItems: 5 }),
    ),
    emails: Type.Optional(Type.Array(Type.String({ format: 'email', maxLength: 320 }), { maxItems: 20 })),
    digest: Type.Optional(Type.Enum(digests, { description: 'none: notify in each round that changes something' })),
    repeatMinutes: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 43_200,
        description: 'notify a firing, unacknowledged alert again after this long (0: never; default 1440)',
      }),
    ),
    lang: Type.Optional(
      Type.Enum(['kk', 'ru', 'en'] as const, { description: 'the language of notifications (default en)' }),
    ),
    enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
)
export type RuleBody = Static<typeof RuleBody>

export const Rule = Type.Object({
  id: Type.String(),
  name: Type.String(),
  kind: Type.Enum(ruleKinds),
  metric: Type.String(),
  filters: Scope,
  windowDays: Type.Integer(),
  compareTo: Type.Enum(['none', 'previous', 'year'] as const),
  operator: Type.Enum(operators),
  value: Type.Number(),
  feedStates: Type.Array(Type.String()),
  webhooks: Type.Array(Type.String()),
  emails: Type.Array(Type.String()),
  digest: Type.Enum(digests),
  repeatMinutes: Type.Integer(),
  lang: Type.Enum(['kk', 'ru', 'en'] as const),
  enabled: Type.Boolean(),
  owner: Type.String({ description: 'the token whose scope the rule is evaluated in' }),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  firing: Type.Optional(Type.Integer({ description: 'its alerts firing now' })),
})
export type Rule = Static<typeof Rule>

export const RuleList = Type.Object({ rules: Type.Array(Rule) })

export const Alert = Type.Object({
  id: Type.String(),
  ruleId: Type.String(),
  ruleName: Type.Optional(Type.String()),
  subject: Type.String({ description: 'the rule itself, a series (anomaly rules) or a feed (feed rules)' }),
  labels: Type.Record(Type.String(), Type.String()),
  state: Type.Enum(['firing', 'resolved'] as const),
  startedAt: Instant('when it started firing'),
  resolvedAt: Nullable(Instant('when it resolved')),
  resolvedBy: Type.String({ description: 'empty when the condition cleared; the token that resolved it otherwise' }),
  day: Nullable(Day()),
  value: Nullable(Type.Number()),
  expected: Nullable(Type.Number()),
  low: Nullable(Type.Number()),
  high: Nullable(Type.Number()),
  detail: Type.String(),
  acknowledgedBy: Type.String(),
  acknowledgedAt: Nullable(Type.String()),
  silencedUntil: Nullable(Type.String()),
  notifiedAt: Nullable(Type.String()),
})
export type Alert = Static<typeof Alert>

export const AlertsQuery = Type.Object(
  {
    state: Type.Optional(Type.Enum(['firing', 'resolved', 'all'] as const)),
    rule: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  },
  { additionalProperties: false },
)
export type AlertsQuery = Static<typeof AlertsQuery>
export const AlertList = Type.Object({ alerts: Type.Array(Alert) })

export const SilenceBody = Type.Object(
  {
    until: Type.String({
      format: 'date-time',
      description: 'no notifications about it before this moment (ISO 8601 with a zone, e.g. 2026-12-01T09:00:00Z)',
    }),
  },
  { additionalProperties: false },
)
export type SilenceBody = Static<typeof SilenceBody>

export const Delivery = Type.Object({
  via: Type.Enum(['webhook', 'email'] as const),
  target: Type.String(),
  ok: Type.Boolean(),
  error: Type.String(),
})
export const Deliveries = Type.Object({ deliveries: Type.Array(Delivery) })
export type Delivery = Static<typeof Delivery>

export const MonitorStatus = Type.Object({
  lastRound: Nullable(
    Type.Object({
      startedAt: Type.String(),
      milliseconds: Type.Integer(),
      rules: Type.Integer(),
      firing: Type.Integer(),
      fired: Type.Integer(),
      resolved: Type.Integer(),
      errors: Type.Array(Type.String()),
    }),
  ),
  intervalSeconds: Type.Integer({ description: 'how often this server evaluates (0: another process does)' }),
})
export type MonitorStatus = Static<typeof MonitorStatus>
