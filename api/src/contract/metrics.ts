// Metric answers: the registry's description of each metric, a table of values, and a comparison between periods.
import { type Static, Type } from 'typebox'
import { Day, Names, Nullable } from './common.ts'
import { dimensions, Filters, MetricQuery } from './filters.ts'

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
  base: Type.Optional(
    Nullable(
      Type.Number({ description: "the figure's own base: a share's denominator, the ratings behind satisfaction…" }),
    ),
  ),
  open_cases: Type.Optional(
    Nullable(
      Type.Number({
        description:
          'completion rate and processing time: cases requested by the period’s last day and not closed by then',
      }),
    ),
  ),
  unknown_age: Type.Optional(
    Nullable(Type.Number({ description: 'age divide: completed transactions whose age band is unknown' })),
  ),
  unattributed: Type.Optional(
    Nullable(
      Type.Number({
        description:
          '2024 boundaries: the row’s events before 8 June 2022 left with its region (a parent) for want of a district that says where they belong',
      }),
    ),
  ),
  suppressed: Type.Optional(Type.Boolean()),
  suppression: Type.Optional(Type.String({ description: 'public figures: why withheld (base, extreme), or empty' })),
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

/** The over-dispersion estimated across a breakdown's units, and whether its intervals were widened by it. */
export const DispersionNote = Type.Object({
  phi: Type.Number({ description: 'φ̂: mean squared winsorised z-score of the units around the pooled share' }),
  units: Type.Integer({ description: 'units it was estimated from' }),
  applied: Type.Boolean({ description: 'intervals are those of the effective base n/φ̂ (φ̂ > 1, at least 5 units)' }),
})

const counted = (description: string) => Nullable(Type.Integer({ description: `${description} (null: withheld)` }))

/** On 2024 boundaries: which parents kept events before the split that could not be attributed, and why. */
export const BoundariesNote = Type.Object({
  basis: Type.Enum(['of_the_time', '2024'] as const, { description: 'the boundaries the rows are on' }),
  split: Nullable(Day('the day the new regions began')),
  unattributed: Type.Array(
    Type.Object({
      region: Type.String({ description: 'the parent the events stayed with' }),
      events: counted('its events before the split, in the range and filters, not attributed'),
      noDistrict: counted('of them, without a district code'),
      divided: counted('with the code of a district the reform divided'),
      unknown: counted('with a code the districts table does not know'),
    }),
  ),
})
export type BoundariesNote = Static<typeof BoundariesNote>

export const MetricTable = Type.Object({
  metric: Type.String(),
  unit: Type.Enum(units),
  filters: Filters,
  by: Type.Array(Type.Enum(dimensions)),
  /** The range reaches today: the figures (of a breakdown) or the last periods (of a series) are incomplete. */
  provisional: Type.Boolean(),
  dispersion: Type.Optional(DispersionNote),
  boundaries: Type.Optional(BoundariesNote),
  rows: Type.Array(MetricRow),
})
export type MetricTable = Static<typeof MetricTable>

/** How the ranges a comparison sets against the asked one are chosen (METHODOLOGY.md, "Comparisons"). */
export const alignments = ['calendar', 'weekday'] as const
export type Alignment = (typeof alignments)[number]

export const CompareQuery = Type.Object(
  {
    ...MetricQuery.properties,
    compare: Type.Optional(
      Type.Enum(alignments, {
        description:
          'calendar (default): the days just before and the same dates a year earlier; weekday: ranges moved back by whole weeks with as many working days lost to public holidays',
      }),
    ),
  },
  { additionalProperties: false },
)
export type CompareQuery = Static<typeof CompareQuery>

export const ComparedValue = Type.Object({
  from: Day(),
  to: Day(),
  shiftDays: Type.Optional(
    Nullable(Type.Integer({ description: 'weekday alignment: days the range was moved back by' })),
  ),
  holidays: Type.Optional(Type.Integer({ description: 'working days (Mon–Fri) lost to public holidays in the range' })),
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
  alignment: Type.Optional(Type.Enum(alignments)),
  current: ComparedValue,
  previous: ComparedValue,
  previousYear: ComparedValue,
  change: Type.Object({ previous: Change, previousYear: Change }),
})
export type Comparison = Static<typeof Comparison>

export const funnelSignals = ['above', 'within', 'below'] as const
export const funnelModelNames = ['additive', 'multiplicative'] as const

export const FunnelQuery = Type.Object(
  {
    ...MetricQuery.properties,
    model: Type.Optional(
      Type.Enum(funnelModelNames, {
        description:
          'how over-dispersion widens the limits: additive (default: random effects, s² + τ², as Spiegelhalter recommends for large bases) or multiplicative (φ·s²)',
      }),
    ),
  },
  { additionalProperties: false },
)
export type FunnelQuery = Static<typeof FunnelQuery>

const Flagged = Type.Object({ above: Type.Integer(), below: Type.Integer() })

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
  model: Type.Enum(funnelModelNames, { description: 'how the limits were widened for over-dispersion' }),
  target: Type.Number({ description: 'the pooled share of all units' }),
  phi: Type.Number({ description: 'over-dispersion: mean squared winsorised z-score (1 = binomial)' }),
  tau2: Type.Number({ description: 'additive between-unit variance (0 when not over-dispersed)' }),
  tau: Type.Number({ description: 'τ̂ = √τ̂²: the between-unit standard deviation of the share' }),
  overdispersed: Type.Boolean(),
  flaggedBy: Type.Object(
    { additive: Flagged, multiplicative: Flagged },
    { description: 'units above and below expectation under each model, whichever the limits use' },
  ),
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
