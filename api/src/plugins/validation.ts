// Schema errors as a person reads them: which parameter, what was wrong with it, and what it may be instead.
import type { FastifyError } from 'fastify'

interface AjvError {
  keyword: string
  instancePath: string
  params: Record<string, unknown>
  message?: string
  data?: unknown
  parentSchema?: Record<string, unknown>
}

/** A value from the request shown back safely: quoted, control characters escaped, cut short. */
export function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value)
  return text.length > 60 ? `${text.slice(0, 57)}…"` : text
}

const typeNames: Record<string, string> = {
  integer: 'a whole number',
  number: 'a number',
  string: 'text',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
}

/** The parameter or field a validation error is about: `/from` → from, `/title/kk` → title.kk, `/region/0` → region. */
function parameterOf(error: AjvError, context: string | undefined): string {
  const { missingProperty, additionalProperty } = error.params as {
    missingProperty?: string
    additionalProperty?: string
  }
  const path = error.instancePath
    .replace(/^\//, '')
    .split('/')
    .filter((part) => part !== '' && !/^\d+$/.test(part))
    .join('.')
  const named = missingProperty ?? additionalProperty
  if (named) return path ? `${path}.${named}` : named
  return path || (context === 'body' ? 'body' : 'request')
}

function detailOf(error: AjvError, context: string | undefined): string {
  const { keyword, params, data, parentSchema } = error
  switch (keyword) {
    case 'required':
      return 'is required'
    case 'additionalProperties':
      return context === 'body' ? 'is not a field of this body' : 'is not a parameter of this endpoint'
    case 'enum': {
      const allowed = (params.allowedValues as unknown[] | undefined) ?? []
      const list = allowed.length <= 20 ? `: one of ${allowed.join(', ')}` : ''
      return `unknown value ${shown(data)}${list}`
    }
    case 'format':
      return params.format === 'date'
        ? `${shown(data)} is not a date; write it as YYYY-MM-DD`
        : `${shown(data)} is not a valid ${String(params.format)}`
    case 'type':
      if (Array.isArray(data)) return 'give it once'
      return `${shown(data)} is not ${typeNames[String(params.type)] ?? String(params.type)}`
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const low = parentSchema?.minimum ?? parentSchema?.exclusiveMinimum
      const high = parentSchema?.maximum ?? parentSchema?.exclusiveMaximum
      return `${shown(data)} is not from ${low ?? '…'} to ${high ?? '…'}`
    }
    case 'maxItems':
      return `give at most ${String(params.limit)} values`
    case 'minItems':
      return `give at least ${String(params.limit)} values`
    case 'minLength':
      return Number(params.limit) <= 1 ? 'must not be empty' : `must be at least ${String(params.limit)} characters`
    case 'maxLength':
      return `is longer than ${String(params.limit)} characters`
    case 'pattern':
      return `${shown(data)} has characters that are not allowed here`
    default:
      return error.message ?? 'is not valid'
  }
}

/** The parameter and message of a schema validation failure. */
export function describeValidation(error: FastifyError): { parameter: string; message: string } {
  const [first] = (error.validation ?? []) as unknown as AjvError[]
  if (!first) return { parameter: 'request', message: 'request: is not valid' }
  const parameter = parameterOf(first, error.validationContext)
  return { parameter, message: `${parameter}: ${detailOf(first, error.validationContext)}` }
}
