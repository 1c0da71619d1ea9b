// Whether the screen is phone-narrow, kept current as it turns or resizes: charts lay themselves out for it.
import { useSyncExternalStore } from 'react'

/** Screens at most this wide (CSS px) get the compact layout of a chart. */
export const narrowQuery = '(max-width: 520px)'

const media = () => (typeof window === 'undefined' ? null : window.matchMedia(narrowQuery))

function subscribe(listener: () => void): () => void {
  const query = media()
  query?.addEventListener('change', listener)
  return () => query?.removeEventListener('change', listener)
}

export function useNarrow(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => media()?.matches ?? false,
    () => false,
  )
}
