// HTML for the server-rendered portal: a tagged template that escapes every value unless it is already markup.

/** Markup that is already safe (built by `html` or rendered by ECharts); anything else is escaped. */
export class Markup {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text
  }
}

const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (char) => entities[char] ?? char)

type Value = Markup | string | number | null | undefined | false | readonly Value[]

function render(value: Value): string {
  if (value === null || value === undefined || value === false) return ''
  if (value instanceof Markup) return value.text
  if (Array.isArray(value)) return value.map(render).join('')
  return escapeHtml(String(value))
}

/** `html\`<p>${text}</p>\``: values are escaped, nested `html` and arrays of it are kept as markup. */
export function html(strings: TemplateStringsArray, ...values: Value[]): Markup {
  let out = strings[0] ?? ''
  values.forEach((value, index) => {
    out += render(value) + (strings[index + 1] ?? '')
  })
  return new Markup(out)
}

/** Markup from a trusted producer (the SVG ECharts renders, a stylesheet in this module's folder). */
export const trusted = (text: string): Markup => new Markup(text)
