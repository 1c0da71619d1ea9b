// Access rules applied to every query, whatever route asks: who may see which detail of which region.
import type { ApiDimension, Filters } from '../contract/index.ts'
import type { Metric } from '../metrics/index.ts'
import type { Principal } from '../principal.ts'
import { BadRequest, Forbidden } from './errors.ts'

const detailFilters = (filters: Filters) =>
  filters.channels.length +
    filters.services.length +
    filters.categories.length +
    filters.ageBands.length +
    filters.genders.length +
    filters.assistedBy.length >
  0

/**
 * The filters a principal may run: analysts anything; regional managers full detail in their regions and, elsewhere,
 * only totals by region (no channel, service, age … detail); ingest tokens and the public no metric queries at all
 * (the public reads published indicators). The service register (catalogue coverage) has no regions: it is the
 * same for everyone with a token.
 */
export function scopeFilters(principal: Principal, metric: Metric, filters: Filters, by: ApiDimension[]): Filters {
  if (principal.role === 'analyst') return filters
  if (principal.role === 'public') {
    throw new Forbidden(401, 'metric queries need an API token; published indicators are open at /api/v1/indicators')
  }
  if (principal.role === 'ingest') throw new Forbidden(403, 'an ingest token may load data, not query metrics')
  if (metric.kind === 'services') return filters
  const own = new Set(principal.regions)
  const detail = detailFilters(filters) || by.some((dimension) => dimension !== 'region') || metric.kind === 'citizens'
  if (!detail) return filters
  const outside = filters.regions.filter((region) => !own.has(region))
  if (outside.length > 0) {
    throw new Forbidden(
      403,
      `this token sees regions ${outside.join(', ')} only as totals by region; remove the breakdown or filters by ` +
        `channel, service, category, age, gender or assistance, or choose regions ${principal.regions.join(', ')}`,
    )
  }
  if (filters.regions.length === 0) {
    if (own.size === 0) throw new BadRequest('region', 'this regional token has no regions')
    return { ...filters, regions: principal.regions }
  }
  return filters
}
