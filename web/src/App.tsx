// The app shell: reads the view from the URL, provides the session, and shows the page the URL names.
import { useQueryClient } from '@tanstack/react-query'
import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react'
import { api, type Meta, readToken, tokenKey } from './api.ts'
import { FilterBar } from './components/FilterBar.tsx'
import { Header } from './components/Header.tsx'
import { formatDay, translate } from './i18n.ts'
import { Overview } from './pages/Overview.tsx'
import { forgetAnswers, useApi } from './queries.ts'
import { chooseLang, labelFrom, langKey, type Session, SessionContext } from './session.tsx'
import { navigate, type Page, pages, parseView, useLocationKey, viewUrl } from './view.ts'

const withFilters: readonly Page[] = ['overview', 'channels', 'regions', 'services', 'people']
// The public sees only what is published; metric endpoints answer 401 without a token.
const publicPages: readonly Page[] = ['indicators']

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
}
const RegionPage = lazy(() => import('./pages/Region.tsx').then((module) => ({ default: module.Region })))

export function App() {
  const location = useLocationKey()
  const view = useMemo(() => parseView(location.split('?')[0] ?? '/', location.split('?')[1] ?? ''), [location])
  const lang = chooseLang(view.lang)
  const [token, setTokenState] = useState(readToken)
  const metaState = useApi<Meta>(api.meta())
  const meta = metaState.data ?? null

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

  useEffect(() => {
    document.documentElement.lang = lang
    localStorage.setItem(langKey, lang)
  }, [lang])

  const visible = token ? pages : publicPages
  const page = visible.includes(view.page) ? view.page : 'indicators'
  useEffect(() => {
    if (page !== view.page) navigate(viewUrl(view, { page }), { replace: true })
  }, [page, view])

  useEffect(() => {
    document.title = `${translate(lang, page)} · Qyzmet`
  }, [lang, page])
  const regionCode = page === 'regions' ? view.regionPage : undefined

  const session: Session = useMemo(
    () => ({
      lang,
      t: (key, ...values) => translate(lang, key, ...values),
      meta,
      view,
      token,
      setToken,
      label: labelFrom(meta, lang),
    }),
    [lang, meta, view, token, setToken],
  )
  const Current = pageComponents[page]
  return (
    <SessionContext.Provider value={session}>
      <Header pages={visible} />
      {!token && <p className="notice">{translate(lang, 'publicView')}</p>}
      {withFilters.includes(page) && <FilterBar />}
      <main id="main" tabIndex={-1}>
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
      </main>
      <footer className="app-footer">
        {meta && <span>{translate(lang, 'dataUntil', { date: formatDay(lang, meta.lastDay) })}</span>}
      </footer>
    </SessionContext.Provider>
  )
}
