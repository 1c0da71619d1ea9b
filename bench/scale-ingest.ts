// Ingest of file slices into the large store against the engine's bare load of the same file, interleaved A B A B.
import { rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { demoQuery, generatorSettings } from '@qyzmet/fixtures'
import { loadFile } from '@qyzmet/ingest/load'
import type { Store } from '@qyzmet/sql'
import { measure, median, min, rate, type Sample } from './pairs.ts'

const engineFormat: Record<string, string> = { csv: 'CSVWithNames', parquet: 'Parquet' }

/**
 * A file of new demo events (its own seed: its event ids are new to the store), written by the engine. With `days`,
 * a recent feed's file: each row's time moved into the last `days` days before `until` ends (its offset from 1970
 * modulo that span), so that deduplication reads only the stored events of those days, as for a daily feed.
 */
async function writeSlice(store: Store, format: string, path: string, slice: Slice, seed: number) {
  const { rows, until, days } = slice
  const { sql, params } = await demoQuery(store, { rows, seed, until })
  const moved = days
    ? `SELECT * REPLACE (toDateTime64(toDate({feed_until:String}) + 1, 3, {feed_zone:String}) - toIntervalMillisecond(
         toUnixTimestamp64Milli(occurred_at) % ({feed_days:UInt32} * 86400000) + 1) AS occurred_at) FROM (${sql})`
    : `SELECT * FROM (${sql})`
  await store.command(
    'bench:export',
    `INSERT INTO FUNCTION file({path:String}, '${engineFormat[format]}') ${moved}`,
    { ...params, path, feed_until: until, feed_days: days, feed_zone: store.config.timezone },
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

interface Slice {
  rows: number
  /** The stored data's last day. */
  until: string
  /** Move the file's rows into its last this many days (0: spread from 2019 to `until`, as the store's). */
  days: number
}

export interface IngestOptions extends Slice {
  work: string
  /** The first slice's seed: another run into the same store needs others, or its rows are duplicates. */
  seed: number
  rounds: number
  formats: string[]
}

/** Calls `written` with the section so far after every pair, so that a run stopped early keeps its pairs. */
export async function ingestPhase(
  store: Store,
  options: IngestOptions,
  written: (lines: string[]) => void,
): Promise<string[]> {
  const { work, rows, rounds, formats } = options
  // The same schema as events (its computed columns included) without any view reading it.
  await store.command('bench:bare', 'CREATE TABLE IF NOT EXISTS events_bare AS events')
  const [before] = await store.rows<{ n: string }>('bench:count', 'SELECT toString(count()) AS n FROM events')
  const measured = new Map<string, { bare: Sample[]; ingest: Sample[]; bytes: number }>()
  const quarantined: string[] = []
  const section = (after?: number) => [
    ...describe(options, Number(before?.n), after),
    ...table(measured, rows),
    '',
    `Rows quarantined by validation, per ingest that quarantined any: ${quarantined.join('; ') || 'none'}.`,
  ]
  for (const format of formats) {
    const bare: Sample[] = []
    const ingest: Sample[] = []
    measured.set(format, { bare, ingest, bytes: 0 })
    for (let round = 0; round < rounds; round++) {
      const path = join(work, `slice-${round}.${format}`)
      await writeSlice(store, format, path, options, options.seed + round + (format === 'csv' ? 0 : 100))
      const entry = measured.get(format)
      if (entry) entry.bytes = statSync(path).size
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
          // Validation may quarantine rows (a recent feed's moved times can break a rule); nothing else is lost.
          if (summary.loaded + summary.quarantined !== rows)
            throw new Error(
              `${format}: ingest loaded ${summary.loaded} and quarantined ${summary.quarantined} of ${rows}`,
            )
          if (summary.quarantined) quarantined.push(`${summary.quarantined} (${JSON.stringify(summary.reasons)})`)
        }),
      )
      rmSync(path, { force: true })
      process.stderr.write(
        `ingest ${format} round ${round + 1}: bare ${bare.at(-1)?.wall.toFixed(1)} s, ingest ${ingest.at(-1)?.wall.toFixed(1)} s\n`,
      )
      written(section())
    }
  }
  const [after] = await store.rows<{ n: string }>('bench:count', 'SELECT toString(count()) AS n FROM events')
  await store.command('bench:bare', 'DROP TABLE events_bare')
  return section(Number(after?.n))
}

function table(measured: Map<string, { bare: Sample[]; ingest: Sample[]; bytes: number }>, rows: number): string[] {
  const lines = [
    `| file | step | pairs | wall min | wall median | rows/s (median) | CPU-s median | rows per CPU-s (median) | bare ÷ ingest per pair (min; median) |`,
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ]
  for (const [format, { bare, ingest, bytes }] of measured) {
    if (ingest.length === 0) continue
    const ratios = bare.map((sample, index) => sample.wall / (ingest[index]?.wall ?? Number.NaN))
    for (const [name, samples] of [
      ['bare INSERT … SELECT FROM file() into events_bare', bare],
      ['ingest (stage, validate, dedupe against the store, publish, rollups)', ingest],
    ] as const) {
      const wall = samples.map((sample) => sample.wall)
      const cpu = samples.map((sample) => sample.cpu)
      lines.push(
        `| ${format} (${(bytes / 2 ** 20).toFixed(0)} MiB) | ${name} | ${samples.length} | ${min(wall).toFixed(1)} s | ${median(wall).toFixed(1)} s | ` +
          `${rate(rows, median(wall))} | ${median(cpu).toFixed(1)} | ${rate(rows, median(cpu))} | ` +
          `${samples === ingest ? `${min(ratios).toFixed(2)}; ${median(ratios).toFixed(2)}` : ''} |`,
      )
    }
  }
  return lines
}

function describe(options: IngestOptions, before: number, after?: number): string[] {
  const { rows, rounds, days } = options
  return [
    `## Ingest on slices of ${rows.toLocaleString('en')} rows into the store of ${before.toLocaleString('en')} events`,
    '',
    `Per format, ${rounds} pairs; each pair: a new file of ${rows.toLocaleString('en')} demo events (another seed, so ` +
      'every event id is new; written by the engine, untimed), then **bare**: the engine loading that file into a ' +
      'plain table with the events schema and no views (emptied first), then **ingest**: the real ingest path ' +
      "(`loadFile`: hash, stage, validate, deduplicate against the events already stored over the file's dates, " +
      'publish in 1,000,000-row buckets, the rollup views) appending it to the large store. ' +
      (days
        ? `Each file is a recent feed's: its rows' times moved into the ${days} days up to ${options.until} (the ` +
          "generator's rows, each time's offset modulo that span), so deduplication reads the stored events of those " +
          'days only. '
        : "The files span 2019 to yesterday, so deduplication reads every stored event's id in those dates: the " +
          "worst case for a store this size (a daily feed's file spans a few days). ") +
      "CPU is the process's (Node and the engine, merges included).",
    '',
    after === undefined
      ? 'Pairs so far (the phase is still running, or was stopped):'
      : `The store held ${after.toLocaleString('en')} events after this phase.`,
    '',
  ]
}
