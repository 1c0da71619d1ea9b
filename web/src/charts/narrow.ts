// Phone-width variants of an option: ECharts media queries, applied again whenever the chart is resized.

/** Screens narrower than this (px of the chart's container) get the narrow variant. */
export const narrowWidth = 520

/** The option as ECharts' base, with `narrow` merged over it when the chart is narrower than `narrowWidth`. */
export function withNarrow<T extends object>(option: T, narrow: Record<string, unknown>) {
  return { baseOption: option, media: [{ query: { maxWidth: narrowWidth }, option: narrow }] }
}
