// Parts every portal page shares: a value in its unit, a headline card, a chart with its image and embed links, tables.

import type { EChartsCoreOption } from 'echarts'
import type { ChartView, Lang, PublicTarget, PublicValue } from '../contract/index.ts'
import { metricById } from '../metrics/index.ts'
import type { Reference } from '../reference.ts'
import { type Formats, lockdown, renderSvg, splitDay } from './charts.ts'
import { change, coveragePassed, type Headline, headline } from './figures.ts'
import { html, type Markup, trusted } from './html.ts'
import type { PageContext } from './layout.ts'
import { withLang } from './layout.ts'
import { dayIn, numberIn, percentIn, periodIn, type Say, sayer } from './messages.ts'
import type { Publication, PublicCell } from './published.ts'

export const unitOf = (publication: Publication): string => metricById(publication.definition.metric)?.unit ?? 'count'

/** A metric value as people read it: shares as percentages, seconds as hours or days, counts grouped. */
export function valueIn(lang: Lang, unit: string, value: number): string {
  if (unit === 'share') return percentIn(lang, value)
  if (unit === 'seconds') {
    const say = sayer(lang)
    if (value >= 86_400) return say('unitDays', { value: numberIn(lang, value / 86_400, 1) })
    if (value >= 3600) return say('unitHours', { value: numberIn(lang, value / 3600, 1) })
    return say('unitMinutes', { value: numberIn(lang, value / 60, 0) })
  }
  return numberIn(lang, value, unit === 'per_1000' ? 1 : 0)
}

export function formats(context: PageContext, unit: string, narrow = false): Formats {
  return {
    value: (value) => valueIn(context.lang, unit, value),
    day: (day) => dayIn(context.lang, day, narrow ? 'yyyy' : 'MMM yyyy'),
  }
}

function changeText(context: PageContext, unit: string, after: PublicValue, before: PublicValue | null): string {
  const found = change(after, before, unit)
  if (!found) return context.say('noEarlier')
  const { lang, say } = context
  const signed = (value: number, style: Intl.NumberFormatOptions) =>
    new Intl.NumberFormat(lang === 'en' ? 'en-GB' : lang === 'ru' ? 'ru-RU' : 'kk-KZ', {
      maximumFractionDigits: 1,
      signDisplay: 'exceptZero',
      ...style,
    }).format(value)
  if (found.kind === 'points') {
    const text = signed(found.amount, {})
    return /^[-−+]?0([.,]0)?$/.test(text) ? say('noChange') : say('percentagePoints', { points: text })
  }
  const text = signed(found.amount, { style: 'percent' })
  return /^[-−+]?0\s?%$/.test(text) ? say('noChange') : text
}

export type PublicStatus = PublicTarget['progress']['status']

export function statusOf(target: PublicTarget): PublicStatus {
  return target.progress.status
}

export function targetStatus(context: PageContext, target: PublicTarget, unit: string): Markup {
  const { say, lang } = context
  const values = { target: valueIn(lang, unit, target.value), due: dayIn(lang, target.dueDate) }
  const status = statusOf(target)
  const month = (period: string | null) => (period ? dayIn(lang, period, 'LLLL yyyy') : '')
  const text =
    status === 'reached'
      ? say('statusReached', values)
      : status === 'reached_late'
        ? say('statusReachedLate', { ...values, date: month(target.progress.reachedOn) })
        : status === 'missed'
          ? say('statusMissed', values)
          : status === 'on_track'
            ? say('statusOnTrack', values)
            : status === 'at_risk'
              ? say('statusAtRisk', values)
              : status === 'off_track'
                ? say('statusOffTrack', values)
                : say('statusUnknown', values)
  const projected =
    (status === 'on_track' || status === 'at_risk' || status === 'off_track') && target.progress.projectedDate
      ? html`<br><span class="muted">${say('projectedBy', { target: values.target, date: dayIn(lang, target.progress.projectedDate, 'LLLL yyyy') })}</span>`
      : ''
  const tone = status === 'reached' || status === 'on_track' ? 'reached' : status === 'no_data' ? '' : 'off'
  return html`<p class="status ${tone}">${text}${projected}</p>`
}

