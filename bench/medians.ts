// `npx tsx bench/medians.ts`: how far medians from the rollups' histograms are from exact medians of raw times.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { generateDemo } from '@qyzmet/fixtures'
import { loadConfig, loadReference, migrate, openStore } from '@qyzmet/sql'
import { conditions } from './pairs.ts'

const rows = Number(process.env.BENCH_ROWS ?? 10_000_000)

/** Groupings the dashboard asks medians for, each read from the rollup the planner would choose. */
const groupings = [
  {
    name: 'month × channel',
    table: 'rollup_monthly',
    time: 'month',
    raw: 'toStartOfMonth(occurred_on)',
    key: 'channel',
  },
  { name: 'month × region', table: 'rollup_monthly', time: 'month', raw: 'toStartOfMonth(occurred_on)', key: 'region' },
  {
    name: 'month × service',
    table: 'rollup_service_monthly',
    time: 'month',
    raw: 'toStartOfMonth(occurred_on)',
    key: 'service_code',
  },
  { name: 'day × channel', table: 'rollup_daily', time: 'day', raw: 'occurred_on', key: 'channel' },
]

interface Errors {
  groups: string
  values_median: string
  relative_max: number
  relative_p99: number
  relative_median: number
  rank_max: number
  rank_p99: number
  rank_median: number
  rank_over_5: string
  rank_over_5_tied: string
}

async function main(): Promise<void> {
  const started = loadavg()
  const dataDir = mkdtempSync(join(tmpdir(), 'qyzmet-medians-'))
  const store = await openStore(loadConfig({ QYZMET_DATA_DIR: dataDir, CLICKHOUSE_URL: '' }))
  const lines = [
    `# Medians from rollups against exact medians, ${rows.toLocaleString('en')} demo events`,
    '',
    '',
    '',
    'For every group with at least 100 completed transactions: the lower median from the rollup (rounded times,',
    'METHODOLOGY.md) against the exact lower median of the raw `processing_seconds`. Relative error is',
    '|rollup − exact| ÷ exact. Rank error is how far the rollup median stands from rank k = ⌈n/2⌉ among the',
    "group's own times: the fewest ranks between k and a rank it could hold (none when equal times at the median",
    'include it), ÷ n, in percentage points. A rank error above 5 points comes from many equal times at the median',
    '(the demo gives one-stop-shop services a floor of 1,200 s): rounded to 1,216 s, the median passes all of them.',
    'The last column counts such groups, and how many of them have ≥ 10 % of their times equal to the exact median.',
    '',
    '| grouping | groups | times per group (median) | relative error max / p99 / median | rank error max / p99 / median | rank error > 5 points (tied) |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
  ]
  try {
    await migrate(store)
    await loadReference(store)
    await generateDemo(store, { rows, seed: 42, until: '2026-11-23' })
    for (const grouping of groupings) {
      const [errors] = await store.rows<Errors>(
        'bench:median-errors',
        `WITH
           rolled AS (
             SELECT period, ${grouping.key} AS key,
                    hist.1[arrayFirstIndex(c -> c * 2 >= arraySum(hist.2), arrayCumSum(hist.2))] AS median
             FROM (SELECT ${grouping.time} AS period, ${grouping.key}, sumMap(processing_hist) AS hist
                   FROM ${grouping.table} GROUP BY period, ${grouping.key})),
           raw AS (
             SELECT ${grouping.raw} AS period, ${grouping.key} AS key, groupArray(processing_seconds) AS times,
                    quantileExactLow(0.5)(processing_seconds) AS exact
             FROM events WHERE status = 'completed' AND processing_seconds IS NOT NULL
             GROUP BY period, key HAVING count() >= 100)
         SELECT toString(count()) AS groups,
                toString(quantileExact(0.5)(length(times))) AS values_median,
                max(relative) AS relative_max, quantileExact(0.99)(relative) AS relative_p99,
                quantileExact(0.5)(relative) AS relative_median,
                max(rank) AS rank_max, quantileExact(0.99)(rank) AS rank_p99, quantileExact(0.5)(rank) AS rank_median,
                toString(countIf(rank > 0.05)) AS rank_over_5, toString(countIf(rank > 0.05 AND tied >= 0.1)) AS rank_over_5_tied
         FROM (
           SELECT times, abs(toFloat64(median) - exact) / exact AS relative,
                  arrayCount(t -> t = exact, times) / length(times) AS tied,
                  -- How many ranks separate it from the exact median's rank k: none when it can stand at rank k.
                  greatest(0, arrayCount(t -> t < median, times) + 1 - ceil(length(times) / 2),
                           ceil(length(times) / 2) - arrayCount(t -> t <= median, times)) / length(times) AS rank
           FROM raw JOIN rolled USING (period, key))`,
      )
      if (!errors) throw new Error(`${grouping.name}: no groups`)
      if (errors.relative_max > 1 / 64) throw new Error(`${grouping.name}: relative error ${errors.relative_max}`)
      const percent = (value: number) => `${(value * 100).toFixed(2)} %`
      const points = (value: number) => (value * 100).toFixed(2)
      lines.push(
        `| ${grouping.name} | ${Number(errors.groups).toLocaleString('en')} | ${errors.values_median} | ` +
          `${percent(errors.relative_max)} / ${percent(errors.relative_p99)} / ${percent(errors.relative_median)} | ` +
          `${points(errors.rank_max)} / ${points(errors.rank_p99)} / ${points(errors.rank_median)} | ` +
          `${errors.rank_over_5} (${errors.rank_over_5_tied}) |`,
      )
    }
  } finally {
    await store.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
  lines[2] = conditions(started)
  const text = `${lines.join('\n')}\n`
  process.stdout.write(text)
  mkdirSync(new URL('results/', import.meta.url), { recursive: true })
  const date = new Date().toISOString().slice(0, 10)
  writeFileSync(new URL(`results/medians-${rows}-${date}.md`, import.meta.url), text)
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
