// Filters and page live in the URL (same names as the API's query parameters), so a copied link opens the same view.
import { defaultPreset, isPreset, maxDaysPerInterval, presetRange } from '@qyzmet/api/contract/periods'
import { useSyncExternalStore } from 'react'

export const pages = [
  'overview',
  'channels',
  'regions',
  'services',
  'people',
  'targets',
  'indicators',
  'quality',
] as const
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

export const defaultPeriod = defaultPreset

export interface View {
  page: Page
  filters: Filters
  /** Other view state kept in the URL: lang, indicator, percapita, q, sort. */
  params: URLSearchParams
  /** The region whose own page is open (/regions/75), if any. */
  regionPage?: string
}

/** Reads a view from a location's path and query string. */
export function parseView(pathname: string, search: string): View {
  const params = new URLSearchParams(search)
  const [segment = '', detail = ''] = pathname.replace(/^\/+/, '').split('/')
  const page = (pages as readonly string[]).includes(segment) ? (segment as Page) : 'overview'
  const filters: Filters = {}
  for (const name of filterNames) {
    const value = params.get(name)
    if (value) filters[name] = value
  }
  const regionPage = page === 'regions' && /^\d{2}$/.test(detail) ? detail : undefined
  return { page, filters, params, ...(regionPage ? { regionPage } : {}) }
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
  change: { page?: Page; set?: Record<string, string | undefined>; path?: string },
): string {
  const params = new URLSearchParams(current.search)
  for (const [name, value] of Object.entries(change.set ?? {})) {
    if (value) params.set(name, value)
    else params.delete(name)
  }
  const pathname =
    change.path ?? (change.page ? (change.page === 'overview' ? '/' : `/${change.page}`) : current.pathname)
  const text = params.toString()
  return `${pathname}${text ? `?${text}` : ''}`
}

/** The URL of a region's own page, keeping the view's filters (and dropping the region filter it replaces). */
export const regionPageUrl = (current: { pathname: string; search: string }, code: string): string =>
  viewUrl(current, { path: `/regions/${code}`, set: { region: undefined } })

/** The dates a view covers, resolved by the same function the API resolves presets with. */
export function periodRange(filters: Filters, bounds: { firstDay: string; today: string }) {
  const { firstDay, today } = bounds
  if (filters.from || filters.to) return { from: filters.from ?? firstDay, to: filters.to ?? today }
  const period = isPreset(filters.period) ? filters.period : defaultPreset
  return presetRange(period, today, firstDay)
}

/** Whether a range includes a day and the day before it (a change on that day shows inside the range). */
export const spansDay = (range: { from: string; to: string }, change: string): boolean =>
  range.from < change && range.to >= change

const day = (text: string) => new Date(`${text}T00:00:00Z`)

/** The most points one chart asks for; beyond it a series is drawn by a coarser interval. */
export const maxPoints = 2000
const intervalDays: Record<string, number> = { day: 1, week: 7, month: 30.44, quarter: 91.3, year: 365.25 }
const coarser = ['day', 'week', 'month', 'quarter', 'year']

/**
 * The interval to ask for: the chosen one, or the first coarser one whose points × series stay within maxPoints
 * (and whose range the API accepts).
 */
export function seriesInterval(range: { from: string; to: string }, chosen: string, seriesCount = 1): string {
  const span = (day(range.to).getTime() - day(range.from).getTime()) / 86_400_000 + 1
  const start = Math.max(0, coarser.indexOf(chosen))
  for (const interval of coarser.slice(start)) {
    const points = Math.ceil(span / (intervalDays[interval] ?? 1)) * seriesCount
    if (
      points <= maxPoints &&
      span <= (maxDaysPerInterval[interval as keyof typeof maxDaysPerInterval] ?? Number.POSITIVE_INFINITY)
    )
      return interval
  }
  return 'year'
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
