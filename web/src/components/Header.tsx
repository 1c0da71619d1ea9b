// The app header: navigation (the pages the token's role may use), the language switch, the token field and the
// public portal.
import { type FormEvent, useState } from 'react'
import { languages } from '../i18n.ts'
import { useSession } from '../session.tsx'
import { goTo, type Page } from '../view.ts'
import { ViewLink } from './ViewLink.tsx'

export function Header({ pages }: { pages: readonly Page[] }) {
  const { t, lang, view, token, setToken } = useSession()
  const [draft, setDraft] = useState('')
  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (draft.trim()) setToken(draft.trim())
    setDraft('')
  }
  return (
    <header className="app-header">
      <a className="skip" href="#main">
        {t('skipToContent')}
      </a>
      <div className="brand">
        <span className="brand-name">{t('appName')}</span>
        <span className="brand-tagline">{t('tagline')}</span>
      </div>
      <nav aria-label={t('navigation')}>
        <ul className="nav">
          {pages.map((page) => (
            <li key={page}>
              <ViewLink to={{ page, indicator: null }} current={view.page === page ? 'page' : undefined}>
                {t(page)}
              </ViewLink>
            </li>
          ))}
        </ul>
      </nav>
      <div className="header-tools">
        <a className="portal-link" href={`/?public&lang=${lang}`}>
          {t('publicPortal')}
        </a>
        <fieldset className="lang-switch">
          <legend className="visually-hidden">{t('language')}</legend>
          {languages.map((code) => (
            <button
              key={code}
              type="button"
              lang={code}
              aria-pressed={lang === code}
              onClick={() => goTo(view, { lang: code })}
            >
              {code.toUpperCase()}
            </button>
          ))}
        </fieldset>
        {token ? (
          <div className="token">
            <span>{t('signedIn')}</span>
            <button type="button" onClick={() => setToken(null)}>
              {t('tokenClear')}
            </button>
          </div>
        ) : (
          <form className="token" onSubmit={submit}>
            <label htmlFor="token-input">{t('token')}</label>
            <input
              id="token-input"
              type="password"
              autoComplete="off"
              value={draft}
              onChange={(event) => setDraft(event.target.value)}
            />
            <button type="submit">{t('tokenSave')}</button>
          </form>
        )}
      </div>
    </header>
  )
}