/** A publication's headline: its latest complete value, large, with its changes and status against its target. */
export function headlineCard(
  context: PageContext,
  publication: Publication,
  values: readonly PublicValue[],
  target: PublicTarget | undefined,
  title: string = publication.definition.title[context.lang],
): Markup {
  const { say, lang } = context
  const unit = unitOf(publication)
  const interval = publication.definition.interval
  const found: Headline | null = headline(values, interval)
  const link = withLang(`/indicators/${publication.definition.id}`, lang)
  if (!found) {
    return html`<li class="card" data-indicator="${publication.definition.id}"><h3><a href="${link}">${title}</a></h3><p class="figure">–</p><p class="muted">${say('notPublished')}</p></li>`
  }
  const { current, previous, yearEarlier } = found
  const period = (value: PublicValue) => periodIn(lang, value.period, interval)
  return html`<li class="card" data-indicator="${publication.definition.id}">
<h3><a href="${link}">${title}</a></h3>
<p class="figure" data-value="${String(current.value)}">${valueIn(lang, unit, current.value ?? 0)}</p>
<ul class="facts">
<li>${say('latestPeriod', { period: period(current) })}</li>
<li>${previous ? say('vsPrevious', { change: changeText(context, unit, current, previous), period: period(previous) }) : say('noEarlier')}</li>
${interval !== 'year' ? html`<li>${yearEarlier ? say('vsYearEarlier', { change: changeText(context, unit, current, yearEarlier), period: period(yearEarlier) }) : say('noEarlier')}</li>` : ''}
</ul>
${target ? targetStatus(context, target, unit) : ''}
</li>`
}

/** The target's projection to its due date (its central line), from the last complete month. */
export function projectionOf(target: PublicTarget | undefined, _unit: string): [string, number][] {
  if (!target) return []
  const { current, currentPeriod, projection } = target.progress
  if (current === null || currentPeriod === null || projection.length === 0) return []
  return [[currentPeriod, current], ...projection.map((point): [string, number] => [point.period, point.value])]
}

/** The annotations of a time chart: the lockdown, the 2022 region split and the day the catalogue passed 90 %. */
export function annotations(say: Say, lang: Lang, reference: Reference) {
  const passed = coveragePassed(
    reference.services.map((service) => service.onlineSince),
    0.9,
  )
  return {
    bands: [{ ...lockdown, label: say('lockdown') }],
    marks: [
      { day: splitDay, label: say('regionSplit') },
      ...(passed ? [{ day: passed, label: say('cataloguePassed', { share: percentIn(lang, 0.9, 0) }) }] : []),
    ],
  }
}

export interface ChartBlock {
  id: string
  view: ChartView
  title: string
  /** Options for a wide and a phone-width drawing of the same chart. */
  option: (narrow: boolean) => EChartsCoreOption
  query?: Record<string, string | undefined>
  size?: { wide: [number, number]; narrow: [number, number] }
}

export const defaultSizes = { wide: [880, 380] as [number, number], narrow: [360, 320] as [number, number] }

function queryString(params: Record<string, string | undefined>): string {
  const search = new URLSearchParams()
  for (const [name, value] of Object.entries(params)) if (value) search.set(name, value)
  return search.toString()
}

