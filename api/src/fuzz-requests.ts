// Fuzz test support: requests for every operation of the app's OpenAPI document, half of them nearly valid (so they
// reach the code behind validation) with one hostile change, half of them wild.
import { csv, event, ndjson } from '@qyzmet/ingest/corpus'
import type { FastifyInstance } from 'fastify'
import {
  accepts,
  brokenQueryParts,
  contentTypes,
  hostileJson,
  hostileStrings,
  type Random,
  type Schema,
  spoil,
  strangeParameterNames,
  validValue,
} from './fuzz-inputs.ts'

export type Who = 'public' | 'analyst' | 'regional' | 'ingest' | 'unknown token' | 'malformed header'
export const everyone: Who[] = ['public', 'analyst', 'regional', 'ingest', 'unknown token', 'malformed header']

export interface FuzzRequest {
  /** The route as documented, e.g. "GET /api/v1/targets/{id}". */
  route: string
  method: string
  url: string
  who: Who
  headers: Record<string, string>
  payload?: string | Buffer
}

export interface Operation {
  method: string
  path: string
  parameters: { name: string; in: string; schema?: Schema }[]
  body?: Schema
}

export const uploadTypes: Record<string, string> = {
  csv: 'text/csv',
  tsv: 'text/tab-separated-values',
  ndjson: 'application/x-ndjson',
  parquet: 'application/vnd.apache.parquet',
}

/** Every documented operation, and routes the document hides: operations, documentation, dashboard pages. */
export function operationsOf(app: FastifyInstance): Operation[] {
  const document = app.swagger() as {
    paths: Record<string, Record<string, { parameters?: Operation['parameters']; requestBody?: unknown }>>
  }
  const documented = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({
      method: method.toUpperCase(),
      path,
      parameters: operation.parameters ?? [],
      body: (operation.requestBody as { content?: Record<string, { schema?: Schema }> } | undefined)?.content?.[
        'application/json'
      ]?.schema,
    })),
  )
  const hidden = ['/metrics', '/docs', '/docs/json', '/docs/yaml', '/regions/75', '/api/v1/nothing']
  return [...documented, ...hidden.map((path) => ({ method: 'GET', path, parameters: [] }))]
}

/** Percent-encoding that also writes a lone surrogate, as the invalid UTF-8 bytes a careless client would send. */
export function encode(value: string): string {
  try {
    return encodeURIComponent(value)
  } catch {
    return `${encodeURIComponent(value.replace(/[\ud800-\udfff]/g, ''))}%ED%A0%80`
  }
}

export interface Fuzzer {
  random: Random
  /** Valid values by parameter or field name (region codes, metric ids, existing target ids…). */
  known: Record<string, readonly string[]>
  headersOf: (who: Who) => Record<string, string>
  /** Longest ingest file name to send (item 1 of issue 14 stops the process on longer ones). */
  nameLimit: number
}

/** Who would send this operation in earnest. */
function earnestSender(operation: Operation, random: Random): Who {
  const { path, method } = operation
  if (path.includes('/ingest/events')) return 'ingest'
  if (path.includes('/ingest/')) return random.pick(['ingest', 'analyst'])
  if (path.startsWith('/api/v1/metrics/') || path.startsWith('/api/v1/targets'))
    return method === 'GET' ? random.pick(['analyst', 'regional']) : 'analyst'
  if (path.startsWith('/api/v1/indicators')) return method === 'GET' ? random.pick(['public', 'analyst']) : 'analyst'
  return random.pick(everyone)
}

/** Query parameters a client would send: one window (preset or dates), an interval for series, a breakdown. */
function earnestQuery(operation: Operation, fuzzer: Fuzzer): [string, string][] {
  const { random, known } = fuzzer
  const names = new Set(operation.parameters.filter((p) => p.in === 'query').map((p) => p.name))
  const query: [string, string][] = []
  const add = (name: string, values: readonly string[] | undefined) => {
    if (names.has(name) && values?.length) query.push([name, random.pick(values)])
  }
  if (names.has('period')) {
    if (random.chance(0.5)) add('period', ['last_30d', 'last_90d', 'last_12m', 'ytd', 'previous_year', 'all'])
    else {
      add('from', known.from)
      add('to', known.to)
    }
  }
  if (operation.path.endsWith('/series')) add('interval', ['month', 'quarter', 'year'])
  if (operation.path.endsWith('/breakdown')) add('by', known.by)
  for (const parameter of operation.parameters) {
    if (parameter.in !== 'query' || ['period', 'from', 'to', 'interval', 'by'].includes(parameter.name)) continue
    if (!random.chance(0.2)) continue
    const values = parameter.schema?.enum?.map(String) ?? known[parameter.name]
    add(parameter.name, values)
  }
  return query
}

