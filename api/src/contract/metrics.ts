// Metric answers: the registry's description of each metric, a table of values, and a comparison between periods.
import { type Static, Type } from 'typebox'
import { Day, Names, Nullable } from './common.ts'
import { dimensions, Filters } from './filters.ts'

export const units = ['count', 'share', 'seconds', 'per_1000'] as const
export type Unit = (typeof units)[number]

export const MetricDescription = Type.Object({
  id: Type.String(),
  names: Names,
  /** One sentence on what it counts, as METHODOLOGY.md defines it. */
  definition: Names,
  unit: Type.Enum(units),
  higherIsBetter: Type.Boolean(),
  breakdowns: Type.Array(Type.Enum(dimensions)),
})
export type MetricDescription = Static<typeof MetricDescription>

export const MetricList = Type.Object({ metrics: Type.Array(MetricDescription) })

export const MetricParams = Type.Object({ metric: Type.String({ description: 'a metric id from /metrics' }) })

const value = Nullable(Type.Number())

/** One row of a series or breakdown: its period and/or dimension values, the figure and what it rests on. */
export const MetricRow = Type.Object({
  period: Type.Optional(Day('first day of the period')),
  region: Type.Optional(Type.String()),
  channel: Type.Optional(Type.String()),
  service: Type.Optional(Type.String()),
  category: Type.Optional(Type.String()),
  age_band: Type.Optional(Type.String()),
  gender: Type.Optional(Type.String()),
  assisted_by: Type.Optional(Type.String()),
  office: Type.Optional(Type.String()),
  value,
  numerator: Type.Optional(value),
  denominator: Type.Optional(value),
  ci_low: Type.Optional(value),
  ci_high: Type.Optional(value),
  transactions: Type.Optional(value),
  suppressed: Type.Optional(Type.Boolean()),
  provisional: Type.Optional(
    Type.Boolean({ description: 'the period had not ended by today: its value will still change' }),
  ),
  incomplete: Type.Optional(
    Type.Boolean({
      description: 'an expected feed left a day of the period without rows (METHODOLOGY.md, "Monitoring")',
    }),
  ),
})
export type MetricRow = Static<typeof MetricRow>

export const MetricTable = Type.Object({
  metric: Type.String(),
  unit: Type.Enum(units),
  filters: Filters,
  by: Type.Array(Type.Enum(dimensions)),
  /** The range reaches today: the figures (of a breakdown) or the last periods (of a series) are incomplete. */
  provisional: Type.Boolean(),
  rows: Type.Array(MetricRow),
})
export type MetricTable = Static<typeof MetricTable>

export const ComparedValue = Type.Object({
  from: Day(),
  to: Day(),
  value,
  ci_low: value,
  ci_high: value,
  transactions: Type.Number(),
  provisional: Type.Boolean({ description: 'the range reaches today: the value will still change' }),
})
export type ComparedValue = Static<typeof ComparedValue>

export const Change = Nullable(
  Type.Object({
    absolute: Type.Number({ description: 'current minus base (shares: in proportion points, ×100 for pp)' }),
    relative: Nullable(Type.Number({ description: 'change ÷ |base|; null when the base is 0' })),
  }),
)
export type Change = Static<typeof Change>

export const Comparison = Type.Object({
  metric: Type.String(),
  unit: Type.Enum(units),
  filters: Filters,
  current: ComparedValue,
  previous: ComparedValue,
  previousYear: ComparedValue,
  change: Type.Object({ previous: Change, previousYear: Change }),
})
export type Comparison = Static<typeof Comparison>

export const funnelSignals = ['above', 'within', 'below'] as const

const Limits = {
  low95: Type.Number(),
  high95: Type.Number(),
  low998: Type.Number(),
  high998: Type.Number(),
}

/** A share compared fairly across units: each against its base, with over-dispersed control limits. */
export const FunnelAnswer = Type.Object({
  metric: Type.String(),
  filters: Filters,
  by: Type.Enum(dimensions),
  provisional: Type.Boolean(),
  target: Type.Number({ description: 'the pooled share of all units' }),
  phi: Type.Number({ description: 'over-dispersion: mean squared winsorised z-score (1 = binomial)' }),
  tau2: Type.Number({ description: 'additive between-unit variance widening the limits (0 when not over-dispersed)' }),
  overdispersed: Type.Boolean(),
  units: Type.Array(
    Type.Object({
      key: Type.String({ description: 'the unit: a region, service, channel or office code' }),
      numerator: Type.Number(),
      denominator: Type.Number({ description: "the share's base" }),
      value: Type.Number(),
      z: Type.Number(),
      ...Limits,
      signal: Type.Enum(funnelSignals, { description: 'beyond the 99.8 % limits: above or below expectation' }),
      beyond95: Type.Boolean(),
    }),
  ),
  /** The funnel's lines over the range of bases, for drawing. */
  curve: Type.Array(Type.Object({ n: Type.Number(), ...Limits })),
})
export type FunnelAnswer = Static<typeof FunnelAnswer>
