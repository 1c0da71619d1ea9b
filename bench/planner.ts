// The planner's choices timed against the alternatives: ranges ending today, a comparison in one query, the floor.
import type { Store } from '@qyzmet/sql'
import type { FilterQuery } from '../api/src/contract/index.ts'
import { metricById, type Plan, plan, type QuerySpec } from '../api/src/metrics/index.ts'
import { planTogether } from '../api/src/metrics/together.ts'
import { comparedRanges } from '../api/src/query/compare.ts'
import { parseFilters } from '../api/src/query/filters.ts'
import type { Reference } from '../api/src/reference.ts'
import { interleave, median, min, type Sample } from './pairs.ts'

type Say = (line: string) => void
interface Context {
  store: Store
  reference: Reference
  today: string
  rounds: number
  rows: number
}

function specOf(context: Context, metric: string, query: FilterQuery, extra: Partial<QuerySpec> = {}): QuerySpec {
  const found = metricById(metric)
  if (!found) throw new Error(`unknown metric ${metric}`)
  const filters = parseFilters(query, { reference: context.reference, today: context.today })
  return { metric: found, filters, by: [], series: false, today: context.today, ...extra }
}

type Rows = Record<string, unknown>[]
const run = (store: Store, planned: Plan) =>
  store.rows<Record<string, unknown>>('bench:planner', planned.sql, planned.params)
const ms = (samples: Map<string, Sample[]>, name: string) =>
  (samples.get(name) ?? []).map((sample) => sample.wall * 1000)
const cell = (values: number[]) => `${min(values).toFixed(1)} / ${median(values).toFixed(1)}`

/** The answers agree: same rows, numbers equal to 9 digits (sums in another order differ in the last bits). */
function same(a: Rows, b: Rows, what: string): void {
  const close = (x: unknown, y: unknown) =>
    typeof x === 'number' && typeof y === 'number' ? Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(y)) : x === y
  const differs =
    a.length !== b.length ||
    a.some((row, index) => Object.entries(row).some(([key, value]) => !close(value, b[index]?.[key])))
  if (differs) throw new Error(`${what}: the plans' answers differ`)
}

const rangesEndingToday: {
  name: string
  metric: string
  query: FilterQuery
  by?: QuerySpec['by']
  series?: boolean
}[] = [
  {
    name: 'Overview: online share trend, monthly since 2019 to today',
    metric: 'online_share',
    query: { from: '2019-01-01', interval: 'month' },
    series: true,
  },
  {
    name: 'Channels: channel mix, monthly since 2019 to today',
    metric: 'volume',
    query: { from: '2019-01-01', interval: 'month' },
    by: ['channel'],
    series: true,
  },
  {
    name: 'Regions: online share by region, year to date',
    metric: 'online_share',
    query: { period: 'ytd' },
    by: ['region'],
  },
  { name: 'Services: volume by service, year to date', metric: 'volume', query: { period: 'ytd' }, by: ['service'] },
]

async function endingToday(context: Context, say: Say): Promise<void> {
  say(`## Ranges ending today (${context.today}): whole months from monthly rollups`)
  say('')
  say(
    `Each query three ways, interleaved (${context.rounds} rounds of plan, days, raw): the plan (whole months from ` +
      'the monthly rollup, the current month from daily rows or raw events, one UNION ALL re-aggregated), the ' +
      'previous plan (every day of the range from the daily rollup; raw events where no daily rollup holds the ' +
      'dimensions) and raw events. The three answers are checked equal.',
  )
  say('')
  say(
    '| query | plan reads | plan ms (min / median) | days ms | raw ms | plan ÷ raw (median; min) | plan ÷ days (median) |',
  )
  say('| --- | --- | ---: | ---: | ---: | ---: | ---: |')
  for (const query of rangesEndingToday) {
    const spec = specOf(context, query.metric, query.query, { by: query.by ?? [], series: query.series ?? false })
    const plans = {
      plan: plan(spec, context.reference),
      days: plan({ ...spec, forceDaily: true }, context.reference),
      raw: plan({ ...spec, forceRaw: true }, context.reference),
    }
    const answers = new Map<string, Rows>()
    const samples = await interleave(
      context.rounds,
      Object.entries(plans).map(([name, planned]) => ({
        name,
        run: async () => answers.set(name, await run(context.store, planned)),
      })),
    )
    same(answers.get('plan') ?? [], answers.get('raw') ?? [], query.name)
    same(answers.get('days') ?? [], answers.get('raw') ?? [], query.name)
    const [planned, days, raw] = [ms(samples, 'plan'), ms(samples, 'days'), ms(samples, 'raw')]
    say(
      `| ${query.name} | ${plans.plan.source} | ${cell(planned)} | ${cell(days)} | ${cell(raw)} | ` +
        `${(median(planned) / median(raw)).toFixed(3)}; ${(min(planned) / min(raw)).toFixed(3)} | ` +
        `${(median(planned) / median(days)).toFixed(2)} |`,
    )
  }
  say('')
}

