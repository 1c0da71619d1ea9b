// The public portal: its pages' parameters, the public target evaluation and the open-data catalogue (DCAT).
import { type Static, Type } from 'typebox'
import { Day, languages, Names, Nullable } from './common.ts'
import { Scope } from './filters.ts'
import { IndicatorValue, publishedBreakdowns } from './indicators.ts'
import { Progress } from './targets.ts'

const Lang = Type.Optional(Type.Enum(languages, { description: 'the page language (default kk)' }))

/** Every portal page takes its language; other parameters (a campaign tag, say) are ignored, not refused. */
export const PageQuery = Type.Object({
  lang: Lang,
  notice: Type.Optional(Type.Enum(['signed_out'], { description: 'a notice to show: the token was refused' })),
})
export type PageQuery = Static<typeof PageQuery>

export const PublicIndicatorParams = Type.Object({ id: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }) })
export const ServiceParams = Type.Object({ code: Type.String({ pattern: '^[A-Za-z0-9_.-]{1,64}$' }) })

/** What a chart shows: the series, or the breakdown of one period by a dimension. */
export const chartViews = ['series', ...publishedBreakdowns] as const
export type ChartView = (typeof chartViews)[number]

export const EmbedParams = Type.Object({
  id: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }),
  view: Type.Enum(chartViews),
})
export type EmbedParams = Static<typeof EmbedParams>

export const EmbedQuery = Type.Object({
  lang: Lang,
  from: Type.Optional(Day('series: first period shown')),
  to: Type.Optional(Day('series: last period shown')),
  period: Type.Optional(Day('breakdowns: the period shown (default the latest complete one)')),
  width: Type.Optional(Type.Integer({ minimum: 280, maximum: 2400, description: 'image width in pixels' })),
  height: Type.Optional(Type.Integer({ minimum: 200, maximum: 1600, description: 'image height in pixels' })),
})
export type EmbedQuery = Static<typeof EmbedQuery>

export const imageFormats = ['svg', 'png'] as const
export const ImageParams = Type.Object({ ...EmbedParams.properties, format: Type.Enum(imageFormats) })

export const downloadFormats = ['csv', 'parquet'] as const
export const DownloadParams = Type.Object({ ...PublicIndicatorParams.properties, format: Type.Enum(downloadFormats) })
export const DownloadQuery = Type.Object({
  lang: Lang,
  version: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'default the latest' })),
  part: Type.Optional(Type.Enum(['series', ...publishedBreakdowns], { description: 'default the series' })),
})
export type DownloadQuery = Static<typeof DownloadQuery>

/** A published value as the portal shows it: provisional when its period was not over at the data's cut-off. */
export const PublicValue = Type.Object({
  ...IndicatorValue.properties,
  provisional: Type.Boolean({ description: 'the period was not complete when the release was published' }),
})
export type PublicValue = Static<typeof PublicValue>

/** A target as the public sees it: judged on the published values of the indicator with its metric and scope. */
export const PublicTarget = Type.Object({
  id: Type.String(),
  title: Names,
  metric: Type.String(),
  filters: Scope,
  value: Type.Number(),
  dueDate: Day(),
  indicator: Type.String({ description: 'the published indicator the target is judged on' }),
  release: Type.Integer({ description: 'the release whose values were used' }),
  progress: Progress,
})
export type PublicTarget = Static<typeof PublicTarget>

export const PublicTargetList = Type.Object({ targets: Type.Array(PublicTarget) })

const Distribution = Type.Object({
  '@type': Type.Literal('dcat:Distribution'),
  'dct:title': Type.String(),
  'dcat:downloadURL': Type.String(),
  'dcat:mediaType': Type.String(),
  'dct:issued': Type.String(),
  'dcat:version': Type.String(),
})

const Dataset = Type.Object({
  '@id': Type.String(),
  '@type': Type.Literal('dcat:Dataset'),
  'dct:identifier': Type.String(),
  'dct:title': Type.Array(Type.Object({ '@language': Type.String(), '@value': Type.String() })),
  'dct:description': Type.Array(Type.Object({ '@language': Type.String(), '@value': Type.String() })),
  'dct:issued': Type.String(),
  'dct:modified': Type.String(),
  'dcat:version': Type.String({ description: 'the latest version' }),
  'adms:versionNotes': Type.Array(Type.Object({ '@language': Type.String(), '@value': Type.String() })),
  'dct:accrualPeriodicity': Type.String(),
  'dcat:landingPage': Type.String(),
  'dct:temporal': Type.Object({
    '@type': Type.Literal('dct:PeriodOfTime'),
    'dcat:startDate': Nullable(Type.String()),
    'dcat:endDate': Nullable(Type.String()),
  }),
  'qyzmet:release': Type.Integer(),
  'qyzmet:metric': Type.String(),
  'dcat:distribution': Type.Array(Distribution),
})

export const Catalog = Type.Object({
  '@context': Type.Record(Type.String(), Type.String()),
  '@id': Type.String(),
  '@type': Type.Literal('dcat:Catalog'),
  'dct:title': Type.String(),
  'dct:description': Type.String(),
  'dct:license': Type.String(),
  'dct:modified': Nullable(Type.String()),
  'qyzmet:release': Nullable(Type.Integer({ description: 'the latest release' })),
  'dcat:dataset': Type.Array(Dataset),
})
export type Catalog = Static<typeof Catalog>
