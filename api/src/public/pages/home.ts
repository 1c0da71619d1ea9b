// The public home: the headline indicators large, the online share against its target, regions, services, open data.

import type { FastifyInstance } from 'fastify'
import { chartBlock, headlineCard, latestCells, tableNotes, unitOf, valuesTable } from '../components.ts'
import { html, type Markup } from '../html.ts'
import { type PageContext, page, withLang } from '../layout.ts'
import { dayIn, periodIn } from '../messages.ts'
import { loadCells } from '../published.ts'
import { type Snapshot, servicePublications, targetFor } from '../snapshot.ts'
import { breakdownBlock, namer, seriesBlock } from './blocks.ts'

export async function homePage(app: FastifyInstance, context: PageContext, snapshot: Snapshot, notice: boolean) {
  const { say, lang } = context
  const { publications, values, reference } = snapshot
  const nationwide = publications.filter((publication) => Object.keys(publication.definition.filters).length === 0)
  const headlines = nationwide.length > 0 ? nationwide : publications

  // The chart of the first target judged on a published share: the road to it, with its projection.
  const target = snapshot.targets.find((candidate) => {
    const publication = publications.find((item) => item.definition.id === candidate.indicator)
    return publication && unitOf(publication) === 'share'
  })
  const targeted = target && publications.find((publication) => publication.definition.id === target.indicator)
  let targetSection: Markup | string = ''
  if (target && targeted) {
    const block = seriesBlock(
      context,
      { publication: targeted, values: values.get(targeted.definition.id) ?? [], target, reference },
      say('againstTarget', { title: targeted.definition.title[lang] }),
    )
    targetSection = html`<section class="panel" aria-labelledby="target-heading"><h2 id="target-heading">${target.title[lang]}</h2>${chartBlock(context, block)}</section>`
  }

  // Regions: the first nationwide publication with a published regional breakdown, its latest complete period.
  const regional = nationwide.find((publication) => publication.definition.breakdowns?.includes('region'))
  let regionSection: Markup | string = ''
  if (regional) {
    const latest = latestCells(await loadCells(app.store, regional), 'region')
    if (latest.period) {
      const input = {
        publication: regional,
        cells: latest.cells,
        dimension: 'region' as const,
        period: latest.period,
        reference,
      }
      const nameOf = namer(reference, lang, 'region')
      const sorted = [...latest.cells].sort((a, b) => nameOf(a.code).localeCompare(nameOf(b.code), lang))
      regionSection = html`<section aria-labelledby="regions-heading"><h2 id="regions-heading">${say('regions')}</h2>
<p class="muted">${say('regionsIntro', { title: regional.definition.title[lang], period: periodIn(lang, latest.period, regional.definition.interval) })}</p>
<div class="grid-2"><div class="panel">${chartBlock(context, breakdownBlock(context, input))}<p class="note">${say('mapCredit')}</p></div>
<div>${valuesTable(context, say('byRegion'), { label: say('region'), of: (cell) => nameOf(cell.code) }, unitOf(regional), sorted)}${tableNotes(context, sorted, snapshot.suppressBelow)}</div></div>
</section>`
    }
  }

  const services = [...servicePublications(snapshot).keys()]
  const serviceNames = new Map(reference.services.map((service) => [service.code, service.names[lang]]))
  const body = html`<h1>${say('homeTitle')}</h1>
<p class="lead">${say('homeIntro')}</p>
${snapshot.release ? html`<p class="as-of" data-release="${snapshot.release.number}">${say('dataAsOf', { date: dayIn(lang, snapshot.release.day) })} · ${say('release', { number: snapshot.release.number })}</p>` : ''}
${
  publications.length === 0
    ? html`<p>${say('noIndicators')}</p>`
    : html`<section aria-labelledby="headlines"><h2 id="headlines" class="visually-hidden">${say('headlines')}</h2>
<ul class="cards">${headlines.map((publication) =>
        headlineCard(
          context,
          publication,
          values.get(publication.definition.id) ?? [],
          targetFor(snapshot, publication),
        ),
      )}</ul></section>`
}
${targetSection}
${regionSection}
${
  services.length > 0
    ? html`<section aria-labelledby="services-heading"><h2 id="services-heading">${say('services')}</h2><p class="muted">${say('servicesIntro')}</p>
<ul class="cards">${services.map(
        (code) =>
          html`<li class="card"><a href="${withLang(`/services/${code}`, lang)}">${serviceNames.get(code) ?? code}</a></li>`,
      )}</ul></section>`
    : ''
}
<section aria-labelledby="open-heading"><h2 id="open-heading">${say('openData')}</h2><p><a href="${withLang('/open-data', lang)}">${say('catalogueIntro')}</a></p></section>`
  return page(context, {
    title: say('homeTitle'),
    description: say('homeIntro'),
    body,
    release: snapshot.release,
    section: 'home',
    notice,
    signedInGoesToApp: true,
  })
}
