// `npm run bench:scale -- --rows 100000000`: generate, store, query and ingest at national scale on this machine.
import { mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { generateDemo } from '@qyzmet/fixtures'
import { loadConfig, loadReference, migrate, openStore, rollups, type Store, todayIn } from '@qyzmet/sql'
import { buildApp } from '../api/src/app.ts'
import { createToken } from '../api/src/tokens.ts'
import { measure } from './pairs.ts'
import { apiPhase } from './scale-api.ts'
import { ingestPhase } from './scale-ingest.ts'
import { gib, Report, rssNow, rssPeak, thousands } from './scale-report.ts'

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '100000000' },
    rounds: { type: 'string', default: '20' },
    'slice-rows': { type: 'string', default: '2000000' },
    /** Ingest slices as recent feeds' files: their rows moved into this many last days (0: spread since 2019). */
    'slice-days': { type: 'string', default: '7' },
    'slice-seed': { type: 'string', default: '1000' },
    pairs: { type: 'string', default: '5' },
    phases: { type: 'string', default: 'generate,sizes,api,ingest' },
    formats: { type: 'string', default: 'csv,parquet' },
    work: { type: 'string', default: '/tmp/scale-store' },
    /** Another results file for a partial run, so that it does not overwrite a whole run's. */
    out: { type: 'string' },
  },
})
const rows = Number(args.rows)
const phases = new Set(args.phases.split(','))

/** Bytes on disk per table (active parts), and per event: what a larger store needs per row. */
async function sizes(store: Store, events: number): Promise<string[]> {
  const tables = ['events', ...rollups.map((rollup) => rollup.table), 'rollup_ingest_freshness']
  const parts = await store.rows<{ table: string; rows: string; bytes: string; raw: string; parts: string }>(
    'bench:sizes',
    `SELECT table, toString(sum(rows)) AS rows, toString(sum(bytes_on_disk)) AS bytes,
            toString(sum(data_uncompressed_bytes)) AS raw, toString(count()) AS parts
     FROM system.parts WHERE database = currentDatabase() AND active AND table IN {tables:Array(String)}
     GROUP BY table ORDER BY sum(bytes_on_disk) DESC`,
    { tables },
  )
  const columns = await store.rows<{ name: string; bytes: string }>(
    'bench:columns',
    `SELECT column AS name, toString(sum(column_data_compressed_bytes)) AS bytes FROM system.parts_columns
     WHERE database = currentDatabase() AND table = 'events' AND active
     GROUP BY column ORDER BY sum(column_data_compressed_bytes) DESC LIMIT 8`,
  )
  const total = parts.reduce((sum, part) => sum + Number(part.bytes), 0)
  return [
    `## Disk at ${events.toLocaleString('en')} events (system.parts, active parts, no OPTIMIZE)`,
    '',
    '| table | rows | on disk | uncompressed | parts | bytes on disk per event |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...parts.map(
      (part) =>
        `| ${part.table} | ${thousands(Number(part.rows))} | ${gib(Number(part.bytes))} | ${gib(Number(part.raw))} | ` +
        `${part.parts} | ${(Number(part.bytes) / events).toFixed(2)} |`,
    ),
    `| **all** | | ${gib(total)} | | | **${(total / events).toFixed(2)}** |`,
    '',
    `The events' largest columns, compressed: ${columns
      .map((column) => `${column.name} ${(Number(column.bytes) / events).toFixed(2)} B/event`)
      .join(', ')}.`,
  ]
}

async function main(): Promise<void> {
  const dataDir = join(args.work, 'store')
  const report = new Report(
    new URL(args.out ?? `results/scale-${rows}-${new Date().toISOString().slice(0, 10)}.md`, import.meta.url),
    `Benchmark: ${rows.toLocaleString('en')} events on this machine`,
    `\`npm run bench:scale -- --rows ${rows}\` (phases: ${[...phases].join(', ')}). One process: the embedded ` +
      'engine, the generator, ingest and the API in it, as `npm start` runs them. ' +
      (phases.has('generate') ? 'Data in a fresh store under /tmp.' : `The store already in ${args.work}.`),
  )
  const zone = loadConfig({}).timezone
  const today = todayIn(zone)
  // The data runs to yesterday, as in a store fed daily; the pages' ranges end today.
  const until = todayIn(zone, new Date(Date.now() - 86_400_000))
  if (phases.has('generate')) rmSync(args.work, { recursive: true, force: true })
  mkdirSync(args.work, { recursive: true })
  const store = await openStore(loadConfig({ QYZMET_DATA_DIR: dataDir, CLICKHOUSE_URL: '' }))
  try {
    if (phases.has('generate')) {
      await migrate(store)
      await loadReference(store)
      let last = performance.now()
      const sample = await measure(() =>
        generateDemo(store, {
          rows,
          seed: 42,
          until,
          chunkRows: 2_000_000,
          onProgress: (done, total) => {
            if (performance.now() - last < 60_000 && done < total) return
            last = performance.now()
            process.stderr.write(`generated ${thousands(done)} of ${thousands(total)}\n`)
          },
        }),
      )
      report.section([
        '## Generation',
        '',
        `\`generateDemo\` (as \`npm run demo\`): ${rows.toLocaleString('en')} demo events from 2019-01-01 to ${until} ` +
          `(seed 42) in INSERT … SELECT chunks of 2,000,000 rows into events, with its ${rollups.length} rollup views ` +
          'and the freshness view fed on insert.',
        '',
        '| wall | rows/s | CPU-s (process: Node and engine, merges during the run included) | rows per CPU-s | RSS after | peak RSS |',
        '| ---: | ---: | ---: | ---: | ---: | ---: |',
        `| ${sample.wall.toFixed(0)} s | ${thousands(rows / sample.wall)} | ${sample.cpu.toFixed(0)} | ` +
          `${thousands(rows / sample.cpu)} | ${gib(rssNow())} | ${gib(rssPeak())} |`,
      ])
    }
    const [count] = await store.rows<{ n: string }>('bench:count', 'SELECT toString(count()) AS n FROM events')
    const events = Number(count?.n)
    if (phases.has('sizes')) report.section(await sizes(store, events))
    if (phases.has('api')) {
      const { token } = await createToken(store, { name: 'bench-scale', role: 'analyst' })
      const app = await buildApp(store, { anonymousRateLimit: 1_000_000, dashboard: false })
      if (app.today() !== today) process.stderr.write(`note: today moved from ${today} to ${app.today()}\n`)
      report.section(await apiPhase(store, app, token, Number(args.rounds), events))
      await app.close()
    }
    if (phases.has('ingest')) {
      report.section(
        await ingestPhase(
          store,
          {
            work: args.work,
            rows: Number(args['slice-rows']),
            rounds: Number(args.pairs),
            until,
            days: Number(args['slice-days']),
            seed: Number(args['slice-seed']),
            formats: args.formats.split(','),
          },
          (lines) => report.section(lines, 'ingest'),
        ),
        'ingest',
      )
    }
  } finally {
    await store.close()
  }
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
