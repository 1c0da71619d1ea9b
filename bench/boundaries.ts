// `npx tsx bench/boundaries.ts`: what 2024 boundaries cost. The parents' events before the split are read raw (the
// rollups hold no district); against the same answers of the time on the rollups, and on raw events throughout.
import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, totalmem } from 'node:os'
import type { ApiDimension, Filters } from '../api/src/contract/index.ts'
import { metricById, plan, type QuerySpec } from '../api/src/metrics/index.ts'
import { unfiltered } from '../api/src/query/filters.ts'
import { runRows } from '../api/src/query/run.ts'
import { loadReferenceData } from '../api/src/reference.ts'
import { openBenchStore } from './setup.ts'

const rows = Number(process.env.BENCH_ROWS ?? 2_000_000)
const pairs = Number(process.env.BENCH_PAIRS ?? 7)
const until = '2026-10-31'
const today = '2026-11-24'

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2
}
const ms = (value: number) => value.toFixed(1)

async function main(): Promise<void> {
  const { store, close, generatedSeconds } = await openBenchStore('boundaries', rows, until)
  const lines: string[] = []
  const say = (line = '') => {
    console.log(line)
    lines.push(line)
  }
  try {
    const reference = await loadReferenceData(store)
    const metric = metricById('online_share')
    if (!metric) throw new Error('online_share is not in the registry')
    const filters = (regions: string[]): Filters => ({
      from: '2019-01-01',
      to: until,
      interval: 'month',
      ...unfiltered,
      regions,
    })
    const questions: { name: string; spec: (variant: Partial<QuerySpec>) => QuerySpec }[] = [
      {
        name: 'East Kazakhstan, monthly series 2019–2026',
        spec: (variant) => ({ metric, filters: filters(['63']), by: [], series: true, today, ...variant }),
      },
      {
        name: 'Abai, monthly series 2019–2026',
        spec: (variant) => ({ metric, filters: filters(['10']), by: [], series: true, today, ...variant }),
      },
      {
        name: 'every region, 2019–2026 (regional table)',
        spec: (variant) => ({
          metric,
          filters: filters([]),
          by: ['region'] as ApiDimension[],
          series: false,
          today,
          ...variant,
        }),
      },
    ]
    const variants: { name: string; variant: Partial<QuerySpec> }[] = [
      { name: 'of the time, rollups', variant: {} },
      { name: '2024 boundaries', variant: { boundaries: '2024' } },
      { name: 'of the time, raw events', variant: { forceRaw: true } },
    ]

    say(`# 2024 boundaries at ${rows.toLocaleString('en')} events`)
    say()
    say(
      `${new Date().toISOString().slice(0, 10)}; ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), ` +
        `${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, embedded ClickHouse (chdb), shared with ` +
        `other work: load average ${loadavg()
          .map((value) => value.toFixed(1))
          .join(' / ')} (1/5/15 min) when the timings began. Demo data seed 42 to ${until}, generated in ` +
        `${generatedSeconds.toFixed(0)} s. Online share through the planner, without HTTP; the three variants ` +
        `alternate (A B C A B C …), ${pairs} rounds after one warm-up each, no OPTIMIZE FINAL.`,
    )
    say()
    say('| answer | variant | tables read | min ms | median ms | ratio to the rollups (median) |')
    say('| --- | --- | --- | --- | --- | --- |')
    for (const question of questions) {
      const plans = variants.map(({ variant }) => plan(question.spec(variant), reference))
      for (const planned of plans) await runRows(store, planned, 'bench:warm-up')
      const times: number[][] = plans.map(() => [])
      for (let round = 0; round < pairs; round++) {
        for (const [index, planned] of plans.entries()) {
          const started = performance.now()
          await runRows(store, planned, 'bench:boundaries')
          times[index]?.push(performance.now() - started)
        }
      }
      const base = median(times[0] ?? [])
      for (const [index, { name }] of variants.entries()) {
        const own = times[index] ?? []
        say(
          `| ${question.name} | ${name} | ${plans[index]?.source} | ${ms(Math.min(...own))} | ${ms(median(own))} | ${(median(own) / base).toFixed(2)} |`,
        )
      }
    }
  } finally {
    await close()
  }
  mkdirSync(new URL('results/', import.meta.url), { recursive: true })
  writeFileSync(
    new URL(`results/boundaries-${rows}-${new Date().toISOString().slice(0, 10)}.md`, import.meta.url),
    `${lines.join('\n')}\n`,
  )
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
