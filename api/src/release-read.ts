// Releases as the API tells them: their record, their frozen figures and revisions, and their reproduction.
import type { Store } from '@qyzmet/sql'
import type { ReleaseDetail, ReleaseSummary, Reproduction } from './contract/index.ts'
import { definitionOf, type VersionRow } from './indicators.ts'
import { requireMetric } from './metrics/index.ts'
import { NotFound } from './query/errors.ts'
import type { Reference } from './reference.ts'
import { rowsHashes } from './release-hash.ts'
import { combineHashes, computeFigures } from './releases.ts'

/** The disclosure rule every release since migration 0040 applies, as its metadata states it. */
export const disclosureRule = {
  en: 'A figure whose own base is below the threshold, or a share of 0 % or 100 % whose base is below five times it, is withheld; then, in every margin (a period’s breakdown and its total, months within a year), withheld figures must be at least two resting on at least the threshold together, the next-smallest figure being withheld until they are; a figure withheld by any earlier release stays withheld.',
  ru: 'Показатель, собственная база которого меньше порога, или доля 0 % или 100 % при базе меньше пятикратного порога не публикуется; затем в каждой сумме (разбивка периода и её итог, месяцы внутри года) скрытых показателей должно быть не меньше двух с общей базой не меньше порога — до тех пор скрывается следующий наименьший; показатель, скрытый любым прежним выпуском, остаётся скрытым.',
  kk: 'Өз негізі шектен кіші көрсеткіш немесе негізі шектің бес еселенгенінен кіші 0 % не 100 % үлес жарияланбайды; содан кейін әр қосындыда (кезеңнің бөлінісі мен оның жиыны, жыл ішіндегі айлар) жасырылған көрсеткіштер кемінде екеу әрі жалпы негізі кемінде шекке тең болуы тиіс — солай болғанша келесі ең кішісі жасырылады; бұрынғы кез келген шығарылымда жасырылған көрсеткіш жасырын қалады.',
}

interface ReleaseRow extends VersionRow {
  data_until: string | null
  today: string | null
  extreme_below: string
  cells: string
  revisions: string
  published_by: string
}

export async function loadReleases(store: Store, release?: number): Promise<(ReleaseSummary & { row: ReleaseRow })[]> {
  const rows = await store.rows<ReleaseRow>(
    'releases:list',
    `SELECT r.release AS release, r.indicator_id AS indicator_id, r.version AS version,
            toString(r.published_at) AS published_at, r.methodology_version AS methodology_version,
            if(isNull(r.rows_cutoff), NULL, toString(r.rows_cutoff)) AS rows_cutoff,
            if(isNull(r.data_until), NULL, toString(r.data_until)) AS data_until,
            if(isNull(r.today), NULL, toString(r.today)) AS today,
            toString(r.data_rows) AS data_rows, r.data_hash AS data_hash, toString(r.suppress_below) AS suppress_below,
            toString(r.extreme_below) AS extreme_below, toString(r.cells) AS cells,
            toString(r.suppressed_primary) AS suppressed_primary, toString(r.suppressed_secondary) AS suppressed_secondary,
            v.definition AS definition, v.note_kk AS note_kk, v.note_ru AS note_ru, v.note_en AS note_en,
            toString((SELECT count() FROM release_revisions AS x WHERE x.release = r.release)) AS revisions
     FROM releases AS r
     LEFT JOIN (SELECT * FROM indicator_versions FINAL) AS v ON v.indicator_id = r.indicator_id AND v.version = r.version
     ${release === undefined ? '' : 'WHERE r.release = {release:UInt32}'}
     ORDER BY r.release`,
    { release },
  )
  const recorded = (row: ReleaseRow) => row.rows_cutoff !== null
  return rows.map((row) => ({
    row,
    release: Number(row.release),
    indicator: row.indicator_id,
    version: Number(row.version),
    publishedAt: row.published_at,
    methodologyVersion: row.methodology_version || null,
    rowsCutoff: row.rows_cutoff,
    dataUntil: row.data_until,
    dataRows: Number(row.data_rows),
    dataHash: row.data_hash || null,
    suppression: {
      rule: disclosureRule,
      threshold: recorded(row) ? Number(row.suppress_below) : null,
      extremeBelow: recorded(row) ? Number(row.extreme_below) : null,
      cells: Number(row.cells),
      primary: Number(row.suppressed_primary),
      secondary: Number(row.suppressed_secondary),
    },
    revisions: Number(row.revisions),
    note: { kk: row.note_kk, ru: row.note_ru, en: row.note_en },
  }))
}

const number = (value: unknown) => (value === null || value === undefined ? null : Number(value))

