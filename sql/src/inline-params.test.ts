// Inlined parameters mean what bound ones mean: random values read back exactly, and the statement keeps its shape.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { inlineParams } from './inline-params.ts'
import { openTestStore, type TestStore } from './testing.ts'

let store: TestStore
beforeAll(async () => {
  store = await openTestStore()
})
afterAll(() => store.close())

/** A small seeded generator (mulberry32): a failure names its seed and replays. */
function random(seed: number) {
  let state = seed >>> 0
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
  const int = (n: number) => Math.floor(next() * n)
  return { next, int, pick: <T>(items: readonly T[]): T => items[int(items.length)] as T }
}

/** Pieces a hostile or unlucky string is made of: quoting, escapes, comments, placeholders, control and wide characters. */
const pieces = [
  "'",
  "''",
  '\\',
  "\\'",
  '"',
  '`',
  '\0',
  '\n',
  '\r',
  '\t',
  '\x7f',
  '\x1b',
  '--',
  '/*',
  '*/',
  '#',
  '$$',
  '{p0:String}',
  '{x:UInt8}',
  '{',
  '}',
  ';',
  ' SETTINGS max_threads = 1',
  ' FORMAT CSV',
  "') OR 1=1 --",
  '\\x41',
  '\\0',
  '\\N',
  'қазақ тілі',
  'Ә',
  '😀',
  '\u00a0',
  '\u2028',
  '\ufeff',
  'a',
  ' ',
  'SELECT',
  ')',
  '(',
]

function hostileString(rng: ReturnType<typeof random>): string {
  let out = ''
  const length = rng.int(8)
  for (let i = 0; i < length; i++) {
    out +=
      rng.next() < 0.7 ? rng.pick(pieces) : String.fromCodePoint(rng.next() < 0.8 ? rng.int(0x80) : rng.int(0xd7ff))
  }
  return out
}

/**
 * The statement as the engine reads it: its syntax tree, values included (raw text: it holds them unescaped). The
 * parser reads a non-negative integer literal as UInt64 where a bound Int parameter is an Int64 field; both are cast
 * to the declared type, so the two are written alike here.
 */
async function shape(sql: string, params: Record<string, unknown> = {}): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of await store.stream('test:explain', `EXPLAIN AST ${sql}`, params, 'TabSeparatedRaw'))
    chunks.push(chunk)
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/Literal U?Int64_(\d+)/g, 'Literal Int64_$1')
}

/** Runs `template` with its parameters bound by the engine, one at a time as chdb runs those. */
async function bound<T>(template: string, params: Record<string, unknown>): Promise<T[]> {
  process.env.QYZMET_EMBEDDED_PARALLEL = 'off'
  try {
    return await store.rows<T>('test:bound', template, params)
  } finally {
    delete process.env.QYZMET_EMBEDDED_PARALLEL
  }
}

async function boundShape(template: string, params: Record<string, unknown>): Promise<string> {
  process.env.QYZMET_EMBEDDED_PARALLEL = 'off'
  try {
    return await shape(template, params)
  } finally {
    delete process.env.QYZMET_EMBEDDED_PARALLEL
  }
}

function inline(template: string, params: Record<string, unknown>): string {
  const result = inlineParams(template, params)
  if (!('sql' in result)) throw new Error(`refused: ${result.detail}`)
  return result.sql
}

