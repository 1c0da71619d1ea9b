// The charts of a publication, as blocks a page, an embed or an image download draws: its series, its breakdowns.
import type { Lang, PublicTarget, PublicValue, PublishedBreakdown } from '../../contract/index.ts'
import type { Reference } from '../../reference.ts'
import { dimensionLabels } from '../../routes/meta.ts'
import { barsOption, mapFor, mapOption, seriesOption } from '../charts.ts'
import { annotations, type ChartBlock, formats, projectionOf, unitOf, valueIn } from '../components.ts'
import type { PageContext } from '../layout.ts'
import { periodIn } from '../messages.ts'
import type { Publication, PublicCell } from '../published.ts'

/** A breakdown's value names in the page's language (regions and channels from the reference data). */
export function namer(reference: Reference, lang: Lang, dimension: PublishedBreakdown): (code: string) => string {
  if (dimension === 'region') {
    const names = new Map(reference.regions.map((region) => [region.code, region.names[lang]]))
    return (code) => names.get(code) ?? code
  }
  if (dimension === 'channel') {
    const names = new Map(reference.channels.map((channel) => [channel.code, channel.names[lang]]))
    return (code) => names.get(code) ?? code
  }
  return (code) => dimensionLabels.age_band[code]?.[lang] ?? code
}

export interface SeriesInput {
  publication: Publication
  values: readonly PublicValue[]
  target?: PublicTarget
  reference: Reference
  from?: string
  to?: string
}

export function seriesBlock(context: PageContext, input: SeriesInput, title?: string): ChartBlock {
  const { say, lang } = context
  const { publication, target, reference } = input
  const unit = unitOf(publication)
  const values = input.values.filter(
    (value) => (!input.from || value.period >= input.from) && (!input.to || value.period <= input.to),
  )
  const name = publication.definition.title[lang]
  return {
    id: publication.definition.id,
    view: 'series',
    title: title ?? name,
    query: { from: input.from, to: input.to },
    option: (narrow) =>
      seriesOption({
        values,
        unit,
        narrow,
        formats: formats(context, unit, narrow),
        labels: {
          series: narrow && name.length > 40 ? `${name.slice(0, 38)}…` : name,
          provisional: say('provisional'),
          target: target ? say('target', { value: valueIn(lang, unit, target.value) }) : '',
          projection: say('projection'),
        },
        ...(target ? { target: { value: target.value }, projection: projectionOf(target, unit) } : {}),
        ...annotations(say, lang, reference),
      }),
  }
}

export interface BreakdownInput {
  publication: Publication
  cells: readonly PublicCell[]
  dimension: PublishedBreakdown
  period: string
  reference: Reference
}

/** The title of a breakdown chart: the dimension and the period. */
export function breakdownTitle(context: PageContext, input: BreakdownInput): string {
  const { say, lang } = context
  const by = { region: say('byRegion'), channel: say('byChannel'), age_band: say('byAgeBand') }[input.dimension]
  return `${input.publication.definition.title[lang]} — ${by.toLowerCase()}, ${periodIn(lang, input.period, input.publication.definition.interval)}`
}

export function breakdownBlock(context: PageContext, input: BreakdownInput): ChartBlock {
  const { say, lang } = context
  const unit = unitOf(input.publication)
  const nameOf = namer(input.reference, lang, input.dimension)
  const cells = input.cells.filter((cell) => cell.dimension === input.dimension && cell.period === input.period)
  const base = {
    id: input.publication.definition.id,
    view: input.dimension,
    title: breakdownTitle(context, input),
    query: { period: input.period },
  }
  if (input.dimension === 'region') {
    return {
      ...base,
      size: { wide: [640, 400], narrow: [360, 280] },
      option: (narrow) => mapOption({ cells, map: mapFor(input.period), formats: formats(context, unit, narrow) }),
    }
  }
  return {
    ...base,
    size: { wide: [640, Math.max(200, 40 + cells.length * 30)], narrow: [360, Math.max(200, 40 + cells.length * 30)] },
    option: (narrow) =>
      barsOption({
        cells,
        nameOf,
        narrow,
        share: unit === 'share',
        suppressedLabel: say('suppressed'),
        formats: formats(context, unit, narrow),
      }),
  }
}
