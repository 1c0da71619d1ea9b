// Filters and page live in the URL (same names as the API's query parameters), so a copied link opens the same view.
import { useSyncExternalStore } from 'react'

export const pages = ['overview', 'channels', 'regions', 'services', 'people', 'targets', 'indicators'] as const
export type Page = (typeof pages)[number]

export const filterNames = [
  'period',
  'from',
  'to',
  'interval',
  'region',
  'channel',
  'service',
  'category',
  'age_band',
] as const
export type FilterName = (typeof filterNames)[number]
export type Filters = Partial<Record<FilterName, string>>

export const defaultPeriod = 'last_12m'

export interface View {
  page: Page
  filters: Filters
  /** Other view state kept in the URL: lang, indicator, percapita, q, sort. */
  params: URLSearchParams
}

/** Reads a view from a location's path and query string. */
export function parseView(pathname: string, search: string): View {
  const params = new URLSearchParams(search)
  const segment = pathname.replace(/^\/+/, '').split('/')[0] ?? ''
  const page = (pages as readonly string[]).includes(segment) ? (segment as Page) : 'overview'
  const filters: Filters = {}
  for (const name of filterNames) {
    const value = params.get(name)
    if (value) filters[name] = value
  }
  return { page, filters, params }
}

/** The API parameters for a view's filters: a preset, or from/to, never both (the API refuses both). */
export function apiParams(filters: Filters): Record<string, string | undefined> {
  const custom = Boolean(filters.from || filters.to)
  return {
    period: custom ? undefined : (filters.period ?? defaultPeriod),
    from: filters.from,
    to: filters.to,
    interval: filters.interval,
    region: filters.region,
    channel: filters.channel,
    service: filters.service,
    category: filters.category,
    age_band: filters.age_band,
  }
}

/** The URL of a view with some parameters changed; `undefined` or '' removes a parameter. */
export function viewUrl(
  current: { pathname: string; search: string },
  change: { page?: Page; set?: Record<string, string | undefined> },
): string {
  const params = new URLSearchParams(current.search)
  for (const [name, value] of Object.entries(change.set ?? {})) {
    if (value) params.set(name, value)
    else params.delete(name)
  }
  const pathname = change.page ? (change.page === 'overview' ? '/' : `/${change.page}`) : current.pathname
  const text = params.toString()
  return `${pathname}${text ? `?${text}` : ''}`
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

/** Changes parameters of the current view. */
export function setParams(set: Record<string, string | undefined>, page?: Page): void {
  navigate(viewUrl(window.location, { set, ...(page ? { page } : {}) }))
}
