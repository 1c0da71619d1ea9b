// Releases: each publication's numbered record (what its figures rest on, the suppression applied, the revisions)
// and the reproduction of its figures from the rows as they stood at its cut-off.
import { type Static, Type } from 'typebox'
import { Day, Names, Nullable } from './common.ts'
import { Indicator, IndicatorValue, publishedBreakdowns } from './indicators.ts'

export const ReleaseParams = Type.Object({
  release: Type.Integer({ minimum: 1, maximum: 1_000_000_000, description: 'a release number' }),
})

export const revisionReasons = ['completed', 'definition', 'data', 'methodology', 'suppression'] as const

export const SuppressionApplied = Type.Object({
  rule: Names,
  threshold: Nullable(Type.Integer({ description: 'a figure whose own base is below this is withheld' })),
  extremeBelow: Nullable(Type.Integer({ description: 'a share of 0 % or 100 % whose base is below this is withheld' })),
  cells: Type.Integer({ description: 'figures published or withheld: periods of the series and of each breakdown' }),
  primary: Type.Integer({ description: 'withheld for their own base (or an extreme share on a small base)' }),
  secondary: Type.Integer({ description: 'withheld so that no other withheld figure can be recovered' }),
})

export const ReleaseSummary = Type.Object({
  release: Type.Integer(),
  indicator: Type.String(),
  version: Type.Integer(),
  publishedAt: Type.String(),
  methodologyVersion: Nullable(
    Type.String({ description: 'METHODOLOGY.md version; null before releases were recorded' }),
  ),
  rowsCutoff: Nullable(
    Type.String({ description: 'the figures rest on rows ingested at or before this moment (UTC)' }),
  ),
  dataUntil: Nullable(Day('the last day of the series range')),
  dataRows: Type.Integer({ description: 'rows of the scope and range at the cut-off' }),
  dataHash: Nullable(Type.String({ description: 'content hash of those rows: row count and the sum of row hashes' })),
  suppression: SuppressionApplied,
  revisions: Type.Integer({ description: 'periods of the previous version whose value changed' }),
  note: Names,
})
export type ReleaseSummary = Static<typeof ReleaseSummary>

export const ReleaseList = Type.Object({ releases: Type.Array(ReleaseSummary) })

const PublishedFigure = {
  base: Nullable(Type.Number({ description: "the figure's own base; null when withheld" })),
  suppression: Type.String({ description: 'why withheld: base, extreme (primary), complement, earlier (secondary)' }),
}

export const Revision = Type.Object({
  period: Day(),
  previousRelease: Type.Integer(),
  previousValue: Nullable(Type.Number()),
  value: Nullable(Type.Number()),
  reason: Type.Enum(revisionReasons, {
    description:
      'completed: the period was incomplete then; definition: the indicator changed; data: its rows changed ' +
      '(late or corrected); methodology: the methodology version changed; suppression: only withheld or released',
  }),
})

export const ReleaseDetail = Type.Object({
  ...ReleaseSummary.properties,
  definition: Indicator,
  values: Type.Array(Type.Object({ ...IndicatorValue.properties, ...PublishedFigure })),
  breakdowns: Type.Array(
    Type.Object({
      dimension: Type.Enum(publishedBreakdowns),
      code: Type.String(),
      ...IndicatorValue.properties,
      ...PublishedFigure,
      dispersion: Nullable(
        Type.Number({ description: 'φ̂ that widened the intervals of the period (shares by region)' }),
      ),
    }),
  ),
  revisionNotes: Type.Array(Revision),
})
export type ReleaseDetail = Static<typeof ReleaseDetail>

export const Reproduction = Type.Object({
  release: Type.Integer(),
  reproduced: Type.Boolean({ description: 'every figure and the rows’ content hash are as published' }),
  rowsCutoff: Type.String(),
  dataRows: Type.Object({ published: Type.Integer(), now: Type.Integer() }),
  dataHash: Type.Object({ published: Type.String(), now: Type.String() }),
  figures: Type.Integer({ description: 'figures compared: periods of the series and of each breakdown' }),
  differences: Type.Array(
    Type.Object({
      dimension: Nullable(Type.String()),
      code: Nullable(Type.String()),
      period: Day(),
      published: Nullable(Type.Number()),
      recomputed: Nullable(Type.Number()),
      publishedSuppression: Type.String(),
      recomputedSuppression: Type.String(),
    }),
  ),
})
export type Reproduction = Static<typeof Reproduction>
