// What the API can be asked and what the data covers: /meta, and who a token belongs to (/whoami).
import { type Static, Type } from 'typebox'
import { Day, Names, Nullable } from './common.ts'
import { MetricDescription } from './metrics.ts'
import { intervals, presets } from './periods.ts'

const Coded = { code: Type.String(), names: Names }

/** What the stored events stand for: a demo sample (1 row for N national transactions) or real data. */
export const DatasetInfo = Type.Object({
  kind: Type.Enum(['demo', 'real']),
  rows: Type.Number(),
  nationalTransactions: Type.Number(),
  samplingFraction: Type.Number({ description: 'rows ÷ national transactions' }),
  oneIn: Type.Number({ description: 'national transactions one row stands for (the N of "a 1:N sample")' }),
  from: Day(),
  until: Day(),
})
export type DatasetInfo = Static<typeof DatasetInfo>

export const Meta = Type.Object({
  timezone: Type.String(),
  /** Null: the events are real data at full scale. */
  dataset: Nullable(DatasetInfo),
  today: Day(),
  firstDay: Day(),
  lastDay: Day(),
  events: Type.Number({ description: 'transactions stored' }),
  lastEvent: Nullable(Type.String()),
  lastIngestedAt: Nullable(Type.String()),
  intervals: Type.Array(Type.Enum(intervals)),
  presets: Type.Array(Type.Enum(presets)),
  metrics: Type.Array(MetricDescription),
  dimensions: Type.Object({
    region: Type.Array(
      Type.Object({
        ...Coded,
        kind: Type.String(),
        population: Type.Number(),
        validFrom: Nullable(Day()),
        splitFrom: Nullable(Type.String()),
      }),
    ),
    channel: Type.Array(Type.Object({ ...Coded, kind: Type.Enum(['online', 'offline']) })),
    service: Type.Array(
      Type.Object({ ...Coded, category: Type.String(), agency: Type.String(), onlineSince: Nullable(Day()) }),
    ),
    category: Type.Array(Type.Object(Coded)),
    agency: Type.Array(Type.Object(Coded)),
    age_band: Type.Array(Type.Object(Coded)),
    gender: Type.Array(Type.Object(Coded)),
    assisted_by: Type.Array(Type.Object(Coded)),
  }),
})
export type Meta = Static<typeof Meta>
export type DimensionName = keyof Meta['dimensions']

export const roles = ['analyst', 'regional', 'ingest', 'public'] as const
export type Role = (typeof roles)[number]

export const WhoAmI = Type.Object({
  role: Type.Enum(roles),
  regions: Type.Array(Type.String(), { description: 'regions a regional token sees in full detail' }),
  name: Nullable(Type.String({ description: "the token's name; null for the public" })),
})
export type WhoAmI = Static<typeof WhoAmI>
