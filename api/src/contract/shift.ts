// Channel-shift answers: why a share moved (shift-share), who moved (cohorts), what it saved (costs), where to push.
import { type Static, Type } from 'typebox'
import { Day, Nullable } from './common.ts'
import { FilterQuery, Filters } from './filters.ts'

/** Dimensions a share's change can be split by: one, or two crossed (service × region). */
export const decompositionDimensions = ['service', 'category', 'region', 'age_band', 'gender'] as const
export type DecompositionDimension = (typeof decompositionDimensions)[number]
/** Whose weights the effects use (METHODOLOGY.md, "Shift-share decomposition"). */
export const weightings = ['base', 'current', 'symmetric'] as const
export type Weighting = (typeof weightings)[number]
/** The base period when no dates are given: the same dates a year earlier, or the same length just before. */
export const baseChoices = ['previous_year', 'previous'] as const
export type BaseChoice = (typeof baseChoices)[number]
/** These answers are computed after the engine (not streamed from it): JSON, or CSV of their table. */
export const computedFormats = ['json', 'csv'] as const
export type ComputedFormat = (typeof computedFormats)[number]

const { interval: _interval, ...rangeAndScope } = FilterQuery.properties
const format = Type.Optional(
  Type.Enum(computedFormats, { description: 'answer format; also chosen by the Accept header (default json)' }),
)
const baseRange = {
  base: Type.Optional(
    Type.Enum(baseChoices, {
      description: 'the base period: the same dates a year earlier (default) or the same length just before',
    }),
  ),
  base_from: Type.Optional(Day('first day of the base period (with base_to, instead of base)')),
  base_to: Type.Optional(Day('last day of the base period (with base_from)')),
}
const dimensionValues = {
  service: Type.Optional(Type.String()),
  category: Type.Optional(Type.String()),
  region: Type.Optional(Type.String()),
  age_band: Type.Optional(Type.String()),
  gender: Type.Optional(Type.String()),
}
const count = (description: string) => Type.Number({ description })
const share = (description: string) => Nullable(Type.Number({ description }))

export const DecomposeQuery = Type.Object(
  {
    ...rangeAndScope,
    ...baseRange,
    by: Type.Optional(
      Type.Array(Type.Enum(decompositionDimensions), {
        minItems: 1,
        maxItems: 2,
        description: 'the dimension(s) whose mix and shares the change is split by (default service)',
      }),
    ),
    weights: Type.Optional(
      Type.Enum(weightings, { description: 'base (default), current or symmetric (no interaction) weights' }),
    ),
    top: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 50, description: 'contributors listed each way (default 10)' }),
    ),
    format,
  },
  { additionalProperties: false },
)
export type DecomposeQuery = Static<typeof DecomposeQuery>

export const SharePeriod = Type.Object({
  from: Day(),
  to: Day(),
  value: share('numerator ÷ denominator; null without a denominator'),
  numerator: count('e.g. completed online'),
  denominator: count('e.g. completed'),
})
export type SharePeriod = Static<typeof SharePeriod>

export const Effects = Type.Object({
  mix: Type.Number({ description: 'change due to the weights (the mix of cells) alone, in proportion points' }),
  within: Type.Number({ description: 'change due to the shares inside each cell alone' }),
  interaction: Type.Number({ description: 'change due to both moving together (0 with symmetric weights)' }),
})
export type Effects = Static<typeof Effects>

/** One cell (a service, a region, a service in a region …): its counts, weights and shares, and its part of the change. */
export const Contribution = Type.Object({
  ...dimensionValues,
  base_numerator: Type.Number(),
  base_denominator: Type.Number(),
  current_numerator: Type.Number(),
  current_denominator: Type.Number(),
  base_weight: Type.Number({ description: "the cell's part of the base period's denominator" }),
  current_weight: Type.Number(),
  base_share: share('null: the cell had no denominator in the base period'),
  current_share: share('null: the cell has no denominator in the current period'),
  mix: Type.Number(),
  within: Type.Number(),
  interaction: Type.Number(),
  total: Type.Number({ description: 'mix + within + interaction' }),
})
export type Contribution = Static<typeof Contribution>

