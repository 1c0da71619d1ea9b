// The app shell: reads the view from the URL, asks the server who the token belongs to (/whoami), shows only the
// pages that role may use, and leaves for the public portal when the token is refused.
import { useQueryClient } from '@tanstack/react-query'
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { ApiError, api, type Meta, readToken, tokenKey, type WhoAmI } from './api.ts'
import { FilterBar } from './components/FilterBar.tsx'
import { Header } from './components/Header.tsx'
import { SignIn } from './components/SignIn.tsx'
import { Wall } from './components/Wall.tsx'
import { errorMessage } from './errors.ts'
import { formatDay, listOf, nameOf, type PlainKey, translate } from './i18n.ts'
import { Overview } from './pages/Overview.tsx'
import { forgetAnswers, useApi } from './queries.ts'
import { allowedPage, pagesFor, tokenFromHash } from './roles.ts'
import { chooseLang, labelFrom, langKey, type Session, SessionContext } from './session.tsx'
import { dimensions, type Filters, navigate, type Page, parseView, useLocationKey, viewUrl } from './view.ts'

const withFilters: readonly Page[] = ['overview', 'channels', 'regions', 'services', 'people']

// Overview is in the first bundle; every other page is its own chunk, fetched when first opened.
const pageComponents: Record<Page, React.ComponentType> = {
  overview: Overview,
  channels: lazy(() => import('./pages/Channels.tsx').then((module) => ({ default: module.Channels }))),
  regions: lazy(() => import('./pages/Regions.tsx').then((module) => ({ default: module.Regions }))),
  services: lazy(() => import('./pages/Services.tsx').then((module) => ({ default: module.Services }))),
  people: lazy(() => import('./pages/People.tsx').then((module) => ({ default: module.People }))),
  targets: lazy(() => import('./pages/Targets.tsx').then((module) => ({ default: module.Targets }))),
  indicators: lazy(() => import('./pages/Indicators.tsx').then((module) => ({ default: module.Indicators }))),
  quality: lazy(() => import('./pages/Quality.tsx').then((module) => ({ default: module.Quality }))),
  live: lazy(() => import('./pages/Live.tsx').then((module) => ({ default: module.Live }))),
  incidents: lazy(() => import('./pages/Incidents.tsx').then((module) => ({ default: module.Incidents }))),
}
const RegionPage = lazy(() => import('./pages/Region.tsx').then((module) => ({ default: module.Region })))

/** The token handed over in the address (`/#token=…`) is kept like one typed in, and leaves the address at once. */
function initialToken(): string | null {
  const handed = typeof window === 'undefined' ? null : tokenFromHash(window.location.hash)
  if (handed) {
    localStorage.setItem(tokenKey, handed)
    window.history.replaceState(null, '', `${window.location.pathname}${window.location.search}`)
  }
  return readToken()
}

/** What the filters say, in words, for the screen-reader announcement of a change. */
function describeFilters(lang: Session['lang'], meta: Meta | null, filters: Filters): string {
  const t = (key: PlainKey) => translate(lang, key)
  const presets: Record<string, PlainKey> = { all: 'allTime' }
  const period =
    filters.from || filters.to
      ? `${filters.from ?? '…'} – ${filters.to ?? '…'}`
      : t((presets[filters.period ?? 'last_12m'] ?? filters.period ?? 'last_12m') as PlainKey)
  const parts = dimensions
    .filter((name) => filters[name].length > 0)
    .map((name) => {
      const names = filters[name].map((code) =>
        nameOf(lang, meta?.dimensions[name].find((item) => item.code === code)?.names, code),
      )
      return `${t(name)}: ${listOf(lang, names)}`
    })
  return [period, ...(filters.interval ? [t(filters.interval)] : []), ...parts].join('; ') || t('filtersNone')
}

