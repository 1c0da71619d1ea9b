// Catalogue coverage: services available online ÷ services in the register, at the end of each period.
import { periodsOf } from '../query/periods.ts'
import { noValue } from './sql.ts'
import type { Metric, Plan, QuerySpec } from './types.ts'

function planCoverage(spec: QuerySpec): Plan {
  const { filters, by, series } = spec
  const periods = series ? periodsOf(filters) : [{ start: filters.from, end: filters.to }]
  const params: Record<string, unknown> = {
    period_starts: periods.map((period) => period.start),
    period_ends: periods.map((period) => period.end),
  }
  const conditions = ['1']
  if (filters.categories.length) {
    params.f_categories = filters.categories
    conditions.push('category IN {f_categories:Array(String)}')
  }
  if (filters.services.length) {
    params.f_services = filters.services
    conditions.push('code IN {f_services:Array(String)}')
  }
  const keys = [...(series ? ['period'] : []), ...by]
  const columns = by.map((dimension) => (dimension === 'service' ? 'code AS service' : 'category'))
  const sql = `
    SELECT ${[
      ...(series ? ['period'] : []),
      ...columns,
      'countIf(online_since IS NOT NULL AND online_since <= period_end) AS numerator',
      'count() AS denominator',
      // The register is public: its counts are not about people and are never withheld.
      'count() AS base',
      'numerator / nullIf(denominator, 0) AS value',
      `${noValue} AS ci_low`,
      `${noValue} AS ci_high`,
      'count() AS transactions',
    ].join(', ')}
    FROM (SELECT code, category, online_since FROM services FINAL WHERE ${conditions.join(' AND ')})
    ARRAY JOIN {period_starts:Array(Date)} AS period, {period_ends:Array(Date)} AS period_end
    ${keys.length ? `GROUP BY ${keys.join(', ')} ORDER BY ${keys.join(', ')}` : ''}`
  return { sql, params, source: 'services' }
}

const registerOnly = ['region', 'channel', 'age_band', 'gender', 'assisted_by'] as const

export const catalogueCoverage: Metric = {
  id: 'catalogue_coverage',
  kind: 'services',
  names: { kk: 'Каталогтың онлайн қамтылуы', ru: 'Доля услуг, доступных онлайн', en: 'Catalogue coverage' },
  definition: {
    kk: 'Онлайн қолжетімді қызметтер ÷ тізілімдегі барлық қызметтер, кезең соңында.',
    ru: 'Услуги, доступные онлайн ÷ все услуги реестра, на конец периода.',
    en: 'Services available online ÷ services in the register, at the end of each period.',
  },
  unit: 'share',
  higherIsBetter: true,
  breakdowns: ['category', 'service'],
  // The register has no regions, channels or citizens: such a filter would be silently ignored, so it is refused.
  refuses: (filters) => {
    const lists = {
      region: filters.regions,
      channel: filters.channels,
      age_band: filters.ageBands,
      gender: filters.genders,
      assisted_by: filters.assistedBy,
    }
    const named = registerOnly.find((name) => lists[name].length > 0)
    return named
      ? {
          parameter: named,
          reason: `catalogue_coverage counts services in the register, which has no ${named}; remove the filter`,
        }
      : null
  },
  plan: planCoverage,
}