export const Decomposition = Type.Object({
  metric: Type.String(),
  by: Type.Array(Type.Enum(decompositionDimensions)),
  weights: Type.Enum(weightings),
  filters: Filters,
  provisional: Type.Boolean({ description: 'the current range reaches today: its figures will still change' }),
  base: SharePeriod,
  current: SharePeriod,
  change: share('current minus base value; null when either has no denominator'),
  effects: Nullable(Effects),
  raising: Type.Array(Contribution, { description: 'the cells that raised the share most, largest first' }),
  lowering: Type.Array(Contribution, { description: 'the cells that lowered it most, largest first' }),
  rows: Type.Array(Contribution, { description: 'every cell, largest contribution (either way) first' }),
})
export type Decomposition = Static<typeof Decomposition>

/** Cohorts start at a citizen's first assisted transaction (staff or volunteer) or at their first transaction. */
export const cohortStarts = ['assisted', 'first'] as const
export type CohortStart = (typeof cohortStarts)[number]
export const cohortDimensions = ['channel', 'assisted_by', 'age_band', 'gender', 'region'] as const
export type CohortDimension = (typeof cohortDimensions)[number]
/** Days after the start within which a cohort's outcomes are counted. */
export const cohortWindows = [30, 90, 180] as const

export const CohortQuery = Type.Object(
  {
    ...rangeAndScope,
    start: Type.Optional(
      Type.Enum(cohortStarts, {
        description: 'assisted (default): first assisted transaction; first: first transaction of any kind',
      }),
    ),
    by: Type.Optional(
      Type.Array(Type.Enum(cohortDimensions), {
        maxItems: 1,
        description: "split each month's cohort by a trait of its starting transaction",
      }),
    ),
    months: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 36, description: 'months since the start shown (default 12)' }),
    ),
    format,
  },
  { additionalProperties: false },
)
export type CohortQuery = Static<typeof CohortQuery>

export const CohortRow = Type.Object({
  cohort: Day("first day of the month of the citizens' start"),
  channel: Type.Optional(Type.String()),
  assisted_by: Type.Optional(Type.String()),
  age_band: Type.Optional(Type.String()),
  gender: Type.Optional(Type.String()),
  region: Type.Optional(Type.String()),
  citizens: count('citizens in the cohort'),
  horizon: Type.Enum(['days', 'months'] as const),
  after: Type.Integer({ description: 'days after the start (30, 90, 180), or calendar months since (0 …)' }),
  known: Type.Boolean({ description: 'false: the window reaches past the observed range, so it is not yet known' }),
  moved: Nullable(count('citizens who completed a self-service online transaction after the start, by then')),
  moved_share: share('moved ÷ citizens'),
  fell_back: Nullable(count('of those, citizens served offline or assisted again afterwards, by then')),
  fell_back_share: share('fell_back ÷ citizens'),
})
export type CohortRow = Static<typeof CohortRow>

export const Cohorts = Type.Object({
  start: Type.Enum(cohortStarts),
  by: Type.Array(Type.Enum(cohortDimensions)),
  filters: Filters,
  provisional: Type.Boolean({ description: "the range reaches today: its last month's cohort is still forming" }),
  observed_until: Day('the last day outcomes are counted: the range end, or the last day with data if earlier'),
  windows: Type.Array(Type.Integer()),
  months: Type.Integer(),
  rows: Type.Array(CohortRow),
})
export type Cohorts = Static<typeof Cohorts>

export const costDimensions = ['service', 'category', 'region', 'age_band'] as const
export type CostDimension = (typeof costDimensions)[number]

export const CostQuery = Type.Object(
  {
    ...FilterQuery.properties,
    ...baseRange,
    by: Type.Optional(
      Type.Array(Type.Enum(costDimensions), {
        maxItems: 1,
        description: 'cost per transaction by this dimension (the CSV is then this table, else the periods)',
      }),
    ),
    format,
  },
  { additionalProperties: false },
)
export type CostQuery = Static<typeof CostQuery>