/** A chart drawn on the server twice (wide, phone), with its SVG and PNG downloads and an iframe snippet. */
export function chartBlock(context: PageContext, block: ChartBlock): Markup {
  const { say, lang, origin } = context
  const sizes = block.size ?? defaultSizes
  const query = queryString({ lang, ...block.query })
  const base = `/embed/${block.id}/${block.view}`
  const snippet = `<iframe src="${origin}${base}?${query}" title="${block.title.replace(/"/g, '&quot;')}" width="100%" height="${sizes.wide[1] + 80}" style="border:0" loading="lazy"></iframe>`
  const drawing = (narrow: boolean) => {
    const [width, height] = narrow ? sizes.narrow : sizes.wide
    return trusted(
      renderSvg(block.option(narrow), width, height, block.title).replace(
        /^<svg /,
        `<svg role="img" aria-label="${block.title.replace(/[&<>"]/g, (char) => `&#${char.charCodeAt(0)};`)}" `,
      ),
    )
  }
  return html`<figure class="chart" data-chart="${block.id}/${block.view}">
<figcaption>${block.title}</figcaption>
<div class="chart-wide">${drawing(false)}</div>
<div class="chart-narrow">${drawing(true)}</div>
<div class="chart-links">
<a href="${base}/image.svg?${query}" download>${say('downloadSvg')}</a>
<a href="${base}/image.png?${query}" download>${say('downloadPng')}</a>
<a href="${base}?${query}">${say('embed')}</a>
<details><summary>${say('embed')}</summary><p class="note">${say('embedHelp')}</p><textarea readonly aria-label="${say('embed')}">${snippet}</textarea></details>
</div>
</figure>`
}

/** A value's cells in a table row: the value, its interval and count, or the word for a suppressed one. */
function valueCells(context: PageContext, unit: string, value: PublicValue): Markup {
  const { say, lang } = context
  if (value.suppressed) {
    return html`<td class="num" data-suppressed="true">${say('suppressed')}</td><td class="num"></td><td class="num"></td><td class="num"></td>`
  }
  const cell = (number: number | null, asCount = false) =>
    html`<td class="num">${number === null ? '–' : asCount ? numberIn(lang, number) : valueIn(lang, unit, number)}</td>`
  return html`${cell(value.value)}${cell(value.ci_low)}${cell(value.ci_high)}${cell(value.transactions, true)}`
}

const statusCell = (say: Say, value: PublicValue) =>
  html`<td>${value.provisional ? html`<span class="tag">${say('provisional')}</span>` : ''}</td>`

export function valuesTable<Value extends PublicValue>(
  context: PageContext,
  caption: string,
  first: { label: string; of: (value: Value) => string },
  unit: string,
  values: readonly Value[],
): Markup {
  const { say } = context
  return html`<div class="table-scroll" tabindex="0" role="region" aria-label="${say('tableOf', { title: caption })}">
<table>
<caption class="visually-hidden">${caption}</caption>
<thead><tr><th scope="col">${first.label}</th><th scope="col" class="num">${say('value')}</th><th scope="col" class="num">${say('low')}</th><th scope="col" class="num">${say('high')}</th><th scope="col" class="num">${say('transactions')}</th><th scope="col">${say('status')}</th></tr></thead>
<tbody>${values.map(
    (value) =>
      html`<tr${value.suppressed ? trusted(' data-suppressed="true"') : ''}><th scope="row">${first.of(value)}</th>${valueCells(context, unit, value)}${statusCell(say, value)}</tr>`,
  )}</tbody>
</table>
</div>`
}

/** The notes under a table: what "provisional" and "suppressed" mean, when the table has any. */
export function tableNotes(context: PageContext, values: readonly PublicValue[], threshold: number): Markup {
  const { say } = context
  return html`${values.some((value) => value.provisional) ? html`<p class="note">${say('provisionalNote')}</p>` : ''}${
    values.some((value) => value.suppressed) ? html`<p class="note">${say('suppressedNote', { threshold })}</p>` : ''
  }`
}

/** The latest complete period of a breakdown, and its cells. */
export function latestCells(cells: readonly PublicCell[], dimension: string, period?: string) {
  const own = cells.filter((cell) => cell.dimension === dimension)
  const chosen =
    period ??
    own
      .filter((cell) => !cell.provisional)
      .map((cell) => cell.period)
      .sort()
      .at(-1)
  return { period: chosen ?? null, cells: own.filter((cell) => cell.period === chosen) }
}
