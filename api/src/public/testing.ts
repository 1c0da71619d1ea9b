// Test support for the portal: a store with demo data and the publications an analyst would make for the public.
import { bearer, openTestApi, type TestApi } from '../testing.ts'

const names = (text: string) => ({ kk: `${text} (kk)`, ru: `${text} (ru)`, en: text })

export interface PortalFixture extends TestApi {
  /** The most-used service, which gets a service page. */
  service: string
  ids: { share: string; volume: string; serviceShare: string; serviceVolume: string; serviceRegions: string }
}

/** Publishes, as an analyst: the national online share by month (with every breakdown), a yearly volume, and a
 * service's four measures, one of them broken down by region so finely that cells are suppressed. */
export async function openPortal(rows = 80_000): Promise<PortalFixture> {
  const api = await openTestApi(rows)
  const headers = bearer(api.tokens.analyst)
  const [top] = await api.store.rows<{ service: string }>(
    'test:top-service',
    `SELECT service_code AS service FROM events WHERE status = 'completed' GROUP BY service_code ORDER BY count() DESC, service_code LIMIT 1`,
  )
  const service = top?.service ?? ''
  async function publish(id: string, body: Record<string, unknown>): Promise<string> {
    const created = await api.app.inject({
      method: 'POST',
      url: '/api/v1/indicators',
      headers,
      payload: { title: names(id), methodology: names(`How ${id} is computed`), ...body },
    })
    if (created.statusCode !== 201) throw new Error(`cannot define ${id}: ${created.body}`)
    const indicator = created.json<{ id: string }>().id
    const published = await api.app.inject({
      method: 'POST',
      url: `/api/v1/indicators/${indicator}/publish`,
      headers,
      payload: { note: names(`First release of ${id}`) },
    })
    if (published.statusCode !== 201) throw new Error(`cannot publish ${id}: ${published.body}`)
    return indicator
  }
  const ids = {
    share: await publish('Online share', {
      metric: 'online_share',
      interval: 'month',
      breakdowns: ['region', 'channel', 'age_band'],
    }),
    volume: await publish('Services delivered', { metric: 'volume', interval: 'year' }),
    serviceShare: await publish('Service take-up', {
      metric: 'digital_take_up',
      interval: 'month',
      filters: { service: [service] },
    }),
    serviceVolume: await publish('Service volume', {
      metric: 'volume',
      interval: 'year',
      filters: { service: [service] },
      breakdowns: ['channel'],
    }),
    serviceRegions: await publish('Service take-up by region', {
      metric: 'online_share',
      interval: 'month',
      filters: { service: [service] },
      breakdowns: ['region'],
    }),
  }
  await publish('Service completion', { metric: 'completion_rate', interval: 'month', filters: { service: [service] } })
  await publish('Service satisfaction', { metric: 'satisfaction', interval: 'month', filters: { service: [service] } })
  return { ...api, service, ids }
}
