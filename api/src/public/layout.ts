// The portal's page shell: language links, navigation, the notice of a refused token, "data as of" and the release.
import { readFileSync } from 'node:fs'
import { type Lang, languages } from '../contract/index.ts'
import { html, type Markup, trusted } from './html.ts'
import { dayIn, type Say, sayer } from './messages.ts'

// Inlined, so a little smaller: comments and the formatter's line breaks and indentation dropped.
const stylesheet = readFileSync(new URL('./portal.css', import.meta.url), 'utf8')
  .replace(/\/\*[\s\S]*?\*\//g, '')
  .replace(/\s*\n\s*/g, '')

/** The page's own URL in another language: the same path and parameters, `lang` replaced. */
export function inLanguage(path: string, query: Record<string, unknown>, lang: Lang): string {
  const params = new URLSearchParams()
  for (const [name, value] of Object.entries(query)) {
    if (name !== 'lang' && name !== 'notice' && value !== undefined && value !== null) params.set(name, String(value))
  }
  params.set('lang', lang)
  return `${path}?${params}`
}

export const withLang = (path: string, lang: Lang): string => `${path}${path.includes('?') ? '&' : '?'}lang=${lang}`

export interface PageContext {
  lang: Lang
  say: Say
  path: string
  query: Record<string, unknown>
  /** The site's address as the client reached it, for embed snippets and the catalogue. */
  origin: string
  /** Demo data: national transactions one row stands for; null for real data. */
  demoOneIn: number | null
}

export const pageContext = (
  lang: Lang | undefined,
  path: string,
  query: Record<string, unknown>,
  origin: string,
  demoOneIn: number | null = null,
) => {
  const chosen = lang ?? 'kk'
  return { lang: chosen, say: sayer(chosen), path, query, origin, demoOneIn }
}

/** The demo-data marker every public page carries while the figures are a generated sample. */
const demoMarker = (context: PageContext) =>
  context.demoOneIn
    ? html`<p class="notice demo" data-demo="${context.demoOneIn}">${context.say('demoMarker', { oneIn: context.demoOneIn })}</p>`
    : ''

export interface Shell {
  title: string
  description?: string
  body: Markup
  /** The latest release and its day, for the footer. */
  release?: { number: number; day: string } | null
  section?: 'home' | 'services' | 'open-data'
  notice?: boolean
  /** Only the home page: a browser holding a token goes to the signed-in app. */
  signedInGoesToApp?: boolean
}

// A browser that holds a token (the dashboard keeps it in localStorage) is sent to the app before anything paints;
// `?public` keeps an analyst on the public home.
export const toAppScript =
  "try{if(localStorage.getItem('qyzmet.token')&&!/[?&]public(=|&|$)/.test(location.search))location.replace('/overview'+location.search)}catch(e){}"
const toApp = trusted('<script src="/portal/to-app.js"></script>')

export function page(context: PageContext, shell: Shell): string {
  const { lang, say, path, query } = context
  const nav = [
    { key: 'home' as const, href: withLang('/', lang), label: say('home') },
    { key: 'open-data' as const, href: withLang('/open-data', lang), label: say('openData') },
  ]
  const document = html`<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${shell.title} · ${say('siteName')}</title>
${shell.description ? html`<meta name="description" content="${shell.description}">` : ''}
${shell.signedInGoesToApp ? toApp : ''}
<style>${trusted(stylesheet)}</style>
</head>
<body>
<a class="skip" href="#main">${say('skip')}</a>
<header class="site-header"><div class="bar">
<a class="brand" href="${withLang('/', lang)}">${say('siteName')}<span>${say('siteTagline')}</span></a>
<nav class="site-nav" aria-label="${say('siteName')}"><ul>${nav.map(
    (item) =>
      html`<li><a href="${item.href}"${shell.section === item.key ? trusted(' aria-current="page"') : ''}>${item.label}</a></li>`,
  )}</ul></nav>
<div class="tools">
<ul class="langs" aria-label="${say('language')}">${languages.map(
    (code) =>
      html`<li><a href="${inLanguage(path, query, code)}" lang="${code}" hreflang="${code}"${code === lang ? trusted(' aria-current="true"') : ''}>${code.toUpperCase()}</a></li>`,
  )}</ul>
<a href="${withLang('/overview', lang)}">${say('signIn')}</a>
</div>
</div></header>
<main id="main" tabindex="-1">
${demoMarker(context)}
${shell.notice ? html`<p class="notice" role="status">${say('noticeSignedOut')}</p>` : ''}
${shell.body}
</main>
<footer class="site-footer">
${shell.release ? html`<p>${say('dataAsOf', { date: dayIn(lang, shell.release.day) })} · ${say('release', { number: shell.release.number })}</p>` : ''}
<p><a href="${withLang('/open-data', lang)}">${say('openData')}</a> · <a href="/docs">API</a></p>
</footer>
</body>
</html>
`
  return document.text
}

/** The bare page an iframe shows: the chart and its source, no navigation. */
export function embedPage(context: PageContext, title: string, body: Markup): string {
  return html`<!doctype html>
<html lang="${context.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · ${context.say('siteName')}</title>
<style>${trusted(stylesheet)}</style>
</head>
<body class="embed"><main>${body}</main></body>
</html>
`.text
}
