// What every page shares: the language, the interface strings, /meta, the view and the token.
import { createContext, useContext } from 'react'
import type { Meta, WhoAmI } from './api.ts'
import { isLang, type Lang, nameOf, type Translate } from './i18n.ts'
import type { View } from './view.ts'

export const langKey = 'qyzmet.lang'

export interface Session {
  lang: Lang
  t: Translate
  meta: Meta | null
  view: View
  token: string | null
  setToken: (token: string | null) => void
  /** Who the token belongs to (GET /whoami): its role and, for a regional manager, the regions it sees in full. */
  who?: WhoAmI | null
  /** A dimension value's (or, with 'metric', a metric's) name in the current language, from /meta. */
  label: (dimension: keyof Meta['dimensions'] | 'metric', code: string) => string
}

export const SessionContext = createContext<Session | null>(null)

export function useSession(): Session {
  const session = useContext(SessionContext)
  if (!session) throw new Error('useSession outside <SessionContext.Provider>')
  return session
}

/** The language: the URL's `lang=` first (a shared link keeps its language), then the last one chosen, then Kazakh. */
export function chooseLang(fromUrl: Lang | undefined): Lang {
  if (fromUrl) return fromUrl
  try {
    const stored = localStorage.getItem(langKey)
    if (isLang(stored)) return stored
  } catch {
    // Storage may be disabled; the default still works.
  }
  return 'kk'
}

export function labelFrom(meta: Meta | null, lang: Lang) {
  return (dimension: keyof Meta['dimensions'] | 'metric', code: string): string => {
    const names =
      dimension === 'metric'
        ? meta?.metrics.find((metric) => metric.id === code)?.names
        : meta?.dimensions[dimension].find((entry) => entry.code === code)?.names
    return nameOf(lang, names, code)
  }
}
