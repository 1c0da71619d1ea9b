// Column mapping: how a source's headers and value spellings translate to event fields (ingest/mappings/*.json).
import { readFileSync } from 'node:fs'
import { type EventField, eventFields, isEventField } from './fields.ts'

export interface Mapping {
  /** Source column name → event field; names are matched trimmed and case-insensitively. */
  columns: Record<string, EventField>
  /** Per field, source value → event value (e.g. channel "ЦОН" → "tson"); other values pass unchanged. */
  values: Partial<Record<EventField, Record<string, string>>>
  /** Per field, the value when the source has no such column (or leaves the cell empty). */
  defaults: Partial<Record<EventField, string>>
  /** IANA zone of timestamps without an offset; default UTC. */
  timezone: string
}

export const identityMapping: Mapping = { columns: {}, values: {}, defaults: {}, timezone: 'UTC' }

export class MappingError extends Error {
  override name = 'MappingError'
}

const plainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

function stringRecord(where: string, value: unknown): Record<string, string> {
  if (value === undefined) return {}
  if (!plainObject(value)) throw new MappingError(`${where} must be an object of strings`)
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== 'string') throw new MappingError(`${where}.${key} must be a string`)
  }
  return value as Record<string, string>
}

function fieldKeys<T>(where: string, record: Record<string, T>): Partial<Record<EventField, T>> {
  for (const key of Object.keys(record)) {
    if (!isEventField(key))
      throw new MappingError(`${where}: "${key}" is not an event field (${eventFields.join(', ')})`)
  }
  return record as Partial<Record<EventField, T>>
}

/** Checks a parsed mapping document and fills in what it leaves out. */
export function parseMapping(document: unknown, where = 'mapping'): Mapping {
  if (!plainObject(document)) throw new MappingError(`${where} must be a JSON object`)
  const columns = stringRecord(`${where}: columns`, document.columns)
  for (const [column, field] of Object.entries(columns)) {
    if (!isEventField(field)) throw new MappingError(`${where}: column "${column}" maps to unknown field "${field}"`)
  }
  const values: Record<string, Record<string, string>> = {}
  if (document.values !== undefined) {
    if (!plainObject(document.values)) throw new MappingError(`${where}: values must be an object`)
    for (const [field, table] of Object.entries(document.values)) {
      values[field] = stringRecord(`${where}: values.${field}`, table)
    }
  }
  const timezone = document.timezone ?? 'UTC'
  if (typeof timezone !== 'string') throw new MappingError(`${where}: timezone must be a string`)
  try {
    new Intl.DateTimeFormat('en', { timeZone: timezone })
  } catch {
    throw new MappingError(`${where}: timezone "${timezone}" is not an IANA time zone`)
  }
  return {
    columns: columns as Record<string, EventField>,
    values: fieldKeys(`${where}: values`, values),
    defaults: fieldKeys(`${where}: defaults`, stringRecord(`${where}: defaults`, document.defaults)),
    timezone,
  }
}

export function loadMapping(path: string): Mapping {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    throw new MappingError(`mapping ${path}: cannot read it (${(error as NodeJS.ErrnoException).code ?? 'error'})`)
  }
  try {
    return parseMapping(JSON.parse(text), `mapping ${path}`)
  } catch (error) {
    if (error instanceof SyntaxError) throw new MappingError(`mapping ${path}: not valid JSON (${error.message})`)
    throw error
  }
}

const normal = (name: string) =>
  name
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase()

/** Where each field comes from: the index of its source column, if the source has one. */
export interface Resolved {
  fields: Partial<Record<EventField, number>>
  /** Source columns that map to no field: ignored, and listed in the summary. */
  ignored: string[]
}

/** Matches a header to fields; a field claimed by two columns is an error, since either choice could be wrong. */
export function resolveColumns(header: readonly string[], mapping: Mapping): Resolved {
  const byName = new Map<string, EventField>()
  for (const field of eventFields) byName.set(field, field)
  for (const [column, field] of Object.entries(mapping.columns)) byName.set(normal(column), field)
  const fields: Partial<Record<EventField, number>> = {}
  const ignored: string[] = []
  header.forEach((name, index) => {
    const field = byName.get(normal(name))
    if (!field) {
      ignored.push(name)
      return
    }
    const earlier = fields[field]
    if (earlier !== undefined) {
      throw new MappingError(`columns "${header[earlier]}" and "${name}" both map to ${field}; map one of them away`)
    }
    fields[field] = index
  })
  return { fields, ignored }
}
