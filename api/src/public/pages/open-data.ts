// Open data: the catalogue page, its machine-readable twin (DCAT as JSON-LD), and the downloads of every version.
import type { Catalog, Lang } from '../../contract/index.ts'
import { languages } from '../../contract/index.ts'
import { html } from '../html.ts'
import { type PageContext, page, withLang } from '../layout.ts'
import { dayIn } from '../messages.ts'
import type { Publication } from '../published.ts'
import type { Snapshot } from '../snapshot.ts'
import { downloadLinks } from './indicator.ts'

const periodicity: Record<string, string> = {
  day: 'http://purl.org/cld/freq/daily',
  week: 'http://purl.org/cld/freq/weekly',
  month: 'http://purl.org/cld/freq/monthly',
  quarter: 'http://purl.org/cld/freq/quarterly',
  year: 'http://purl.org/cld/freq/annual',
}

const texts = (names: Record<Lang, string>) => languages.map((lang) => ({ '@language': lang, '@value': names[lang] }))

/** The DCAT catalogue: one dataset per published indicator, one distribution per version, part and format. */
export function catalog(snapshot: Snapshot, origin: string): Catalog {
  const dataset = (publication: Publication) => {
    const { definition } = publication
    const values = snapshot.values.get(definition.id) ?? []
    const parts = ['series', ...(definition.breakdowns ?? [])]
    const first = publication.versions[0]
    return {
      '@id': `${origin}/indicators/${definition.id}`,
      '@type': 'dcat:Dataset' as const,
      'dct:identifier': definition.id,
      'dct:title': texts(definition.title),
      'dct:description': texts(definition.methodology),
      'dct:issued': first?.publishedAt ?? publication.publishedAt,
      'dct:modified': publication.publishedAt,
      'dcat:version': String(publication.version),
      'adms:versionNotes': texts(publication.versions.at(-1)?.note ?? { kk: '', ru: '', en: '' }),
      'dct:accrualPeriodicity': periodicity[definition.interval] ?? '',
      'dcat:landingPage': `${origin}/indicators/${definition.id}`,
      'dct:temporal': {
        '@type': 'dct:PeriodOfTime' as const,
        'dcat:startDate': values[0]?.period ?? null,
        'dcat:endDate': publication.cutoff,
      },
      'qyzmet:release': publication.release,
      'qyzmet:metric': definition.metric,
      'dcat:distribution': publication.versions.flatMap((version) =>
        parts.flatMap((part) =>
          (['csv', 'parquet'] as const).map((format) => ({
            '@type': 'dcat:Distribution' as const,
            'dct:title': `${definition.title.en} — ${part}, version ${version.version} (release ${version.release}), ${format.toUpperCase()}`,
            'dcat:downloadURL': `${origin}/open-data/${definition.id}/${format}?lang=en&version=${version.version}${part === 'series' ? '' : `&part=${part}`}`,
            'dcat:mediaType': format === 'csv' ? 'text/csv' : 'application/vnd.apache.parquet',
            'dct:issued': version.publishedAt,
            'dcat:version': String(version.version),
          })),
        ),
      ),
    }
  }
  return {
    '@context': {
      dcat: 'http://www.w3.org/ns/dcat#',
      dct: 'http://purl.org/dc/terms/',
      adms: 'http://www.w3.org/ns/adms#',
      qyzmet: `${origin}/open-data/terms#`,
    },
    '@id': `${origin}/open-data/catalog.json`,
    '@type': 'dcat:Catalog',
    'dct:title': 'Qyzmet: published indicators of public-service delivery',
    'dct:description': 'Every published indicator and every version of it, with its methodology, as CSV and Parquet.',
    'dct:license': 'https://creativecommons.org/licenses/by/4.0/',
    'dct:modified':
      snapshot.publications
        .map((publication) => publication.publishedAt)
        .sort()
        .at(-1) ?? null,
    'qyzmet:release': snapshot.release?.number ?? null,
    'dcat:dataset': snapshot.publications.map(dataset),
  }
}

export function openDataPage(context: PageContext, snapshot: Snapshot) {
  const { say, lang } = context
  const body = html`<h1>${say('catalogueTitle')}</h1>
<p class="lead">${say('catalogueIntro')}</p>
<p><a href="/open-data/catalog.json" type="application/ld+json">${say('catalogueIndex')}</a></p>
<p class="muted">${say('indicatorCount', { count: snapshot.publications.length })}</p>
${snapshot.publications.map(
  (publication) => html`<section class="panel" data-dataset="${publication.definition.id}">
<h2><a href="${withLang(`/indicators/${publication.definition.id}`, lang)}">${publication.definition.title[lang]}</a></h2>
<p class="muted">${say('versionCount', { count: publication.versions.length })} · ${say('release', { number: publication.release })} · ${dayIn(lang, publication.publishedOn)}</p>
${downloadLinks(context, publication)}
<details><summary>${say('allVersions')}</summary><ul>${[...publication.versions]
    .reverse()
    .map(
      (version) =>
        html`<li>${say('version')} ${version.version} (${say('release', { number: version.release })}, ${dayIn(lang, version.publishedOn)}): ${downloadLinks(context, publication, version.version)}</li>`,
    )}</ul></details>
</section>`,
)}`
  return page(context, { title: say('catalogueTitle'), body, release: snapshot.release, section: 'open-data' })
}
