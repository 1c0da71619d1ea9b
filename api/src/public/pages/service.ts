// A service's page: GOV.UK's four measures (digital take-up, completion rate, user satisfaction, cost per
// transaction) from the indicators published about that one service, with the take-up chart and every publication.
import type { Lang } from '../../contract/index.ts'
import type { Reference } from '../../reference.ts'
import { chartBlock, headlineCard } from '../components.ts'
import { costPerTransaction } from '../figures.ts'
import { html, type Markup } from '../html.ts'
import { type PageContext, page, withLang } from '../layout.ts'
import { numberIn, periodIn } from '../messages.ts'
import type { Publication, PublicCell } from '../published.ts'
import { type Snapshot, targetFor } from '../snapshot.ts'
import { namer, seriesBlock } from './blocks.ts'

/** The four measures and the metric each is published as. */
const measures = [
  { key: 'digitalTakeUp', metric: 'digital_take_up' },
  { key: 'completionRate', metric: 'completion_rate' },
  { key: 'userSatisfaction', metric: 'satisfaction' },
] as const

export function serviceName(reference: Reference, code: string, lang: Lang) {
  const service = reference.services.find((item) => item.code === code)
  return {
    name: service?.names[lang] ?? code,
    agency: reference.agencies.find((agency) => agency.code === service?.agency)?.names[lang] ?? '',
    category: reference.categories.find((category) => category.code === service?.category)?.names[lang] ?? '',
  }
}

function costCard(
  context: PageContext,
  snapshot: Snapshot,
  volume: Publication | undefined,
  cells: PublicCell[],
): Markup {
  const { say, lang } = context
  const heading = html`<h3>${say('costPerTransaction')}</h3>`
  if (!volume)
    return html`<li class="card" data-measure="cost">${heading}<p class="figure">–</p><p class="muted">${say('costNotPublished')}</p></li>`
  const cost = costPerTransaction(cells, snapshot.costs)
  const interval = volume.definition.interval
  if (cost.state === 'known') {
    return html`<li class="card" data-measure="cost">${heading}<p class="figure" data-value="${String(cost.amount)}">${say('costValue', { amount: numberIn(lang, cost.amount, 0) })}</p>
<p class="muted">${say('costNote', { period: periodIn(lang, cost.period, interval) })}</p>
<details class="note"><summary>${say('costSources')}</summary><ul>${cost.sources.map((source) => html`<li>${source}</li>`)}</ul></details></li>`
  }
  const reason =
    cost.state === 'not_published'
      ? say('costNotPublished')
      : cost.state === 'suppressed'
        ? say('costSuppressed')
        : say('costUnknown', { channels: cost.channels.map(namer(snapshot.reference, lang, 'channel')).join(', ') })
  return html`<li class="card" data-measure="cost">${heading}<p class="figure">–</p><p class="muted">${reason}</p></li>`
}

export function servicePage(
  context: PageContext,
  snapshot: Snapshot,
  code: string,
  publications: Publication[],
  volumeCells: PublicCell[],
) {
  const { say, lang } = context
  const { name, agency, category } = serviceName(snapshot.reference, code, lang)
  const of = (metric: string) => publications.find((publication) => publication.definition.metric === metric)
  const volume = publications.find(
    (publication) =>
      publication.definition.metric === 'volume' && publication.definition.breakdowns?.includes('channel'),
  )
  const cards = measures.map(({ key, metric }) => {
    const publication = of(metric)
    if (!publication) {
      return html`<li class="card" data-measure="${metric}"><h3>${say(key)}</h3><p class="figure">–</p><p class="muted">${say('notPublished')}</p></li>`
    }
    return headlineCard(
      context,
      publication,
      snapshot.values.get(publication.definition.id) ?? [],
      targetFor(snapshot, publication),
      say(key),
    )
  })
  const takeUp = of('digital_take_up')
  const body = html`<h1>${say('servicePage', { name })}</h1>
<p class="muted">${say('serviceIntro', { agency, category })}</p>
<p class="lead">${say('serviceFigures')}</p>
<ul class="cards">${cards}${costCard(context, snapshot, volume, volumeCells)}</ul>
${
  takeUp
    ? html`<section class="panel">${chartBlock(
        context,
        seriesBlock(context, {
          publication: takeUp,
          values: snapshot.values.get(takeUp.definition.id) ?? [],
          target: targetFor(snapshot, takeUp),
          reference: snapshot.reference,
        }),
      )}</section>`
    : ''
}
<h2>${say('servicePublications')}</h2>
<ul>${publications.map(
    (publication) =>
      html`<li><a href="${withLang(`/indicators/${publication.definition.id}`, lang)}">${publication.definition.title[lang]}</a></li>`,
  )}</ul>
<p><a href="${withLang('/', lang)}">${say('backHome')}</a></p>`
  return page(context, { title: say('servicePage', { name }), body, release: snapshot.release, section: 'services' })
}
