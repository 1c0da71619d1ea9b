// The view lives in the URL, with the API's parameter names, so that a copied link opens the same view; this module
// alone reads and writes it, typed end to end (no page reads a raw query string).
import { defaultPreset } from '@qyzmet/api/contract/periods'
import { useSyncExternalStore } from 'react'
import { isLang, type Lang } from './i18n.ts'

export const pages = [
  'overview',
  'channels',
  'regions',
  'services',
  'people',
  'targets',
  'indicators',
  'quality',
  'live',
  'incidents',
] as const
export type Page = (typeof pages)[number]

/** Dimensions a view filters on, each with any number of values (sent to the API as a comma list). */
export const dimensions = ['region', 'channel', 'service', 'category', 'age_band'] as const
export type Dimension = (typeof dimensions)[number]

export const intervals = ['day', 'week', 'month', 'quarter', 'year'] as const
export type Interval = (typeof intervals)[number]

export const defaultPeriod = defaultPreset

export interface Filters extends Readonly<Record<Dimension, readonly string[]>> {
  /** A period preset (the API lists them in /meta); not sent when `from` or `to` is set. */
  readonly period?: string
  readonly from?: string
  readonly to?: string
  readonly interval?: Interval
}

export interface View {
  readonly page: Page
  /** The region whose own page is open (/regions/75). */
  readonly regionPage?: string
  /** The language the URL asks for; without it the last one chosen applies. */
  readonly lang?: Lang
  readonly filters: Filters
  /** The published indicator open on the Indicators page. */
  readonly indicator?: string
  /** The regions page ranks per 1,000 residents instead of by online share. */
  readonly perCapita: boolean
  /** Regions on 2024 boundaries (`boundaries=2024`): a parent's earlier events under the region they belong to now. */
  readonly boundaries2024?: boolean
  /** Wall-screen mode (`wall=live,overview`): these pages in turn, full screen, no controls. */
  readonly wall?: readonly Page[]
  /** Seconds each page of a wall screen stays (`every=30`). */
  readonly every?: number
}

/** A change to a view: a field given replaces it (`null`, `undefined` or `[]` clears it), the rest is kept. */
export interface ViewChange {
  page?: Page
  regionPage?: string | null
  lang?: Lang
  filters?: Partial<Filters>
  indicator?: string | null
  perCapita?: boolean
  boundaries2024?: boolean
}

/** How long a wall screen shows each page by default, and the bounds of `every=`, in seconds. */
export const wallSeconds = { fallback: 30, min: 10, max: 3600 } as const

export const noFilters: Filters = { region: [], channel: [], service: [], category: [], age_band: [] }

const isoDate = /^\d{4}-\d{2}-\d{2}$/
const regionCode = /^\d{2}$/

/** Every value of a parameter, whether repeated (region=75&region=71) or a comma list (region=75,71), once each. */
function list(params: URLSearchParams, name: string): string[] {
  const values = params.getAll(name).flatMap((value) => value.split(','))
  return [...new Set(values.map((value) => value.trim()).filter(Boolean))]
}

/** Reads a view from a location's path and query string; what is not understood is left out. */
export function parseView(pathname: string, search: string): View {
  const params = new URLSearchParams(search)
  const [segment = '', detail = ''] = pathname.replace(/^\/+/, '').split('/')
  const page = (pages as readonly string[]).includes(segment) ? (segment as Page) : 'overview'
  const text = (name: string) => params.get(name) || undefined
  const date = (name: string) => (isoDate.test(params.get(name) ?? '') ? (params.get(name) ?? undefined) : undefined)
  const interval = params.get('interval')
  const lang = params.get('lang')
  const filters: Filters = {
    ...Object.fromEntries(dimensions.map((name) => [name, list(params, name)])),
    ...(text('period') ? { period: text('period') } : {}),
    ...(date('from') ? { from: date('from') } : {}),
    ...(date('to') ? { to: date('to') } : {}),
    ...((intervals as readonly string[]).includes(interval ?? '') ? { interval: interval as Interval } : {}),
  } as Filters
  return {
    page,
    ...(page === 'regions' && regionCode.test(detail) ? { regionPage: detail } : {}),
    ...(isLang(lang) ? { lang } : {}),
    filters,
    ...(text('indicator') ? { indicator: text('indicator') } : {}),
    perCapita: params.get('percapita') === '1',
    ...(params.get('boundaries') === '2024' ? { boundaries2024: true } : {}),
    ...wallOf(params),
  }
}

/** The page a wall screen shows after `current`: the next of its pages, round. */
export function nextWallPage(wall: readonly Page[], current: Page): Page {
  const at = wall.indexOf(current)
  return wall[(at + 1) % wall.length] ?? current
}

