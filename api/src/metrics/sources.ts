// Where an event metric's rows come from: one table, or monthly rollup rows for whole months plus daily rows for the rest.
import {
  chooseRollup,
  type Dimension,
  type Measure,
  type Rollup,
  rawMeasures,
  rollupMeasures,
  rollups,
} from '@qyzmet/sql'
import { addDays, endOfMonth, format, parseISO, startOfMonth } from 'date-fns'

const iso = (date: Date) => format(date, 'yyyy-MM-dd')

/** A stretch of days read from one table: a rollup, or raw events (null). */
export interface Piece {
  rollup: Rollup | null
  from: string
  to: string
}

/**
 * The range cut at month boundaries: the partial month at each end (if any) and the whole months between them.
 * `months` is null when no whole month lies inside the range.
 */
export function splitByMonth(
  from: string,
  to: string,
): { head: Piece | null; months: Piece | null; tail: Piece | null } {
  const firstWhole = from === iso(startOfMonth(parseISO(from))) ? from : iso(addDays(endOfMonth(parseISO(from)), 1))
  const lastWhole = to === iso(endOfMonth(parseISO(to))) ? to : iso(addDays(startOfMonth(parseISO(to)), -1))
  if (firstWhole > lastWhole) return { head: null, months: null, tail: null }
  return {
    head: firstWhole > from ? { rollup: null, from, to: iso(addDays(parseISO(firstWhole), -1)) } : null,
    months: { rollup: null, from: firstWhole, to: lastWhole },
    tail: lastWhole < to ? { rollup: null, from: iso(addDays(parseISO(lastWhole), 1)), to } : null,
  }
}

/**
 * The pieces that answer a query over these dimensions and dates. Whole months come from the smallest monthly
 * rollup that holds the dimensions; days outside whole months (a range ending today, or mid-month) from the
 * smallest daily rollup, or from raw events when none holds the dimensions: eight years ending today read 94
 * monthly rows per group and the current month's days, not 2,900 days.
 * `byMonth` says whether the answer's periods are whole months or longer (or there are none), so that a month's
 * row never has to be split.
 */
export function planPieces(
  dimensions: readonly Dimension[] | null,
  range: { from: string; to: string },
  needs: { processing: boolean; byMonth: boolean },
): Piece[] {
  if (dimensions === null) return [{ rollup: null, ...range }]
  const measures = { processing: needs.processing }
  const daily = chooseRollup(dimensions, 'day', measures)
  const split = needs.byMonth ? splitByMonth(range.from, range.to) : null
  const monthly = split?.months ? chooseRollup(dimensions, 'month', measures) : null
  if (!split?.months || !monthly || monthly === daily) return [{ rollup: daily, ...range }]
  // Each piece opens another table's parts (1–2 ms): under a year of whole months, daily rows cost less than that
  // (bench/results/queries-*.md: year to date by region 9.0 ms as days, 10.3 ms in pieces; since 2019, 32 vs 14 ms).
  const { head, months, tail } = split
  if (daily && (head || tail) && wholeMonths(months) < minWholeMonths) return [{ rollup: daily, ...range }]
  return [
    ...(head ? [{ ...head, rollup: daily }] : []),
    { ...months, rollup: monthly },
    ...(tail ? [{ ...tail, rollup: daily }] : []),
  ]
}

/** Whole months below which a daily rollup answers the range alone. Raw events are always worth avoiding. */
const minWholeMonths = 12