async function comparison(context: Context, say: Say, period: 'last_12m' | 'last_90d'): Promise<void> {
  const spec = specOf(context, 'online_share', { period })
  const ranges = comparedRanges(spec.filters, 'calendar')
  const plans = ranges.map(({ from, to }) =>
    plan({ ...spec, filters: { ...spec.filters, from, to } }, context.reference),
  )
  const together = planTogether(plans)
  const answers = new Map<string, Rows>()
  const samples = await interleave(context.rounds, [
    { name: 'one', run: async () => answers.set('one', await run(context.store, together)) },
    {
      name: 'concurrent',
      run: async () => answers.set('concurrent', (await Promise.all(plans.map((p) => run(context.store, p)))).flat()),
    },
    {
      name: 'sequential',
      run: async () => {
        const rows: Rows = []
        for (const planned of plans) rows.push(...(await run(context.store, planned)))
        answers.set('sequential', rows)
      },
    },
  ])
  same(
    (answers.get('one') ?? []).map(({ part: _, ...row }) => row),
    answers.get('concurrent') ?? [],
    'compare',
  )
  const [one, concurrent, sequential] = [ms(samples, 'one'), ms(samples, 'concurrent'), ms(samples, 'sequential')]
  say(`## A comparison: three ranges in one query (${period})`)
  say('')
  say(
    `Online share, ${period}, against the same number of days before and the same months a year earlier ` +
      `(${ranges.map((range) => `${range.from} … ${range.to}: ${plans[ranges.indexOf(range)]?.source}`).join('; ')}); ` +
      `${context.rounds} rounds, interleaved; the answers are checked equal.`,
  )
  say('')
  say('| how | ms (min / median) | ÷ three at once (median; min) |')
  say('| --- | ---: | ---: |')
  for (const [name, values] of [
    ['one query, UNION ALL of the three (the route now)', one],
    ['three queries at once (the route before)', concurrent],
    ['three queries one after another', sequential],
  ] as const) {
    say(
      `| ${name} | ${cell(values)} | ${(median(values) / median(concurrent)).toFixed(2)}; ` +
        `${(min(values) / min(concurrent)).toFixed(2)} |`,
    )
  }
  say('')
}

async function floor(context: Context, say: Say): Promise<void> {
  const kpi = plan(specOf(context, 'volume', { period: 'last_12m' }), context.reference)
  const share = plan(specOf(context, 'online_share', { period: 'last_12m' }), context.reference)
  const steps: [string, () => Promise<unknown>][] = [
    ['`SELECT 1` through the store (the call itself)', () => context.store.rows('bench:floor', 'SELECT 1')],
    [
      'one measure summed from rollup_monthly, no grouping',
      () => context.store.rows('bench:floor', 'SELECT sum(completed) FROM rollup_monthly'),
    ],
    [
      'three measures by month from rollup_monthly',
      () =>
        context.store.rows(
          'bench:floor',
          'SELECT month, sum(transactions), sum(completed), sum(completed_online) FROM rollup_monthly GROUP BY month',
        ),
    ],
    ['volume KPI as planned (no interval)', () => run(context.store, kpi)],
    ['online share KPI as planned (with its Wilson interval)', () => run(context.store, share)],
  ]
  const samples = await interleave(
    context.rounds,
    steps.map(([name, step]) => ({ name, run: step })),
  )
  say(`## The per-query floor at ${context.rows.toLocaleString('en')} events`)
  say('')
  say(`${context.rounds} rounds of each, interleaved; parts as the loads left them.`)
  say('')
  say('| query | ms (min / median) |')
  say('| --- | ---: |')
  for (const [name] of steps) say(`| ${name} | ${cell(ms(samples, name))} |`)
  say('')
}

export async function plannerSections(context: Context, say: Say): Promise<void> {
  await endingToday(context, say)
  await comparison(context, say, 'last_12m')
  await comparison(context, say, 'last_90d')
  await floor(context, say)
}