/** A wall screen's pages (those named that exist, once each, in order) and seconds per page, if `wall=` is set. */
function wallOf(params: URLSearchParams): Pick<View, 'wall' | 'every'> {
  if (!params.has('wall')) return {}
  const named = list(params, 'wall').filter((name): name is Page => (pages as readonly string[]).includes(name))
  const every = Number(params.get('every'))
  return {
    wall: named.length > 0 ? named : ['live'],
    every:
      Number.isInteger(every) && every >= wallSeconds.min && every <= wallSeconds.max ? every : wallSeconds.fallback,
  }
}

/** The view after a change; leaving a page closes the region page unless the change names one. */
export function changeView(view: View, change: ViewChange): View {
  const page = change.page ?? view.page
  const regionPage =
    change.regionPage !== undefined ? change.regionPage : page === view.page ? view.regionPage : undefined
  const indicator = change.indicator !== undefined ? change.indicator : view.indicator
  const merged = { ...view.filters, ...change.filters }
  const lists = Object.fromEntries(dimensions.map((name) => [name, merged[name] ?? []]))
  const filters = { ...merged, ...lists } as Filters
  return {
    page,
    ...(regionPage && page === 'regions' ? { regionPage } : {}),
    ...((change.lang ?? view.lang) ? { lang: change.lang ?? view.lang } : {}),
    filters,
    ...(indicator ? { indicator } : {}),
    perCapita: change.perCapita ?? view.perCapita,
    ...((change.boundaries2024 ?? view.boundaries2024) ? { boundaries2024: true } : {}),
    ...(view.wall ? { wall: view.wall, every: view.every } : {}),
  }
}

// Commas stay readable in the URL: values are codes, which never contain one.
const encode = (value: string) => encodeURIComponent(value).replace(/%2C/gi, ',')

/** The URL of a view (after a change): parameters always in the same order, empty ones left out. */
export function viewUrl(view: View, change: ViewChange = {}): string {
  const next = changeView(view, change)
  const { filters } = next
  // `/` is the public portal's home (served by the API); the app's Overview has its own path.
  const path = `/${next.page}${next.regionPage ? `/${next.regionPage}` : ''}`
  const params: [string, string | undefined][] = [
    ['lang', next.lang],
    ['period', filters.period],
    ['from', filters.from],
    ['to', filters.to],
    ['interval', filters.interval],
    ...dimensions.map((name): [string, string] => [name, filters[name].join(',')]),
    ['indicator', next.indicator],
    ['percapita', next.perCapita ? '1' : undefined],
    ['boundaries', next.boundaries2024 ? '2024' : undefined],
    ['wall', next.wall?.join(',')],
    ['every', next.wall && next.every !== wallSeconds.fallback ? String(next.every) : undefined],
  ]
  const query = params
    .filter((param): param is [string, string] => Boolean(param[1]))
    .map(([name, value]) => `${name}=${encode(value)}`)
    .join('&')
  return `${path}${query ? `?${query}` : ''}`
}

/** The URL of a region's own page, keeping the view's filters but the region filter, which the page replaces. */
export const regionPageUrl = (view: View, code: string): string =>
  viewUrl(view, { page: 'regions', regionPage: code, filters: { region: [] } })

/** Whether a view narrows the data to some regions, channels, services, categories or age bands. */
export const isNarrowed = (filters: Filters): boolean => dimensions.some((name) => filters[name].length > 0)

/** The API parameters for a view's filters: a preset, or from/to, never both (the API refuses both). */
export function apiParams(filters: Filters): Record<string, string | undefined> {
  const custom = Boolean(filters.from || filters.to)
  return {
    period: custom ? undefined : (filters.period ?? defaultPeriod),
    from: filters.from,
    to: filters.to,
    interval: filters.interval,
    ...Object.fromEntries(dimensions.map((name) => [name, filters[name].join(',') || undefined])),
  }
}

const listeners = new Set<() => void>()
const notify = () => {
  for (const listener of listeners) listener()
}
if (typeof window !== 'undefined') window.addEventListener('popstate', notify)

function subscribe(listener: () => void): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

const snapshot = () => `${window.location.pathname}${window.location.search}`

/** The current location; re-renders on navigate() and on back/forward. */
export function useLocationKey(): string {
  return useSyncExternalStore(subscribe, snapshot, () => '/')
}

/** Goes to a URL as a new history entry (back returns to the previous view). */
export function navigate(url: string, options: { replace?: boolean } = {}): void {
  if (url === snapshot()) return
  if (options.replace) window.history.replaceState(null, '', url)
  else window.history.pushState(null, '', url)
  notify()
}

/** Goes to the view after a change. */
export const goTo = (view: View, change: ViewChange): void => navigate(viewUrl(view, change))
