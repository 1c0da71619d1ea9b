// The filter language every metric endpoint shares: its query parameters as schemas, and the filters once resolved.
import { type Static, Type } from 'typebox'
import { Day } from './common.ts'
import { intervals, presets } from './periods.ts'

export const ageBands = ['<18', '18-29', '30-49', '50-64', '65+', 'unknown'] as const
export const genders = ['f', 'm', 'unknown'] as const
export const assistance = ['self', 'staff', 'volunteer'] as const

/** Dimensions a metric can be broken down by (and, but for office, filtered by). */
export const dimensions = [
  'region',
  'channel',
  'service',
  'category',
  'age_band',
  'gender',
  'assisted_by',
  'office',
] as const
export type ApiDimension = (typeof dimensions)[number]

export const tabularFormats = ['json', 'csv', 'arrow', 'parquet'] as const
export type TabularFormat = (typeof tabularFormats)[number]

/**
 * Parameters that take several values: `region=75,71` and `region=75&region=71` mean the same; the server's
 * query-string parser splits both into a list before the schema sees them.
 */
export const listParameters = [
  'region',
  'channel',
  'service',
  'category',
  'age_band',
  'gender',
  'assisted_by',
  'by',
] as const

/** A reference code (region, channel, service, category): checked against the reference data after the schema. */
const codes = (description: string) =>
  Type.Optional(
    Type.Array(Type.String({ pattern: '^[A-Za-z0-9_.-]{1,64}$' }), {
      maxItems: 300,
      description: `${description}; several as a comma list or repeated`,
    }),
  )
const choices = <T extends readonly string[]>(values: T, description: string) =>
  Type.Optional(Type.Array(Type.Enum(values), { maxItems: values.length, description }))

/** The scope of a figure: the dimension filters, without dates (targets and indicators store it). */
export const Scope = Type.Object(
  {
    region: codes('region KATO codes'),
    channel: codes('channel codes'),
    service: codes('service codes'),
    category: codes('service category codes'),
    age_band: choices(ageBands, 'age bands'),
    gender: choices(genders, 'genders'),
    assisted_by: choices(assistance, 'self, staff or volunteer'),
  },
  { additionalProperties: false },
)
export type Scope = Static<typeof Scope>
export const scopeNames = Object.keys(Scope.properties) as (keyof Scope)[]

export const FilterQuery = Type.Object(
  {
    from: Type.Optional(Day('first day, YYYY-MM-DD (calendar of the deployment, Asia/Almaty by default)')),
    to: Type.Optional(Day('last day, YYYY-MM-DD')),
    period: Type.Optional(Type.Enum(presets, { description: 'a preset instead of from/to' })),
    interval: Type.Optional(Type.Enum(intervals, { description: 'length of each period of a series' })),
    ...Scope.properties,
  },
  { additionalProperties: false },
)
export type FilterQuery = Static<typeof FilterQuery>

export const MetricQuery = Type.Object(
  {
    ...FilterQuery.properties,
    by: Type.Optional(
      Type.Array(Type.Enum(dimensions), { maxItems: 2, description: 'dimensions to break down by (at most two)' }),
    ),
    boundaries: Type.Optional(
      Type.Enum(['of_the_time', '2024'] as const, {
        description:
          'regions as recorded at the time (default), or on 2024 boundaries: a parent region’s events before 8 June 2022 attributed through their district to Abai, Zhetisu or Ulytau',
      }),
    ),
    within_days: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 365,
        description: 'channel migration: days after assistance within which self-service counts (default 90)',
      }),
    ),
    format: Type.Optional(
      Type.Enum(tabularFormats, { description: 'answer format; also chosen by the Accept header (default json)' }),
    ),
  },
  { additionalProperties: false },
)
export type MetricQuery = Static<typeof MetricQuery>

/** The filters an answer was computed for, resolved from presets and narrowed to the token's regions. */
export const Filters = Type.Object({
  from: Day(),
  to: Day(),
  interval: Type.Enum(intervals),
  regions: Type.Array(Type.String()),
  channels: Type.Array(Type.String()),
  services: Type.Array(Type.String()),
  categories: Type.Array(Type.String()),
  ageBands: Type.Array(Type.String()),
  genders: Type.Array(Type.String()),
  assistedBy: Type.Array(Type.String()),
})
export type Filters = Static<typeof Filters>
