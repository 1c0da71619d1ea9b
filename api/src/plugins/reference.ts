// Keeps the reference data (and the data's date range) in memory, refreshed in the background every minute.
import { todayIn } from '@qyzmet/sql'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { loadReferenceData, type Reference } from '../reference.ts'

declare module 'fastify' {
  interface FastifyInstance {
    reference(): Promise<Reference>
    /** Today in the deployment's time zone. */
    today(): string
  }
}

export const reference = fp(async (app: FastifyInstance) => {
  let current: Promise<Reference> | null = null
  let loadedAt = 0
  app.decorate('reference', () => {
    if (!current || Date.now() - loadedAt > 60_000) {
      loadedAt = Date.now()
      const loading = loadReferenceData(app.store)
      // Keep serving the previous copy while a refresh loads; forget a failed load so the next call retries.
      loading.catch(() => {
        if (current === loading) current = null
      })
      current = current ? loading.catch(() => current as Promise<Reference>) : loading
    }
    return current
  })
  app.decorate('today', () => todayIn(app.store.config.timezone))
})
