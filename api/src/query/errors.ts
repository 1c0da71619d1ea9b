// Requests refused by the API's own checks: a 400 naming the parameter, or a 401/403 for the token's role and scope.

/** A request that cannot be answered as asked: a 400 that names the parameter and says why. */
export class BadRequest extends Error {
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(message)
    this.name = 'BadRequest'
  }
}

/** Refused for the principal's role or scope: a 401 without a token, a 403 with one. */
export class Forbidden extends Error {
  constructor(
    readonly status: 401 | 403,
    message: string,
  ) {
    super(message)
    this.name = 'Forbidden'
  }
}

/** A resource that does not exist (or that this token may not know exists). */
export class NotFound extends Error {
  override name = 'NotFound'
}
