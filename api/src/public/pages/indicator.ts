// A published indicator's page: its headline, chart with target and annotations, table, published breakdowns,
// methodology, version history and downloads.
import type { FastifyInstance } from 'fastify'
import { publishedBreakdowns } from '../../contract/index.ts'
import { chartBlock, headlineCard, latestCells, tableNotes, unitOf, valuesTable } from '../components.ts'
import { html, type Markup } from '../html.ts'
import { type PageContext, page, withLang } from '../layout.ts'
import { dayIn, numberIn, periodIn } from '../messages.ts'
import { loadCells, type Publication, type PublicCell } from '../published.ts'
import { type Snapshot, targetFor } from '../snapshot.ts'
import { breakdownBlock, namer, seriesBlock } from './blocks.ts'

/** Links to the files of a version: CSV and Parquet of the series and of each published breakdown. */
export function downloadLinks(context: PageContext, publication: Publication, version?: number): Markup {
  const { say, lang } = context
  const parts = ['series', ...(publication.definition.breakdowns ?? [])] as const
  const partName = (part: string) =>
    part === 'series'
      ? publication.definition.title[lang]
      : ({ region: say('byRegion'), channel: say('byChannel'), age_band: say('byAgeBand') }[part as 'region'] ?? part)
  const href = (format: string, part: string) =>
    `/open-data/${publication.definition.id}/${format}?lang=${lang}${version ? `&version=${version}` : ''}${part === 'series' ? '' : `&part=${part}`}`
  return html`<ul class="downloads">${parts.map(
    (part) =>
      html`<li>${partName(part)}: <a href="${href('csv', part)}" download>${say('downloadCsv')}</a> · <a href="${href('parquet', part)}" download>${say('downloadParquet')}</a></li>`,
  )}</ul>`
}

/** Intervals of a share by region are widened by the regions' over-dispersion: the note says by how much. */
function dispersionNote(context: PageContext, cells: readonly PublicCell[]): Markup | '' {
  const phi = cells.find((cell) => cell.dispersion !== null)?.dispersion
  return phi
    ? html`<p class="note" data-dispersion>${context.say('dispersionNote', { phi: numberIn(context.lang, phi, 1) })}</p>`
    : ''
}

export async function indicatorPage(
  app: FastifyInstance,
  context: PageContext,
  snapshot: Snapshot,
  publication: Publication,
) {
  const { say, lang } = context
  const { definition } = publication
  const values = snapshot.values.get(definition.id) ?? []
  const target = targetFor(snapshot, publication)
  const unit = unitOf(publication)
  const interval = definition.interval
  const title = definition.title[lang]
  const cells = definition.breakdowns?.length ? await loadCells(app.store, publication) : []

  const breakdowns = publishedBreakdowns
    .filter((dimension) => definition.breakdowns?.includes(dimension))
    .map((dimension) => {
      const latest = latestCells(cells, dimension)
      if (!latest.period) return ''
      const nameOf = namer(snapshot.reference, lang, dimension)
      const input = {
        publication,
        cells: latest.cells,
        dimension,
        period: latest.period,
        reference: snapshot.reference,
      }
      const block = breakdownBlock(context, input)
      const sorted = [...latest.cells].sort((a, b) => nameOf(a.code).localeCompare(nameOf(b.code), lang))
      return html`<section class="panel" data-breakdown="${dimension}"><h2>${block.title}</h2>
<div class="grid-2"><div>${chartBlock(context, block)}${dimension === 'region' ? html`<p class="note">${say('mapCredit')}</p>` : ''}</div>
<div>${valuesTable(context, block.title, { label: say(dimension), of: (cell) => nameOf(cell.code) }, unit, sorted)}${tableNotes(context, sorted, snapshot.suppressBelow)}${dispersionNote(context, sorted)}</div></div></section>`
    })

  const body = html`<h1>${title}</h1>
<p class="muted">${say('indicatorFacts', { interval: say(`interval_${interval}`), count: values.length, version: publication.version })}</p>
<p class="as-of" data-release="${publication.release}">${say('dataAsOf', { date: dayIn(lang, publication.cutoff) })} · ${say('release', { number: publication.release })}</p>
<ul class="cards">${headlineCard(context, publication, values, target)}</ul>
<section class="panel" aria-labelledby="series-heading"><h2 id="series-heading" class="visually-hidden">${title}</h2>
${chartBlock(context, seriesBlock(context, { publication, values, target, reference: snapshot.reference }))}
</section>
<section aria-labelledby="table-heading"><h2 id="table-heading">${say('tableOf', { title })}</h2>
${valuesTable(context, title, { label: say('periodColumn'), of: (value) => periodIn(lang, value.period, interval) }, unit, values)}
${tableNotes(context, values, snapshot.suppressBelow)}
</section>
${breakdowns}
<section aria-labelledby="methodology-heading"><h2 id="methodology-heading">${say('methodology')}</h2><p>${definition.methodology[lang]}</p></section>
<section aria-labelledby="versions-heading"><h2 id="versions-heading">${say('versions')}</h2>
<div class="table-scroll"><table><thead><tr><th scope="col">${say('version')}</th><th scope="col">${say('releaseColumn')}</th><th scope="col">${say('publishedOn')}</th><th scope="col">${say('note')}</th><th scope="col">${say('downloads')}</th></tr></thead>
<tbody>${[...publication.versions]
    .reverse()
    .map(
      (version) =>
        html`<tr><td>${version.version}</td><td>${version.release}</td><td>${dayIn(lang, version.publishedOn)}</td><td>${version.note[lang]}<br><span class="muted">${say('revised', { count: version.revisedPeriods })}</span>${
          version.record
            ? html`<br><span class="muted" data-record="${version.release}">${say('withheldCount', { primary: version.record.primary, secondary: version.record.secondary })} · ${say('releaseRecord', { version: version.record.methodology, cutoff: version.record.cutoff.slice(0, 16), hash: version.record.hash })}</span>`
            : ''
        }</td><td>${downloadLinks(context, publication, version.version)}</td></tr>`,
    )}</tbody></table></div>
</section>
<section aria-labelledby="downloads-heading"><h2 id="downloads-heading">${say('downloads')}</h2>${downloadLinks(context, publication)}
<p class="note">${say('licence', { title, release: publication.release })}</p></section>
<p><a href="${withLang('/', lang)}">${say('backHome')}</a></p>`
  return page(context, { title, description: definition.methodology[lang], body, release: snapshot.release })
}
