// API answers for the dashboard (TanStack Query): one cache per token, cancelled when the view moves on, kept for a
// bounded time, and retried only when waiting can help (503 and lost connections), as long as the server asks.
import { QueryClient, type QueryFunctionContext, useQuery } from '@tanstack/react-query'
import { ApiError, fetchJson, readToken } from './api.ts'

export interface CacheLimits {
  /** How long an answer is shown without asking again (switching page or language back and forth asks nothing). */
  freshMs: number
  /** How long an answer no panel shows stays in memory. */
  keptMs: number
  /** How many times a failed request is tried again. */
  retries: number
  /** The longest wait before trying again, whatever Retry-After says. */
  maxRetryDelayMs: number
}

export const cacheLimits: CacheLimits = { freshMs: 60_000, keptMs: 5 * 60_000, retries: 3, maxRetryDelayMs: 30_000 }

/** Worth trying again: the engine is unavailable (503), or no answer came at all (fetch's TypeError). */
export function isRetryable(error: unknown): boolean {
  if (error instanceof ApiError) return error.status === 503
  return error instanceof TypeError
}

/** Wait before retry number `failures` + 1: what the server asked (Retry-After), else 1 s, 2 s, 4 s … */
export function retryDelay(failures: number, error: unknown, limits: CacheLimits = cacheLimits): number {
  const asked = error instanceof ApiError ? error.retryAfter : null
  const delay = asked !== null ? asked * 1000 : 1000 * 2 ** failures
  return Math.min(delay, limits.maxRetryDelayMs)
}

export function createQueryClient(limits: CacheLimits = cacheLimits): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: limits.freshMs,
        gcTime: limits.keptMs,
        retry: (failures, error) => failures < limits.retries && isRetryable(error),
        retryDelay: (failures, error) => retryDelay(failures, error, limits),
        // Data changes when a batch loads, not when a tab regains focus; a stale answer refreshes on next view.
        refetchOnWindowFocus: false,
      },
    },
  })
}

type ApiKey = readonly ['api', string, string]

/** The query for a GET: keyed by token and URL, so that one token's answers never serve another. */
export function apiQuery<T>(url: string, token: string | null) {
  return {
    queryKey: ['api', token ?? '', url] as ApiKey,
    // The signal aborts the request when no panel wants the answer any more (TanStack cancels unused queries).
    queryFn: ({ signal, queryKey }: QueryFunctionContext<ApiKey>) =>
      fetchJson<T>(queryKey[2], { signal, token: queryKey[1] || null }),
  }
}

/** Drops every cached answer: on sign-in and sign-out nothing fetched with the other token may be shown or kept. */
export function forgetAnswers(client: QueryClient): void {
  void client.cancelQueries({ queryKey: ['api'] })
  client.removeQueries({ queryKey: ['api'] })
}

export type Loaded<T> =
  | { status: 'loading'; data?: undefined; error?: undefined }
  | { status: 'ready'; data: T; error?: undefined }
  | { status: 'error'; data?: undefined; error: ApiError | Error }

/** The answer of a GET, asked again when the URL changes; `null` asks nothing (it shows loading). */
export function useApi<T>(url: string | null): Loaded<T> {
  // The token is read at render: signing in or out re-renders the app, and the new key asks with the new token.
  const query = useQuery({ ...apiQuery<T>(url ?? '', readToken()), enabled: url !== null })
  // A new URL has no answer yet: loading, never the previous view's numbers.
  if (query.status === 'success') return { status: 'ready', data: query.data }
  if (query.status === 'error') return { status: 'error', error: query.error }
  return { status: 'loading' }
}
