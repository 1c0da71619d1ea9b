// Reference data the API validates and labels with: regions, channels, services, categories, the data's range.
import { type Dataset, readDataset, type Store } from '@qyzmet/sql'

export interface Names {
  kk: string
  ru: string
  en: string
}

export interface Region {
  code: string
  names: Names
  kind: string
  population: number
  validFrom: string | null
  splitFrom: string
}

/** A region's mid-year population of a year, in the boundaries of 2024 or (parents of the 2022 regions) of 2018. */
export interface Population {
  region: string
  year: number
  boundaries: '2018' | '2024'
  population: number
  asOf: string
  source: string
  vintage: string
}

export interface Channel {
  code: string
  kind: 'online' | 'offline'
  names: Names
}

export interface Service {
  code: string
  names: Names
  category: string
  agency: string
  onlineSince: string | null
}

export interface Reference {
  regions: Region[]
  /** Populations by region and year (sql/reference/kz_region_populations.csv). */
  populations: Population[]
  channels: Channel[]
  services: Service[]
  categories: { code: string; names: Names }[]
  agencies: { code: string; names: Names }[]
  regionCodes: string[]
  channelCodes: string[]
  serviceCodes: string[]
  categoryCodes: string[]
  /** First and last day with events (or today when there are none). */
  firstDay: string
  lastDay: string
  loadedAt: number
  /** What the events stand for: a demo sample at 1:N of the national volume, or null for real data. */
  dataset: Dataset | null
  /** Multiply a population by it to compare it with counts of stored rows (1 for real data). */
  populationScale: number
  /** The deployment's time zone, whose calendar days are the events' days (a case's day of closing too). */
  timezone: string
}

interface NamedRow {
  code: string
  name_kk: string
  name_ru: string
  name_en: string
}

const names = (row: NamedRow): Names => ({ kk: row.name_kk, ru: row.name_ru, en: row.name_en })

export async function loadReferenceData(store: Store): Promise<Reference> {
  const dataset = await readDataset(store)
  const [regions, populations, channels, services, categories, agencies, range] = await Promise.all([
    store.rows<NamedRow & { kind: string; population: number; valid_from: string | null; split_from_kato: string }>(
      'reference:regions',
      'SELECT kato AS code, name_kk, name_ru, name_en, kind, population, valid_from, split_from_kato FROM regions FINAL ORDER BY kato',
    ),
    store.rows<{
      region: string
      year: number
      boundaries: Population['boundaries']
      population: number
      as_of: string
      source: string
      vintage: string
    }>(
      'reference:populations',
      `SELECT kato AS region, year, toString(boundaries) AS boundaries, population, toString(as_of) AS as_of, source,
              vintage FROM region_populations FINAL ORDER BY kato, year, boundaries`,
    ),
    store.rows<NamedRow & { kind: 'online' | 'offline' }>(
      'reference:channels',
      'SELECT code, toString(kind) AS kind, name_kk, name_ru, name_en FROM channels FINAL ORDER BY sort_order, code',
    ),
    store.rows<NamedRow & { category: string; agency: string; online_since: string | null }>(
      'reference:services',
      'SELECT code, name_kk, name_ru, name_en, category, agency, online_since FROM services FINAL ORDER BY code',
    ),
    store.rows<NamedRow>(
      'reference:categories',
      'SELECT code, name_kk, name_ru, name_en FROM service_categories FINAL ORDER BY code',
    ),
    store.rows<NamedRow>(
      'reference:agencies',
      'SELECT code, name_kk, name_ru, name_en FROM agencies FINAL ORDER BY code',
    ),
    store.rows<{ first: string | null; last: string | null }>(
      'reference:range',
      'SELECT if(count() = 0, NULL, min(day)) AS first, if(count() = 0, NULL, max(day)) AS last FROM rollup_daily',
    ),
  ])
  const today = new Date().toISOString().slice(0, 10)
  return {
    regions: regions.map((row) => ({
      code: row.code,
      names: names(row),
      kind: row.kind,
      population: Number(row.population),
      validFrom: row.valid_from,
      splitFrom: row.split_from_kato,
    })),
    populations: populations.map((row) => ({
      region: row.region,
      year: Number(row.year),
      boundaries: row.boundaries,
      population: Number(row.population),
      asOf: row.as_of,
      source: row.source,
      vintage: row.vintage,
    })),
    channels: channels.map((row) => ({ code: row.code, kind: row.kind, names: names(row) })),
    services: services.map((row) => ({
      code: row.code,
      names: names(row),
      category: row.category,
      agency: row.agency,
      onlineSince: row.online_since,
    })),
    categories: categories.map((row) => ({ code: row.code, names: names(row) })),
    agencies: agencies.map((row) => ({ code: row.code, names: names(row) })),
    regionCodes: regions.map((row) => row.code),
    channelCodes: channels.map((row) => row.code),
    serviceCodes: services.map((row) => row.code),
    categoryCodes: categories.map((row) => row.code),
    firstDay: range[0]?.first ?? today,
    lastDay: range[0]?.last ?? today,
    loadedAt: Date.now(),
    dataset,
    populationScale: dataset?.kind === 'demo' ? dataset.samplingFraction : 1,
    timezone: store.config.timezone,
  }
}
