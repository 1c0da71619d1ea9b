// Fuzz test support: a seeded random source, the hostile values issue 14 lists, and requests built from the
// app's own OpenAPI document, so that every documented route is covered however the routes are arranged.

/** mulberry32: small, fast, and the same sequence for the same seed on every machine. */
export function seeded(seed: number) {
  let state = seed >>> 0
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return {
    next,
    chance: (p: number) => next() < p,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T,
  }
}
export type Random = ReturnType<typeof seeded>

/** Text that breaks careless code: lengths, bytes, prototype keys, numbers at the edges, dates out of range. */
export const hostileStrings: readonly string[] = [
  '',
  ' ',
  'x'.repeat(255),
  'x'.repeat(300),
  'y'.repeat(10_000),
  '\u0000',
  'a\u0000b',
  '\r\n',
  '\u0001\u0002\u0007\u001b[31m\u007f',
  '\ud800',
  'Қазақстан',
  '🇰🇿🙂',
  '\u202eevil',
  '../../etc/passwd',
  '..\\..\\windows',
  "'; DROP TABLE events; --",
  '" OR 1=1 --',
  '{region:String}',
  '{{7*7}}',
  '<script>alert(1)</script>',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
  '__defineGetter__',
  '1e20',
  '-1',
  '0',
  '-0',
  '1.5',
  '0x1F',
  'NaN',
  'Infinity',
  '9007199254740993',
  '99999999999999999999999999',
  '-9223372036854775809',
  '9999-12-31',
  '0001-01-01',
  '1969-12-31',
  '2149-06-07',
  '2025-02-30',
  '2025-13-01',
  '2025-1-1',
  '+275760-09-13',
  '2025-01-01T00:00:00Z',
  'true',
  'null',
  'undefined',
  '[]',
  '{}',
  ',,,',
  '75,75,75,75,75,75,75,75,75,75,75,75,75,75,75,75,75,75,75,75,75,75,75,75,75,75',
]

/** Numbers for numeric body fields: huge, tiny, negative, fractional, and not numbers at all. */
export const hostileNumbers: readonly unknown[] = [
  1e20,
  -1e20,
  1e308,
  -1e308,
  5e-324,
  -1,
  0,
  0.5,
  1.5,
  2 ** 53 + 2,
  '0.5',
  'NaN',
  null,
  true,
  [],
  {},
]

/** Query fragments that are not well-formed: stray percent signs, broken UTF-8, empty names. */
export const brokenQueryParts: readonly string[] = [
  '%',
  '%zz',
  '%E0%A4%A',
  '%FF%FE',
  '&&&',
  '=x',
  'a=%00',
  'a[b]=1',
  'a[__proto__][x]=1',
]

/** Parameter names no route declares, prototype keys among them. */
export const strangeParameterNames: readonly string[] = [
  'colour',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'z'.repeat(500),
  'from[]',
  'region[0]',
]

export const contentTypes: readonly (string | undefined)[] = [
  'application/json',
  'application/json; charset=utf-16',
  'text/plain',
  'text/csv',
  'text/tab-separated-values',
  'application/x-ndjson',
  'application/vnd.apache.parquet',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz',
  'application/octet-stream',
  '../../x',
  'x'.repeat(500),
  undefined,
]

export const accepts: readonly (string | undefined)[] = [
  undefined,
  'application/json',
  'text/csv',
  'application/vnd.apache.arrow.stream',
  'application/vnd.apache.parquet',
  '*/*',
  'text/html',
  'application/xml',
  ';;;,,,',
  `text/csv;q=0.5, ${'a/b, '.repeat(400)}`,
]

/** A minimal JSON Schema as @fastify/swagger writes it into the OpenAPI document. */
export interface Schema {
  type?: string | string[]
  enum?: unknown[]
  format?: string
  properties?: Record<string, Schema>
  required?: string[]
  additionalProperties?: boolean | Schema
  patternProperties?: Record<string, Schema>
  items?: Schema
  minimum?: number
  maximum?: number
}