const wholeMonths = ({ from, to }: Piece) =>
  (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 + Number(to.slice(5, 7)) - Number(from.slice(5, 7)) + 1

export const describePieces = (pieces: readonly Piece[]) =>
  [...new Set(pieces.map((piece) => piece.rollup?.table ?? 'events'))].join(' + ')

/**
 * The FROM clause and the date column for the pieces. One piece is read directly with its own measures; several
 * become a UNION ALL of rows with the same columns (raw events pre-aggregated by day), whose measures are summed
 * again as a rollup's are. `conditions` are the dimension filters, applied inside every piece.
 */
export function piecesSource(
  pieces: readonly Piece[],
  columns: readonly string[],
  measures: readonly Measure[],
  conditions: readonly string[],
  params: Record<string, unknown>,
): { from: string; date: string; measureSql: Record<Measure, string> } {
  const where = (date: string, index: number) => {
    const piece = pieces[index] as Piece
    params[`from_${index}`] = piece.from
    params[`to_${index}`] = piece.to
    return [`${date} BETWEEN {from_${index}:Date} AND {to_${index}:Date}`, ...conditions].join(' AND ')
  }
  const [only] = pieces
  if (pieces.length === 1 && only) {
    const date = only.rollup ? only.rollup.time : 'occurred_on'
    return {
      from: `${only.rollup?.table ?? 'events'} WHERE ${where(date, 0)}`,
      date,
      measureSql: only.rollup ? rollupMeasures : rawMeasures(),
    }
  }
  const raw = rawMeasures()
  const branches = pieces.map((piece, index) => {
    const date = piece.rollup ? piece.rollup.time : 'occurred_on'
    const measured = measures.map((measure) => (piece.rollup ? measure : `${raw[measure]} AS ${measure}`))
    return `SELECT ${[`${date} AS day`, ...columns, ...measured].join(', ')}
      FROM ${piece.rollup?.table ?? 'events'} WHERE ${where(date, index)}
      ${piece.rollup ? '' : `GROUP BY ${['occurred_on', ...columns].join(', ')}`}`
  })
  return {
    from: `(${branches.join('\n      UNION ALL\n      ')})`,
    date: 'day',
    measureSql: rollupMeasures,
  }
}

/** Days read from one grain of a family of rollups: monthly rows for whole months, daily rows for the rest. */
export interface GrainRanges {
  month: { from: string; to: string }[]
  day: { from: string; to: string }[]
}

/** The first day any store can hold (Date's first): history "since the start" begins here. */
export const firstStoredDay = '1970-01-01'

/**
 * The days a figure over cases closed in [from, to] reads, with the history before it that the cases still open need:
 * whole months before the range from monthly rows, the days of the range's first month before it from daily rows;
 * inside the range, as planPieces would (whole months monthly when `byMonth`, the other days daily). Adjacent ranges
 * of one grain are joined, so that each table is read once.
 */
export function closedRanges(from: string, to: string, byMonth: boolean): GrainRanges {
  const ranges: GrainRanges = { month: [], day: [] }
  const add = (grain: keyof GrainRanges, range: { from: string; to: string }) => {
    const list = ranges[grain]
    const last = list[list.length - 1]
    if (last && iso(addDays(parseISO(last.to), 1)) === range.from) last.to = range.to
    else list.push({ ...range })
  }
  const monthOfFrom = iso(startOfMonth(parseISO(from)))
  if (monthOfFrom > firstStoredDay) add('month', { from: firstStoredDay, to: iso(addDays(parseISO(monthOfFrom), -1)) })
  if (from > monthOfFrom) add('day', { from: monthOfFrom, to: iso(addDays(parseISO(from), -1)) })
  const { head, months, tail } = byMonth ? splitByMonth(from, to) : { head: null, months: null, tail: null }
  if (!months) add('day', { from, to })
  else {
    if (head) add('day', head)
    add('month', months)
    if (tail) add('day', tail)
  }
  return ranges
}

/**
 * How a figure computed within each service (digital take-up, the age divide) reads a range: whole months from the
 * smallest monthly rollup that holds the service and the request's dimensions (and `extra` measures, when asked),
 * the days outside them (`edges`) from raw events, since no daily rollup holds services. Null when raw events
 * answer alone: a release's as-of read, weekly or daily periods, no whole month, or dimensions no rollup holds.
 */
export function planServiceMonths(
  request: { storage: readonly string[]; from: string; to: string; byMonth: boolean; raw: boolean },
  extra?: string,
): {
  rollup: Rollup
  months: { from: string; to: string }
  edges: { from: string; to: string }[]
  /** The daily rollup that holds the edges' days, or null: raw events. */
  days: Rollup | null
} | null {
  if (request.raw || !request.byMonth) return null
  const { head, months, tail } = splitByMonth(request.from, request.to)
  if (!months) return null
  const needed = [...new Set([...request.storage, 'service_code'])]
  const holds = (rollup: Rollup) =>
    needed.every((column) => rollup.dimensions.includes(column as Dimension)) &&
    (!extra || Object.hasOwn(rollup.extra ?? {}, extra))
  const monthly = (rollup: Rollup) => rollup.time === 'month' && holds(rollup)
  const chosen = extra ? rollups.find(monthly) : chooseRollup(needed as Dimension[], 'month')
  if (!chosen || !monthly(chosen)) return null
  const days = rollups.find((rollup) => rollup.time === 'day' && rollup.withinServicesOnly && holds(rollup)) ?? null
  return { rollup: chosen, months, edges: [head, tail].filter((piece): piece is Piece => piece !== null), days }
}

/** The tables a plan by service months reads, for operators and tests. */
export function sourceOf(months: ReturnType<typeof planServiceMonths>): string {
  if (!months) return 'events'
  return [months.rollup.table, ...(months.edges.length ? [months.days?.table ?? 'events'] : [])].join(' + ')
}
