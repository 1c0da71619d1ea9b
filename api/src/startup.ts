// What `npm start` does before it listens: schema up to date, reference data present, demo data when empty.

import { readFileSync } from 'node:fs'
import { generateDemo, loadDemoTargets } from '@qyzmet/fixtures'
import { loadReference, migrate, referenceLoaded, type Store, todayIn } from '@qyzmet/sql'
import { Value } from 'typebox/value'
import { IndicatorBody } from './contract/index.ts'
import { loadDrafts, publishIndicator, saveIndicator } from './indicators.ts'
import { demoBreakdowns, demoServiceIndicators } from './public/demo.ts'
import { loadReferenceData } from './reference.ts'
import { createToken } from './tokens.ts'

export type Say = (line: string) => void

export interface Prepared {
  /** A first analyst token, made when the demo data was generated on a fresh store: the local sign-in link. */
  signInToken: string | null
}

export async function prepareStore(store: Store, say: Say): Promise<Prepared> {
  const migrations = await migrate(store)
  say(
    migrations.applied.length > 0
      ? `schema: applied ${migrations.applied.join(', ')}`
      : `schema: up to date (${migrations.alreadyApplied} migrations)`,
  )

  if (await referenceLoaded(store)) {
    say('reference data: present')
  } else {
    const report = await loadReference(store)
    say(`reference data: loaded ${report.map(({ table, rows }) => `${table} ${rows}`).join(', ')}`)
  }

  const [events] = await store.rows<{ n: string }>('startup:events', 'SELECT count() AS n FROM events')
  const existing = Number(events?.n ?? 0)
  const { demoRows, demoSeed } = store.config
  if (existing > 0) {
    say(`events: ${existing.toLocaleString('en')} already stored, reusing them`)
  } else if (demoRows === 0) {
    say('events: none yet, and QYZMET_DEMO_ROWS=0 asks for no demo data')
  } else {
    say(`events: the store is empty, generating ${demoRows.toLocaleString('en')} demo events (seed ${demoSeed})…`)
    let lastShown = 0
    const report = await generateDemo(store, {
      rows: demoRows,
      seed: demoSeed,
      onProgress: (done, total) => {
        if (done === total || performance.now() - lastShown > 2000) {
          lastShown = performance.now()
          say(`  ${Math.round((done / total) * 100)} % (${done.toLocaleString('en')} rows)`)
        }
      },
    })
    const rate = Math.round(report.rows / report.seconds)
    say(
      `events: generated ${report.rows.toLocaleString('en')} from ${report.plan.from} to ${report.plan.until} ` +
        `in ${report.seconds.toFixed(1)} s (${rate.toLocaleString('en')} rows/s)`,
    )
    say(`targets: loaded ${await loadDemoTargets(store)} demo targets`)
    say(`indicators: published ${await publishDemoIndicators(store)} demo indicators for the public view`)
    const { token } = await createToken(store, { name: 'local demo analyst', role: 'analyst' })
    return { signInToken: token }
  }
  return { signInToken: null }
}

/** The demo's published indicators, so that the public view has something to show. */
async function publishDemoIndicators(store: Store): Promise<number> {
  const definitions: unknown[] = JSON.parse(
    readFileSync(new URL('../../fixtures/demo/indicators.json', import.meta.url), 'utf8'),
  )
  const context = {
    reference: await loadReferenceData(store),
    today: todayIn(store.config.timezone),
    suppressBelow: store.config.suppressBelow,
  }
  const note = { kk: 'Алғашқы жариялау', ru: 'Первая публикация', en: 'First release' }
  const publish = async (id: string, body: IndicatorBody) => {
    await saveIndicator(store, id, body, 'demo')
    const [draft] = await loadDrafts(store, id)
    if (draft) await publishIndicator(store, context, draft, note, 'demo')
  }
  for (const entry of definitions) {
    const { id, ...body } = entry as { id: string }
    // The file is checked against the API's own contract, as if an analyst had posted it.
    if (!Value.Check(IndicatorBody, body)) throw new Error(`fixtures/demo/indicators.json: ${id} is not an indicator`)
    await publish(id, { ...body, ...(demoBreakdowns[id] ? { breakdowns: demoBreakdowns[id] } : {}) })
  }
  // The public portal's service pages: the most-used services' measures.
  const services = await demoServiceIndicators(store, context.reference)
  for (const { id, body } of services) await publish(id, body)
  return definitions.length + services.length
}
