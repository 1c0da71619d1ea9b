// The app shell: reads the view from the URL, provides the session, and shows the page the URL names.
import { useCallback, useEffect, useMemo, useState } from 'react'
import { api, type Meta, readToken, tokenKey } from './api.ts'
import { FilterBar } from './components/FilterBar.tsx'
import { Header } from './components/Header.tsx'
import { navigate, type Page, pages, parseView, useLocationKey, viewUrl } from './filters.ts'
import { formatDay, translate } from './i18n.ts'
import { Channels } from './pages/Channels.tsx'
import { Indicators } from './pages/Indicators.tsx'
import { Overview } from './pages/Overview.tsx'
import { People } from './pages/People.tsx'
import { Regions } from './pages/Regions.tsx'
import { Services } from './pages/Services.tsx'
import { Targets } from './pages/Targets.tsx'
import { chooseLang, labelFrom, langKey, type Session, SessionContext, useApi } from './session.tsx'

const withFilters: readonly Page[] = ['overview', 'channels', 'regions', 'services', 'people']
// The public sees only what is published; metric endpoints answer 401 without a token.
const publicPages: readonly Page[] = ['indicators']

const pageComponents: Record<Page, () => React.JSX.Element> = {
  overview: Overview,
  channels: Channels,
  regions: Regions,
  services: Services,
  people: People,
  targets: Targets,
  indicators: Indicators,
}

export function App() {
  const location = useLocationKey()
  const view = useMemo(() => parseView(location.split('?')[0] ?? '/', location.split('?')[1] ?? ''), [location])
  const lang = chooseLang(view.params.get('lang'))
  const [token, setTokenState] = useState(readToken)
  const metaState = useApi<Meta>(api.meta())
  const meta = metaState.data ?? null

  const setToken = useCallback((next: string | null) => {
    if (next) localStorage.setItem(tokenKey, next)
    else localStorage.removeItem(tokenKey)
    setTokenState(next)
  }, [])

  useEffect(() => {
    document.documentElement.lang = lang
    localStorage.setItem(langKey, lang)
  }, [lang])

  const visible = token ? pages : publicPages
  const page = visible.includes(view.page) ? view.page : 'indicators'
  useEffect(() => {
    if (page !== view.page) navigate(viewUrl(window.location, { page }), { replace: true })
  }, [page, view.page])

  useEffect(() => {
    document.title = `${translate(lang, page)} · Qyzmet`
  }, [lang, page])

  const session: Session = useMemo(
    () => ({
      lang,
      t: (key) => translate(lang, key),
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
        <h1>{translate(lang, page)}</h1>
        {/* Keyed by token so that signing in or out reloads every panel. */}
        <Current key={token ?? 'public'} />
      </main>
      <footer className="app-footer">
        {meta && (
          <span>
            {translate(lang, 'dataUntil')} {formatDay(lang, meta.lastDay)}
          </span>
        )}
      </footer>
    </SessionContext.Provider>
  )
}
