// A statement's {name:Type} parameters bound into its text as typed literals, for the embedded engine only.
//
// chdb runs every statement that carries parameters one at a time in a process (its parameter binding races
// otherwise: node_modules/chdb/index.js, `globalParamChain`), so a dashboard read would wait behind a load's
// statement. A statement without parameters runs beside the others. This binder is deliberately small and strict:
// it knows exactly the parameter types Qyzmet uses, writes each value as ClickHouse's own substitution would
// (`_CAST(literal, 'Type')`, a String as a quoted literal), and refuses anything else — an unknown type, a value
// not in the type's canonical form, text it cannot lex with certainty. A refused statement is sent with its
// parameters as before: slower, never a guessed literal.

/** Why a statement was sent with its parameters; counted so that a benchmark can say how much went each way. */
export type Refusal = 'syntax' | 'type' | 'value' | 'missing' | 'size'

export type Inlined = { sql: string } | { refused: Refusal; detail: string }

/**
 * Longest text sent: the engine's max_query_size (256 KiB by default) counts inlined values, which bound
 * parameters do not; a statement that would grow past this keeps its parameters.
 */
const maxInlinedBytes = 200_000

const integerRanges: Record<string, [bigint, bigint]> = {
  UInt8: [0n, 255n],
  UInt16: [0n, 65_535n],
  UInt32: [0n, 4_294_967_295n],
  UInt64: [0n, 18_446_744_073_709_551_615n],
  Int8: [-128n, 127n],
  Int16: [-32_768n, 32_767n],
  Int32: [-2_147_483_648n, 2_147_483_647n],
  Int64: [-9_223_372_036_854_775_808n, 9_223_372_036_854_775_807n],
}
/** Types as written in a placeholder, spaces removed. A DateTime64 in UTC is how the load names its time range. */
const scalarTypes = new Set([
  'String',
  'Date',
  'DateTime64(3)',
  "DateTime64(3,'UTC')",
  'Float64',
  ...Object.keys(integerRanges),
])

class Refused extends Error {
  constructor(
    readonly reason: Refusal,
    detail: string,
  ) {
    super(detail)
  }
}

/** A String as a quoted literal: backslash and quote escaped, control characters as escapes, the rest as is. */
export function stringLiteral(value: string): string {
  let out = "'"
  for (const char of value) {
    const code = char.codePointAt(0) ?? 0
    if (char === '\\') out += '\\\\'
    else if (char === "'") out += "\\'"
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`
    else out += char
  }
  return `${out}'`
}

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

const dayMs = 86_400_000
/** The Date type's range (days since 1970-01-01 in a UInt16): a date outside it the engine would clamp. */
const lastDay = 65_535

/** A Date as the engine's own field: its day number. Only the canonical YYYY-MM-DD of a real day in range. */
function dayNumber(value: unknown): string {
  const match = typeof value === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) : null
  if (!match) throw new Refused('value', 'a Date that is not a YYYY-MM-DD string')
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  const ms = Date.UTC(year, month - 1, day)
  const back = new Date(ms)
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day)
    throw new Refused('value', 'a Date that is not a day of the calendar')
  const days = ms / dayMs
  if (days < 0 || days > lastDay) throw new Refused('value', 'a Date outside the Date type’s range')
  return String(days)
}

function integer(value: unknown, type: string): string {
  const range = integerRanges[type]
  let parsed: bigint | null = null
  if (typeof value === 'bigint') parsed = value
  else if (typeof value === 'number' && Number.isSafeInteger(value)) parsed = BigInt(value)
  else if (typeof value === 'string' && /^-?(0|[1-9]\d{0,19})$/.test(value)) parsed = BigInt(value)
  if (parsed === null || !range) throw new Refused('value', `a ${type} that is not an integer`)
  if (parsed < range[0] || parsed > range[1]) throw new Refused('value', `a ${type} out of its range`)
  return parsed.toString()
}

