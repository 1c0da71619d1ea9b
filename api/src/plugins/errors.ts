// Turns every failure into an answer a client can act on: 400 naming the parameter, 401/403/404, 413/415, 503 with
// Retry-After when the engine is slow or gone — never a stack trace, SQL or a file path.
import { EngineUnavailable, engineCode, isTransient } from '@qyzmet/sql'
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify'
import fp from 'fastify-plugin'
import type { ErrorBody, ErrorCode } from '../contract/index.ts'
import { BadRequest, Forbidden, NotFound } from '../query/errors.ts'
import { tooManyRowsCode } from '../query/run.ts'
import { describeValidation } from './validation.ts'

/** Seconds a client is told to wait when the engine is busy or unavailable. */
export const retryAfterSeconds = 5

const send = (reply: FastifyReply, status: number, body: ErrorBody) => reply.code(status).send(body)

const unavailable = (reply: FastifyReply, error: ErrorCode, message: string, status = 503, after = retryAfterSeconds) =>
  reply
    .header('retry-after', String(after))
    .code(status)
    .send({ error, message } satisfies ErrorBody)

/** What a client is told when the engine is lost, slow, overloaded, or cannot use its storage. */
const unavailableMessage: Record<EngineUnavailable['reason'], string> = {
  unreachable: 'the database is not answering; try again shortly',
  timeout: 'the database did not answer in time; try again shortly',
  overloaded: 'the database is busy; try again shortly',
  storage: 'the database cannot use its storage; the operators are told, try again later',
}

/** Fastify's own 4xx, by its error code: what went wrong, in words that name the part of the request. */
const fastifyCodes: Record<string, [number, ErrorCode, string]> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'unsupported_media_type', 'content-type: this endpoint does not read it'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'bad_request', 'content-length: does not match the body'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'bad_request', 'body: a JSON content-type needs a JSON body'],
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'too_large', 'body: larger than this endpoint accepts'],
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'bad_request', 'body: is not valid JSON'],
  FST_ERR_CTP_INVALID_TYPE: [400, 'bad_request', 'content-type: is not valid'],
  FST_ERR_BAD_URL: [400, 'bad_request', 'url: is not a valid URL'],
  FST_ERR_ASYNC_CONSTRAINT: [400, 'bad_request', 'request: cannot be routed'],
}

export const errors = fp(async (app: FastifyInstance) => {
  app.setNotFoundHandler((request, reply) =>
    send(reply, 404, { error: 'not_found', message: `no route ${request.method} ${request.url.split('?')[0]}` }),
  )

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof BadRequest) {
      return send(reply, 400, {
        error: 'bad_request',
        parameter: error.parameter,
        message: `${error.parameter}: ${error.message}`,
      })
    }
    if (error instanceof Forbidden) {
      return send(reply, error.status, {
        error: error.status === 401 ? 'unauthorized' : 'forbidden',
        message: error.message,
      })
    }
    if (error instanceof NotFound) return send(reply, 404, { error: 'not_found', message: error.message })
    if (error.validation) {
      const { parameter, message } = describeValidation(error)
      return send(reply, 400, { error: 'bad_request', parameter, message })
    }
    const known = fastifyCodes[error.code]
    if (known) {
      const [status, code, message] = known
      return send(reply, status, { error: code, message })
    }
    if (error.statusCode === 429) {
      reply.header('retry-after', String(reply.getHeader('retry-after') ?? 60))
      return send(reply, 429, { error: 'too_many_requests', message: 'too many requests; wait and try again' })
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return send(reply, error.statusCode, { error: 'bad_request', message: 'the request is not valid' })
    }
    const code = engineCode(error)
    if (code === tooManyRowsCode) {
      return send(reply, 400, {
        error: 'bad_request',
        parameter: 'format',
        message: `format: the answer has more than ${request.server.store.config.maxJsonRows.toLocaleString('en')} rows; ask for csv, arrow or parquet (they stream), or narrow the range or breakdown`,
      })
    }
    if (code === '159' || code === '160') {
      request.log.warn({ err: error }, 'query timed out')
      return unavailable(
        reply,
        'busy',
        'the query did not finish in the time allowed; narrow the date range or filters, or try again shortly',
      )
    }
    if (error instanceof EngineUnavailable) {
      request.log.error({ err: error }, 'engine unavailable')
      // A write that cannot reach storage is 507 (Insufficient Storage); everything else the engine cannot do now, 503.
      const write = request.method !== 'GET' && request.method !== 'HEAD'
      const status = error.reason === 'storage' && write ? 507 : 503
      const code: ErrorCode =
        error.reason === 'storage' && write
          ? 'insufficient_storage'
          : error.reason === 'overloaded'
            ? 'busy'
            : 'unavailable'
      return unavailable(reply, code, unavailableMessage[error.reason], status, error.retryAfterSeconds)
    }
    // Anything the store did not already name (a connection refused outside a store call): the engine is not there.
    if (
      isTransient(error) ||
      /ECONNREFUSED|socket hang up|ENOTFOUND|connection is closed/i.test(String(error.message))
    ) {
      request.log.error({ err: error }, 'engine unavailable')
      return unavailable(reply, 'unavailable', unavailableMessage.unreachable)
    }
    request.log.error({ err: error }, 'unexpected error')
    return send(reply, 500, { error: 'internal', message: `unexpected error (request ${request.id})` })
  })
})