function hostileValue(name: string, fuzzer: Fuzzer): string {
  const value = fuzzer.random.pick(hostileStrings)
  return name === 'name' && value.length > fuzzer.nameLimit ? 'x'.repeat(fuzzer.nameLimit) : value
}

/** A body for an upload, with the content type it is: valid events, broken ones, binary bytes, or nothing. */
function upload(random: Random): [string | Buffer, string] {
  const roll = random.next()
  if (roll < 0.35) return [csv([event(), event(), event({ channel: random.pick(hostileStrings) })]), 'csv']
  if (roll < 0.55)
    return [ndjson([event(), { event_id: random.pick(hostileStrings), occurred_at: '9999-12-31' }]), 'ndjson']
  if (roll < 0.7) return [Buffer.from(Array.from({ length: random.int(1, 2000) }, () => random.int(0, 255))), 'parquet']
  if (roll < 0.8) return [csv([event()]).replace('event_id', '__proto__'), 'csv']
  if (roll < 0.9) return [csv([event()], { delimiter: '\t' }), 'tsv']
  return ['', 'csv']
}

/** One request for the operation: nearly valid with at most one hostile change, or wild throughout. */
export function fuzzRequest(operation: Operation, fuzzer: Fuzzer): FuzzRequest {
  const { random, known } = fuzzer
  const earnest = random.chance(0.5)
  const method =
    !earnest && random.chance(0.15)
      ? random.pick(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'])
      : operation.method
  const who = earnest ? earnestSender(operation, random) : random.pick(everyone)
  const change = earnest ? (random.chance(0.6) ? random.int(0, 5) : -1) : -1
  const pathValue = (name: string) =>
    (!earnest && random.chance(0.25)) || change === 0 ? random.pick(hostileStrings) : random.pick(known[name] ?? ['x'])
  const path = operation.path.replace(/\{(\w+)\}/g, (_, name: string) => encode(pathValue(name)))

  let query: [string, string][]
  if (earnest) query = earnestQuery(operation, fuzzer)
  else {
    query = []
    for (const parameter of operation.parameters.filter((p) => p.in === 'query')) {
      if (!random.chance(0.35)) continue
      const valid = parameter.schema?.enum?.map(String) ?? known[parameter.name] ?? ['']
      query.push([parameter.name, random.chance(0.4) ? hostileValue(parameter.name, fuzzer) : random.pick(valid)])
    }
  }
  const parameters = operation.parameters.filter((p) => p.in === 'query')
  if ((change === 1 || (!earnest && random.chance(0.3))) && parameters.length) {
    const name = random.pick(parameters).name
    query = [...query.filter(([key]) => key !== name), [name, hostileValue(name, fuzzer)]]
  }
  if ((change === 2 || (!earnest && random.chance(0.1))) && query.length) query.push(random.pick(query))
  const parts = query.map(([name, value]) => `${encode(name)}=${encode(value)}`)
  if (change === 3 || (!earnest && random.chance(0.1)))
    parts.push(`${encode(random.pick(strangeParameterNames))}=${encode(random.pick(hostileStrings))}`)
  if (change === 4 || (!earnest && random.chance(0.05))) parts.push(random.pick(brokenQueryParts))

  const headers: Record<string, string> = { ...fuzzer.headersOf(who) }
  const accept = earnest && random.chance(0.7) ? undefined : random.pick(accepts)
  if (accept) headers.accept = accept
  if (random.chance(0.2)) headers['cache-control'] = 'no-cache'
  if (random.chance(0.05)) headers['if-none-match'] = random.chance(0.5) ? '"x"' : '*'

  let payload: string | Buffer | undefined
  const sendsBody = method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS'
  if (sendsBody && operation.path.includes('/ingest/events')) {
    const [body, format] = upload(random)
    payload = body
    const type = earnest && change !== 5 ? uploadTypes[format] : random.pick(contentTypes)
    if (type) headers['content-type'] = type
  } else if (sendsBody && (operation.body || random.chance(0.3))) {
    const valid = operation.body ? validValue(operation.body, random, known) : {}
    if (earnest) {
      headers['content-type'] = 'application/json'
      payload = JSON.stringify(change === 5 ? spoil(valid, random) : valid)
    } else {
      const type = random.pick(contentTypes)
      if (type) headers['content-type'] = type
      payload = hostileJson(random.chance(0.6) ? spoil(valid, random) : valid, random)
    }
  }
  const url = `${path}${parts.length ? `?${parts.join('&')}` : ''}`
  return { route: `${operation.method} ${operation.path}`, method, url, who, headers, payload }
}