export function App() {
  const location = useLocationKey()
  const view = useMemo(() => parseView(location.split('?')[0] ?? '/', location.split('?')[1] ?? ''), [location])
  const lang = chooseLang(view.lang)
  const [token, setTokenState] = useState(initialToken)
  const metaState = useApi<Meta>(api.meta())
  const meta = metaState.data ?? null
  const whoState = useApi<WhoAmI>(token ? api.whoami() : null)
  const who = whoState.data ?? null

  const queries = useQueryClient()
  const setToken = useCallback(
    (next: string | null) => {
      if (next) localStorage.setItem(tokenKey, next)
      else localStorage.removeItem(tokenKey)
      forgetAnswers(queries)
      setTokenState(next)
    },
    [queries],
  )

  // A refused token (unknown, revoked, mistyped) would break every panel: it is dropped, and the browser goes to
  // the public portal, which says why.
  const refused = whoState.status === 'error' && whoState.error instanceof ApiError && whoState.error.status === 401
  useEffect(() => {
    if (!refused) return
    localStorage.removeItem(tokenKey)
    window.location.replace(`/?lang=${lang}&notice=signed_out`)
  }, [refused, lang])

  useEffect(() => {
    document.documentElement.lang = lang
    localStorage.setItem(langKey, lang)
  }, [lang])

  const visible = pagesFor(who?.role)
  const page = who ? allowedPage(view.page, who.role) : null
  useEffect(() => {
    if (page && page !== view.page) navigate(viewUrl(view, { page }), { replace: true })
  }, [page, view])

  useEffect(() => {
    document.title = `${translate(lang, page ?? 'signInTitle')} · Qyzmet`
  }, [lang, page])

  // A filter change redraws the panels silently: say it, politely, to screen readers.
  const [announcement, setAnnouncement] = useState('')
  const filtersKey = JSON.stringify(view.filters)
  const previousFilters = useRef(filtersKey)
  useEffect(() => {
    if (previousFilters.current === filtersKey) return
    previousFilters.current = filtersKey
    setAnnouncement(translate(lang, 'filtersAnnounced', { summary: describeFilters(lang, meta, view.filters) }))
  }, [filtersKey, lang, meta, view.filters])

  const regionCode = page === 'regions' ? view.regionPage : undefined
  const session: Session = useMemo(
    () => ({
      lang,
      t: (key, ...values) => translate(lang, key, ...values),
      meta,
      view,
      token,
      setToken,
      who,
      label: labelFrom(meta, lang),
    }),
    [lang, meta, view, token, setToken, who],
  )
  const scope =
    who?.role === 'regional' && who.regions.length > 0
      ? translate(lang, 'scopeLabel', {
          regions: listOf(
            lang,
            who.regions.map((code) => session.label('region', code)),
          ),
        })
      : null
  const Current = page ? pageComponents[page] : null
  // A wall screen: the pages it names that this token may use, nothing else around them but the data's markers.
  const wallPages = view.wall?.filter((name) => visible.includes(name)) ?? []
  if (token && who && wallPages.length > 0) {
    return (
      <SessionContext.Provider value={session}>
        {meta?.dataset?.kind === 'demo' && (
          <p className="notice demo" data-demo={Math.round(meta.dataset.oneIn)}>
            {translate(lang, 'demoMarker', { oneIn: Math.round(meta.dataset.oneIn) })}
          </p>
        )}
        {scope && (
          <p className="notice scope" data-scope={who.regions.join(',')}>
            {scope}
          </p>
        )}
        <Wall pages={wallPages} components={pageComponents} />
      </SessionContext.Provider>
    )
  }
  return (
    <SessionContext.Provider value={session}>
      <Header pages={visible} />
      {meta?.dataset?.kind === 'demo' && (
        <p className="notice demo" data-demo={Math.round(meta.dataset.oneIn)}>
          {translate(lang, 'demoMarker', { oneIn: Math.round(meta.dataset.oneIn) })}
        </p>
      )}
      {scope && (
        <p className="notice scope" data-scope={who?.regions.join(',')}>
          {scope}
        </p>
      )}
      {page && withFilters.includes(page) && <FilterBar />}
      <p className="visually-hidden" role="status" aria-live="polite" data-announce="filters">
        {announcement}
      </p>
      <main id="main" tabIndex={-1}>
        {!token ? (
          <SignIn />
        ) : whoState.status === 'error' && !refused ? (
          <p className="state error" role="alert">
            {errorMessage(session.t, whoState.error)}
          </p>
        ) : !page || !Current ? (
          <p className="state" role="status">
            {translate(lang, 'loading')}
          </p>
        ) : (
          <>
            <h1>{regionCode ? session.label('region', regionCode) : translate(lang, page)}</h1>
            <Suspense
              fallback={
                <p className="state" role="status">
                  {translate(lang, 'loading')}
                </p>
              }
            >
              {/* Keyed by token so that signing in or out reloads every panel. */}
              {regionCode ? (
                <RegionPage key={`${token}-${regionCode}`} code={regionCode} />
              ) : (
                <Current key={token ?? 'public'} />
              )}
            </Suspense>
          </>
        )}
      </main>
      <footer className="app-footer">
        {meta && <span>{translate(lang, 'dataUntil', { date: formatDay(lang, meta.lastDay) })}</span>}
      </footer>
    </SessionContext.Provider>
  )
}
