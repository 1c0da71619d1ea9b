// Targets (a metric, a scope, a value and a due date) and their evaluation.
import { type Static, Type } from 'typebox'
import { Day, Names, Nullable } from './common.ts'
import { Scope } from './filters.ts'

export const TargetBody = Type.Object(
  {
    metric: Type.String({ description: 'a metric id from /metrics' }),
    filters: Type.Optional(Scope),
    value: Type.Number({ description: 'the value to reach (shares as 0–1)' }),
    dueDate: Day('the day by which the value is to be reached'),
    baseline: Type.Optional(Day('the month progress is measured from (default: the first complete month with data)')),
    title: Names,
  },
  { additionalProperties: false },
)
export type TargetBody = Static<typeof TargetBody>

export const TargetParams = Type.Object({ id: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }) })

export const TargetsQuery = Type.Object(
  { progress: Type.Optional(Type.Boolean({ description: 'evaluate each target (default true)' })) },
  { additionalProperties: false },
)

export const targetStatuses = [
  'reached',
  'reached_late',
  'missed',
  'on_track',
  'at_risk',
  'off_track',
  'no_data',
] as const
export const progressBands = ['substantial', 'moderate', 'limited', 'deterioration'] as const

export const ProgressPoint = Type.Object({
  period: Day('first day of the month'),
  value: Nullable(Type.Number()),
  provisional: Type.Optional(Type.Boolean()),
})
const MonthPoint = Type.Object({ period: Day(), value: Type.Number() })

export const Progress = Type.Object({
  /** The monthly series the target is judged on (the last month provisional). */
  series: Type.Array(ProgressPoint),
  status: Type.Enum(targetStatuses, {
    description:
      'a past-due target is judged on its value at the due date; before it, by the projection at the due date',
  }),
  reachedOn: Nullable(Day('first day of the first complete month at or past the target')),
  held: Nullable(Type.Boolean({ description: 'every complete month since reachedOn stayed at or past the target' })),
  atDueDate: Nullable(MonthPoint),
  current: Nullable(Type.Number()),
  currentPeriod: Nullable(Day()),
  baseline: Nullable(MonthPoint),
  progressRatio: Nullable(
    Type.Number({ description: 'actual change since the baseline ÷ the change required by now (Open SDG)' }),
  ),
  progressBand: Nullable(Type.Enum(progressBands)),
  trendPerMonth: Nullable(Type.Number()),
  projection: Type.Array(
    Type.Object({ period: Day(), value: Type.Number(), low: Type.Number(), high: Type.Number() }),
    { description: 'monthly projection to the due date with its 95 % prediction band' },
  ),
  projectedDate: Nullable(Day('end of the first month whose projection reaches the target')),
  monthlyGainNeeded: Nullable(Type.Number()),
})
export type Progress = Static<typeof Progress>

export const Target = Type.Object({
  id: Type.String(),
  metric: Type.String(),
  filters: Scope,
  value: Type.Number(),
  dueDate: Day(),
  baseline: Type.Optional(Day()),
  title: Names,
  createdBy: Type.String(),
  updatedAt: Type.String(),
  /** A national target seen by a regional token is evaluated on the token's regions. */
  rescoped: Type.Optional(Type.Boolean()),
  progress: Type.Optional(Progress),
})
export type Target = Static<typeof Target>

export const TargetList = Type.Object({ targets: Type.Array(Target) })

/** A target judged in each region: how far each one stands from it and when its trend gets there. */
export const TargetRegions = Type.Object({
  target: Target,
  regions: Type.Array(
    Type.Object({
      region: Type.String(),
      status: Type.Enum(targetStatuses),
      current: Nullable(Type.Number()),
      currentPeriod: Nullable(Day()),
      reachedOn: Nullable(Day()),
      projectedDate: Nullable(Day()),
      monthsToTarget: Nullable(
        Type.Integer({ description: '0 when reached; months from the last complete month to the projected date' }),
      ),
      progressRatio: Nullable(Type.Number()),
    }),
  ),
})
export type TargetRegions = Static<typeof TargetRegions>
