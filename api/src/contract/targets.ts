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

export const ProgressPoint = Type.Object({ period: Day(), value: Nullable(Type.Number()) })

export const Progress = Type.Object({
  series: Type.Array(ProgressPoint),
  current: Nullable(Type.Number()),
  currentPeriod: Nullable(Day()),
  trendPerMonth: Nullable(Type.Number()),
  reached: Type.Boolean(),
  projectedDate: Nullable(Day()),
  monthlyGainNeeded: Nullable(Type.Number()),
  onTrack: Type.Boolean(),
})
export type Progress = Static<typeof Progress>

export const Target = Type.Object({
  id: Type.String(),
  metric: Type.String(),
  filters: Scope,
  value: Type.Number(),
  dueDate: Day(),
  title: Names,
  createdBy: Type.String(),
  updatedAt: Type.String(),
  /** A national target seen by a regional token is evaluated on the token's regions. */
  rescoped: Type.Optional(Type.Boolean()),
  progress: Type.Optional(Progress),
})
export type Target = Static<typeof Target>

export const TargetList = Type.Object({ targets: Type.Array(Target) })