describe('strings', () => {
  it('read back exactly, inlined as bound, and the statement keeps the shape the bound one has (2,000 strings)', async () => {
    for (let seed = 1; seed <= 40; seed++) {
      const rng = random(seed)
      const values: Record<string, unknown> = {}
      for (let i = 0; i < 50; i++) values[`p${i}`] = hostileString(rng)
      // Each value in a select list, a function argument and a comparison; a comment and a literal that look like
      // placeholders stay as they are. (An IN list of literals is folded into one tuple by the parser, which a bound
      // parameter is not: the same set, another tree, so it is not in the statement whose tree is compared.)
      const template = `SELECT ${Object.keys(values)
        .map((name, i) => `{${name}:String} AS v${i}`)
        .join(', ')}, length({p0:String}) AS n, {p1:String} = concat({p1:String}, '') AS found,
        '{p2:String}' AS kept -- {p3:String}
        , 1 AS last`
      const sql = inline(template, values)
      const [row] = await store.rows<Record<string, unknown>>('test:inlined', sql)
      const [reference] = await bound<Record<string, unknown>>(template, values)
      expect(row, `seed ${seed}`).toEqual(reference)
      Object.values(values).forEach((value, i) => {
        expect(row?.[`v${i}`], `seed ${seed}, p${i}`).toBe(value)
      })
      expect(row?.kept).toBe('{p2:String}')
      expect(row?.found).toBe(1)
      expect(row?.n).toBe(Buffer.byteLength(values.p0 as string))
      expect(row?.last).toBe(1)
      expect(Object.keys(row ?? {})).toHaveLength(54)
      expect(await shape(sql), `seed ${seed}`).toBe(await boundShape(template, values))
    }
  })

  it('refuses what it cannot be sure of instead of guessing', () => {
    expect(inlineParams('SELECT {p:String}', { p: '\ud800' })).toMatchObject({ refused: 'value' })
    expect(inlineParams('SELECT {p:String}', { p: 5 })).toMatchObject({ refused: 'value' })
    expect(inlineParams('SELECT {p:String}', {})).toMatchObject({ refused: 'missing' })
    expect(inlineParams('SELECT {p:String} /* {p:String} */', { p: 'x' })).toMatchObject({ refused: 'syntax' })
    expect(inlineParams('SELECT $$x$$, {p:String}', { p: 'x' })).toMatchObject({ refused: 'syntax' })
    expect(inlineParams("SELECT 'open, {p:String}", { p: 'x' })).toMatchObject({ refused: 'syntax' })
    expect(inlineParams("SELECT {'a': 1}", {})).toMatchObject({ refused: 'syntax' })
    expect(inlineParams('SELECT {p:Map(String, String)}', { p: {} })).toMatchObject({ refused: 'type' })
    expect(inlineParams('SELECT {p:Identifier}', { p: 'events' })).toMatchObject({ refused: 'type' })
    expect(inlineParams('SELECT {p:String}', { p: 'x'.repeat(300_000) })).toMatchObject({ refused: 'size' })
  })
})

