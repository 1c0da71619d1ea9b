// An embedded chart: the chart alone (wide and phone drawings), its source and a link to its page; no app shell.

import { renderSvg } from '../charts.ts'
import type { ChartBlock } from '../components.ts'
import { defaultSizes } from '../components.ts'
import { html, trusted } from '../html.ts'
import { embedPage, type PageContext, withLang } from '../layout.ts'
import type { Publication } from '../published.ts'

export function embedView(context: PageContext, publication: Publication, block: ChartBlock): string {
  const { say, lang } = context
  const sizes = block.size ?? defaultSizes
  const drawing = (narrow: boolean) => {
    const [width, height] = narrow ? sizes.narrow : sizes.wide
    return trusted(
      renderSvg(block.option(narrow), width, height, block.title).replace(
        /^<svg /,
        `<svg role="img" aria-label="${block.title.replace(/[&<>"]/g, (char) => `&#${char.charCodeAt(0)};`)}" `,
      ),
    )
  }
  return embedPage(
    context,
    block.title,
    html`<figure class="chart" data-chart="${block.id}/${block.view}"><h1>${block.title}</h1>
<div class="chart-wide">${drawing(false)}</div><div class="chart-narrow">${drawing(true)}</div>
<figcaption class="note"><a href="${withLang(`/indicators/${publication.definition.id}`, lang)}" target="_top">${say('embedSource', { release: publication.release })}</a></figcaption></figure>`,
  )
}
