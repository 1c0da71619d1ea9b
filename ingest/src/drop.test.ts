// The drop folder picks up finished files only, loads each once, and files them under done/ or failed/ with a report.
import { existsSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadReference } from '@qyzmet/sql'
import { openTestStore, type TestStore } from '@qyzmet/sql/testing'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { csv, event, ndjson } from './corpus.ts'
import { startDropFolder } from './drop.ts'

let store: TestStore
beforeAll(async () => {
  store = await openTestStore()
  await loadReference(store)
})
afterAll(() => store.close())

it('loads settled files, skips .part files, and moves each with its report', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'qyzmet-drop-'))
  const good = [event(), event({ region: '99' })]
  writeFileSync(join(dir, 'good.csv'), csv(good))
  writeFileSync(join(dir, 'broken.ndjson.gz'), 'not gzip at all')
  writeFileSync(join(dir, 'late.ndjson.part'), ndjson([event()]))
  const folder = startDropFolder(store, dir, { settleMs: 200, pollMs: 100, source: 'portal-drop' })
  await folder.idle()
  expect(existsSync(join(dir, 'late.ndjson.part'))).toBe(true)
  const report = JSON.parse(readFileSync(join(dir, 'done', 'good.csv.report.json'), 'utf8'))
  expect(report).toMatchObject({ state: 'done', loaded: 1, quarantined: 1, source: 'portal-drop' })
  const failed = JSON.parse(readFileSync(join(dir, 'failed', 'broken.ndjson.gz.report.json'), 'utf8'))
  expect(failed.error).toMatch(/broken\.ndjson\.gz/)

  // The writer finishes by renaming; a file seen again after a restart is recognised by the ledger.
  renameSync(join(dir, 'late.ndjson.part'), join(dir, 'late.ndjson'))
  writeFileSync(join(dir, 'good-again.csv'), csv(good))
  await folder.idle()
  await folder.close()
  expect(JSON.parse(readFileSync(join(dir, 'done', 'late.ndjson.report.json'), 'utf8'))).toMatchObject({ loaded: 1 })
  expect(JSON.parse(readFileSync(join(dir, 'done', 'good-again.csv.report.json'), 'utf8'))).toMatchObject({
    state: 'already_loaded',
  })
  const [n] = await store.rows<{ n: string }>('test:n', "SELECT count() AS n FROM events WHERE source = 'portal-drop'")
  expect(Number(n?.n)).toBe(2)
})