/** A value that satisfies the schema, so that most bodies pass validation and reach the code behind it. */
export function validValue(
  schema: Schema,
  random: Random,
  known: Record<string, readonly string[]>,
  name = '',
): unknown {
  if (schema.enum?.length) return random.pick(schema.enum)
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type
  if (type === 'object' || schema.properties) {
    const value: Record<string, unknown> = {}
    for (const [key, property] of Object.entries(schema.properties ?? {})) {
      if (schema.required?.includes(key) || random.chance(0.6)) value[key] = validValue(property, random, known, key)
    }
    // Records (filters) have no named properties: give them a scope in the filter language.
    if (!schema.properties && (schema.patternProperties || schema.additionalProperties)) {
      const key = random.pick(['region', 'channel', 'age_band'])
      value[key] = random.pick(known[key] ?? ['75'])
    }
    return value
  }
  if (type === 'array') return [validValue(schema.items ?? { type: 'string' }, random, known, name)]
  if (type === 'integer') return random.int(schema.minimum ?? 1, Math.min(schema.maximum ?? 10, 10))
  if (type === 'number') return random.pick([0.5, 0.75, 0.9, 1000])
  if (type === 'boolean') return random.chance(0.5)
  if (schema.format === 'date') return random.pick(known.date ?? ['2027-12-31'])
  return random.pick(known[name] ?? ['Мақсат', 'Цель', 'Goal'])
}

/** The value with one part swapped for something hostile: a wrong type, an edge number, a hostile string, a key. */
export function spoil(value: unknown, random: Random): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return random.pick([...hostileNumbers, ...hostileStrings.slice(0, 30)])
  }
  const object = { ...(value as Record<string, unknown>) }
  const keys = Object.keys(object)
  const roll = random.next()
  if (roll < 0.15 && keys.length) delete object[random.pick(keys)]
  else if (roll < 0.3) object[random.pick(strangeParameterNames)] = random.pick(hostileStrings)
  else if (keys.length) {
    const key = random.pick(keys)
    const current = object[key]
    if (typeof current === 'number') object[key] = random.pick(hostileNumbers)
    else object[key] = random.chance(0.5) ? spoil(current, random) : random.pick(hostileStrings)
  }
  return object
}

/** JSON text with keys JSON.stringify cannot write as given: __proto__ as an own key, deep nesting, duplicates. */
export function hostileJson(value: unknown, random: Random): string {
  const text = JSON.stringify(value) ?? 'null'
  const roll = random.next()
  if (roll < 0.25 && text.startsWith('{')) return `{"__proto__":{"polluted":true},${text.slice(1)}`
  if (roll < 0.4 && text.startsWith('{')) return `{"constructor":{"prototype":{"polluted":true}},${text.slice(1)}`
  if (roll < 0.5) return `${'['.repeat(5000)}${']'.repeat(5000)}`
  if (roll < 0.6 && text.startsWith('{')) return `${text.slice(0, -1)},"value":1e400}`
  if (roll < 0.7) return text.slice(0, Math.max(1, Math.floor(text.length / 2)))
  return text
}

/** What no answer may show: the engine's SQL or errors, a JavaScript stack, a path on the server's disk. */
const leaks: [string, RegExp][] = [
  [
    'SQL',
    /\bSELECT\b[\s\S]*\bFROM\b|\bINSERT INTO\b|DB::Exception|\{[a-z_]+:(String|Date|UInt\d+|Int\d+|Float64|Array)/,
  ],
  ['stack trace', /\n\s+at \S.*:\d+:\d+|\bat (async )?[\w.<>]+ \([^)]*:\d+:\d+\)/],
  ['file path', /(^|[\s"'(])\/(work|tmp|home|root|usr|var|etc)\/|node_modules|[A-Z]:\\\\/],
]

/** The first leak in an answer's body, unless the request sent that text itself (a message may name a bad value). */
export function leakIn(body: string, request: { url: string; payload?: string | Buffer }): string | null {
  const [path = '', search = ''] = request.url.split('?')
  const query = new URLSearchParams(search)
  const segments = path.split('/').map((segment) => {
    try {
      return decodeURIComponent(segment)
    } catch {
      return segment
    }
  })
  const sent = [request.url, ...segments, ...query.keys(), ...query.values(), String(request.payload ?? '')].join('\n')
  for (const [kind, pattern] of leaks) {
    const found = pattern.exec(body)?.[0]
    if (found && !sent.includes(found.replace(/^[\s"'(]+/, '')))
      return `${kind} in the body: ${JSON.stringify(found.slice(0, 80))}`
  }
  return null
}
