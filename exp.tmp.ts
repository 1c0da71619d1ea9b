import { existsSync } from 'node:fs'
import { generateDemo } from '@qyzmet/fixtures'
import { loadConfig, loadReference, migrate, openStore } from '@qyzmet/sql'
import { loadReferenceData } from './api/src/reference.ts'
import { cohortRows, cohortSql } from './api/src/shift/cohorts.ts'

const dir = '/tmp/shift-exp-10m'
const fresh = !existsSync(dir)
const store = await openStore(loadConfig({ QYZMET_DATA_DIR: dir }))
if (fresh) {
  await migrate(store)
  await loadReference(store)
  await generateDemo(store, { rows: 10_000_000, seed: 42, until: '2026-10-31' })
}
const reference = await loadReferenceData(store)
const filters = {
  from: '2025-11-01',
  to: '2026-10-31',
  interval: 'month' as const,
  regions: [],
  channels: [],
  services: [],
  categories: [],
  ageBands: [],
  genders: [],
  assistedBy: [],
}
const spec = { filters, start: 'assisted' as const, by: [], months: 12, observedUntil: '2026-10-31' }
const time = async (name: string, sql: string, params: Record<string, unknown> = {}) => {
  const t = performance.now()
  const rows = await store.rows(name, sql, params)
  console.log(name, (performance.now() - t).toFixed(0), 'ms', rows.length, JSON.stringify(rows[0]).slice(0, 200))
}
const mode = process.argv[2] ?? 'all'
if (mode === 'all' || mode === 'current') {
  const t = performance.now()
  const rows = await cohortRows(store, reference, spec)
  console.log('current', (performance.now() - t).toFixed(0), rows.length)
}
await time('count', 'SELECT count() FROM events')
await time(
  'starts-simple',
  `SELECT count() FROM (SELECT applicant_key, minIf(occurred_at, assisted_by IN ('staff','volunteer')) AS s FROM events WHERE occurred_on <= '2026-10-31' GROUP BY applicant_key HAVING s >= '2025-11-01')`,
)
await time(
  'starts-argmin-tuple',
  `SELECT count() FROM (SELECT applicant_key, argMinIf((region, channel, service_code, toString(age_band), toString(gender), toString(assisted_by), occurred_on), (occurred_at, event_id), assisted_by IN ('staff','volunteer')) AS t, minIf(occurred_at, assisted_by IN ('staff','volunteer')) AS s FROM events WHERE occurred_on <= '2026-10-31' GROUP BY applicant_key HAVING s >= '2025-11-01')`,
)
await time(
  'starts-argmin-time',
  `SELECT count() FROM (SELECT applicant_key, argMinIf((region, channel, service_code, toString(age_band), toString(gender), toString(assisted_by), occurred_on), occurred_at, assisted_by IN ('staff','volunteer')) AS t, minIf(occurred_at, assisted_by IN ('staff','volunteer')) AS s FROM events WHERE occurred_on <= '2026-10-31' GROUP BY applicant_key HAVING s >= '2025-11-01')`,
)
await time(
  'excluded-before',
  `SELECT count() FROM (SELECT DISTINCT applicant_key FROM events WHERE occurred_on < '2025-11-01' AND assisted_by IN ('staff','volunteer'))`,
)
await store.close()
