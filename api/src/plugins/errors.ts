// Turns every failure into an answer a client can act on: 400 naming the parameter, 401/403, 503, 504 — never a stack trace or SQL.
import { engineCode, isTransient } from '@qyzmet/sql'
import type { FastifyError, FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { BadRequest } from '../query/filters.ts'
import { tooManyRowsCode } from '../query/run.ts'
import { Forbidden } from '../query/scope.ts'

/** The parameter an AJV validation error is about: `/from` → from, a missing property → its name. */
function parameterOf(error: FastifyError): string {
  const [first] = error.validation ?? []
  if (!first) return 'request'
  const { missingProperty, additionalProperty } = first.params as {
    missingProperty?: string
    additionalProperty?: string
  }
  if (missingProperty) return missingProperty
  if (additionalProperty) return additionalProperty
  const path = first.instancePath.replace(/^\//, '').replaceAll('/', '.')
  return path || (error.validationContext ?? 'request')
}

export const errors = fp(async (app: FastifyInstance) => {
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ error: 'not_found', message: `no route ${request.method} ${request.url.split('?')[0]}` }),
  )

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof BadRequest) {
      return reply
        .code(400)
        .send({ error: 'bad_request', parameter: error.parameter, message: `${error.parameter}: ${error.message}` })
    }
    if (error instanceof Forbidden) {
      return reply
        .code(error.status)
        .send({ error: error.status === 401 ? 'unauthorized' : 'forbidden', message: error.message })
    }
    if (error.validation) {
      const parameter = parameterOf(error)
      const first = error.validation[0]
      const extra = (first?.params as { additionalProperty?: string } | undefined)?.additionalProperty
      const detail = extra ? 'is not a parameter of this endpoint' : (first?.message ?? 'is not valid')
      return reply.code(400).send({ error: 'bad_request', parameter, message: `${parameter}: ${detail}` })
    }
    if (error.statusCode === 429) {
      return reply.code(429).send({ error: 'too_many_requests', message: error.message })
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return reply.code(error.statusCode).send({ error: 'bad_request', message: error.message })
    }
    if (engineCode(error) === tooManyRowsCode) {
      return reply.code(400).send({
        error: 'bad_request',
        parameter: 'format',
        message: `format: the answer has more than ${request.server.store.config.maxJsonRows.toLocaleString('en')} rows; ask for csv, arrow or parquet (they stream), or narrow the range or breakdown`,
      })
    }
    if (['159', '160'].includes(engineCode(error) ?? '')) {
      request.log.warn({ err: error }, 'query timed out')
      return reply
        .code(504)
        .send({ error: 'timeout', message: 'the query took too long; narrow the date range or filters' })
    }
    if (
      isTransient(error) ||
      /ECONNREFUSED|socket hang up|ENOTFOUND|connection is closed|Connection closed/i.test(String(error.message))
    ) {
      request.log.error({ err: error }, 'engine unavailable')
      return reply
        .code(503)
        .header('retry-after', '5')
        .send({ error: 'unavailable', message: 'the database is not answering; try again shortly' })
    }
    request.log.error({ err: error }, 'unexpected error')
    return reply.code(500).send({ error: 'internal', message: `unexpected error (request ${request.id})` })
  })
})