describe('typed values', () => {
  const integers: [string, bigint, bigint][] = [
    ['UInt8', 0n, 255n],
    ['UInt16', 0n, 65_535n],
    ['UInt32', 0n, 4_294_967_295n],
    ['UInt64', 0n, 18_446_744_073_709_551_615n],
    ['Int8', -128n, 127n],
    ['Int16', -32_768n, 32_767n],
    ['Int32', -2_147_483_648n, 2_147_483_647n],
    ['Int64', -9_223_372_036_854_775_808n, 9_223_372_036_854_775_807n],
  ]

  it('integers at and inside their ranges, as numbers, bigints and digit strings', async () => {
    const rng = random(7)
    const values: Record<string, unknown> = {}
    const columns: string[] = []
    integers.forEach(([type, low, high], t) => {
      const span = high - low
      const samples = [low, high, low + 1n, high - 1n, low + (span * BigInt(rng.int(1_000_000))) / 1_000_000n]
      samples.forEach((value, s) => {
        const name = `i${t}_${s}`
        const safe = value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
        values[name] = s % 3 === 0 ? value : s % 3 === 1 ? value.toString() : safe ? Number(value) : value
        columns.push(`toString({${name}:${type}}) AS ${name}, toTypeName({${name}:${type}}) AS ${name}_type`)
        expect(inlineParams(`SELECT {x:${type}}`, { x: (value + (s % 2 ? 1n : -1n) * span) * 2n })).toMatchObject({
          refused: 'value',
        })
      })
    })
    const template = `SELECT ${columns.join(', ')}`
    const [row] = await store.rows<Record<string, string>>('test:inlined', inline(template, values))
    expect(row).toEqual((await bound<Record<string, string>>(template, values))[0])
    for (const [name, value] of Object.entries(values)) expect(row?.[name]).toBe(String(value))
    expect(await shape(inline(template, values))).toBe(await boundShape(template, values))
  })

  it('doubles bit for bit, dates by their day, arrays and nullables (20 rounds of random values)', async () => {
    for (let seed = 100; seed < 120; seed++) {
      const rng = random(seed)
      const bits = new DataView(new ArrayBuffer(8))
      // chdb's binder refuses a whole double past 2^53 (it takes it for an unsafe integer), so the values compared
      // with bound ones are not such; those are checked on their own below.
      const double = () => {
        for (;;) {
          bits.setUint32(0, rng.int(2 ** 32))
          bits.setUint32(4, rng.int(2 ** 32))
          const value = rng.next() < 0.3 ? Math.round(bits.getFloat64(0) * 1e6) / 1e6 : bits.getFloat64(0)
          if (Number.isFinite(value) && !(Number.isInteger(value) && Math.abs(value) >= 2 ** 53)) return value
        }
      }
      const day = () => new Date(rng.int(65_536) * 86_400_000).toISOString().slice(0, 10)
      const values = {
        f: double(),
        g: rng.pick([0, -0, 5e-324, -Number.MIN_VALUE, 0.1, 1e-7, 2 ** 53 - 1, 1.2345678901234568e-300, 123456.789]),
        d: day(),
        ds: [day(), day(), '1970-01-01', '2149-06-06'],
        ss: [hostileString(rng), hostileString(rng), ''],
        us: [rng.int(65_536), 0, 65_535],
        fs: [double(), double()],
        e: [] as string[],
        nd: rng.next() < 0.5 ? null : day(),
        nu: rng.next() < 0.5 ? null : String(rng.int(2 ** 32)),
        t: `${day()} ${String(rng.int(24)).padStart(2, '0')}:59:0${rng.int(10)}.${rng.int(1000)}`,
        u: `${day()} 23:0${rng.int(10)}:1${rng.int(10)}.${String(rng.int(1000)).padStart(3, '0')}`,
      }
      const template = `SELECT {f:Float64} AS f, toString(reinterpretAsUInt64({f:Float64})) AS f_bits,
        toString(reinterpretAsUInt64({g:Float64})) AS g_bits, {d:Date} AS d, {ds:Array(Date)} AS ds,
        {ss:Array(String)} AS ss, {us:Array(UInt16)} AS us, arrayMap(x -> toString(reinterpretAsUInt64(x)), {fs:Array(Float64)}) AS fs,
        {e:Array(String)} AS e, toTypeName({e:Array(String)}) AS e_type, {nd:Nullable(Date)} AS nd,
        toTypeName({nd:Nullable(Date)}) AS nd_type, {nu:Nullable(UInt64)} AS nu,
        toString({u:DateTime64(3, 'UTC')}) AS u, toTypeName({u:DateTime64(3, 'UTC')}) AS u_type, {t:DateTime64(3)} AS t`
      const sql = inline(template, values)
      const [row] = await store.rows<Record<string, unknown>>('test:inlined', sql)
      expect(row, `seed ${seed}`).toEqual((await bound<Record<string, unknown>>(template, values))[0])
      // Independently of the engine's binding: the double's own bits, the dates as given.
      // (-0 goes as 0 both ways: its text is "0".)
      bits.setFloat64(0, values.f === 0 ? 0 : values.f)
      expect(row?.f_bits, `seed ${seed}`).toBe(bits.getBigUint64(0).toString())
      expect(row?.d).toBe(values.d)
      expect(row?.ds).toEqual(values.ds)
      expect(row?.ss).toEqual(values.ss)
      expect(row?.nd).toBe(values.nd)
      expect(row?.u).toBe(values.u)
      expect(row?.u_type).toBe("DateTime64(3, 'UTC')")
      // A DateTime64 is cast from its text (the bound one from a decimal): same value, another literal in the tree.
      const { t: _, u: __, ...rest } = values
      const untimed = template
        .replace(/, \{t:DateTime64\(3\)\} AS t$/, '')
        .replace(/,\s*toString\(\{u:.*AS u_type/s, '')
      expect(await shape(inline(untimed, rest)), `seed ${seed}`).toBe(await boundShape(untimed, rest))
    }
  })

  it('whole doubles past 2^53, which chdb cannot bind, bit for bit', async () => {
    const values = [1e21, Number.MAX_VALUE, -1e300, 2 ** 60]
    const template = values.map((_, i) => `toString(reinterpretAsUInt64({g${i}:Float64})) AS g${i}`).join(', ')
    const params = Object.fromEntries(values.map((value, i) => [`g${i}`, value]))
    const [row] = await store.rows<Record<string, string>>('test:inlined', inline(`SELECT ${template}`, params))
    const bits = new DataView(new ArrayBuffer(8))
    values.forEach((value, i) => {
      bits.setFloat64(0, value)
      expect(row?.[`g${i}`]).toBe(bits.getBigUint64(0).toString())
    })
  })

  it('refuses dates and numbers not in their canonical form, and types it does not know', () => {
    for (const d of ['2026-1-1', '2026-02-30', '1969-12-31', '2149-06-07', '2026-01-01 00:00:00', 20_000])
      expect(inlineParams('SELECT {d:Date}', { d }), String(d)).toMatchObject({ refused: 'value' })
    for (const n of [1.5, '01', '+1', ' 1', true, Number.NaN, 2 ** 53])
      expect(inlineParams('SELECT {n:UInt64}', { n }), String(n)).toMatchObject({ refused: 'value' })
    expect(inlineParams('SELECT {f:Float64}', { f: Number.POSITIVE_INFINITY })).toMatchObject({ refused: 'value' })
    expect(inlineParams('SELECT {f:Float64}', { f: '1.5' })).toMatchObject({ refused: 'value' })
    expect(inlineParams('SELECT {a:Array(Nullable(String))}', { a: [] })).toMatchObject({ refused: 'type' })
    expect(inlineParams('SELECT {a:Array(String)}', { a: 'x' })).toMatchObject({ refused: 'value' })
    expect(inlineParams('SELECT {n:Nullable(UInt8)}', { n: undefined })).toMatchObject({ refused: 'missing' })
  })
})
