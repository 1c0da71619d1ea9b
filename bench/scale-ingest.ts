// Ingest of file slices into the large store against the engine's bare load of the same file, interleaved A B A B.
import { rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { demoQuery, generatorSettings } from '@qyzmet/fixtures'
import { loadFile } from '@qyzmet/ingest/load'
import type { Store } from '@qyzmet/sql'
import { measure, median, min, rate, type Sample } from './pairs.ts'

const engineFormat: Record<string, string> = { csv: 'CSVWithNames', parquet: 'Parquet' }

/** A file of new demo events (its own seed: its event ids are new to the store), written by the engine. */
async function writeSlice(store: Store, format: string, path: string, rows: number, seed: number, until: string) {
  const { sql, params } = await demoQuery(store, { rows, seed, until })
  await store.command(
    'bench:export',
    `INSERT INTO FUNCTION file({path:String}, '${engineFormat[format]}') SELECT * FROM (${sql})`,
    { ...params, path },
    {
      retry: false,
      settings: {
        ...generatorSettings,
        date_time_output_format: 'iso',
        output_format_parquet_compression_method: 'zstd',
      },
    },
  )
}

export interface IngestOptions {
  work: string
  rows: number
  rounds: number
  until: string
  formats: string[]
}

export async function ingestPhase(store: Store, options: IngestOptions): Promise<string[]> {
  const { work, rows, rounds, until, formats } = options
  // The same schema as events (its computed columns included) without any view reading it.
  await store.command('bench:bare', 'CREATE TABLE IF NOT EXISTS events_bare AS events')
  const [before] = await store.rows<{ n: string }>('bench:count', 'SELECT toString(count()) AS n FROM events')
  const table = [
    `| file | step | wall min | wall median | rows/s (median) | CPU-s median | rows per CPU-s (median) | bare ÷ ingest per pair (min; median) |`,
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ]
  for (const format of formats) {
    const bare: Sample[] = []
    const ingest: Sample[] = []
    let bytes = 0
    for (let round = 0; round < rounds; round++) {
      const path = join(work, `slice-${round}.${format}`)
      await writeSlice(store, format, path, rows, 1000 + round + (format === 'csv' ? 0 : 100), until)
      bytes = statSync(path).size
      await store.command('bench:truncate', 'TRUNCATE TABLE events_bare')
      bare.push(
        await measure(() =>
          store.command(
            'bench:engine',
            `INSERT INTO events_bare SELECT * FROM file({path:String}, '${engineFormat[format]}')`,
            { path },
            { retry: false },
          ),
        ),
      )
      ingest.push(
        await measure(async () => {
          const summary = await loadFile(store, path, { source: 'bench-scale' })
          if (summary.loaded !== rows) throw new Error(`${format}: ingest loaded ${summary.loaded} of ${rows} rows`)
        }),
      )
      rmSync(path, { force: true })
      process.stderr.write(
        `ingest ${format} round ${round + 1}: bare ${bare.at(-1)?.wall.toFixed(1)} s, ingest ${ingest.at(-1)?.wall.toFixed(1)} s\n`,
      )
    }
    const ratios = bare.map((sample, index) => sample.wall / (ingest[index]?.wall ?? Number.NaN))
    for (const [name, samples] of [
      ['bare INSERT … SELECT FROM file() into events_bare', bare],
      ['ingest (stage, validate, dedupe against the store, publish, rollups)', ingest],
    ] as const) {
      const wall = samples.map((sample) => sample.wall)
      const cpu = samples.map((sample) => sample.cpu)
      table.push(
        `| ${format} (${(bytes / 2 ** 20).toFixed(0)} MiB) | ${name} | ${min(wall).toFixed(1)} s | ${median(wall).toFixed(1)} s | ` +
          `${rate(rows, median(wall))} | ${median(cpu).toFixed(1)} | ${rate(rows, median(cpu))} | ` +
          `${samples === ingest ? `${min(ratios).toFixed(2)}; ${median(ratios).toFixed(2)}` : ''} |`,
      )
    }
  }
  const [after] = await store.rows<{ n: string }>('bench:count', 'SELECT toString(count()) AS n FROM events')
  await store.command('bench:bare', 'DROP TABLE events_bare')
  return [
    `## Ingest on slices of ${rows.toLocaleString('en')} rows into the store of ${Number(before?.n).toLocaleString('en')} events`,
    '',
    `Per format, ${rounds} pairs; each pair: a new file of ${rows.toLocaleString('en')} demo events (another seed, so ` +
      'every event id is new; written by the engine, untimed), then **bare**: the engine loading that file into a ' +
      'plain table with the events schema and no views (emptied first), then **ingest**: the real ingest path ' +
      "(`loadFile`: hash, stage, validate, deduplicate against the events already stored over the file's dates, " +
      'publish in 1,000,000-row buckets, the rollup views) appending it to the large store. The files span ' +
      "2019 to yesterday, so deduplication reads every stored event's id in those dates: the worst case for a store " +
      "this size (a daily feed's file spans a few days). CPU is the process's (Node and the engine, merges included).",
    '',
    ...table,
    '',
    `The store held ${Number(after?.n).toLocaleString('en')} events after this phase.`,
  ]
}
