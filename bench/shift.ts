// `npm run bench:shift`: the channel-shift answers at 10M events; the decomposition by service × region on the
// rollups against the same on raw events, interleaved (A B A B …).
import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, totalmem } from 'node:os'
import type { DecompositionDimension, Filters } from '../api/src/contract/index.ts'
import { metricById, plan } from '../api/src/metrics/index.ts'
import { unfiltered } from '../api/src/query/filters.ts'
import { loadReferenceData } from '../api/src/reference.ts'
import { cohortRows } from '../api/src/shift/cohorts.ts'
import { costAnswer, loadUnitCosts } from '../api/src/shift/costs.ts'
import { cellCounts, decompositionAnswer } from '../api/src/shift/decompose.ts'
import { whereToPushAnswer } from '../api/src/shift/where-to-push.ts'
import { openBenchStore } from './setup.ts'

const rows = Number(process.env.BENCH_ROWS ?? 10_000_000)
const pairs = Number(process.env.BENCH_PAIRS ?? 7)
const until = '2026-10-31'
/** The day the figures are asked on: after the data, so that no period is provisional. */
const today = '2026-11-24'

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2
}
const min = (values: number[]) => Math.min(...values)
const ms = (value: number) => value.toFixed(1)

async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now()
  await run()
  return performance.now() - started
}

const filters = (from: string, to: string, regions: string[] = []): Filters => ({
  from,
  to,
  interval: 'month',
  ...unfiltered,
  regions,
})

async function main(): Promise<void> {
  const { store, close, generatedSeconds } = await openBenchStore('shift', rows, until)
  const lines: string[] = []
  const say = (line = '') => {
    console.log(line)
    lines.push(line)
  }
  try {
    const reference = await loadReferenceData(store)
    const metric = metricById('online_share')
    if (!metric) throw new Error('online_share is not in the registry')
    const current = filters('2025-11-01', '2026-10-31')
    const periods = { base: { ...current, from: '2024-11-01', to: '2025-10-31' }, current }
    const decompose = (by: DecompositionDimension[], raw: boolean) => async () => {
      const cells = await cellCounts(store, reference, metric, periods, by, today, raw)
      return decompositionAnswer(metric, periods, by, 'base', cells, 10, today)
    }
    const source = (by: DecompositionDimension[], raw: boolean) =>
      plan({ metric, filters: current, by, series: false, today, forceRaw: raw }, reference).source
    const answer = await decompose(['service', 'region'], false)()

    say(`# Channel-shift benchmark at ${rows.toLocaleString('en')} events`)
    say()
    say(
      `${new Date().toISOString().slice(0, 10)}; ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), ` +
        `${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, embedded ClickHouse (chdb). The machine is ` +
        `shared with other work: load average ${loadavg()
          .map((value) => value.toFixed(1))
          .join(' / ')} (1/5/15 min) when the timings began. Demo data seed 42 to ${until}, generated in ` +
        `${generatedSeconds.toFixed(0)} s. Each answer is computed as the API computes it (its queries through the ` +
        `planner, then the decomposition in JavaScript), without HTTP; the rollup and raw runs alternate, A B A B …, ` +
        `${pairs} pairs after one warm-up each, no OPTIMIZE FINAL.`,
    )
    say()
    say('## Decomposition of the online share, last 12 months against the 12 before')
    say()
    say(`Service × region: ${answer.rows.length.toLocaleString('en')} cells.`)
    say()
    let goal = { min: Number.NaN, median: Number.NaN, raw: Number.NaN }
    say('| split | read from | min ms | median ms | raw ÷ rollup (median) |')
    say('| --- | --- | ---: | ---: | ---: |')
    for (const by of [['service', 'region'], ['service'], ['region'], ['age_band']] as DecompositionDimension[][]) {
      const onRollup = decompose(by, false)
      const onRaw = decompose(by, true)
      await onRollup()
      await onRaw()
      const a: number[] = []
      const b: number[] = []
      for (let pair = 0; pair < pairs; pair++) {
        a.push(await timed(onRollup))
        b.push(await timed(onRaw))
      }
      const ratio = (median(b) / median(a)).toFixed(1)
      if (by.length === 2) goal = { min: min(a), median: median(a), raw: median(b) }
      say(`| ${by.join(' × ')} | ${source(by, false)} | ${ms(min(a))} | ${ms(median(a))} | ${ratio} |`)
      say(`| ${by.join(' × ')} | ${source(by, true)} | ${ms(min(b))} | ${ms(median(b))} | |`)
    }

    say()
    say(
      `Goal: service × region ≤ 200 ms on the rollups at 10M events — ${goal.median <= 200 ? 'met' : 'not met'} at the ` +
        `median (${ms(goal.median)} ms; min ${ms(goal.min)} ms), against ${ms(goal.raw)} ms from raw events.`,
    )
    say()
    say('## The other answers (as the dashboard asks for them, last 12 months)')
    say()
    say('| answer | min ms | median ms |')
    say('| --- | ---: | ---: |')
    const unitCosts = await loadUnitCosts(store)
    const others: [string, () => Promise<unknown>][] = [
      [
        'costs: cost per transaction by month, and the base',
        () => costAnswer(store, reference, periods, [], unitCosts, today),
      ],
      ['costs by service', () => costAnswer(store, reference, periods, ['service'], unitCosts, today)],
      [
        'where to push in Almaty city, by service',
        () => whereToPushAnswer(store, reference, filters('2025-11-01', '2026-10-31', ['75']), 'service', true, today),
      ],
      [
        'where to push in Almaty city, by age band (raw events)',
        () => whereToPushAnswer(store, reference, filters('2025-11-01', '2026-10-31', ['75']), 'age_band', true, today),
      ],
      [
        'cohorts from first help, 12 months (raw events)',
        () =>
          cohortRows(store, reference, {
            filters: current,
            start: 'assisted',
            by: [],
            months: 12,
            observedUntil: until,
          }),
      ],
    ]
    for (const [name, run] of others) {
      await run()
      const times: number[] = []
      for (let round = 0; round < Math.max(5, pairs); round++) times.push(await timed(run))
      say(`| ${name} | ${ms(min(times))} | ${ms(median(times))} |`)
    }
  } finally {
    await close()
  }
  mkdirSync(new URL('results/', import.meta.url), { recursive: true })
  writeFileSync(new URL(`results/shift-${rows}.md`, import.meta.url), `${lines.join('\n')}\n`)
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
