// What the data covers: its date range, volume and when it was last loaded.
import type { FastifyInstance } from 'fastify'

interface Coverage {
  first_day: string | null
  last_day: string | null
  events: string
  last_ingested_at: string | null
}

export async function metaRoutes(app: FastifyInstance): Promise<void> {
  app.get('/meta', async () => {
    const [coverage] = await app.store.rows<Coverage>(
      'meta:coverage',
      `SELECT if(count() = 0, NULL, min(day)) AS first_day, if(count() = 0, NULL, max(day)) AS last_day,
              toString(sum(transactions)) AS events,
              (SELECT if(count() = 0, NULL, toString(max(ingested_at))) FROM events) AS last_ingested_at
       FROM rollup_daily`,
    )
    return {
      timezone: app.store.config.timezone,
      firstDay: coverage?.first_day ?? null,
      lastDay: coverage?.last_day ?? null,
      events: Number(coverage?.events ?? 0),
      lastIngestedAt: coverage?.last_ingested_at ?? null,
    }
  })
}