/** One value of a scalar type as a literal whose field the engine then casts to the type. */
function field(value: unknown, type: string): string {
  if (type === 'String') {
    if (typeof value !== 'string') throw new Refused('value', 'a String that is not a string')
    // A lone surrogate has no UTF-8 form: what the engine would receive is not the string given.
    if (loneSurrogate.test(value)) throw new Refused('value', 'a String with a lone surrogate')
    return stringLiteral(value)
  }
  if (type === 'Date') return dayNumber(value)
  if (type.startsWith('DateTime64(3')) {
    // Read by the engine in the type's time zone (else its own), exactly as a bound parameter's text is.
    if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,3})?$/.test(value))
      throw new Refused('value', 'a DateTime64 that is not YYYY-MM-DD hh:mm:ss[.fff]')
    return stringLiteral(value)
  }
  if (type === 'Float64') {
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new Refused('value', 'a Float64 that is not finite')
    // The shortest text that reads back as the same double, with a point so that the parser reads a Float64 (a bare
    // 0 would be a UInt64 literal); -0 is written 0, as the bound parameter's text is.
    const text = String(value)
    return /^-?\d+$/.test(text) ? `${text}.0` : text
  }
  return integer(value, type)
}

/** The value as the statement's text: what the engine's own substitution of `{name:type}` makes of it. */
function literal(value: unknown, type: string): string {
  if (type === 'String') return field(value, type)
  // The type's name is itself a string literal (a time zone in it is quoted).
  const name = stringLiteral(type)
  if (scalarTypes.has(type)) return `_CAST(${field(value, type)}, ${name})`
  const nullable = /^Nullable\((.+)\)$/.exec(type)?.[1]
  if (nullable && scalarTypes.has(nullable)) {
    if (value === null) return `_CAST(NULL, ${name})`
    return `_CAST(${field(value, nullable)}, ${name})`
  }
  const element = /^Array\((.+)\)$/.exec(type)?.[1]
  if (element && scalarTypes.has(element)) {
    if (!Array.isArray(value)) throw new Refused('value', `an ${type} that is not an array`)
    return `_CAST([${value.map((item) => field(item, element)).join(', ')}], ${name})`
  }
  throw new Refused('type', `a parameter of type ${type}`)
}

/** Where the text next to `at` stops being plain statement text: a literal, a quoted name or a comment. */
function skipQuoted(sql: string, at: number, quote: string): number {
  for (let i = at + 1; i < sql.length; i++) {
    if (sql[i] === '\\') i++
    else if (sql[i] === quote) {
      if (sql[i + 1] === quote) i++
      else return i + 1
    }
  }
  throw new Refused('syntax', `an unterminated ${quote} in the statement`)
}

const placeholder = /\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*:\s*([^{}]*?)\s*\}/y

/**
 * The statement with every parameter written into it, or why it must keep them. A placeholder is replaced only in
 * the statement's text proper — never inside a string literal, a quoted name or a comment, where the engine does not
 * substitute either; text whose extent this lexer cannot be sure of (block comments, heredocs, `#` comments)
 * refuses the whole statement.
 */
export function inlineParams(sql: string, params: Record<string, unknown>): Inlined {
  try {
    let out = ''
    let from = 0
    for (let i = 0; i < sql.length; ) {
      const char = sql[i]
      if (char === "'" || char === '"' || char === '`') i = skipQuoted(sql, i, char)
      else if (char === '-' && sql[i + 1] === '-') {
        const end = sql.indexOf('\n', i)
        i = end === -1 ? sql.length : end + 1
      } else if ((char === '/' && sql[i + 1] === '*') || char === '$' || char === '#')
        throw new Refused('syntax', `a ${char === '/' ? '/*' : char} in the statement`)
      else if (char === '{') {
        placeholder.lastIndex = i
        const match = placeholder.exec(sql)
        if (!match) throw new Refused('syntax', 'a { that is not a parameter')
        const [whole, name = '', type = ''] = match
        if (!Object.hasOwn(params, name) || params[name] === undefined)
          throw new Refused('missing', `no value for {${name}}`)
        out += sql.slice(from, i) + literal(params[name], type.replace(/\s+/g, ''))
        i += whole.length
        from = i
      } else i++
    }
    out += sql.slice(from)
    if (Buffer.byteLength(out) > maxInlinedBytes) throw new Refused('size', 'the values are too long to inline')
    return { sql: out }
  } catch (error) {
    if (error instanceof Refused) return { refused: error.reason, detail: error.message }
    throw error
  }
}
