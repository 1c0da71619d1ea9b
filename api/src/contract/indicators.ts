// Published indicators: analysts define and publish them; the public reads frozen versions.
import { type Static, Type } from 'typebox'
import { Day, Names, Nullable } from './common.ts'
import { Scope, tabularFormats } from './filters.ts'
import { intervals } from './periods.ts'

/** Breakdowns an indicator may publish beside its series (each period, each value of the dimension). */
export const publishedBreakdowns = ['region', 'channel', 'age_band'] as const
export type PublishedBreakdown = (typeof publishedBreakdowns)[number]

export const IndicatorBody = Type.Object(
  {
    metric: Type.String({ description: 'a metric id from /metrics' }),
    filters: Type.Optional(Scope),
    interval: Type.Enum(intervals),
    from: Type.Optional(Day('first day of the series (default: the first day with data)')),
    to: Type.Optional(Day('last day of the series (default: today)')),
    title: Names,
    methodology: Names,
    breakdowns: Type.Optional(
      Type.Array(Type.Enum(publishedBreakdowns), {
        uniqueItems: true,
        maxItems: publishedBreakdowns.length,
        description: 'breakdowns published with the series, suppressed like it (default none)',
      }),
    ),
  },
  { additionalProperties: false },
)
export type IndicatorBody = Static<typeof IndicatorBody>

export const IndicatorParams = Type.Object({ id: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }) })

export const Indicator = Type.Object({
  id: Type.String(),
  ...IndicatorBody.properties,
  filters: Scope,
})
export type Indicator = Static<typeof Indicator>

export const PublishedIndicator = Type.Object({
  ...Indicator.properties,
  version: Type.Integer(),
  publishedAt: Type.String(),
})
export type PublishedIndicator = Static<typeof PublishedIndicator>

export const IndicatorList = Type.Object({
  indicators: Type.Array(PublishedIndicator),
  drafts: Type.Optional(Type.Array(Indicator, { description: 'analysts only' })),
})
export type IndicatorList = Static<typeof IndicatorList>

export const IndicatorValue = Type.Object({
  period: Day(),
  value: Nullable(Type.Number()),
  ci_low: Nullable(Type.Number()),
  ci_high: Nullable(Type.Number()),
  transactions: Nullable(Type.Number()),
  suppressed: Type.Boolean(),
  provisional: Type.Boolean({ description: 'the period had not ended when this version was published' }),
})
export type IndicatorValue = Static<typeof IndicatorValue>

export const IndicatorVersion = Type.Object({
  version: Type.Integer(),
  publishedAt: Type.String(),
  note: Names,
  revisedPeriods: Type.Integer({ description: 'periods whose value differs from the version before' }),
})

export const IndicatorDetail = Type.Object({
  ...Indicator.properties,
  version: Nullable(Type.Integer({ description: 'latest published version; null for an unpublished draft' })),
  publishedAt: Nullable(Type.String()),
  versions: Type.Array(IndicatorVersion),
  values: Type.Array(IndicatorValue),
})
export type IndicatorDetail = Static<typeof IndicatorDetail>

export const IndicatorValuesQuery = Type.Object(
  {
    version: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
    format: Type.Optional(Type.Enum(tabularFormats)),
  },
  { additionalProperties: false },
)

export const IndicatorValues = Type.Object({
  indicator: Type.String(),
  version: Type.Integer(),
  rows: Type.Array(IndicatorValue),
})

export const PublishBody = Type.Object({ note: Names }, { additionalProperties: false })
export const Published = Type.Object({
  id: Type.String(),
  version: Type.Integer(),
  release: Type.Integer({ description: 'the release this publication made' }),
  periods: Type.Integer(),
  suppressed: Type.Object({
    cells: Type.Integer({ description: 'figures published or withheld: periods of the series and of each breakdown' }),
    primary: Type.Integer({
      description: 'withheld for their own small base, or a 0 % or 100 % share on a small base',
    }),
    secondary: Type.Integer({ description: 'withheld so that no other withheld figure can be recovered' }),
  }),
  revisions: Type.Integer({ description: 'periods of the previous version whose value changed' }),
})