export async function loadReleaseDetail(store: Store, release: number): Promise<ReleaseDetail> {
  const [found] = await loadReleases(store, release)
  if (!found) throw new NotFound(`there is no release ${release}`)
  const { row, ...summary } = found
  const ids = { id: row.indicator_id, version: Number(row.version), release }
  const [values, cells, revisions] = await Promise.all([
    store.rows<Record<string, string | number | null>>(
      'releases:values',
      `SELECT toString(period) AS period, value, ci_low, ci_high, base, transactions, suppressed, provisional, suppression
       FROM indicator_values FINAL WHERE indicator_id = {id:String} AND version = {version:UInt32} ORDER BY period`,
      ids,
    ),
    store.rows<Record<string, string | number | null>>(
      'releases:cells',
      `SELECT dimension, code, toString(period) AS period, value, ci_low, ci_high, base, transactions, suppressed,
              suppression, dispersion
       FROM indicator_breakdowns FINAL WHERE indicator_id = {id:String} AND version = {version:UInt32}
       ORDER BY dimension, period, code`,
      ids,
    ),
    store.rows<Record<string, string | number | null>>(
      'releases:revisions',
      `SELECT toString(period) AS period, previous_release, previous_value, value, reason
       FROM release_revisions WHERE release = {release:UInt32} ORDER BY period`,
      ids,
    ),
  ])
  const figure = (item: Record<string, string | number | null>) => {
    const hidden = Number(item.suppressed) === 1
    const shown = (value: unknown) => (hidden ? null : number(value))
    return {
      period: String(item.period),
      value: shown(item.value),
      ci_low: shown(item.ci_low),
      ci_high: shown(item.ci_high),
      base: shown(item.base),
      transactions: shown(item.transactions),
      suppressed: hidden,
      suppression: String(item.suppression ?? ''),
    }
  }
  const cutoff = row.data_until
  return {
    ...summary,
    definition: definitionOf(row),
    values: values.map((item) => ({ ...figure(item), provisional: Number(item.provisional) === 1 })),
    breakdowns: cells.map((item) => ({
      dimension: item.dimension as ReleaseDetail['breakdowns'][number]['dimension'],
      code: String(item.code),
      ...figure(item),
      provisional: cutoff !== null && String(item.period) > cutoff,
      dispersion: number(item.dispersion),
    })),
    revisionNotes: revisions.map((item) => ({
      period: String(item.period),
      previousRelease: Number(item.previous_release),
      previousValue: number(item.previous_value),
      value: number(item.value),
      reason: item.reason as ReleaseDetail['revisionNotes'][number]['reason'],
    })),
  }
}

/** Recomputes a release's figures from the rows ingested by its cut-off, and says where they differ. */
export async function reproduceRelease(store: Store, reference: Reference, release: number): Promise<Reproduction> {
  const detail = await loadReleaseDetail(store, release)
  const [found] = await loadReleases(store, release)
  const row = found?.row
  if (!row?.rows_cutoff || !row.today) {
    throw new NotFound(
      `release ${release} was published before releases recorded their cut-off: it cannot be reproduced`,
    )
  }
  const stored = JSON.parse(row.definition) as { resolvedFilters: Parameters<typeof computeFigures>[4] }
  const context = { reference, today: row.today, suppressBelow: Number(row.suppress_below) }
  const metric = requireMetric(detail.definition.metric)
  const filters = stored.resolvedFilters
  const figures = await computeFigures(store, context, detail.definition, metric, filters, row.rows_cutoff, release)
  const hashes = await rowsHashes(store, metric, filters, row.rows_cutoff, reference)
  const now = combineHashes(hashes)
  const published = new Map<string, { value: number | null; suppression: string }>()
  for (const value of detail.values) published.set(`||${value.period}`, value)
  for (const cell of detail.breakdowns) published.set(`${cell.dimension}|${cell.code}|${cell.period}`, cell)
  const differences: Reproduction['differences'] = []
  figures.computed.forEach((item, index) => {
    const suppression = figures.drafts[index]?.suppression ?? ''
    const recomputed = suppression === '' && typeof item.row.value === 'number' ? item.row.value : null
    const key = `${item.dimension ?? ''}|${item.code}|${item.row.period}`
    const before = published.get(key)
    published.delete(key)
    const same =
      before !== undefined &&
      before.suppression === suppression &&
      (before.value === recomputed ||
        (before.value !== null && recomputed !== null && Math.abs(before.value - recomputed) <= 1e-12))
    if (!same) {
      differences.push({
        dimension: item.dimension,
        code: item.dimension ? item.code : null,
        period: String(item.row.period),
        published: before?.value ?? null,
        recomputed,
        publishedSuppression: before?.suppression ?? '',
        recomputedSuppression: suppression,
      })
    }
  })
  for (const [key, before] of published) {
    const [dimension = '', code = '', period = ''] = key.split('|')
    differences.push({
      dimension: dimension || null,
      code: dimension ? code : null,
      period,
      published: before.value,
      recomputed: null,
      publishedSuppression: before.suppression,
      recomputedSuppression: '',
    })
  }
  const hashSame = now.hash === detail.dataHash && now.rows === detail.dataRows
  return {
    release,
    reproduced: differences.length === 0 && hashSame,
    rowsCutoff: row.rows_cutoff,
    dataRows: { published: detail.dataRows, now: now.rows },
    dataHash: { published: detail.dataHash ?? '', now: now.hash },
    figures: figures.computed.length,
    differences,
  }
}