const costFigure = {
  completed: count('completed transactions'),
  costed: count('of those, transactions whose channel has a unit cost in the answer currency'),
  cost: count('sum of the unit costs of the costed transactions'),
  cost_per_transaction: share('cost ÷ costed: the cost of the channel mix; null without costed transactions'),
}
export const CostPeriod = Type.Object({
  period: Day('first day of the period'),
  ...costFigure,
  provisional: Type.Boolean({ description: 'the period had not ended by today: its figures will still change' }),
})
export type CostPeriod = Static<typeof CostPeriod>
export const CostRange = Type.Object({ from: Day(), to: Day(), ...costFigure })
export type CostRange = Static<typeof CostRange>

export const CostRow = Type.Object({
  service: Type.Optional(Type.String()),
  category: Type.Optional(Type.String()),
  region: Type.Optional(Type.String()),
  age_band: Type.Optional(Type.String()),
  ...costFigure,
  base_cost_per_transaction: share('the same in the base period'),
  saved: share("costed × (base − current cost per transaction): the shift inside this row, at this row's volume"),
})
export type CostRow = Static<typeof CostRow>

export const UnitCost = Type.Object({
  channel: Type.String(),
  assisted_by: Nullable(Type.String({ description: 'null: any; staff or volunteer: an assisted submission' })),
  cost_per_transaction: Type.Number(),
  source: Type.String(),
})
export type UnitCost = Static<typeof UnitCost>

export const Costs = Type.Object({
  currency: Nullable(Type.String({ description: 'ISO 4217; null when no unit cost is known' })),
  filters: Filters,
  provisional: Type.Boolean({ description: 'the current range reaches today: its figures will still change' }),
  by: Type.Array(Type.Enum(costDimensions)),
  unit_costs: Type.Array(UnitCost),
  current: CostRange,
  base: CostRange,
  saved: share(
    "costed × (base − current cost per transaction): what the current period's transactions cost less at its channel mix than at the base period's",
  ),
  periods: Type.Array(CostPeriod),
  rows: Type.Array(CostRow),
})
export type Costs = Static<typeof Costs>

export const whereToPushDimensions = ['service', 'age_band'] as const
export type WhereToPushDimension = (typeof whereToPushDimensions)[number]

export const WhereToPushQuery = Type.Object(
  {
    ...rangeAndScope,
    by: Type.Optional(
      Type.Array(Type.Enum(whereToPushDimensions), { maxItems: 1, description: 'service (default) or age_band' }),
    ),
    format,
  },
  { additionalProperties: false },
)
export type WhereToPushQuery = Static<typeof WhereToPushQuery>

export const WhereToPushRow = Type.Object({
  service: Type.Optional(Type.String()),
  age_band: Type.Optional(Type.String()),
  completed: count('completed transactions in the region(s), of services available online'),
  self_service: count('of those, completed online by the citizen alone'),
  share: share('self_service ÷ completed'),
  to_move: count('completed − self_service: transactions still to move to self-service'),
  national_share: share('the same share over every region'),
  best_share: share('the highest share of any one region resting on enough completed transactions'),
  best_region: Nullable(Type.String({ description: 'that region; null for regional tokens, which see it unnamed' })),
  gain_at_national: count('transactions that would move at the national share: completed × max(0, national − share)'),
  gain_at_best: count('the same at the best region’s share'),
})
export type WhereToPushRow = Static<typeof WhereToPushRow>

export const WhereToPush = Type.Object({
  by: Type.Array(Type.Enum(whereToPushDimensions)),
  filters: Filters,
  provisional: Type.Boolean({ description: 'the range reaches today: its figures will still change' }),
  benchmark_min_completed: Type.Integer({ description: 'completed transactions a region needs to be the best' }),
  rows: Type.Array(WhereToPushRow, { description: 'most transactions still to move first' }),
})
export type WhereToPush = Static<typeof WhereToPush>
