// What every page shares: the language, the interface strings, /meta, the token and cached API answers.
import { createContext, useContext, useEffect, useState } from 'react'
import { type ApiError, fetchJson, type Meta, readToken } from './api.ts'
import type { View } from './filters.ts'
import { isLang, type Lang, nameOf, type Translate } from './i18n.ts'

export const langKey = 'qyzmet.lang'

export interface Session {
  lang: Lang
  t: Translate
  meta: Meta | null
  view: View
  token: string | null
  setToken: (token: string | null) => void
  /** A dimension value's name in the current language, from /meta. */
  label: (dimension: keyof Meta['dimensions'], code: string) => string
}

export const SessionContext = createContext<Session | null>(null)

export function useSession(): Session {
  const session = useContext(SessionContext)
  if (!session) throw new Error('useSession outside <SessionContext.Provider>')
  return session
}

/** The language: the URL's `lang=` first (a shared link keeps its language), then the last one chosen, then Kazakh. */
export function chooseLang(fromUrl: string | null): Lang {
  if (isLang(fromUrl)) return fromUrl
  try {
    const stored = localStorage.getItem(langKey)
    if (isLang(stored)) return stored
  } catch {
    // Storage may be disabled; the default still works.
  }
  return 'kk'
}

export function labelFrom(meta: Meta | null, lang: Lang) {
  return (dimension: keyof Meta['dimensions'], code: string): string => {
    const item = meta?.dimensions[dimension].find((entry) => entry.code === code)
    return nameOf(lang, item?.names, code)
  }
}

export type Loaded<T> =
  | { status: 'loading'; data?: undefined; error?: undefined }
  | { status: 'ready'; data: T; error?: undefined }
  | { status: 'error'; data?: undefined; error: ApiError | Error }

// Answers are cached per URL and token, so that switching language or page back and forth asks nothing again.
const cache = new Map<string, Promise<unknown>>()

export function cached<T>(url: string): Promise<T> {
  const key = `${readToken() ?? ''} ${url}`
  let answer = cache.get(key) as Promise<T> | undefined
  if (!answer) {
    answer = fetchJson<T>(url)
    cache.set(key, answer)
    // A failed answer is not kept: the next render may try again (say, after signing in).
    answer.catch(() => cache.delete(key))
  }
  return answer
}

/** The answer of a GET, re-fetched when the URL changes; `null` asks nothing. */
export function useApi<T>(url: string | null): Loaded<T> {
  const [state, setState] = useState<{ url: string | null; loaded: Loaded<T> }>({
    url: null,
    loaded: { status: 'loading' },
  })
  useEffect(() => {
    if (!url) return
    let current = true
    cached<T>(url).then(
      (data) => current && setState({ url, loaded: { status: 'ready', data } }),
      (error: Error) => current && setState({ url, loaded: { status: 'error', error } }),
    )
    return () => {
      current = false
    }
  }, [url])
  // Until the new URL answers, show loading rather than the previous view's numbers.
  return state.url === url ? state.loaded : { status: 'loading' }
}
